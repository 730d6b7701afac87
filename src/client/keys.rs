//! The pool's signing keys: one store for the client and for `verifyToken`.
//!
//! [`KeyStore`] keeps two sets: the one in use, which has verified a token (or was stored by an earlier page,
//! where it had), and a candidate, fetched but not yet proven. A candidate becomes the set in use when it
//! verifies a token; when it fails one for a reason of its own (no such key, a key the policy refuses, a
//! signature that does not match) it is dropped and counts as a failed fetch. So a broken or hostile answer
//! from the JWKS endpoint is never kept, stored, or used past the next refetch, and the set in use stays.
//!
//! Fetches follow the [`JwksCache`] policy: a set is fresh for a time-to-live, and a fetch for a missing key
//! waits [`MIN_REFETCH_INTERVAL_SECS`](jwt::MIN_REFETCH_INTERVAL_SECS) after the last attempt, failed or not. The store performs nothing:
//! [`KeyStore::start_fetch`] gives the request to send and [`KeyStore::fetched`] takes the answer.

use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::{Error, Result};
use crate::jwt::{self, Jwks, JwksCache, TokenError, VerifiedToken};

/// How long a fetched JWKS is trusted before it is fetched again (Cognito rotates keys rarely; an unknown `kid`
/// refetches sooner), by the client and by `verifyToken` alike.
pub const JWKS_TTL_SECS: u64 = 6 * 60 * 60;

/// Largest JWKS response accepted.
pub const MAX_JWKS_RESPONSE_BYTES: usize = jwt::MAX_JWKS_BYTES;

/// A request's number, to match its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// A fetched set that has not verified a token yet.
#[derive(Debug)]
struct Candidate {
    set: Jwks,
    fetched_at: i64,
    /// Whether a token that anyone could have forged failed its signature check with it: it is still tried, but
    /// no longer holds refetches back (it may be a hostile answer the next fetch replaces).
    doubted: bool,
}

/// The key set of one pool, its fetches and their outcome.
#[derive(Debug)]
pub struct KeyStore {
    /// The set in use (proven), with the time of the last fetch attempt.
    cache: JwksCache,
    /// A fetched set that has not verified a token yet.
    candidate: Option<Candidate>,
    url: String,
    fetching: Option<RequestId>,
    /// Bumped when a fetch ends, so that a waiter knows the fetch it waited for is over.
    fetches_done: u64,
    /// Why the last fetch failed (or its set was dropped); `None` after a success.
    last_error: Option<Error>,
    /// Whether the set in use changed since it was last handed out for storage.
    unsaved: bool,
}

/// Where a token to verify came from: what a signature its key does not match says about the key set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// Straight from Cognito's answer to this client (sign-in, refresh): a mismatch is the key set's fault.
    Cognito,
    /// From storage or a caller (`verifyToken`): anyone can forge one, so a mismatch says nothing of the keys (or
    /// one forged token would drop a good key set, and every valid token after it, for a while).
    Elsewhere,
}

/// Whether a failed verification is the key set's fault: no key for the `kid`, a key the policy refuses, or (for
/// a token from Cognito) a signature the key does not match. Shape errors never reached the key; claim errors
/// passed it.
fn blames_the_keys(error: &TokenError, source: TokenSource) -> bool {
    match error {
        TokenError::KidNotFound { .. }
        | TokenError::JwksInvalid(_)
        | TokenError::JwkInvalid { .. }
        | TokenError::JwkWeakKey { .. } => true,
        TokenError::InvalidSignature(_) => source == TokenSource::Cognito,
        _ => false,
    }
}

impl KeyStore {
    /// An empty store for the JWKS at `url`, fresh for `ttl_secs`.
    pub fn new(url: String, ttl_secs: u64) -> Self {
        KeyStore {
            cache: JwksCache::new(ttl_secs),
            candidate: None,
            url,
            fetching: None,
            fetches_done: 0,
            last_error: None,
            unsaved: false,
        }
    }

    /// Where the set is fetched from.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Takes a stored cache (`JwksCache::to_json`, written by [`Self::take_unsaved`]); anything unreadable is
    /// ignored.
    pub fn restore(&mut self, text: &str) {
        if let Some(cache) = JwksCache::from_json(text.as_bytes()) {
            self.cache = cache;
        }
    }

    /// The set in use as stored, when it has changed (it has verified a token) since it was last handed out.
    pub fn take_unsaved(&mut self) -> Option<String> {
        core::mem::take(&mut self.unsaved).then(|| self.cache.to_json())
    }

    /// Whether a fetch is under way.
    pub fn is_fetching(&self) -> bool {
        self.fetching.is_some()
    }

