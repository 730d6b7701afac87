//! The browser shell: the only module that touches `wasm_bindgen`, `web_sys` and `js_sys`.
//!
//! It implements the core's platform (fetch, storage, clock, randomness) and exposes the JavaScript API.

mod auth;
#[cfg(feature = "bench")]
mod bench;
mod error;
mod options;
mod platform;
mod storage;
mod typescript;
mod verify;

pub use auth::CognitoAuth;
use error::settle;
pub use error::to_js_error;
pub use verify::verify_token;

#[cfg(test)]
mod tests;
