//! What the machine is asked ([`Op`]) and what it answers ([`Reply`]).

use crate::flow::to_json::ToJson;
use crate::json::Value;
use crate::jwt::TokenUse;
use crate::session::CurrentUser;
// What only the flows (the `flows` feature) use.
#[cfg(feature = "flows")]
use {
    crate::cognito::CodeDeliveryDetails,
    crate::config::AuthFlow,
    crate::error::Result,
    crate::flow::account::SignUpInput,
    crate::flow::user::{UserCall, UserOutput},
    crate::flow::{ConfirmSignInInput, ResetPasswordOutput, SignInOutput, SignUpOutput},
    crate::json::Object,
    crate::jwt::VerifiedToken,
    crate::secret::Password,
    crate::srp::{DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES, EPHEMERAL_BYTES},
    core::fmt,
};

/// The random bytes one sign-in call may need, drawn by the driver from the platform's CSPRNG (the machine has
/// no randomness of its own), zeroed when dropped: SRP's secret `a`, a fresh `a` for the remembered device's SRP
/// (`DEVICE_SRP_AUTH`), and for a new device's `ConfirmDevice` its random password (40 bytes) and salt (16).
#[cfg(feature = "flows")]
pub struct SignInSecrets(Box<SecretBytes>);

#[cfg(feature = "flows")]
struct SecretBytes {
    srp_a: [u8; EPHEMERAL_BYTES],
    device_srp_a: [u8; EPHEMERAL_BYTES],
    device_password: [u8; DEVICE_PASSWORD_BYTES],
    device_salt: [u8; DEVICE_SALT_BYTES],
}

#[cfg(feature = "flows")]
impl SignInSecrets {
    /// All zeros, for the driver to [`fill`](Self::fill).
    pub fn zeroed() -> Self {
        SignInSecrets(Box::new(SecretBytes {
            srp_a: [0; EPHEMERAL_BYTES],
            device_srp_a: [0; EPHEMERAL_BYTES],
            device_password: [0; DEVICE_PASSWORD_BYTES],
            device_salt: [0; DEVICE_SALT_BYTES],
        }))
    }

    /// Fills every part with `random` (the platform's CSPRNG).
    pub fn fill(&mut self, mut random: impl FnMut(&mut [u8]) -> Result<()>) -> Result<()> {
        let bytes = &mut *self.0;
        random(&mut bytes.srp_a)?;
        random(&mut bytes.device_srp_a)?;
        random(&mut bytes.device_password)?;
        random(&mut bytes.device_salt)
    }

    /// SRP's secret `a` for the user's password.
    pub fn srp_a(&self) -> &[u8; EPHEMERAL_BYTES] {
        &self.0.srp_a
    }

    /// A fresh `a` for the remembered device's SRP.
    pub fn device_srp_a(&self) -> &[u8; EPHEMERAL_BYTES] {
        &self.0.device_srp_a
    }

    /// A new device's random password bytes (`ConfirmDevice`).
    pub fn device_password(&self) -> &[u8; DEVICE_PASSWORD_BYTES] {
        &self.0.device_password
    }

    /// A new device's salt bytes (`ConfirmDevice`).
    pub fn device_salt(&self) -> &[u8; DEVICE_SALT_BYTES] {
        &self.0.device_salt
    }

    /// For a sign-in started over after Cognito forgot the device it named: that attempt used `a` and not the
    /// device's, so the device's becomes the new `a` (no `a` serves two exchanges), and none is left for a
    /// device (the new attempt names none).
    pub(crate) fn for_retry(mut self) -> Self {
        let bytes = &mut *self.0;
        bytes.srp_a = bytes.device_srp_a;
        bytes.device_srp_a.fill(0);
        self
    }
}

#[cfg(feature = "flows")]
impl Drop for SignInSecrets {
    fn drop(&mut self) {
        let bytes = &mut *self.0;
        bytes.srp_a.fill(0);
        bytes.device_srp_a.fill(0);
        bytes.device_password.fill(0);
        bytes.device_salt.fill(0);
        core::hint::black_box(&bytes.srp_a);
    }
}

#[cfg(feature = "flows")]
impl fmt::Debug for SignInSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignInSecrets(<redacted>)")
    }
}

/// How the sign-in after a confirmed sign-up runs (`signUp`'s `options.autoSignIn`).
#[derive(Debug, Clone, Default)]
#[cfg(feature = "flows")]
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
        }
    }
}
