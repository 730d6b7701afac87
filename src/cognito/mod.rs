//! Cognito's user-pool JSON API as pure values: operations, requests, responses and their parsing.
//!
//! Nothing here sends anything. [`request`] builds an [`HttpRequest`] the platform sends; the platform hands
//! back an [`HttpResponse`] and [`parse_response`] turns it into a JSON object or a typed [`Error`].
//!
//! Error classification (see [`parse_response`]):
//! * a non-2xx answer with an exception type (JSON `__type`, else the `x-amzn-ErrorType` header) is
//!   [`Error::Service`];
//! * a non-2xx answer without a type (a proxy's 502 page, an HTML error) is [`Error::Protocol`]: nobody
//!   said *why*, so it is not dressed up as Cognito's `InternalErrorException`. Neither kind signs anyone out;
//! * a 2xx answer that is not a JSON object (moto answers XML when the target header is missing) is
//!   [`Error::Protocol`].

mod types;

pub(crate) use types::{optional_str, required_str};
pub use types::{
    AuthResponse, AuthenticationResult, Challenge, CodeDeliveryDetails, NewDeviceMetadata,
    SignUpResult, UserInfo,
};

use core::fmt;

use crate::config::PoolConfig;
use crate::error::{CognitoErrorCode, Error, Result};
use crate::json::{self, Object};
use crate::text::{cat, uint};

/// Largest Cognito reply parsed; real replies are a few kilobytes (three tokens at most).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// Deepest JSON nesting accepted in a Cognito reply.
const MAX_RESPONSE_DEPTH: usize = 16;

macro_rules! operations {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// The user-pool operations this crate calls (none needs SigV4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[$doc])* $variant,)*
        }

        impl Operation {
            /// The operation's name, e.g. `InitiateAuth`. Inlined, so that a call with a known operation
            /// keeps only that name in the wasm, not the table of all of them.
            #[inline(always)]
            pub fn name(self) -> &'static str {
                match self {
                    $(Operation::$variant => stringify!($variant),)*
                }
            }

            /// The `X-Amz-Target` header value, e.g. `AWSCognitoIdentityProviderService.InitiateAuth`.
            pub fn target(self) -> String {
                target_of(self.name())
            }
        }
    };
}

operations! {
    /// Starts a sign-in or a refresh.
    InitiateAuth,
    /// Answers a sign-in challenge.
    RespondToAuthChallenge,
    /// Registers a user.
    SignUp,
    /// Confirms a registration with the emailed/texted code.
    ConfirmSignUp,
    /// Sends the sign-up code again.
    ResendConfirmationCode,
    /// Starts a password reset.
    ForgotPassword,
    /// Finishes a password reset with the code.
    ConfirmForgotPassword,
    /// Refreshes tokens (supports refresh-token rotation).
    GetTokensFromRefreshToken,
    /// Revokes a refresh token and the tokens issued from it.
    RevokeToken,
    /// Reads the signed-in user's attributes.
    GetUser,
    /// Invalidates all of the user's refresh tokens.
    GlobalSignOut,
    /// Changes the password of the signed-in user.
    ChangePassword,
    /// Updates attributes of the signed-in user.
    UpdateUserAttributes,
    /// Verifies an attribute with a code.
    VerifyUserAttribute,
    /// Sends an attribute verification code.
    GetUserAttributeVerificationCode,
    /// Deletes the signed-in user.
    DeleteUser,
    /// Starts TOTP setup (returns the shared secret).
    AssociateSoftwareToken,
    /// Finishes TOTP setup with a code from the authenticator.
    VerifySoftwareToken,
    /// Chooses the user's MFA methods.
    SetUserMFAPreference,
    /// Deletes attributes of the signed-in user.
    DeleteUserAttributes,
    /// Registers a new device's SRP verifier.
    ConfirmDevice,
    /// Marks a device remembered or not.
    UpdateDeviceStatus,
    /// Lists the user's remembered devices.
    ListDevices,
    /// Forgets a device.
    ForgetDevice,
    /// Starts a passkey registration (returns the credential creation options).
    StartWebAuthnRegistration,
    /// Finishes a passkey registration with the browser's credential.
    CompleteWebAuthnRegistration,
    /// Lists the signed-in user's passkeys.
    ListWebAuthnCredentials,
    /// Deletes one of the signed-in user's passkeys.
    DeleteWebAuthnCredential,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A request for the platform to send, as a plain value.
///
/// `Debug` shows the body's length only: bodies carry passwords, codes and tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST` for Cognito operations, `GET` for the JWKS.
    pub method: &'static str,
    /// The absolute URL.
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body; empty for `GET`.
    pub body: String,
}

