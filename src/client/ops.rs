//! What the machine is asked ([`Op`]) and what it answers ([`Reply`]).

use core::fmt;

use crate::cognito::CodeDeliveryDetails;
use crate::config::AuthFlow;
use crate::flow::account::SignUpInput;
use crate::flow::to_json::ToJson;
use crate::flow::user::{UserCall, UserOutput};
use crate::flow::{ConfirmSignInInput, ResetPasswordOutput, SignInOutput, SignUpOutput};
use crate::json::{Object, Value};
use crate::jwt::{TokenUse, VerifiedToken};
use crate::secret::Password;
use crate::session::CurrentUser;
use crate::srp::EPHEMERAL_BYTES;

/// The SRP secret `a` of one sign-in: random bytes from the platform's CSPRNG, zeroed when dropped.
pub struct SrpSecret(pub Box<[u8; EPHEMERAL_BYTES]>);

impl SrpSecret {
    /// All zeros, for the driver to fill.
    pub fn zeroed() -> Self {
        SrpSecret(Box::new([0; EPHEMERAL_BYTES]))
    }
}

impl Drop for SrpSecret {
    fn drop(&mut self) {
        self.0.fill(0);
    }
}

impl fmt::Debug for SrpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SrpSecret(<redacted>)")
    }
}

/// How the sign-in after a confirmed sign-up runs (`signUp`'s `options.autoSignIn`).
#[derive(Debug, Clone, Default)]
pub struct AutoSignInOptions {
    /// The flow, when not the configured one.
    pub flow: Option<AuthFlow>,
    /// `ClientMetadata` for the sign-in.
    pub client_metadata: Option<Object>,
}

/// A call to the client.
#[derive(Debug)]
pub enum Op {
    /// `SignUp`.
    SignUp {
        /// The user, password and attributes.
        input: SignUpInput,
        /// `options.autoSignIn`: sign in once confirmed, with these options ([`Op::AutoSignIn`]).
        auto_sign_in: Option<AutoSignInOptions>,
    },
    /// `ConfirmSignUp` with the code that was sent.
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
    ResendSignUpCode {
        /// The user name.
        username: String,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// Signs in the user whose `signUp` asked for it, once confirmed, with the password given there.
    AutoSignIn {
        /// SRP's secret `a` (unused with `USER_PASSWORD_AUTH`).
        srp_secret: SrpSecret,
    },
    /// A sign-in with the configured flow (SRP by default).
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
        /// SRP's secret `a` (unused with `USER_PASSWORD_AUTH`).
        srp_secret: SrpSecret,
    },
    /// The answer to the pending sign-in step.
    ConfirmSignIn(ConfirmSignInInput),
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
    ResetPassword {
        /// The user name.
        username: String,
        /// `options.clientMetadata`.
        client_metadata: Option<Object>,
    },
    /// `ConfirmForgotPassword`.
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
    User(UserCall),
    /// Verifies a token of this pool and client with the client's key store.
    VerifyToken {
        /// The token.
        token: String,
        /// What it must be.
        token_use: TokenUse,
    },
    /// Storage changed under the client (another tab): read it again.
    Reload,
}

/// What a call resolves to.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Nothing (`undefined`).
    Unit,
    /// A sign-in step.
    SignIn(SignInOutput),
    /// A sign-up step.
    SignUp(SignUpOutput),
    /// Where a code went.
    CodeDelivery(CodeDeliveryDetails),
    /// A password-reset step.
    ResetPassword(ResetPasswordOutput),
    /// The signed-in user, or none.
    User(Option<CurrentUser>),
    /// A token.
    Token(String),
    /// A verified token.
    Verified(Box<VerifiedToken>),
    /// What a call on the signed-in user gave back.
    Account(UserOutput),
}

impl Reply {
    /// The value JavaScript gets, as JSON text.
    pub fn to_json(&self) -> String {
        match self {
            Reply::Unit => "null".to_owned(),
            Reply::SignIn(o) => o.to_json_object().to_json(),
            Reply::SignUp(o) => o.to_json_object().to_json(),
            Reply::CodeDelivery(o) => o.to_json_object().to_json(),
            Reply::ResetPassword(o) => o.to_json_object().to_json(),
            Reply::User(None) => "null".to_owned(),
            Reply::User(Some(user)) => user.to_json_object().to_json(),
            Reply::Token(token) => Value::from(token.as_str()).to_json(),
            Reply::Verified(token) => token.claims().to_json(),
            Reply::Account(output) => output.to_json(),
        }
    }
}
