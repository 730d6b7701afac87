//! The one error type of the crate, keeping apart where a failure came from.
//!
//! In JavaScript every [`Error`] becomes a real `Error` whose `name` is [`Error::name`] and whose `code`
//! is [`Error::code`]: Cognito's exception name (`UserNotConfirmedException`) or one of ours
//! (`JwtExpired`, `NetworkError`, ...). Match on `code`, never on the message.

use core::fmt;
use std::borrow::Cow;

use crate::jwt::TokenError;
use crate::text::cat;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Everything that can go wrong, by origin.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito answered with an error (`__type` / `x-amzn-ErrorType`).
    Service {
        /// The exception type, e.g. `UserNotConfirmedException`.
        code: CognitoErrorCode,
        /// Cognito's message, for people; never match on it.
        message: String,
    },
    /// A token failed a check: which one, with what was expected and found.
    Token(TokenError),
    /// The request never got an HTTP answer (offline, DNS, CORS, timeout, aborted).
    Network(Cow<'static, str>),
    /// The server's answer made no sense (not JSON, missing fields, wrong types).
    Protocol(Cow<'static, str>),
    /// Browser storage refused a read or a write.
    Storage(Cow<'static, str>),
    /// Cognito's managed login (the hosted UI's OAuth 2.0 endpoints) answered with an OAuth error: in the callback
    /// URL (`error`, `error_description`) or from `/oauth2/token` (`error`, `error_description` or
    /// `error_message`).
    #[cfg(feature = "flows")]
    OAuth {
        /// The OAuth error code as Cognito sent it, e.g. `invalid_grant`, `access_denied`, `invalid_scope`.
        code: String,
        /// Cognito's description, for people (may be empty); never match on it.
        message: String,
    },
    /// The caller used the API wrongly: bad configuration, not signed in, no challenge pending.
    Usage {
        /// Which misuse.
        code: UsageCode,
        /// What exactly, for people.
        message: Cow<'static, str>,
    },
}

impl Error {
    /// The stable JavaScript `name` of this error's class.
    pub fn name(&self) -> &'static str {
        match self {
            Error::Service { .. } => "CognitoServiceError",
            Error::Token(_) => "TokenError",
            Error::Network(_) => "NetworkError",
            Error::Protocol(_) => "ProtocolError",
            Error::Storage(_) => "StorageError",
            #[cfg(feature = "flows")]
            Error::OAuth { .. } => "OAuthError",
            Error::Usage { .. } => "UsageError",
        }
    }

    /// The stable code: Cognito's exception name, or ours.
    pub fn code(&self) -> &str {
        match self {
            Error::Service { code, .. } => code.as_str(),
            Error::Token(e) => e.code(),
            Error::Network(_) => "NetworkError",
            Error::Protocol(_) => "ProtocolError",
            Error::Storage(_) => "StorageError",
            #[cfg(feature = "flows")]
            Error::OAuth { code, .. } => code,
            Error::Usage { code, .. } => code.as_str(),
        }
    }

    /// The message, for people (what `Display` writes); never match on it, match on [`Error::code`].
    pub fn message(&self) -> String {
        match self {
            Error::Service { code, message } if message.is_empty() => code.as_str().to_owned(),
            Error::Service { message, .. } => message.clone(),
            Error::Token(e) => e.message(),
            Error::Network(m) => cat(&["network error: ", m]),
            Error::Protocol(m) => cat(&["unexpected response: ", m]),
            Error::Storage(m) => cat(&["storage error: ", m]),
            #[cfg(feature = "flows")]
            Error::OAuth { code, message } if message.is_empty() => code.clone(),
            #[cfg(feature = "flows")]
            Error::OAuth { message, .. } => message.clone(),
            Error::Usage { message, .. } => message.as_ref().to_owned(),
        }
    }

    /// Shorthand for a [`Error::Usage`].
    pub fn usage(code: UsageCode, message: impl Into<Cow<'static, str>>) -> Self {
        Error::Usage {
            code,
            message: message.into(),
        }
    }

    /// Shorthand for a [`Error::Protocol`].
    pub fn protocol(message: impl Into<Cow<'static, str>>) -> Self {
        Error::Protocol(message.into())
    }

    /// Whether this failure proves the refresh token (or the whole session) is no longer valid.
    ///
    /// Only such failures may sign a user out on their own; network errors, 5xx and throttling never do.
    pub fn is_definite_auth_failure(&self) -> bool {
        match self {
            Error::Service { code, .. } => matches!(
                code,
                CognitoErrorCode::NotAuthorized
                    | CognitoErrorCode::TokenRevoked
                    | CognitoErrorCode::UserNotFound
                    | CognitoErrorCode::RefreshTokenReuse
                    | CognitoErrorCode::PasswordResetRequired
                    | CognitoErrorCode::UserNotConfirmed
            ),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

impl From<TokenError> for Error {
    fn from(e: TokenError) -> Self {
        Error::Token(e)
    }
}

/// Misuses of the API, each with its own stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UsageCode {
    /// The configuration given to the constructor is invalid.
    InvalidConfig,
    /// An argument is missing or malformed.
    InvalidArgument,
    /// The operation needs a signed-in user and there is none.
    NotSignedIn,
    /// `confirmSignIn` was called with no sign-in step waiting for it.
    NoSignInInProgress,
    /// A sign-in is already complete for this client; sign out first.
    AlreadySignedIn,
    /// `autoSignIn` was called with no confirmed `signUp({ options: { autoSignIn } })` to finish.
    NoAutoSignIn,
    /// `auth.fetch` was asked to send the token where it may not go: an origin that is neither the page's
    /// nor listed in `apiOrigins`, or plain http to a host that is not a loopback one.
    OriginNotAllowed,
    /// `rememberDevice` or `forgetDevice` (without a device) was called for a session bound to no device (the pool
    /// does not track devices, or `ConfirmDevice` failed). Amplify's name.
    DeviceMetadataNotFound,
}

impl UsageCode {
    /// The wire name of the code, as JavaScript sees it.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageCode::InvalidConfig => "InvalidConfig",
            UsageCode::InvalidArgument => "InvalidArgument",
            UsageCode::NotSignedIn => "NotSignedIn",
            UsageCode::NoSignInInProgress => "NoSignInInProgress",
            UsageCode::AlreadySignedIn => "AlreadySignedIn",
            UsageCode::NoAutoSignIn => "NoAutoSignIn",
            UsageCode::OriginNotAllowed => "OriginNotAllowed",
            UsageCode::DeviceMetadataNotFound => "DeviceMetadataNotFound",
        }
    }
}

macro_rules! cognito_error_codes {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal,)*) => {
        /// Cognito's exception types: named variants for the common ones, [`CognitoErrorCode::Other`] for the rest.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CognitoErrorCode {
            $($(#[$doc])* #[doc = concat!("`", $wire, "`")] $variant,)*
            /// Any other exception type, verbatim.
            Other(String),
        }

        impl CognitoErrorCode {
            /// Parses a bare exception type (no `#` prefix, no `:` suffix).
            pub fn from_wire(name: &str) -> Self {
                match name {
                    $($wire => CognitoErrorCode::$variant,)*
                    other => CognitoErrorCode::Other(other.to_owned()),
                }
            }

            /// The exact wire name.
            pub fn as_str(&self) -> &str {
                match self {
                    $(CognitoErrorCode::$variant => $wire,)*
                    CognitoErrorCode::Other(s) => s,
                }
            }
        }
    };
}

