//! When to fetch the JWKS: a sans-IO cache policy. The caller fetches; this only decides and remembers.

use super::Jwks;
use crate::json::{self, Object, Value};

/// The shortest time between two fetches caused by an unknown `kid`, so that tokens with made-up kids
/// cannot make us hammer the JWKS endpoint.
pub const MIN_REFETCH_INTERVAL_SECS: i64 = 10;

/// The longest time-to-live a cache accepts; larger values (from the caller or from storage) are
/// clamped, so a tampered stored cache cannot pin a key set forever.
pub const MAX_JWKS_CACHE_TTL_SECS: u64 = 24 * 60 * 60;

/// The version tag of [`JwksCache::to_json`]'s format.
const FORMAT_VERSION: i64 = 1;

/// The JWKS cache policy.
///
/// * [`JwksCache::jwks`] gives the set while it is younger than the TTL.
/// * [`JwksCache::may_fetch`] says whether a fetch is allowed now: when the last fetch attempt, failed or
///   not, is at least [`MIN_REFETCH_INTERVAL_SECS`] old (the caller fetches only for a key it lacks).
///
/// Times are Unix seconds from the caller's clock. A set fetched "in the future" (the clock went back)
/// counts as stale, which costs one fetch and nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct JwksCache {
    ttl_secs: u64,
    current: Option<(Jwks, i64)>,
    last_fetch_attempt: Option<i64>,
}

impl JwksCache {
    /// An empty cache whose sets stay fresh for `ttl_secs` (at most [`MAX_JWKS_CACHE_TTL_SECS`]).
    pub fn new(ttl_secs: u64) -> Self {
        JwksCache {
            ttl_secs: ttl_secs.min(MAX_JWKS_CACHE_TTL_SECS),
            current: None,
            last_fetch_attempt: None,
        }
    }

    /// The time-to-live in effect, in seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// Stores a freshly fetched set (which also counts as a fetch attempt at `fetched_at`).
    pub fn set(&mut self, jwks: Jwks, fetched_at: i64) {
        self.current = Some((jwks, fetched_at));
        self.note_fetch_attempt(fetched_at);
    }

    /// The set, if there is one younger than the TTL at `now`.
    pub fn jwks(&self, now: i64) -> Option<&Jwks> {
        let (jwks, fetched_at) = self.current.as_ref()?;
        let age = i128::from(now) - i128::from(*fetched_at);
        (0..i128::from(self.ttl_secs))
            .contains(&age)
            .then_some(jwks)
    }

    /// Whether the refetch interval since the last fetch attempt, failed or not, is over at `now`. A clock
    /// that went back behind the last attempt does not hold fetches back.
    pub fn may_fetch(&self, now: i64) -> bool {
        self.last_fetch_attempt.is_none_or(|last| {
            let since = i128::from(now) - i128::from(last);
            since >= i128::from(MIN_REFETCH_INTERVAL_SECS) || since < 0
        })
    }

    /// Records that a fetch was attempted at `now` (successful or not), for the refetch throttle.
    pub fn note_fetch_attempt(&mut self, now: i64) {
        self.last_fetch_attempt = Some(now);
    }

    /// The cache as JSON for storage: `{"v":1,"ttl":..,"fetched_at":..,"last_attempt":..,"jwks":{..}}`.
    pub fn to_json(&self) -> String {
        let mut out = Object::new()
            .with("v", FORMAT_VERSION)
            .with("ttl", self.ttl_secs);
        if let Some((jwks, fetched_at)) = &self.current {
            out.insert("fetched_at", *fetched_at);
            out.insert("jwks", jwks.to_object());
        }
        if let Some(last) = self.last_fetch_attempt {
            out.insert("last_attempt", last);
        }
        out.to_json()
    }

