//! Our base64 against the `base64` crate: any text decodes in both or in neither, to the same bytes, in each
//! form; and the bytes encode to the same text.
#![no_main]

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use cognito_wasm::base64::{decode, encode, Form};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        assert_eq!(
            decode(text, Form::StandardPadded),
            STANDARD.decode(text).ok(),
            "{text:?}"
        );
        assert_eq!(
            decode(text, Form::UrlUnpadded),
            URL_SAFE_NO_PAD.decode(text).ok(),
            "{text:?}"
        );
    }
    assert_eq!(encode(data, Form::StandardPadded), STANDARD.encode(data));
    assert_eq!(
        encode(data, Form::UrlUnpadded),
        URL_SAFE_NO_PAD.encode(data)
    );
});
