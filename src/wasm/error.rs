//! [`Error`] as a real JavaScript `Error` with a stable `name` and `code`.
//!
//! `JsError::new` is not used on purpose: it would drop `code`, which is what callers match on
//! (`err.code === 'UserNotConfirmedException'`, as with amazon-cognito-identity-js).

use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;

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
