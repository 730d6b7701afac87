//! JSON from nowhere: parse must never panic, and every accepted document must survive
//! `to_json` -> `parse` unchanged (same value, same text the second time).
#![no_main]

use cognito_wasm::json::{parse, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_bytes: 64 * 1024,
        max_depth: 16,
    };
    if let Ok(value) = parse(data, &limits) {
        let text = value.to_json();
        let wide = Limits {
            max_bytes: usize::MAX,
            max_depth: 16,
        };
        let again = parse(text.as_bytes(), &wide).expect("to_json output must parse");
        assert_eq!(again, value);
        assert_eq!(again.to_json(), text);
    }
});
