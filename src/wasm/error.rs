//! Errors across the JSON boundary: a rejection is the JSON text `{"name","code","message"}`, which the JS entry
//! turns into a `CognitoWasmError` (a real `Error` with a stable `name` and `code`).

use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
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
