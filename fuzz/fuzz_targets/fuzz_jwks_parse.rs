//! Key sets and stored caches from nowhere: parse must never panic, and what parses must round-trip.
#![no_main]

use cognito_wasm::jwt::{Jwks, JwksCache};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jwks) = Jwks::parse(data) {
        let again = Jwks::parse(jwks.to_json().as_bytes()).expect("to_json must re-parse");
        assert_eq!(again, jwks);
        assert_eq!(jwks.len(), jwks.kids().count());
    }
    if let Some(cache) = JwksCache::from_json(data) {
        let again = JwksCache::from_json(cache.to_json().as_bytes()).expect("to_json must re-load");
        assert_eq!(again, cache);
        let _ = cache.may_fetch(0);
        let _ = cache.may_fetch(i64::MAX);
        let _ = cache.jwks(i64::MIN);
    }
});