cognito_error_codes! {
    NotAuthorized => "NotAuthorizedException",
    UserNotFound => "UserNotFoundException",
    UserNotConfirmed => "UserNotConfirmedException",
    UsernameExists => "UsernameExistsException",
    CodeMismatch => "CodeMismatchException",
    ExpiredCode => "ExpiredCodeException",
    InvalidPassword => "InvalidPasswordException",
    InvalidParameter => "InvalidParameterException",
    LimitExceeded => "LimitExceededException",
    TooManyRequests => "TooManyRequestsException",
    TooManyFailedAttempts => "TooManyFailedAttemptsException",
    PasswordResetRequired => "PasswordResetRequiredException",
    ResourceNotFound => "ResourceNotFoundException",
    InternalError => "InternalErrorException",
    CodeDeliveryFailure => "CodeDeliveryFailureException",
    AliasExists => "AliasExistsException",
    UserLambdaValidation => "UserLambdaValidationException",
    TokenRevoked => "TokenRevokedException",
    RefreshTokenReuse => "RefreshTokenReuseException",
    EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
    InvalidLambdaResponse => "InvalidLambdaResponseException",
    UnsupportedOperation => "UnsupportedOperationException",
    UnsupportedTokenType => "UnsupportedTokenTypeException",
    Forbidden => "ForbiddenException",
}

impl fmt::Display for CognitoErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for name in [
            "NotAuthorizedException",
            "UserNotConfirmedException",
            "RefreshTokenReuseException",
            "SomethingNewException",
        ] {
            assert_eq!(CognitoErrorCode::from_wire(name).as_str(), name);
        }
        assert_eq!(
            CognitoErrorCode::from_wire("UserNotConfirmedException"),
            CognitoErrorCode::UserNotConfirmed
        );
        assert!(matches!(
            CognitoErrorCode::from_wire("SomethingNewException"),
            CognitoErrorCode::Other(_)
        ));
    }

    #[test]
    fn names_and_codes() {
        let e = Error::Service {
            code: CognitoErrorCode::UsernameExists,
            message: "User already exists".into(),
        };
        assert_eq!(e.name(), "CognitoServiceError");
        assert_eq!(e.code(), "UsernameExistsException");
        assert_eq!(e.to_string(), "User already exists");
        let e = Error::usage(UsageCode::NotSignedIn, "no user is signed in");
        assert_eq!((e.name(), e.code()), ("UsageError", "NotSignedIn"));
        assert_eq!(Error::Network("offline".into()).code(), "NetworkError");
    }

    #[cfg(feature = "flows")]
    #[test]
    fn oauth_errors_carry_cognitos_code_and_description() {
        let e = Error::OAuth {
            code: "invalid_grant".into(),
            message: "Code expired".into(),
        };
        assert_eq!(
            (e.name(), e.code(), e.message().as_str()),
            ("OAuthError", "invalid_grant", "Code expired")
        );
        assert!(!e.is_definite_auth_failure());
        let bare = Error::OAuth {
            code: "access_denied".into(),
            message: String::new(),
        };
        assert_eq!(bare.to_string(), "access_denied");
    }

    #[test]
    fn only_definite_failures_sign_out() {
        let svc = |code| Error::Service {
            code,
            message: String::new(),
        };
        assert!(svc(CognitoErrorCode::NotAuthorized).is_definite_auth_failure());
        assert!(svc(CognitoErrorCode::RefreshTokenReuse).is_definite_auth_failure());
        assert!(!svc(CognitoErrorCode::InternalError).is_definite_auth_failure());
        assert!(!svc(CognitoErrorCode::TooManyRequests).is_definite_auth_failure());
        assert!(!Error::Network("reset".into()).is_definite_auth_failure());
        assert!(!Error::Protocol("html".into()).is_definite_auth_failure());
    }
}