    /// Reads a stored cache back, re-validating the key set exactly as [`Jwks::parse`] does. Anything
    /// unexpected (unknown version, wrong types, an invalid set) gives `None`: fetch again.
    pub fn from_json(bytes: &[u8]) -> Option<Self> {
        let limits = json::Limits {
            max_bytes: super::MAX_JWKS_BYTES.saturating_mul(2),
            max_depth: 8,
        };
        let stored = json::parse_object(bytes, &limits).ok()?;
        if stored.get_i64("v")? != FORMAT_VERSION {
            return None;
        }
        let ttl_secs = u64::try_from(stored.get_i64("ttl")?).ok()?;
        if ttl_secs > MAX_JWKS_CACHE_TTL_SECS {
            return None;
        }
        let current = match (stored.get("jwks"), stored.get("fetched_at")) {
            (None, None) => None,
            (Some(Value::Object(set)), Some(fetched_at)) => {
                let jwks = Jwks::parse(set.to_json().as_bytes()).ok()?;
                Some((jwks, fetched_at.as_i64()?))
            }
            _ => return None,
        };
        let last_fetch_attempt = match stored.get("last_attempt") {
            None => None,
            Some(v) => Some(v.as_i64()?),
        };
        Some(JwksCache {
            ttl_secs,
            current,
            last_fetch_attempt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn jwks(kids: &[&str]) -> Jwks {
        let mut n = vec![0xc5u8; 256];
        n[255] |= 1;
        let keys: Vec<String> = kids
            .iter()
            .map(|kid| {
                format!(
                    r#"{{"kty":"RSA","kid":"{kid}","n":"{}","e":"AQAB"}}"#,
                    URL_SAFE_NO_PAD.encode(&n)
                )
            })
            .collect();
        Jwks::parse(format!(r#"{{"keys":[{}]}}"#, keys.join(",")).as_bytes()).unwrap()
    }

    #[test]
    fn empty_cache_needs_a_fetch() {
        let cache = JwksCache::new(3600);
        assert!(cache.jwks(0).is_none());
        assert!(cache.may_fetch(0));
    }

    #[test]
    fn ttl_expiry() {
        let mut cache = JwksCache::new(3600);
        cache.set(jwks(&["a"]), 1000);
        assert!(cache.jwks(1000).is_some());
        assert!(cache.jwks(4599).is_some());
        assert!(cache.jwks(4600).is_none());
        // Clock moved back before the fetch: stale.
        assert!(cache.jwks(999).is_none());
        assert_eq!(JwksCache::new(u64::MAX).ttl_secs(), MAX_JWKS_CACHE_TTL_SECS);
    }

    #[test]
    fn refetches_wait_the_interval() {
        let mut cache = JwksCache::new(3600);
        cache.set(jwks(&["a"]), 1000);
        // Right after a fetch: wait.
        assert!(!cache.may_fetch(1000));
        assert!(!cache.may_fetch(1009));
        assert!(cache.may_fetch(1010));
        cache.note_fetch_attempt(1010);
        assert!(!cache.may_fetch(1019));
        assert!(cache.may_fetch(1020));
        // A failed attempt also counts, with no set at hand too.
        let mut empty = JwksCache::new(3600);
        empty.note_fetch_attempt(1020);
        assert!(!empty.may_fetch(1025));
        assert!(empty.may_fetch(1030));
        // Clock moved back behind the last attempt: allowed.
        cache.note_fetch_attempt(2000);
        assert!(cache.may_fetch(1500));
    }

    #[test]
    fn round_trip_through_storage() {
        let mut cache = JwksCache::new(600);
        cache.set(jwks(&["a+/=", "b"]), 1234);
        cache.note_fetch_attempt(1300);
        let text = cache.to_json();
        let back = JwksCache::from_json(text.as_bytes()).unwrap();
        assert_eq!(back, cache);
        assert_eq!(back.to_json(), text);
        assert!(back.jwks(1300).unwrap().contains("a+/="));
        let empty = JwksCache::new(60);
        assert_eq!(
            JwksCache::from_json(empty.to_json().as_bytes()),
            Some(empty)
        );
    }

    #[test]
    fn tampered_storage_is_rejected() {
        let mut cache = JwksCache::new(600);
        cache.set(jwks(&["a", "b"]), 1234);
        let text = cache.to_json();
        let tampered = [
            text.replace("\"kid\":\"b\"", "\"kid\":\"a\""), // duplicate kids
            text.replace("\"v\":1", "\"v\":2"),
            text.replace("\"ttl\":600", "\"ttl\":99999999"),
            text.replace("\"fetched_at\":1234", "\"fetched_at\":\"1234\""),
            text.replace("\"fetched_at\":1234", "\"fetched_at\":1234.5"),
            text.replace("\"keys\"", "\"kees\""),
            text.replace("\"fetched_at\":1234,", ""),
            format!("{text}x"),
            text[..text.len() - 1].to_owned(),
            String::new(),
        ];
        for t in tampered {
            assert_ne!(t, text);
            assert_eq!(JwksCache::from_json(t.as_bytes()), None, "{t}");
        }
        // A swapped-in weak key is loaded but stays unusable.
        let weak = text.replacen("\"e\":\"AQAB\"", "\"e\":\"Aw\"", 1);
        let back = JwksCache::from_json(weak.as_bytes()).unwrap();
        let set = back.jwks(1234).unwrap();
        assert_eq!(set.key("a").unwrap_err().code(), "JwkWeakKey");
    }
}