    /// Whether the set that would verify a token now is in doubt: a candidate that failed a signature check.
    pub fn in_doubt(&self) -> bool {
        self.candidate.as_ref().is_some_and(|c| c.doubted)
    }

    /// Whether the last fetch failed (or its set was dropped).
    pub fn last_fetch_failed(&self) -> bool {
        self.last_error.is_some()
    }

    /// How many fetches have ended.
    pub fn fetches_done(&self) -> u64 {
        self.fetches_done
    }

    /// Whether a set at hand (the candidate, unless in doubt, or the set in use while fresh) has a key for `kid`.
    pub fn has_key(&self, kid: &str, now: i64) -> bool {
        self.candidate
            .as_ref()
            .is_some_and(|c| !c.doubted && c.set.contains(kid))
            || self.cache.jwks(now).is_some_and(|set| set.contains(kid))
    }

    /// Whether one of `kids` has no key at hand and the refetch interval allows a fetch now.
    pub fn needs_fetch<'a>(&self, kids: impl IntoIterator<Item = &'a str>, now: i64) -> bool {
        kids.into_iter().any(|kid| !self.has_key(kid, now)) && self.may_fetch(now)
    }

    /// Whether the refetch interval since the last attempt, failed or not, is over.
    pub fn may_fetch(&self, now: i64) -> bool {
        self.cache.may_fetch(now)
    }

    /// Whether there is no set at all (a sign-in then fetches one alongside its first request).
    pub fn is_cold(&self, now: i64) -> bool {
        self.candidate.is_none() && self.cache.jwks(now).is_none()
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

    /// The answer to the fetch; `false` when `id` is not this store's. A valid set becomes the candidate.
    pub fn fetched(&mut self, id: RequestId, response: Result<HttpResponse>, now: i64) -> bool {
        if !self.owns(id) {
            return false;
        }
        self.fetching = None;
        self.fetches_done = self.fetches_done.wrapping_add(1);
        match response.and_then(|response| parse_jwks_response(&response)) {
            Ok(jwks) => {
                self.candidate = Some(Candidate {
                    set: jwks,
                    fetched_at: now,
                    doubted: false,
                });
                self.last_error = None;
            }
            Err(e) => self.last_error = Some(e),
        }
        true
    }

    /// Verifies `token` at `at` (Unix seconds) with the candidate when it has the token's `kid`, else with the
    /// set in use (fresh at `now`). A candidate that verifies it becomes the set in use; one that fails it for
    /// a reason of its own (see [`TokenSource`]) is dropped.
    ///
    /// With no key for the `kid` after a failed fetch, the fetch's error answers: without the pool's current
    /// keys, "no such key" would be a guess.
    pub fn verify(
        &mut self,
        token: &str,
        source: TokenSource,
        expect: &jwt::Expectations,
        at: i64,
        now: i64,
    ) -> Result<VerifiedToken> {
        let kid = jwt::decode_unverified(token)?
            .kid()
            .map(str::to_owned)
            .unwrap_or_default();
        if let Some(mut candidate) = self.candidate.take() {
            if candidate.set.contains(&kid) {
                let verified = jwt::verify(token, &candidate.set, expect, at);
                match &verified {
                    Err(e) if blames_the_keys(e, source) => {
                        self.last_error = Some(Error::Token(e.clone()));
                    }
                    // A signature anyone could have forged: nothing is known of the set, but it is in doubt.
                    Err(TokenError::InvalidSignature(_)) => {
                        candidate.doubted = true;
                        self.candidate = Some(candidate);
                    }
                    // The token was refused before its key was used: nothing is known of the set.
                    Err(
                        TokenError::Malformed(_)
                        | TokenError::TooLarge { .. }
                        | TokenError::InvalidAlgorithm { .. }
                        | TokenError::MissingKid { .. }
                        | TokenError::UnsupportedHeader { .. },
                    ) => self.candidate = Some(candidate),
                    // It verified the signature (the claims may still have failed): the set is good.
                    _ => {
                        self.cache.set(candidate.set, candidate.fetched_at);
                        self.unsaved = true;
                    }
                }
                return Ok(verified?);
            }
            self.candidate = Some(candidate);
        }
        let fresh = self.cache.jwks(now).filter(|set| set.contains(&kid));
        match (fresh, &self.last_error) {
            (Some(set), _) => Ok(jwt::verify(token, set, expect, at)?),
            (None, Some(error)) => Err(error.clone()),
            (None, None) => match self
                .cache
                .jwks(now)
                .or(self.candidate.as_ref().map(|c| &c.set))
            {
                Some(set) => Ok(jwt::verify(token, set, expect, at)?),
                None => Err(Error::Network(
                    "the pool's signing keys (JWKS) could not be fetched".into(),
                )),
            },
        }
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
