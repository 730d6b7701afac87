//! `verifyToken`: standalone verification for back ends (Node 20) and pages, with the client's key store.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::error::promise;
use super::platform;
use crate::client::input::{pool_config, Input, POOL_OPTIONS};
use crate::client::{KeyStore, RequestId, TokenSource, JWKS_TTL_SECS, MAX_JWKS_RESPONSE_BYTES};
use crate::error::{Error, Result, UsageCode};
use crate::json::Value;
use crate::jwt::{self, Expectations, Jwks, TokenUse};

/// JWKS requests give up after this long: verification fails closed.
const JWKS_TIMEOUT_MS: u32 = 10_000;

/// One JWKS URL's keys, shared by every `verifyToken` call in this realm.
struct Source {
    keys: KeyStore,
    /// The fetch under way: concurrent verifications await the same promise.
    fetch: Option<js_sys::Promise>,
}

thread_local! {
    /// One entry per JWKS URL (a page verifies against one or two pools: a list is smaller than a map).
    static SOURCES: RefCell<Vec<Rc<RefCell<Source>>>> = const { RefCell::new(Vec::new()) };
    /// The last `jwks` option given, as JSON text, and its parsed keys.
    static LAST_GIVEN_JWKS: RefCell<Option<(String, Jwks)>> = const { RefCell::new(None) };
}

/// Verifies a Cognito ID or access token and resolves to its claims (JSON text). `options` is the JSON of
/// `VerifyTokenOptions`.
///
/// With `options.jwks` no request is made; otherwise the pool's JWKS is fetched from the configured endpoint
/// (never from the token), cached for six hours and refetched on an unknown `kid` at most every 10 s.
#[wasm_bindgen(js_name = verifyToken)]
pub fn verify_token(token: String, options: String) -> js_sys::Promise {
    promise(Box::pin(async move { verify(&token, &options).await }))
}

async fn verify(token: &str, options: &str) -> Result<String> {
    let options = Input::parse("verifyToken options", options)?;
    options.only_among(&[
        POOL_OPTIONS,
        &["tokenUse", "now", "jwks", "groups", "scopes"],
    ])?;
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
    let now = match options.optional_integer("now", 0..=i64::from(u32::MAX) * 4)? {
        Some(now) => now,
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
    let verified = match options.get("jwks") {
        None => {
            let kid = KeyStore::kid_of(token);
            let source = source(&config.jwks_url());
            let start = {
                let s = source.borrow();
                s.keys.needs_fetch([kid.as_str()], now) && s.fetch.is_none()
            };
            if start {
                let fetch = start_fetch(Rc::clone(&source), now);
                source.borrow_mut().fetch = Some(fetch);
            }
            let fetch = source.borrow().fetch.clone();
            if let Some(fetch) = fetch {
                // It never rejects: the outcome is in the key store.
                let _ = JsFuture::from(fetch).await;
            }
            let verified =
                source
                    .borrow_mut()
                    .keys
                    .verify(token, TokenSource::Elsewhere, &expect, now, now);
            verified?
        }
        // JSON text is read as it is: a member named twice is refused rather than resolved by JSON.parse.
        Some(Value::String(text)) => {
            with_parsed_jwks(text, |jwks| jwt::verify(token, jwks, &expect, now))??
        }
        Some(Value::Object(object)) => with_parsed_jwks(&object.to_json(), |jwks| {
            jwt::verify(token, jwks, &expect, now)
        })??,
        Some(_) => {
            return Err(Error::usage(
                UsageCode::InvalidArgument,
                "verifyToken options.jwks must be an object or JSON text",
            ))
        }
    };
    Ok(verified.claims().to_json())
}

/// Runs `f` on the key set of the JWKS document `text`. The last document given is kept parsed, so that a
/// caller who passes the same `jwks` on every call imports its keys once, as with a fetched JWKS.
fn with_parsed_jwks<T>(text: &str, f: impl FnOnce(&Jwks) -> T) -> Result<T> {
    LAST_GIVEN_JWKS.with(|last| {
        let mut last = last.borrow_mut();
        let parsed = match last.take() {
            Some((cached_text, jwks)) if cached_text == text => (cached_text, jwks),
            _ => (text.to_owned(), Jwks::parse(text.as_bytes())?),
        };
        let result = f(&parsed.1);
        *last = Some(parsed);
        Ok(result)
    })
}

/// The entry for `url`, made on first use.
fn source(url: &str) -> Rc<RefCell<Source>> {
    SOURCES.with(|sources| {
        let mut sources = sources.borrow_mut();
        if let Some(source) = sources.iter().find(|s| s.borrow().keys.url() == url) {
            return Rc::clone(source);
        }
        let source = Rc::new(RefCell::new(Source {
            keys: KeyStore::new(url.to_owned(), JWKS_TTL_SECS),
            fetch: None,
        }));
        sources.push(Rc::clone(&source));
        source
    })
}

/// Starts one JWKS fetch; its outcome lands in the key store, and the promise settles for every waiter. The
/// future runs from the microtask queue, so nothing of it runs before the caller has stored the promise.
fn start_fetch(source: Rc<RefCell<Source>>, now: i64) -> js_sys::Promise {
    let id = RequestId(0);
    let request = source.borrow_mut().keys.start_fetch(id, now);
    promise(Box::pin(async move {
        let response = platform::send(&request, JWKS_TIMEOUT_MS, MAX_JWKS_RESPONSE_BYTES).await;
        let mut s = source.borrow_mut();
        s.fetch = None;
        s.keys.fetched(id, response, now);
        Ok(String::new())
    }))
}
