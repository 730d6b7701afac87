//! The pool's signing keys: one store for the client and for `verifyToken`.
//!
//! [`KeyStore`] wraps the [`JwksCache`] policy (time-to-live, the refetch interval for unknown `kid`s) with
//! what a fetch needs: at most one in flight, the outcome of the last one, and which set is worth keeping.
//! It performs nothing: [`KeyStore::start_fetch`] gives the request to send and [`KeyStore::fetched`] takes
//! the answer.

use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::{Error, Result};
use crate::jwt::{self, Jwks, JwksCache, VerifiedToken};

/// How long a fetched JWKS is trusted before it is fetched again (Cognito rotates keys rarely; an unknown `kid`
/// refetches sooner), by the client and by `verifyToken` alike.
pub const JWKS_TTL_SECS: u64 = 6 * 60 * 60;

/// Largest JWKS response accepted.
pub const MAX_JWKS_RESPONSE_BYTES: usize = jwt::MAX_JWKS_BYTES;

/// A request's number, to match its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// The key set of one pool, its fetches and their outcome.
#[derive(Debug)]
pub struct KeyStore {
    cache: JwksCache,
    url: String,
    fetching: Option<RequestId>,
    /// Bumped when a fetch ends, so that a waiter knows the fetch it waited for is over.
    fetches_done: u64,
    /// Why the last fetch failed; `None` after a success.
    last_error: Option<Error>,
    /// Whether the set in the cache has verified a token but is not in storage yet.
    unsaved: bool,
    /// Whether the set came from a fetch and has not verified a token yet (then it is not stored).
    unproven: bool,
}

impl KeyStore {
    /// An empty store for the JWKS at `url`, fresh for `ttl_secs`.
    pub fn new(url: String, ttl_secs: u64) -> Self {
        KeyStore {
            cache: JwksCache::new(ttl_secs),
            url,
            fetching: None,
            fetches_done: 0,
            last_error: None,
            unsaved: false,
            unproven: false,
        }
    }

    /// Where the set is fetched from.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Takes a stored cache (`JwksCache::to_json`); anything unreadable is ignored.
    pub fn restore(&mut self, text: &str) {
        if let Some(cache) = JwksCache::from_json(text.as_bytes()) {
            self.cache = cache;
        }
    }

    /// The cache as stored, when a set has verified a token since it was fetched and is not stored yet.
    pub fn take_unsaved(&mut self) -> Option<String> {
        core::mem::take(&mut self.unsaved).then(|| self.cache.to_json())
    }

    /// Whether a fetch is under way.
    pub fn is_fetching(&self) -> bool {
        self.fetching.is_some()
    }

    /// Whether the last fetch failed.
    pub fn last_fetch_failed(&self) -> bool {
        self.last_error.is_some()
    }

    /// How many fetches have ended.
    pub fn fetches_done(&self) -> u64 {
        self.fetches_done
    }

    /// Whether the set at hand lacks a fresh key for one of `kids` and the policy allows a fetch now.
    pub fn needs_fetch<'a>(&self, kids: impl IntoIterator<Item = &'a str>, now: i64) -> bool {
        kids.into_iter().any(|kid| self.cache.needs_fetch(kid, now))
    }

    /// Whether there is no fresh set at all (a sign-in then fetches one alongside its first request).
    pub fn is_cold(&self, now: i64) -> bool {
        self.cache.jwks(now).is_none()
    }

    /// Starts a fetch: the request to send as `id`. A CORS-simple `GET` (its one header is safelisted), so that a
    /// browser sends it without a preflight: it costs one round trip, alongside a sign-in's first request.
    pub fn start_fetch(&mut self, id: RequestId, now: i64) -> HttpRequest {
        self.fetching = Some(id);
        self.cache.note_fetch_attempt(now);
        HttpRequest {
            method: "GET",
            url: self.url.clone(),
            headers: vec![("Accept".to_owned(), "application/json".to_owned())],
            body: String::new(),
        }
    }

    /// Whether `id` is this store's fetch.
    pub fn owns(&self, id: RequestId) -> bool {
        self.fetching == Some(id)
    }

    /// The answer to the fetch; `false` when `id` is not this store's.
    pub fn fetched(&mut self, id: RequestId, response: Result<HttpResponse>, now: i64) -> bool {
        if !self.owns(id) {
            return false;
        }
        self.fetching = None;
        self.fetches_done = self.fetches_done.wrapping_add(1);
        match response.and_then(|response| parse_jwks_response(&response)) {
            Ok(jwks) => {
                self.cache.set(jwks, now);
                self.last_error = None;
                self.unproven = true;
            }
            Err(e) => self.last_error = Some(e),
        }
        true
    }

    /// Verifies `token` at `at` (Unix seconds) with the set at hand (fresh at `now`).
    ///
    /// Without a set, or when the set lacks the token's `kid` right after a failed fetch, the fetch's error
    /// answers: without the pool's current keys, "no such key" would be a guess.
    pub fn verify(
        &mut self,
        token: &str,
        expect: &jwt::Expectations,
        at: i64,
        now: i64,
    ) -> Result<VerifiedToken> {
        let unavailable =
            || Error::Network("the pool's signing keys (JWKS) could not be fetched".into());
        let Some(jwks) = self.cache.jwks(now) else {
            return Err(self.last_error.clone().unwrap_or_else(unavailable));
        };
        if let Some(error) = &self.last_error {
            let kid = jwt::decode_unverified(token)?.kid().map(str::to_owned);
            if !kid.is_some_and(|kid| jwks.contains(&kid)) {
                return Err(error.clone());
            }
        }
        let verified = jwt::verify(token, jwks, expect, at)?;
        if core::mem::take(&mut self.unproven) {
            self.unsaved = true;
        }
        Ok(verified)
    }

    /// The `kid` of a token, read without verifying it (empty when it has none: verification names that).
    pub fn kid_of(token: &str) -> String {
        jwt::decode_unverified(token)
            .ok()
            .and_then(|t| t.kid().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Reads a JWKS answer: HTTP 200 with a valid set no larger than [`MAX_JWKS_RESPONSE_BYTES`].
pub fn parse_jwks_response(response: &HttpResponse) -> Result<Jwks> {
    if response.status != 200 {
        return Err(Error::protocol(crate::text::cat(&[
            "JWKS request answered HTTP ",
            &crate::text::uint(response.status.into()),
        ])));
    }
    if response.body.len() > MAX_JWKS_RESPONSE_BYTES {
        return Err(Error::protocol("JWKS too large"));
    }
    Ok(Jwks::parse(&response.body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fetch_is_a_simple_get_of_the_configured_url() {
        let mut keys = KeyStore::new(
            "https://example.com/pool/.well-known/jwks.json".into(),
            JWKS_TTL_SECS,
        );
        let request = keys.start_fetch(RequestId(7), 1_000);
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.url,
            "https://example.com/pool/.well-known/jwks.json"
        );
        assert_eq!(
            request.headers,
            [("Accept".to_owned(), "application/json".to_owned())]
        );
        assert!(request.body.is_empty());
        assert!(keys.is_fetching() && keys.owns(RequestId(7)) && !keys.owns(RequestId(8)));
        assert!(
            !keys.fetched(RequestId(8), Err(Error::Network("x".into())), 1_000),
            "not ours"
        );
        assert!(keys.fetched(RequestId(7), Err(Error::Network("x".into())), 1_000));
        assert!(!keys.is_fetching() && keys.last_fetch_failed());
    }
}
