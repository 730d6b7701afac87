//! The browser's side of the sans-IO boundary: `fetch`, the clock and `crypto.getRandomValues`.
//!
//! Everything is reached through the global object, not `window`, so the same code runs in pages,
//! workers and Node 20.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::describe_js_value;
use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::{Error, Result};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;

    type GlobalCrypto;
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = crypto)]
    static CRYPTO: Option<GlobalCrypto>;
    #[wasm_bindgen(method, catch, js_name = getRandomValues)]
    fn get_random_values(
        this: &GlobalCrypto,
        buf: &mut [u8],
    ) -> core::result::Result<JsValue, JsValue>;
}

/// Sends one request with `fetch`. `Err(Error::Network)` means no HTTP answer came (offline, DNS, CORS,
/// timeout); any HTTP status, 5xx included, is an `Ok`.
pub(crate) async fn send(
    request: &HttpRequest,
    timeout_ms: u32,
    max_body_bytes: usize,
) -> Result<HttpResponse> {
    let init = web_sys::RequestInit::new();
    init.set_method(request.method);
    init.set_mode(web_sys::RequestMode::Cors);
    // Auth replies must never come from or go into an HTTP cache.
    init.set_cache(web_sys::RequestCache::NoStore);
    if !request.body.is_empty() {
        init.set_body(&JsValue::from_str(&request.body));
    }
    let header_map = web_sys::Headers::new().map_err(network_error)?;
    for (name, value) in &request.headers {
        header_map.append(name, value).map_err(network_error)?;
    }
    init.set_headers(&header_map);
    if timeout_ms > 0 {
        init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(timeout_ms)));
    }
    let js_request =
        web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(network_error)?;

    let response: web_sys::Response = JsFuture::from(global_fetch(&js_request))
        .await
        .map_err(network_error)?
        .dyn_into()
        .map_err(|_| Error::Network("fetch resolved to something that is not a Response".into()))?;

    // Only the headers the core reads: no iteration over the rest (less glue).
    let headers = response.headers();
    let mut response_headers = Vec::new();
    for name in ["content-type", "x-amzn-errortype"] {
        if let Ok(Some(value)) = headers.get(name) {
            response_headers.push((name.to_owned(), value));
        }
    }
    let declared_len = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse::<usize>().ok());
    if declared_len.is_some_and(|len| len > max_body_bytes) {
        return Err(Error::protocol("response body too large"));
    }
    let body = read_body(&response, max_body_bytes).await?;
    Ok(HttpResponse {
        status: response.status(),
        headers: response_headers,
        body,
    })
}

/// Reads the body chunk by chunk and stops at `max_body_bytes`: a server that sends no `Content-Length` (or a
/// wrong one) cannot make the page hold more than that. The rest is cancelled, not downloaded.
async fn read_body(response: &web_sys::Response, max_body_bytes: usize) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    let Some(stream) = response.body() else {
        return Ok(body);
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| Error::Network("the response body could not be read".into()))?;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(network_error)?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .map_err(network_error)?
            .is_truthy();
        if done {
            return Ok(body);
        }
        let value =
            js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).map_err(network_error)?;
        let bytes: js_sys::Uint8Array = value
            .dyn_into()
            .map_err(|_| Error::protocol("the response body is not bytes"))?;
        let len = bytes.length() as usize;
        if body.len().saturating_add(len) > max_body_bytes {
            // Nothing more is read; the fetch is told to stop.
            let _ = reader.cancel();
            return Err(Error::protocol("response body too large"));
        }
        let start = body.len();
        body.resize(start.saturating_add(len), 0);
        if let Some(room) = body.get_mut(start..) {
            bytes.copy_to(room);
        }
    }
}

fn network_error(e: JsValue) -> Error {
    let text = describe_js_value(&e);
    if text.starts_with("TimeoutError") || text.starts_with("AbortError") {
        Error::Network("request timed out or was aborted".into())
    } else {
        Error::Network(text.into())
    }
}

/// Milliseconds since the Unix epoch, from `Date.now()`.
pub(crate) fn now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// Fills `buf` from `crypto.getRandomValues`; fails (never falls back to a weak source) when it is missing.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    CRYPTO.with(|crypto| match crypto {
        Some(crypto) => {
            // getRandomValues fills at most 65,536 bytes per call.
            for chunk in buf.chunks_mut(65_536) {
                crypto.get_random_values(chunk).map_err(|e| {
                    Error::usage(
                        crate::error::UsageCode::InvalidConfig,
                        crate::text::cat(&[
                            "crypto.getRandomValues failed: ",
                            &describe_js_value(&e),
                        ]),
                    )
                })?;
            }
            Ok(())
        }
        None => Err(Error::usage(
            crate::error::UsageCode::InvalidConfig,
            "crypto.getRandomValues is not available in this environment",
        )),
    })
}
