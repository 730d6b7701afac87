//! Browser tests of the shell itself (headless Chromium through wasm-bindgen-test-runner).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

use super::error::to_js_error;
use super::platform;
use super::storage::{KeyValueStore, StorageKind};
use crate::error::{CognitoErrorCode, Error, UsageCode};

wasm_bindgen_test_configure!(run_in_browser);

fn property(value: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

#[wasm_bindgen_test]
fn errors_are_real_js_errors_with_name_and_code() {
    let js = to_js_error(&Error::Service {
        code: CognitoErrorCode::UserNotConfirmed,
        message: "User is not confirmed.".into(),
    });
    assert!(js.is_instance_of::<js_sys::Error>());
    assert_eq!(
        property(&js, "name").as_deref(),
        Some("CognitoServiceError")
    );
    assert_eq!(
        property(&js, "code").as_deref(),
        Some("UserNotConfirmedException")
    );
    assert_eq!(
        property(&js, "message").as_deref(),
        Some("User is not confirmed.")
    );

    let js = to_js_error(&Error::usage(
        UsageCode::NotSignedIn,
        "no user is signed in",
    ));
    assert_eq!(property(&js, "name").as_deref(), Some("UsageError"));
    assert_eq!(property(&js, "code").as_deref(), Some("NotSignedIn"));
}

fn round_trip(store: &KeyValueStore) {
    let key = "cognito-wasm-test.key";
    store.remove(key).unwrap();
    assert_eq!(store.get(key).unwrap(), None);
    store.set(key, "v1 ✓").unwrap();
    assert_eq!(store.get(key).unwrap().as_deref(), Some("v1 ✓"));
    store.set(key, "v2").unwrap();
    assert_eq!(store.get(key).unwrap().as_deref(), Some("v2"));
    store.remove(key).unwrap();
    assert_eq!(store.get(key).unwrap(), None);
}

#[wasm_bindgen_test]
fn built_in_stores_round_trip() {
    for kind in [
        StorageKind::Local,
        StorageKind::Session,
        StorageKind::Memory,
    ] {
        round_trip(&KeyValueStore::open(kind).unwrap());
    }
    assert!(KeyValueStore::open(StorageKind::Local)
        .unwrap()
        .is_local_storage());
    assert!(!KeyValueStore::open(StorageKind::Session)
        .unwrap()
        .is_local_storage());
}

#[wasm_bindgen_test]
fn custom_store_is_called_and_checked() {
    let object: js_sys::Object = js_sys::eval(
        "(() => { const m = new Map(); return { getItem: k => m.has(k) ? m.get(k) : null, \
         setItem: (k, v) => { m.set(k, String(v)); }, removeItem: k => { m.delete(k); }, m }; })()",
    )
    .unwrap()
    .unchecked_into();
    round_trip(&KeyValueStore::custom(object).unwrap());

    let incomplete: js_sys::Object = js_sys::eval("({ getItem() { return null; } })")
        .unwrap()
        .unchecked_into();
    let err = KeyValueStore::custom(incomplete).err().unwrap();
    assert_eq!(err.code(), "InvalidConfig");

    let throwing: js_sys::Object = js_sys::eval(
        "({ getItem() { throw new Error('quota'); }, setItem() { throw new Error('quota'); }, removeItem() {} })",
    )
    .unwrap()
    .unchecked_into();
    let store = KeyValueStore::custom(throwing).unwrap();
    assert_eq!(store.get("k").unwrap_err().code(), "StorageError");
    assert_eq!(store.set("k", "v").unwrap_err().code(), "StorageError");

    let asynchronous: js_sys::Object = js_sys::eval(
        "({ getItem: async () => 'x', setItem: async () => {}, removeItem: async () => {} })",
    )
    .unwrap()
    .unchecked_into();
    let store = KeyValueStore::custom(asynchronous).unwrap();
    assert_eq!(store.get("k").unwrap_err().code(), "StorageError");
}

#[wasm_bindgen_test]
fn random_bytes_come_from_the_browser() {
    let mut a = [0u8; 128];
    let mut b = [0u8; 128];
    platform::fill_random(&mut a).unwrap();
    platform::fill_random(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 128]);
    let mut big = vec![0u8; 70_000];
    platform::fill_random(&mut big).unwrap();
    assert!(big[65_536..].iter().any(|&x| x != 0));
}

#[wasm_bindgen_test]
fn clock_is_unix_millis() {
    let now = platform::now_millis();
    // 2020-01-01 .. 2100-01-01
    assert!(
        (1_577_836_800_000..4_102_444_800_000).contains(&now),
        "{now}"
    );
}

#[wasm_bindgen_test]
async fn network_failures_are_network_errors() {
    // Port 9 on loopback: nothing listens, so fetch rejects without any HTTP answer.
    let request = crate::cognito::HttpRequest {
        method: "POST",
        url: "http://127.0.0.1:9/".into(),
        headers: Vec::new(),
        body: "{}".into(),
    };
    let err = platform::send(&request, 5_000, 1024).await.err().unwrap();
    assert_eq!(err.code(), "NetworkError");
}

#[wasm_bindgen_test]
fn typescript_lists_every_error_code() {
    let ts = include_str!("typescript.rs");
    for code in crate::jwt::TOKEN_ERROR_CODES {
        assert!(
            ts.contains(&format!("'{code}'")),
            "TokenErrorCode lacks {code}"
        );
    }
    for code in [
        UsageCode::InvalidConfig,
        UsageCode::InvalidArgument,
        UsageCode::NotSignedIn,
        UsageCode::NoSignInInProgress,
        UsageCode::AlreadySignedIn,
    ] {
        assert!(
            ts.contains(&format!("'{}'", code.as_str())),
            "OwnErrorCode lacks {code:?}"
        );
    }
    for name in [
        "NotAuthorizedException",
        "UserNotConfirmedException",
        "RefreshTokenReuseException",
    ] {
        assert_eq!(CognitoErrorCode::from_wire(name).as_str(), name);
        assert!(ts.contains(&format!("'{name}'")));
    }
}
