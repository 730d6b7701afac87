//! The browser shell: the only module that touches `wasm_bindgen`, `web_sys` and `js_sys`.
//!
//! It implements the client's platform (fetch, storage, clock, randomness) and exports a few coarse functions
//! that take and give JSON text; `js/` wraps them in the public JavaScript API.

mod alloc;
#[cfg(feature = "bench")]
mod bench;
mod core;
mod error;
mod platform;
mod storage;
#[cfg(test)]
mod tests;
// The standalone `verifyToken`: the session core's clients verify with their own key store.
#[cfg(feature = "flows")]
mod verify;

pub use self::core::Core;
pub use error::{error_json, error_value};
pub use storage::JsStore;
#[cfg(feature = "flows")]
pub use verify::verify_token;
