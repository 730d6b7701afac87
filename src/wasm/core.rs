//! `Core`: the client behind the JS entry's `CognitoAuth`, over the browser platform. Calls come in as a method
//! name and JSON text and resolve to JSON text, so the boundary holds no per-field conversions.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::error::{error_value, promise};
use super::platform;
use super::storage::JsStore;
use crate::client::{input, Client, Platform};
use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::Result;

/// Cognito's replies are small; anything bigger is not Cognito.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// The browser's half of the sans-IO boundary.
pub(crate) struct BrowserPlatform {
    store: JsStore,
    request_timeout_ms: u32,
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
}

/// The client for one app client. Used through the JS entry's `CognitoAuth`.
#[wasm_bindgen]
pub struct Core {
    client: Rc<Client<BrowserPlatform>>,
}

#[wasm_bindgen]
impl Core {
    /// `options`: the JSON of `CognitoAuth`'s options less `storage`; `store`: where the session lives;
    /// `on_event`: called with each event's name. Throws the JSON of an `InvalidConfig` error.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: &str,
        store: JsStore,
        on_event: js_sys::Function,
    ) -> core::result::Result<Core, JsValue> {
        let (config, request_timeout_ms) = input::client_options(options).map_err(error_value)?;
        let client = Client::new(
            config,
            BrowserPlatform {
                store,
                request_timeout_ms,
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
