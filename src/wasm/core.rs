//! `Core`: the client behind the JS entry's `CognitoAuth`, over the browser platform. Calls come in as a method
//! name and JSON text and resolve to JSON text, so the boundary holds no per-field conversions.

use core::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::{error_value, promise};
use super::platform;
use super::storage::JsStore;
use crate::client::{input, Client, Platform};
use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::{Error, Result};

/// Cognito's replies are small; anything bigger is not Cognito.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// The browser's half of the sans-IO boundary.
pub(crate) struct BrowserPlatform {
    store: JsStore,
    request_timeout_ms: u32,
    /// `(name) => Promise<release>` over Web Locks, where the page has them and the store is shared by tabs.
    lock: Option<js_sys::Function>,
    /// The locks held: each one's handle and the function that releases it.
    held: RefCell<Vec<(u32, js_sys::Function)>>,
    next_handle: Cell<u32>,
}

fn lock_error(_: JsValue) -> Error {
    Error::Storage("the cross-tab lock could not be had".into())
}

impl Platform for BrowserPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        platform::send(&request, self.request_timeout_ms, MAX_RESPONSE_BYTES).await
    }

    fn storage_get(&self, key: &str) -> Result<Option<String>> {
        self.store.get(key)
    }

    fn storage_set(&self, key: &str, value: &str) -> Result<()> {
        self.store.set(key, value)
    }

    fn storage_remove(&self, key: &str) -> Result<()> {
        self.store.remove(key)
    }

    fn now_millis(&self) -> i64 {
        platform::now_millis()
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<()> {
        platform::fill_random(buf)
    }

    fn has_cross_tab_lock(&self) -> bool {
        self.lock.is_some()
    }

    async fn acquire_lock(&self, name: String) -> Result<u32> {
        let lock = self
            .lock
            .as_ref()
            .ok_or_else(|| lock_error(JsValue::NULL))?;
        let asked: js_sys::Promise = lock
            .call1(&JsValue::NULL, &JsValue::from_str(&name))
            .map_err(lock_error)?
            .dyn_into()
            .map_err(lock_error)?;
        let release: js_sys::Function = JsFuture::from(asked)
            .await
            .map_err(lock_error)?
            .dyn_into()
            .map_err(lock_error)?;
        let handle = self.next_handle.get().wrapping_add(1);
        self.next_handle.set(handle);
        self.held.borrow_mut().push((handle, release));
        Ok(handle)
    }

    fn release_lock(&self, handle: u32) {
        let mut held = self.held.borrow_mut();
        if let Some(index) = held.iter().position(|(h, _)| *h == handle) {
            let (_, release) = held.swap_remove(index);
            drop(held);
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// The client for one app client. Used through the JS entry's `CognitoAuth`.
#[wasm_bindgen]
pub struct Core {
    client: Rc<Client<BrowserPlatform>>,
}

#[wasm_bindgen]
impl Core {
    /// `options`: the JSON of `CognitoAuth`'s options less `storage`; `store`: where the session lives;
    /// `on_event`: called with each event's name; `lock`: `(name) => Promise<release>` over Web Locks when the
    /// store is shared by tabs (every refresh then runs inside it). Throws the JSON of an `InvalidConfig` error.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: &str,
        store: JsStore,
        on_event: js_sys::Function,
        lock: Option<js_sys::Function>,
    ) -> core::result::Result<Core, JsValue> {
        let (config, request_timeout_ms) = input::client_options(options).map_err(error_value)?;
        let client = Client::new(
            config,
            BrowserPlatform {
                store,
                request_timeout_ms,
                lock,
                held: RefCell::new(Vec::new()),
                next_handle: Cell::new(0),
            },
        );
        client.on_auth_change(Box::new(move |event| {
            // A throwing listener must not break the library; the JS entry catches per listener already.
            let _ = on_event.call1(&JsValue::NULL, &JsValue::from_str(event.as_str()));
        }));
        Ok(Core {
            client: Rc::new(client),
        })
    }

    /// Runs `method` with its input (JSON text); resolves to the result's JSON text, rejects with an error's.
    pub fn call(&self, method: &str, input: &str) -> js_sys::Promise {
        let client = Rc::clone(&self.client);
        let op = input::op_from_json(method, input);
        promise(Box::pin(
            async move { Ok(client.call(op?).await?.to_json()) },
        ))
    }

    /// Another tab changed the store under `key` (`null`: it was cleared): read the session again if it is ours.
    #[wasm_bindgen(js_name = storageChanged)]
    pub fn storage_changed(&self, key: Option<String>) {
        if key.is_some_and(|key| key != self.client.config().session_storage_key()) {
            return;
        }
        let client = Rc::clone(&self.client);
        // Nobody awaits it; it never rejects: a failure leaves this tab's state as it was, and the next call
        // reads storage again.
        let _ = promise(Box::pin(async move {
            let _ = client.reload_from_storage().await;
            Ok(String::new())
        }));
    }
}
