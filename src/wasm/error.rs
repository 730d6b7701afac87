//! Errors across the JSON boundary: a rejection is the JSON text `{"name","code","message"}`, which the JS entry
//! turns into a `CognitoWasmError` (a real `Error` with a stable `name` and `code`).

use core::future::Future;
use core::pin::Pin;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use crate::error::{Error, Result};
use crate::json::Object;

/// The error as the JSON text the JS entry reads.
pub fn error_json(error: &Error) -> String {
    Object::new()
        .with("name", error.name())
        .with("code", error.code())
        .with("message", error.message())
        .to_json()
}

/// The error as the value a Promise rejects with (or a constructor throws).
pub fn error_value(error: Error) -> JsValue {
    JsValue::from_str(&error_json(&error))
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
                crate::text::cat(&[&name, ": ", &message])
            }
        }
        None => value
            .as_string()
            .unwrap_or_else(|| "unknown JavaScript error".to_owned()),
    }
}

/// Work whose outcome is JSON text (or an error).
pub(crate) type JsonWork = Pin<Box<dyn Future<Output = Result<String>>>>;

/// The Promise of `work`: resolved with its JSON text, rejected with an error's ([`error_value`]). Every
/// Promise of the wasm comes from here, boxed, so that the wasm holds one instance of the promise machinery.
pub(crate) fn promise(work: JsonWork) -> js_sys::Promise {
    future_to_promise(async move {
        match work.await {
            Ok(json) => Ok(JsValue::from_str(&json)),
            Err(e) => Err(error_value(e)),
        }
    })
}
