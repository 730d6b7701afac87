//! One-request operations: each `*_request` builds the call, each parser reads its answer.

use super::outputs::{
    CodeDeliveryDetails, ResetPasswordNextStep, ResetPasswordOutput, ResetPasswordStep,
    SignUpNextStep, SignUpOutput, SignUpStep,
};
use super::secret_hash;
use super::user::{attribute_list, with_client_metadata};
use crate::cognito::{
    self, AuthResponse, AuthenticationResult, HttpRequest, HttpResponse, Operation, SignUpResult,
};
use crate::config::{PoolConfig, RefreshMethod};
use crate::error::{Error, Result, UsageCode};
use crate::json::Object;
use crate::secret::{Password, RefreshToken};
use crate::text::cat;

/// What `signUp` needs.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    /// The user name (or email/phone, when the pool uses them as user names).
    pub username: String,
    /// The password.
    pub password: Password,
    /// Attributes such as `email`, by name.
    pub attributes: Vec<(String, String)>,
    /// `ValidationData` for the pre-sign-up trigger, by name.
    pub validation_data: Vec<(String, String)>,
    /// `ClientMetadata` for the pool's Lambda triggers.
    pub client_metadata: Option<Object>,
}

fn require(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::usage(
            UsageCode::InvalidArgument,
            cat(&[name, " is required"]),
        ));
    }
    Ok(())
}

/// A body with `ClientId`, `Username` and `SecretHash` (when configured).
fn client_body(config: &PoolConfig, username: &str) -> Object {
    let mut body = Object::new()
        .with("ClientId", config.client_id())
        .with("Username", username);
    if let Some(hash) = secret_hash(config, username) {
        body.insert("SecretHash", hash);
    }
    body
}

/// `SignUp`.
pub fn sign_up_request(config: &PoolConfig, input: &SignUpInput) -> Result<HttpRequest> {
    require("username", &input.username)?;
    let mut body = client_body(config, &input.username);
    // Left out for a password-less user (pools with email or SMS codes as a first factor), as Amplify does.
    if !input.password.is_empty() {
        body.insert("Password", input.password.expose());
    }
    if !input.attributes.is_empty() {
        body.insert("UserAttributes", attribute_list(&input.attributes));
    }
    if !input.validation_data.is_empty() {
        body.insert("ValidationData", attribute_list(&input.validation_data));
    }
    let body = with_client_metadata(body, input.client_metadata.as_ref());
    Ok(cognito::request(config, Operation::SignUp, &body))
}

/// Reads `SignUp`'s answer.
pub fn sign_up_output(response: &HttpResponse) -> Result<SignUpOutput> {
    let result = SignUpResult::from_object(&cognito::parse_response(response)?)?;
    Ok(SignUpOutput {
        is_sign_up_complete: result.user_confirmed,
        user_id: Some(result.user_sub),
        next_step: SignUpNextStep {
            sign_up_step: if result.user_confirmed {
                SignUpStep::Done
            } else {
                SignUpStep::ConfirmSignUp
            },
            code_delivery_details: result.code_delivery_details,
        },
    })
}

/// `ConfirmSignUp`.
pub fn confirm_sign_up_request(
    config: &PoolConfig,
    username: &str,
    code: &str,
    force_alias_creation: Option<bool>,
    client_metadata: Option<&Object>,
) -> Result<HttpRequest> {
    require("username", username)?;
    require("confirmationCode", code.trim())?;
    let mut body = client_body(config, username).with("ConfirmationCode", code.trim());
    if let Some(force) = force_alias_creation {
        body.insert("ForceAliasCreation", force);
    }
    let body = with_client_metadata(body, client_metadata);
    Ok(cognito::request(config, Operation::ConfirmSignUp, &body))
}

/// Reads `ConfirmSignUp`'s answer: `{ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } }`.
pub fn confirm_sign_up_output(response: &HttpResponse) -> Result<SignUpOutput> {
    cognito::parse_empty_response(response)?;
    Ok(SignUpOutput {
        is_sign_up_complete: true,
        user_id: None,
        next_step: SignUpNextStep {
            sign_up_step: SignUpStep::Done,
            code_delivery_details: None,
        },
    })
}

/// `ResendConfirmationCode`.
pub fn resend_sign_up_code_request(
    config: &PoolConfig,
    username: &str,
    client_metadata: Option<&Object>,
) -> Result<HttpRequest> {
    require("username", username)?;
    Ok(cognito::request(
        config,
        Operation::ResendConfirmationCode,
        &with_client_metadata(client_body(config, username), client_metadata),
    ))
}

