//! What the machine is asked ([`Op`]) and what it answers ([`Reply`]).

use crate::flow::to_json::ToJson;
use crate::json::Value;
use crate::jwt::TokenUse;
use crate::session::CurrentUser;
// What only the flows (the `flows` feature) use.
#[cfg(feature = "flows")]
use {
    super::sign_in_secrets::SignInSecrets,
    super::sign_up::AutoSignInOptions,
    crate::cognito::CodeDeliveryDetails,
    crate::config::AuthFlow,
    crate::flow::account::SignUpInput,
    crate::flow::oauth::{RedirectSecrets, RedirectSignInInput},
    crate::flow::user::{UserCall, UserOutput},
    crate::flow::{ConfirmSignInInput, ResetPasswordOutput, SignInOutput, SignUpOutput},
    crate::json::Object,
    crate::jwt::VerifiedToken,
    crate::secret::Password,
};

/// A call to the client.
#[derive(Debug)]
pub enum Op {
    /// `SignUp`.
    #[cfg(feature = "flows")]
    SignUp {
        /// The user, password and attributes.
        input: SignUpInput,
        /// `options.autoSignIn`: sign in once confirmed, with these options ([`Op::AutoSignIn`]).
        auto_sign_in: Option<AutoSignInOptions>,
    },
    /// `ConfirmSignUp` with the code that was sent.
    #[cfg(feature = "flows")]
    ConfirmSignUp {
        /// The user name.
        username: String,
        /// The code.
        code: String,
        /// `options.forceAliasCreation`.
        force_alias_creation: Option<bool>,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// `ResendConfirmationCode`.
    #[cfg(feature = "flows")]
    ResendSignUpCode {
        /// The user name.
        username: String,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// Signs in the user whose `signUp` asked for it, once confirmed, with the password given there.
    #[cfg(feature = "flows")]
    AutoSignIn {
        /// The sign-in's random bytes.
        secrets: SignInSecrets,
    },
    /// A sign-in with the configured flow (SRP by default).
    #[cfg(feature = "flows")]
    SignIn {
        /// The user name.
        username: String,
        /// The password.
        password: Password,
        /// `options.authFlowType`: this sign-in's flow, when not the configured one.
        flow: Option<AuthFlow>,
        /// `options.clientMetadata`, for the pool's Lambda triggers.
        client_metadata: Option<Object>,
        /// `options.preferredChallenge` (`USER_AUTH`): `PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`,
        /// `WEB_AUTHN`.
        preferred_challenge: Option<String>,
        /// The sign-in's random bytes (SRP's `a` unused with `USER_PASSWORD_AUTH`).
        secrets: SignInSecrets,
    },
    /// The answer to the pending sign-in step.
    #[cfg(feature = "flows")]
    ConfirmSignIn {
        /// The user's answer.
        input: ConfirmSignInInput,
        /// Random bytes for what may follow the answer (device SRP, `ConfirmDevice`).
        secrets: SignInSecrets,
    },
    /// Ends the session here (and everywhere with `global`).
    SignOut {
        /// `GlobalSignOut` too.
        global: bool,
    },
    /// The signed-in user, or none.
    CurrentUser,
    /// A token, refreshed when due.
    Token {
        /// Which one.
        token_use: TokenUse,
        /// Refresh even when not due.
        force_refresh: bool,
    },
    /// The access token for `auth.fetch` to send to `url`, if it may go there (see
    /// [`fetch_policy`](super::fetch_policy)): refused with `OriginNotAllowed` unless `url`'s origin is
    /// `page_origin` or one of the configured API origins, over https or loopback http. Answers
    /// [`Reply::Token`], or after a 401 [`Reply::Unit`] when the request is not worth retrying.
    FetchToken {
        /// The request's absolute URL (`Request.url`).
        url: String,
        /// The page's origin (`location.origin`); `None` outside a page.
        page_origin: Option<String>,
        /// After a 401: the token that request carried. A fresher token is given if there is one (or a
        /// forced refresh, at most one per [`FETCH_401_REFRESH_SECS`](super::FETCH_401_REFRESH_SECS), gives
        /// one); otherwise [`Reply::Unit`].
        rejected: Option<String>,
    },
    /// `ForgotPassword`.
    #[cfg(feature = "flows")]
    ResetPassword {
        /// The user name.
        username: String,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// `ConfirmForgotPassword`.
    #[cfg(feature = "flows")]
    ConfirmResetPassword {
        /// The user name.
        username: String,
        /// The code that was sent.
        code: String,
        /// The new password.
        new_password: Password,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// One request on the signed-in user (password, attributes, MFA settings, deleting the user), with a
    /// fresh access token; `deleteUser` then ends the local session.
    #[cfg(feature = "flows")]
    User(UserCall),
    /// Verifies a token of this pool and client with the client's key store.
    #[cfg(feature = "flows")]
    VerifyToken {
        /// The token.
        token: String,
        /// What it must be.
        token_use: TokenUse,
    },
    /// Storage changed under the client (another tab): read it again.
    Reload,
    /// Managed login's start: the pending sign-in kept, the authorize URL answered ([`Reply::Url`]).
    #[cfg(feature = "flows")]
    SignInWithRedirect {
        /// `provider`, `customState`, `options`.
        input: Box<RedirectSignInInput>,
        /// The page's URL (`location.href`), whose origin picks the `redirectSignIn` URL.
        page_url: Option<String>,
        /// The state, PKCE verifier and nonce, drawn by the driver.
        secrets: Option<RedirectSecrets>,
    },
    /// Managed login's callback: the page's URL after the redirect back; answers `null` when it is not one.
    #[cfg(feature = "flows")]
    CompleteSignInWithRedirect {
        /// `location.href`.
        url: String,
    },
}

/// What a call resolves to.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Nothing (`undefined`).
    Unit,
    /// A sign-in step.
    #[cfg(feature = "flows")]
    SignIn(SignInOutput),
    /// A sign-up step.
    #[cfg(feature = "flows")]
    SignUp(SignUpOutput),
    /// Where a code went.
    #[cfg(feature = "flows")]
    CodeDelivery(CodeDeliveryDetails),
    /// A password-reset step.
    #[cfg(feature = "flows")]
    ResetPassword(ResetPasswordOutput),
    /// The signed-in user, or none.
    User(Option<CurrentUser>),
    /// A token.
    Token(String),
    /// A verified token.
    #[cfg(feature = "flows")]
    Verified(Box<VerifiedToken>),
    /// What a call on the signed-in user gave back.
    #[cfg(feature = "flows")]
    Account(UserOutput),
    /// A URL for the browser to go to: managed login's authorize URL, or after a sign-out its `/logout`.
    Url(String),
    /// A managed-login sign-in completed, with its `customState`.
    #[cfg(feature = "flows")]
    SignedInWithRedirect(Option<String>),
}

impl Reply {
    /// The value JavaScript gets, as JSON text.
    pub fn to_json(&self) -> String {
        match self {
            Reply::Unit => "null".to_owned(),
            #[cfg(feature = "flows")]
            Reply::SignIn(o) => o.to_json_object().to_json(),
            #[cfg(feature = "flows")]
            Reply::SignUp(o) => o.to_json_object().to_json(),
            #[cfg(feature = "flows")]
            Reply::CodeDelivery(o) => o.to_json_object().to_json(),
            #[cfg(feature = "flows")]
            Reply::ResetPassword(o) => o.to_json_object().to_json(),
            Reply::User(None) => "null".to_owned(),
            Reply::User(Some(user)) => user.to_json_object().to_json(),
            Reply::Token(token) => Value::from(token.as_str()).to_json(),
            #[cfg(feature = "flows")]
            Reply::Verified(token) => token.claims().to_json(),
            #[cfg(feature = "flows")]
            Reply::Account(output) => output.to_json(),
            Reply::Url(url) => Value::from(url.as_str()).to_json(),
            #[cfg(feature = "flows")]
            Reply::SignedInWithRedirect(custom_state) => match custom_state {
                Some(state) => Object::new().with("customState", state.as_str()).to_json(),
                None => "{}".to_owned(),
            },
        }
    }
}
