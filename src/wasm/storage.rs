//! Where sessions live: `localStorage`, `sessionStorage`, memory, or any `{ getItem, setItem, removeItem }`.
//!
//! `web_sys::Storage` is used directly rather than through gloo-storage's `raw()`, which throws (panics) when
//! storage is unavailable: in Node, in sandboxed iframes, or where the user blocked site data. Here every
//! failure is an [`Error::Storage`].

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use super::error::describe_js_value;
use crate::error::{Error, Result, UsageCode};

/// A synchronous key-value store.
pub(crate) enum KeyValueStore {
    /// `window.localStorage` or `window.sessionStorage`.
    Web(web_sys::Storage),
    /// Key-value pairs that live as long as the client: nothing survives a reload. A list rather than a
    /// map: there are a handful of keys, and a map's code would weigh more in the wasm.
    Memory(RefCell<Vec<(String, String)>>),
    /// A caller-supplied object with synchronous `getItem`, `setItem` and `removeItem` methods.
    Custom(js_sys::Object),
}

/// Which built-in store the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StorageKind {
    Local,
    Session,
    Memory,
}

impl KeyValueStore {
    /// Opens a built-in store; `Local` and `Session` need a `window` (they fail clearly in Node and workers).
    pub(crate) fn open(kind: StorageKind) -> Result<Self> {
        let web = |local: bool| -> Result<Self> {
            let window = web_sys::window().ok_or_else(|| {
                Error::usage(
                    UsageCode::InvalidConfig,
                    "browser storage needs a window; use storage: 'memory' or a custom store here",
                )
            })?;
            let storage = if local {
                window.local_storage()
            } else {
                window.session_storage()
            };
            match storage {
                Ok(Some(storage)) => Ok(KeyValueStore::Web(storage)),
                Ok(None) => Err(Error::Storage("the browser offers no such storage".into())),
                Err(e) => Err(Error::Storage(describe_js_value(&e))),
            }
        };
        match kind {
            StorageKind::Local => web(true),
            StorageKind::Session => web(false),
            StorageKind::Memory => Ok(KeyValueStore::Memory(RefCell::default())),
        }
    }

    /// Wraps a caller's store after checking that it has the three methods.
    pub(crate) fn custom(object: js_sys::Object) -> Result<Self> {
        for method in ["getItem", "setItem", "removeItem"] {
            let value = js_sys::Reflect::get(&object, &JsValue::from_str(method))
                .unwrap_or(JsValue::UNDEFINED);
            if !value.is_function() {
                return Err(Error::usage(
                    UsageCode::InvalidConfig,
                    format!("a custom storage must have a {method}() method"),
                ));
            }
        }
        Ok(KeyValueStore::Custom(object))
    }

    pub(crate) fn get(&self, key: &str) -> Result<Option<String>> {
        match self {
            KeyValueStore::Web(storage) => storage.get_item(key).map_err(storage_error),
            KeyValueStore::Memory(pairs) => Ok(pairs
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())),
            KeyValueStore::Custom(object) => {
                let value = call_method(object, "getItem", &[JsValue::from_str(key)])?;
                if value.is_null() || value.is_undefined() {
                    Ok(None)
                } else if let Some(text) = value.as_string() {
                    Ok(Some(text))
                } else {
                    Err(Error::Storage(
                        "custom storage getItem() must return a string or null (asynchronous stores are not supported)"
                            .into(),
                    ))
                }
            }
        }
    }

    pub(crate) fn set(&self, key: &str, value: &str) -> Result<()> {
        match self {
            KeyValueStore::Web(storage) => storage.set_item(key, value).map_err(storage_error),
            KeyValueStore::Memory(pairs) => {
                let mut pairs = pairs.borrow_mut();
                match pairs.iter_mut().find(|(k, _)| k == key) {
                    Some((_, v)) => value.clone_into(v),
                    None => pairs.push((key.to_owned(), value.to_owned())),
                }
                Ok(())
            }
            KeyValueStore::Custom(object) => call_method(
                object,
                "setItem",
                &[JsValue::from_str(key), JsValue::from_str(value)],
            )
            .map(drop),
        }
    }

    pub(crate) fn remove(&self, key: &str) -> Result<()> {
        match self {
            KeyValueStore::Web(storage) => storage.remove_item(key).map_err(storage_error),
            KeyValueStore::Memory(pairs) => {
                pairs.borrow_mut().retain(|(k, _)| k != key);
                Ok(())
            }
            KeyValueStore::Custom(object) => {
                call_method(object, "removeItem", &[JsValue::from_str(key)]).map(drop)
            }
        }
    }

    /// Whether a `storage` event from another tab concerns this store (only `localStorage` fires them).
    pub(crate) fn is_local_storage(&self) -> bool {
        match self {
            KeyValueStore::Web(storage) => web_sys::window()
                .and_then(|w| w.local_storage().ok().flatten())
                .is_some_and(|local| JsValue::from(local) == JsValue::from(storage.clone())),
            _ => false,
        }
    }
}

fn storage_error(e: JsValue) -> Error {
    Error::Storage(describe_js_value(&e))
}

fn call_method(object: &js_sys::Object, name: &str, args: &[JsValue]) -> Result<JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(object, &JsValue::from_str(name))
        .map_err(storage_error)?
        .dyn_into()
        .map_err(|_| Error::Storage(format!("custom storage has no {name}() method")))?;
    let args: js_sys::Array = args.iter().collect();
    function.apply(object, &args).map_err(storage_error)
}