impl HttpRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The operation this request calls, from its `X-Amz-Target` header.
    pub fn target(&self) -> Option<&str> {
        self.header("X-Amz-Target")
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("target", &self.target())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// An HTTP answer as the platform received it.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (lower-cased) and values.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a JSON body and no headers (handy for tests and fakes).
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        HttpResponse {
            status,
            headers: vec![(
                "content-type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            )],
            body: body.into().into_bytes(),
        }
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// `X-Amz-Target` of the operation `name`; joined here, so that the wasm holds one copy of the prefix.
fn target_of(name: &str) -> String {
    crate::text::cat(&["AWSCognitoIdentityProviderService.", name])
}

/// Builds the `POST` that calls `operation` with `body` on the configured endpoint.
#[inline(always)]
pub fn request(config: &PoolConfig, operation: Operation, body: &Object) -> HttpRequest {
    request_named(config, operation.name(), body)
}

fn request_named(config: &PoolConfig, operation: &str, body: &Object) -> HttpRequest {
    HttpRequest {
        method: "POST",
        url: config.endpoint().to_owned(),
        headers: vec![
            (
                "Content-Type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            ),
            ("X-Amz-Target".to_owned(), target_of(operation)),
            ("Cache-Control".to_owned(), "no-store".to_owned()),
        ],
        body: body.to_json(),
    }
}

fn limits() -> json::Limits {
    json::Limits {
        max_bytes: MAX_RESPONSE_BYTES,
        max_depth: MAX_RESPONSE_DEPTH,
    }
}

/// Turns an answer into its JSON object, or the error it carries. See the module docs for the rules.
pub fn parse_response(response: &HttpResponse) -> Result<Object> {
    if response.is_success() {
        if response.body.is_empty() {
            return Err(Error::protocol(cat(&[
                "HTTP ",
                &uint(response.status.into()),
                " with an empty body where JSON was expected",
            ])));
        }
        return json::parse_object(&response.body, &limits()).map_err(|e| {
            Error::protocol(cat(&[
                "HTTP ",
                &uint(response.status.into()),
                " body is not a JSON object (",
                &e.message(),
                ")",
                &content_type_note(response),
            ]))
        });
    }
    Err(service_error(response))
}

/// Like [`parse_response`] for operations whose success has no fields (`GlobalSignOut`, `RevokeToken`,
/// `ChangePassword`...): an empty 2xx body is accepted as well as a JSON object.
pub fn parse_empty_response(response: &HttpResponse) -> Result<()> {
    if response.is_success() && response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    parse_response(response).map(drop)
}

fn content_type_note(response: &HttpResponse) -> String {
    match response.header("content-type") {
        // A byte search, not `str::contains`: the general substring searcher weighs 2 KB in the wasm.
        Some(ct) if !ct.as_bytes().windows(4).any(|w| w == b"json") => {
            cat(&[", content-type ", &crate::jwt::shown(ct)])
        }
        _ => String::new(),
    }
}

/// The error a non-2xx answer carries.
fn service_error(response: &HttpResponse) -> Error {
    let body = json::parse_object(&response.body, &limits()).ok();
    let body_type = body
        .as_ref()
        .and_then(|b| b.get_str("__type"))
        .map(|t| t.rsplit('#').next().unwrap_or(t))
        .filter(|t| !t.is_empty());
    let header_type = response
        .header("x-amzn-errortype")
        .map(|t| t.split(':').next().unwrap_or(t).trim())
        .filter(|t| !t.is_empty());
    let message = body
        .as_ref()
        .and_then(|b| b.get_str("message").or_else(|| b.get_str("Message")))
        .unwrap_or_default()
        .to_owned();
    match body_type.or(header_type) {
        Some(code) => Error::Service {
            code: CognitoErrorCode::from_wire(code),
            message,
        },
        None => Error::protocol(cat(&[
            "HTTP ",
            &uint(response.status.into()),
            " without a Cognito error type",
            &content_type_note(response),
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PoolConfig {
        PoolConfig::new("us-east-1_AbC123", "client1").unwrap()
    }

    #[test]
    fn targets() {
        assert_eq!(
            Operation::InitiateAuth.target(),
            "AWSCognitoIdentityProviderService.InitiateAuth"
        );
        assert_eq!(
            Operation::SetUserMFAPreference.target(),
            "AWSCognitoIdentityProviderService.SetUserMFAPreference"
        );
        assert_eq!(
            Operation::GetTokensFromRefreshToken.name(),
            "GetTokensFromRefreshToken"
        );
    }

    #[test]
    fn builds_requests() {
        let body = Object::new().with("ClientId", "client1");
        let r = request(&config(), Operation::SignUp, &body);
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://cognito-idp.us-east-1.amazonaws.com/");
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
        assert_eq!(r.target(), Some("AWSCognitoIdentityProviderService.SignUp"));
        assert_eq!(r.header("Cache-Control"), Some("no-store"));
        assert_eq!(r.body, r#"{"ClientId":"client1"}"#);
        assert!(!format!("{r:?}").contains("client1\""));
    }

    #[test]
    fn parses_success_and_errors() {
        let ok = parse_response(&HttpResponse::json(200, r#"{"UserSub":"x"}"#)).unwrap();
        assert_eq!(ok.get_str("UserSub"), Some("x"));

        let e = parse_response(&HttpResponse::json(
            400,
            r#"{"__type":"com.amazonaws.cognito#UserNotConfirmedException","message":"User is not confirmed."}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "UserNotConfirmedException");
        assert_eq!(e.to_string(), "User is not confirmed.");

        let mut r = HttpResponse::json(400, "");
        r.headers.push((
            "x-amzn-errortype".into(),
            "NotAuthorizedException:http://internal.amazon.com/".into(),
        ));
        assert_eq!(
            parse_response(&r).unwrap_err().code(),
            "NotAuthorizedException"
        );

        let e = parse_response(&HttpResponse::json(503, "<html>busy</html>")).unwrap_err();
        assert!(matches!(e, Error::Protocol(_)), "{e:?}");
        assert!(!e.is_definite_auth_failure());

        let e = parse_response(&HttpResponse::json(
            500,
            r#"{"__type":"InternalErrorException","message":"x"}"#,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "InternalErrorException");
    }

    #[test]
    fn non_json_success_is_protocol_error() {
        let mut xml = HttpResponse::json(200, "<?xml version=\"1.0\"?><ListAllMyBucketsResult/>");
        xml.headers = vec![("content-type".into(), "application/xml".into())];
        let e = parse_response(&xml).unwrap_err();
        assert!(
            matches!(&e, Error::Protocol(m) if m.contains("application/xml")),
            "{e:?}"
        );
        assert!(matches!(
            parse_response(&HttpResponse::json(200, "")),
            Err(Error::Protocol(_))
        ));
        assert!(matches!(
            parse_response(&HttpResponse::json(200, "[1]")),
            Err(Error::Protocol(_))
        ));
        assert!(parse_empty_response(&HttpResponse::json(200, "")).is_ok());
        assert!(parse_empty_response(&HttpResponse::json(200, "{}")).is_ok());
        assert!(parse_empty_response(&HttpResponse::json(200, "<x/>")).is_err());
    }
}
