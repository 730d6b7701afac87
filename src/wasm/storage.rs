//! Where sessions live: any object with synchronous `getItem`, `setItem` and `removeItem`. The JS entry opens
//! `localStorage`, `sessionStorage`, a memory store or the caller's own, and hands it over; every failure here
//! is an [`Error::Storage`].

use wasm_bindgen::prelude::*;

use super::error::describe_js_value;
use crate::error::{Error, Result};

#[wasm_bindgen]
extern "C" {
    /// A synchronous key-value store (Web Storage's three methods).
    pub type JsStore;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &JsStore, key: &str) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_item(this: &JsStore, key: &str, value: &str) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeItem)]
    fn remove_item(this: &JsStore, key: &str) -> core::result::Result<JsValue, JsValue>;
}

fn storage_error(e: JsValue) -> Error {
    Error::Storage(describe_js_value(&e).into())
}

impl JsStore {
    pub(crate) fn get(&self, key: &str) -> Result<Option<String>> {
        let value = self.get_item(key).map_err(storage_error)?;
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        value.as_string().map(Some).ok_or_else(|| {
            Error::Storage(
                "getItem() must return a string or null (asynchronous stores are not supported)"
                    .into(),
            )
        })
    }

    pub(crate) fn set(&self, key: &str, value: &str) -> Result<()> {
        self.set_item(key, value).map(drop).map_err(storage_error)
    }

    pub(crate) fn remove(&self, key: &str) -> Result<()> {
        self.remove_item(key).map(drop).map_err(storage_error)
    }
}
