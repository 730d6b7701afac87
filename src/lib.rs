//! AWS Cognito user-pool authentication for the browser, compiled to WebAssembly.
//!
//! The crate is a sans-IO core wrapped in a thin browser shell:
//!
//! * [`json`], [`jwt`], [`srp`], [`cognito`], [`flow`] and [`session`] are plain Rust with no I/O, no
//!   clock and no randomness of their own. Time, random bytes and HTTP responses come in as arguments;
//!   requests and decisions go out as values. They are tested natively with `cargo test`.
//! * `wasm` (only on `wasm32`) is the one place that talks to the browser: `fetch`, storage, the clock,
//!   `crypto.getRandomValues` and the `#[wasm_bindgen]` API.
//!
//! See `README.md` for the JavaScript API and the security model.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod base64;
pub mod client;
pub mod cognito;
pub mod config;
pub mod device;
pub mod error;
pub mod flow;
pub mod json;
pub mod jwt;
pub mod secret;
pub mod session;
pub mod srp;
mod text;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use client::{AuthEvent, Client, ListenerId, Platform};
pub use config::PoolConfig;
pub use error::{CognitoErrorCode, Error, Result, UsageCode};
