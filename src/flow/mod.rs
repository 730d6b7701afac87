//! The sign-in and sign-up flows as pure steps: each takes a response and returns the next request or a
//! result. [`sign_in`] is the multi-step state machine; [`account`] has the one-request operations
//! (sign-up, password reset, attributes, sign-out, refresh). [`oauth`] is managed login (the hosted UI's
//! authorization code flow with PKCE).

pub mod account;
#[cfg(feature = "flows")]
pub mod oauth;
mod outputs;
pub mod passkey;
pub mod sign_in;
pub mod user;
// Only the browser shell (and the tests) turn outputs into JSON.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod to_json;

pub use outputs::{
    CodeDeliveryDetails, ResetPasswordNextStep, ResetPasswordOutput, ResetPasswordStep,
    SignInNextStep, SignInOutput, SignInStep, SignUpNextStep, SignUpOutput, SignUpStep,
    TotpSetupDetails,
};
pub use sign_in::{ConfirmSignInInput, ExpectResponse, ExpectUserInput, Progress};

use crate::config::PoolConfig;

/// `SECRET_HASH` for `username` when the app client has a secret, else `None`.
pub fn secret_hash(config: &PoolConfig, username: &str) -> Option<String> {
    config
        .client_secret()
        .map(|secret| crate::srp::secret_hash(secret.expose(), username, config.client_id()))
}
