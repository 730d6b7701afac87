//! `verifyToken`: standalone verification for back ends (Node 20) and pages, with a shared JWKS cache.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::options::{js_to_json, json_to_js, pool_config, JsObject};
use super::platform;
use crate::cognito::HttpRequest;
use crate::error::{Error, Result, UsageCode};
use crate::jwt::{self, Expectations, Jwks, JwksCache, TokenUse};

/// How long a fetched JWKS is trusted before it is fetched again (an unknown `kid` refetches sooner).
const JWKS_TTL_SECS: u64 = 60 * 60;
/// JWKS requests give up after this long: verification fails closed.
const JWKS_TIMEOUT_MS: u32 = 10_000;

/// What is known of one JWKS URL, shared by every `verifyToken` call in this realm.
struct JwksSource {
    url: String,
    cache: JwksCache,
    /// The fetch under way: concurrent verifications await the same promise.
    fetch: Option<js_sys::Promise>,
    /// Why the last fetch failed, for the callers that waited on it.
    last_error: Option<Error>,
}

thread_local! {
    /// One entry per JWKS URL (a page verifies against one or two pools: a list is smaller than a map).
    static JWKS_SOURCES: RefCell<Vec<JwksSource>> = const { RefCell::new(Vec::new()) };
    /// The last `jwks` option given, as JSON text, and its parsed keys.
    static LAST_GIVEN_JWKS: RefCell<Option<(String, Jwks)>> = const { RefCell::new(None) };
}

/// Verifies a Cognito ID or access token and resolves to its claims.
///
/// With `options.jwks` no request is made; otherwise the pool's JWKS is fetched from the configured
/// endpoint (never from the token), cached for an hour and refetched on an unknown `kid` at most every 10 s.
#[wasm_bindgen(js_name = verifyToken, unchecked_return_type = "Promise<Record<string, unknown>>")]
pub fn verify_token(
    token: String,
    #[wasm_bindgen(unchecked_param_type = "VerifyTokenOptions")] options: JsValue,
) -> js_sys::Promise {
    super::settle(Box::pin(async move {
        verify_token_inner(&token, options).await
    }))
}

async fn verify_token_inner(token: &str, options: JsValue) -> Result<JsValue> {
    let options = JsObject::new("verifyToken options", options)?;
    let config = pool_config(&options)?;
    let token_use = options
        .optional_string("tokenUse")?
        .as_deref()
        .and_then(TokenUse::from_wire)
        .ok_or_else(|| {
            Error::usage(
                UsageCode::InvalidArgument,
                "verifyToken options.tokenUse must be 'id' or 'access'",
            )
        })?;
    let now = match options.optional_number("now")? {
        Some(now) => now as i64,
        None => platform::now_millis() / 1000,
    };
    let expect = Expectations {
        issuers: config.issuers().to_vec(),
        client_id: config.client_id().to_owned(),
        token_use,
        clock_skew_secs: config.clock_skew_secs(),
        required_groups: options.optional_string_list("groups")?.unwrap_or_default(),
        required_scopes: options.optional_string_list("scopes")?.unwrap_or_default(),
    };

    let jwks_value = options.get("jwks");
    let verified = if jwks_value.is_undefined() || jwks_value.is_null() {
        let kid = jwt::decode_unverified(token)?.kid().map(str::to_owned);
        let url = config.jwks_url();
        let jwks = cached_jwks(&url, kid.as_deref(), now).await?;
        jwt::verify(token, &jwks, &expect, now)?
    } else {
        // JSON text is read as it is: a member named twice is refused rather than resolved by JSON.parse.
        let text = match jwks_value.as_string() {
            Some(text) => text,
            None => js_to_json(&jwks_value, "verifyToken options.jwks")?,
        };
        with_parsed_jwks(text, |jwks| jwt::verify(token, jwks, &expect, now))??
    };
    json_to_js(&verified.claims().to_json())
}

/// Runs `f` on the key set of the JWKS document `text`. The last document given is kept parsed, so that a
/// caller who passes the same `jwks` on every call imports its keys once, as with a fetched JWKS.
fn with_parsed_jwks<T>(text: String, f: impl FnOnce(&Jwks) -> T) -> Result<T> {
    LAST_GIVEN_JWKS.with(|last| {
        let mut last = last.borrow_mut();
        let parsed = match last.take() {
            Some((cached_text, jwks)) if cached_text == text => (cached_text, jwks),
            _ => {
                let jwks = Jwks::parse(text.as_bytes())?;
                (text, jwks)
            }
        };
        let result = f(&parsed.1);
        *last = Some(parsed);
        Ok(result)
    })
}

/// Runs `f` on the entry for `url`, made on first use.
fn with_source<T>(url: &str, f: impl FnOnce(&mut JwksSource) -> T) -> T {
    JWKS_SOURCES.with(|sources| {
        let mut sources = sources.borrow_mut();
        match sources.iter_mut().find(|source| source.url == url) {
            Some(source) => f(source),
            None => {
                let mut source = JwksSource {
                    url: url.to_owned(),
                    cache: JwksCache::new(JWKS_TTL_SECS),
                    fetch: None,
                    last_error: None,
                };
                let result = f(&mut source);
                sources.push(source);
                result
            }
        }
    })
}

/// The JWKS for `url`, fetched when the cache says so. A missing `kid` still uses the cache: `verify`
/// rejects the token for it.
async fn cached_jwks(url: &str, kid: Option<&str>, now: i64) -> Result<Jwks> {
    let promise = with_source(url, |source| {
        let needs_fetch = kid.is_some_and(|kid| source.cache.needs_fetch(kid, now))
            || source.cache.jwks(now).is_none();
        // `start_fetch` only schedules its future (wasm-bindgen-futures runs it from the microtask queue), so
        // nothing of it runs while the list is borrowed here.
        needs_fetch.then(|| {
            source
                .fetch
                .get_or_insert_with(|| start_fetch(url.to_owned(), now))
                .clone()
        })
    });
    if let Some(promise) = promise {
        // The promise never rejects: the outcome is in the cache or in `last_error`.
        let _ = JsFuture::from(promise).await;
    }
    with_source(url, |source| match source.cache.jwks(now) {
        Some(jwks) => Ok(jwks.clone()),
        None => Err(source
            .last_error
            .clone()
            .unwrap_or_else(|| Error::Network(format!("no JWKS could be fetched from {url}")))),
    })
}

/// Starts one JWKS fetch; its outcome lands in the cache, and the promise settles for every waiter.
fn start_fetch(url: String, now: i64) -> js_sys::Promise {
    super::settle(Box::pin(async move {
        let outcome = fetch_jwks(&url).await;
        with_source(&url, |source| {
            source.fetch = None;
            match outcome {
                Ok(jwks) => {
                    source.cache.set(jwks, now);
                    source.last_error = None;
                }
                Err(e) => {
                    source.cache.note_fetch_attempt(now);
                    source.last_error = Some(e);
                }
            }
        });
        Ok(JsValue::UNDEFINED)
    }))
}

async fn fetch_jwks(url: &str) -> Result<Jwks> {
    let request = HttpRequest {
        method: "GET",
        url: url.to_owned(),
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: String::new(),
    };
    let response = platform::send(&request, JWKS_TIMEOUT_MS, jwt::MAX_JWKS_BYTES).await?;
    if response.status != 200 {
        return Err(Error::protocol(format!(
            "the JWKS at {url} answered HTTP {}",
            response.status
        )));
    }
    Ok(Jwks::parse(&response.body)?)
}
