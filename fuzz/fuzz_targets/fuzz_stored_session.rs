//! Stored session documents from nowhere (another tab, another build, a user's devtools): `parse` must never
//! panic, and what it accepts must survive `to_json` -> `parse` unchanged (same fields, same text the second
//! time). A document of another pool or client is never read.
#![no_main]

use cognito_wasm::session::{StoredSession, StoredSessionError};
use cognito_wasm::PoolConfig;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(config) = PoolConfig::new("us-east-1_TestPool1", "testclient123") else {
        return;
    };
    let text = String::from_utf8_lossy(data);
    let Ok(stored) = StoredSession::parse(&text, &config) else {
        return;
    };
    assert!(!stored.id_token.is_empty() && !stored.access_token.is_empty());
    assert!(stored.clock_offset_secs.abs() <= cognito_wasm::session::MAX_CLOCK_OFFSET_SECS);
    let json = stored.to_json(&config);
    let again = StoredSession::parse(&json, &config).expect("to_json output must parse");
    assert_eq!(again.id_token, stored.id_token);
    assert_eq!(again.access_token, stored.access_token);
    assert_eq!(
        again.refresh_token.as_ref().map(|t| t.expose()),
        stored.refresh_token.as_ref().map(|t| t.expose())
    );
    assert_eq!(again.device, stored.device);
    assert_eq!(again.clock_offset_secs, stored.clock_offset_secs);
    assert_eq!(again.to_json(&config), json);
    // The same document is not another client's session.
    let Ok(other) = PoolConfig::new("us-east-1_TestPool1", "otherclient") else {
        return;
    };
    assert_eq!(
        StoredSession::parse(&text, &other).err(),
        Some(StoredSessionError::NotOurs)
    );
});