/// Reads the `CodeDeliveryDetails` of `ResendConfirmationCode` (empty when the server sent none).
pub fn code_delivery_output(response: &HttpResponse) -> Result<CodeDeliveryDetails> {
    let body = cognito::parse_response(response)?;
    Ok(CodeDeliveryDetails::from_field(&body)?.unwrap_or_default())
}

/// `ForgotPassword`.
pub fn reset_password_request(
    config: &PoolConfig,
    username: &str,
    client_metadata: Option<&Object>,
) -> Result<HttpRequest> {
    require("username", username)?;
    Ok(cognito::request(
        config,
        Operation::ForgotPassword,
        &with_client_metadata(client_body(config, username), client_metadata),
    ))
}

/// Reads `ForgotPassword`'s answer.
pub fn reset_password_output(response: &HttpResponse) -> Result<ResetPasswordOutput> {
    let body = cognito::parse_response(response)?;
    Ok(ResetPasswordOutput {
        is_password_reset: false,
        next_step: ResetPasswordNextStep {
            reset_password_step: ResetPasswordStep::ConfirmResetPasswordWithCode,
            code_delivery_details: CodeDeliveryDetails::from_field(&body)?,
        },
    })
}

/// `ConfirmForgotPassword` (read the answer with [`cognito::parse_empty_response`]).
pub fn confirm_reset_password_request(
    config: &PoolConfig,
    username: &str,
    code: &str,
    new_password: &Password,
    client_metadata: Option<&Object>,
) -> Result<HttpRequest> {
    require("username", username)?;
    require("confirmationCode", code.trim())?;
    require("newPassword", new_password.expose())?;
    let body = client_body(config, username)
        .with("ConfirmationCode", code.trim())
        .with("Password", new_password.expose());
    let body = with_client_metadata(body, client_metadata);
    Ok(cognito::request(
        config,
        Operation::ConfirmForgotPassword,
        &body,
    ))
}

fn access_body(access_token: &str) -> Object {
    Object::new().with("AccessToken", access_token)
}

/// `GlobalSignOut` (read the answer with [`cognito::parse_empty_response`]).
pub fn global_sign_out_request(config: &PoolConfig, access_token: &str) -> HttpRequest {
    cognito::request(config, Operation::GlobalSignOut, &access_body(access_token))
}

/// `RevokeToken` for a refresh token (read the answer with [`cognito::parse_empty_response`]).
pub fn revoke_token_request(config: &PoolConfig, refresh_token: &RefreshToken) -> HttpRequest {
    let mut body = Object::new()
        .with("Token", refresh_token.expose())
        .with("ClientId", config.client_id());
    if let Some(secret) = config.client_secret() {
        body.insert("ClientSecret", secret.expose());
    }
    cognito::request(config, Operation::RevokeToken, &body)
}

/// The refresh call chosen by [`PoolConfig::refresh_method`].
///
/// `username` is the token's `username` claim: `REFRESH_TOKEN_AUTH` signs it into `SECRET_HASH` when the
/// client has a secret. `device_key` is sent when the device is remembered.
pub fn refresh_request(
    config: &PoolConfig,
    refresh_token: &RefreshToken,
    username: &str,
    device_key: Option<&str>,
) -> HttpRequest {
    match config.refresh_method() {
        RefreshMethod::RefreshTokenAuth => {
            let mut parameters = Object::new().with("REFRESH_TOKEN", refresh_token.expose());
            if let Some(hash) = secret_hash(config, username) {
                parameters.insert("SECRET_HASH", hash);
            }
            if let Some(device_key) = device_key {
                parameters.insert("DEVICE_KEY", device_key);
            }
            let body = Object::new()
                .with("AuthFlow", "REFRESH_TOKEN_AUTH")
                .with("ClientId", config.client_id())
                .with("AuthParameters", parameters);
            cognito::request(config, Operation::InitiateAuth, &body)
        }
        RefreshMethod::GetTokensFromRefreshToken => {
            let mut body = Object::new()
                .with("RefreshToken", refresh_token.expose())
                .with("ClientId", config.client_id());
            if let Some(secret) = config.client_secret() {
                body.insert("ClientSecret", secret.expose());
            }
            if let Some(device_key) = device_key {
                body.insert("DeviceKey", device_key);
            }
            cognito::request(config, Operation::GetTokensFromRefreshToken, &body)
        }
    }
}

/// Reads a refresh answer: tokens, or an error (a challenge here makes no sense).
pub fn refresh_output(response: &HttpResponse) -> Result<AuthenticationResult> {
    match AuthResponse::from_object(&cognito::parse_response(response)?)? {
        AuthResponse::Authenticated(tokens) => Ok(*tokens),
        AuthResponse::Challenge(_) => Err(Error::protocol("refresh answered with a challenge")),
    }
}
