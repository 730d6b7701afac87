//! [`Error`] as a real JavaScript `Error` with a stable `name` and `code`.
//!
//! `JsError::new` is not used on purpose: it would drop `code`, which is what callers match on
//! (`err.code === 'UserNotConfirmedException'`, as with amazon-cognito-identity-js).

use core::future::Future;
use core::pin::Pin;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use crate::error::{Error, Result};

/// Converts an [`Error`] into a thrown-ready JavaScript `Error`.
pub fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name(error.name());
    // Setting a property on a fresh, ordinary object cannot fail; ignore the impossible error rather than panic.
    let _ = js_sys::Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(error.code()),
    );
    js.into()
}

/// Settles a Promise with the outcome of `work`, a rejection being [`to_js_error`]'s `Error`.
///
/// Every Promise the API returns comes from here, boxed, so that the wasm holds one instance of the
/// promise machinery rather than one per method (measured: 15 KB of the wasm).
pub(crate) fn settle(work: Pin<Box<dyn Future<Output = Result<JsValue>>>>) -> js_sys::Promise {
    future_to_promise(async move { work.await.map_err(|e| to_js_error(&e)) })
}

impl From<Error> for JsValue {
    fn from(error: Error) -> Self {
        to_js_error(&error)
    }
}

/// The message of whatever JavaScript threw, for wrapping it in one of our errors.
pub(crate) fn describe_js_value(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(error) => {
            let name = String::from(error.name());
            let message = String::from(error.message());
            if message.is_empty() {
                name
            } else {
                format!("{name}: {message}")
            }
        }
        None => value
            .as_string()
            .unwrap_or_else(|| "unknown JavaScript error".to_owned()),
    }
}
