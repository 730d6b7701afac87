//! Browser tests of the shell itself (headless Chromium through wasm-bindgen-test-runner): the error JSON, the
//! JS store, the browser platform (randomness, clock, fetch) and `Core`'s constructor and calls, none of which
//! needs the Cognito emulator (`tests/browser_e2e.rs` has the flows against it).

use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use super::core::Core;
use super::error::{error_json, error_value};
use super::platform;
use super::storage::JsStore;
use crate::error::{CognitoErrorCode, Error, UsageCode};

wasm_bindgen_test_configure!(run_in_browser);

/// JSON text from the shell, read as the JS entry reads it (`JSON.parse` must accept it), then as a value.
fn parse(text: &str) -> Value {
    assert!(
        js_sys::JSON::parse(text).is_ok(),
        "JSON.parse refuses {text:?}"
    );
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

/// A thrown or rejected value: the JSON text of `{name, code, message}`, all three strings.
fn thrown_error(value: &JsValue) -> Value {
    let text = value
        .as_string()
        .unwrap_or_else(|| panic!("an error must be JSON text, got {value:?}"));
    let error = parse(&text);
    for field in ["name", "code", "message"] {
        assert!(error[field].is_string(), "{field} in {text}");
    }
    error
}

fn global(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap()
}

/// An object made by a JavaScript expression.
fn js_object(source: &str) -> JsValue {
    js_sys::eval(source).unwrap_or_else(|e| panic!("{source}: {e:?}"))
}

fn store(value: JsValue) -> JsStore {
    value.unchecked_into()
}

fn no_events() -> js_sys::Function {
    Closure::<dyn Fn(JsValue)>::new(|_: JsValue| {})
        .into_js_value()
        .unchecked_into()
}

#[wasm_bindgen_test]
fn error_json_carries_name_code_and_message() {
    let error = Error::Service {
        code: CognitoErrorCode::UserNotConfirmed,
        message: "User is not confirmed.".into(),
    };
    let json = parse(&error_json(&error));
    assert_eq!(json["name"], "CognitoServiceError");
    assert_eq!(json["code"], "UserNotConfirmedException");
    assert_eq!(json["message"], "User is not confirmed.");
    assert_eq!(json.as_object().unwrap().len(), 3, "{json}");

    let json = parse(&error_json(&Error::usage(
        UsageCode::NotSignedIn,
        "no user is signed in",
    )));
    assert_eq!(json["name"], "UsageError");
    assert_eq!(json["code"], "NotSignedIn");
    assert_eq!(json["message"], "no user is signed in");

    let json = parse(&error_json(&Error::Network("offline".into())));
    assert_eq!(
        (&json["name"], &json["code"]),
        (&"NetworkError".into(), &"NetworkError".into())
    );
    assert_eq!(json["message"], "network error: offline");

    // Whatever the message holds arrives intact through JSON.parse.
    let awkward = "quote \" backslash \\ newline \n tab \t nul \u{0} ✓ 𝄞 </script>";
    let error = Error::Storage(awkward.into());
    let parsed = js_sys::JSON::parse(&error_json(&error)).unwrap();
    let message = js_sys::Reflect::get(&parsed, &JsValue::from_str("message")).unwrap();
    assert_eq!(
        message.as_string().unwrap(),
        format!("storage error: {awkward}")
    );

    // The value a promise rejects with is that same text, as a JS string.
    let error = Error::usage(UsageCode::InvalidConfig, "bad");
    assert_eq!(
        error_value(error.clone()).as_string(),
        Some(error_json(&error))
    );
}

fn round_trip(store: &JsStore) {
    let key = "cognito-wasm-test.key";
    store.remove(key).unwrap();
    assert_eq!(store.get(key).unwrap(), None);
    store.set(key, "v1 ✓ \"quoted\"").unwrap();
    assert_eq!(store.get(key).unwrap().as_deref(), Some("v1 ✓ \"quoted\""));
    store.set(key, "v2").unwrap();
    assert_eq!(store.get(key).unwrap().as_deref(), Some("v2"));
    store.set(key, "").unwrap();
    assert_eq!(store.get(key).unwrap().as_deref(), Some(""));
    store.remove(key).unwrap();
    assert_eq!(store.get(key).unwrap(), None);
    // Removing what is not there is no error.
    store.remove(key).unwrap();
}

#[wasm_bindgen_test]
fn web_storage_is_a_store_as_it_is() {
    for name in ["localStorage", "sessionStorage"] {
        let storage = global(name);
        assert!(storage.is_object(), "{name} is missing");
        let js = store(storage.clone());
        round_trip(&js);
        // What the store wrote is what the page sees.
        js.set("cognito-wasm-test.seen", "yes").unwrap();
        let get: js_sys::Function = js_sys::Reflect::get(&storage, &"getItem".into())
            .unwrap()
            .unchecked_into();
        assert_eq!(
            get.call1(&storage, &"cognito-wasm-test.seen".into())
                .unwrap()
                .as_string()
                .as_deref(),
            Some("yes"),
            "{name}"
        );
        js.remove("cognito-wasm-test.seen").unwrap();
    }
}

#[wasm_bindgen_test]
fn custom_stores_are_called_and_checked() {
    let custom = js_object(
        "(() => { const m = new Map(); return { getItem: k => m.has(k) ? m.get(k) : null, \
         setItem: (k, v) => { m.set(k, String(v)); }, removeItem: k => { m.delete(k); }, m }; })()",
    );
    round_trip(&store(custom.clone()));
    store(custom.clone()).set("k", "v").unwrap();
    let map: js_sys::Map = js_sys::Reflect::get(&custom, &"m".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(map.get(&"k".into()).as_string().as_deref(), Some("v"));

    // `undefined` reads as absent, like `null`.
    let undefined = store(js_object(
        "({ getItem() {}, setItem() {}, removeItem() {} })",
    ));
    assert_eq!(undefined.get("k").unwrap(), None);

    // A getItem that answers with anything but a string or null: a number, an object, a promise (an
    // asynchronous store).
    for source in [
        "({ getItem: () => 42, setItem() {}, removeItem() {} })",
        "({ getItem: () => ({ value: 'x' }), setItem() {}, removeItem() {} })",
        "({ getItem: async () => 'x', setItem: async () => {}, removeItem: async () => {} })",
    ] {
        let err = store(js_object(source)).get("k").unwrap_err();
        assert_eq!(
            (err.name(), err.code()),
            ("StorageError", "StorageError"),
            "{source}"
        );
    }

    // What a store throws is a StorageError carrying the thrown message.
    let throwing = store(js_object(
        "({ getItem() { throw new Error('quota'); }, setItem() { throw new DOMException('full', 'QuotaExceededError'); }, \
         removeItem() { throw 'plain string'; } })",
    ));
    let err = throwing.get("k").unwrap_err();
    assert_eq!(err.code(), "StorageError");
    assert!(err.to_string().contains("quota"), "{err}");
    let err = throwing.set("k", "v").unwrap_err();
    assert_eq!(err.code(), "StorageError");
    assert!(err.to_string().contains("QuotaExceededError"), "{err}");
    let err = throwing.remove("k").unwrap_err();
    assert_eq!(err.code(), "StorageError");
    assert!(err.to_string().contains("plain string"), "{err}");

    // A missing method is a StorageError when it is called (the JS entry checks the three up front).
    let incomplete = store(js_object("({ getItem() { return null; } })"));
    assert_eq!(incomplete.set("k", "v").unwrap_err().code(), "StorageError");
}

#[wasm_bindgen_test]
fn random_bytes_come_from_the_browser() {
    let mut a = [0u8; 128];
    let mut b = [0u8; 128];
    platform::fill_random(&mut a).unwrap();
    platform::fill_random(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 128]);
    // More than getRandomValues' 65,536 bytes per call: every chunk is filled.
    let mut big = vec![0u8; 70_000];
    platform::fill_random(&mut big).unwrap();
    assert!(big[..65_536].iter().any(|&x| x != 0));
    assert!(big[65_536..].iter().any(|&x| x != 0));
    platform::fill_random(&mut []).unwrap();
}

#[wasm_bindgen_test]
fn clock_is_unix_millis() {
    let now = platform::now_millis();
    // 2020-01-01 .. 2100-01-01
    assert!(
        (1_577_836_800_000..4_102_444_800_000).contains(&now),
        "{now}"
    );
    let date_now = js_sys::Date::now() as i64;
    assert!((date_now - now).abs() < 60_000, "{now} vs {date_now}");
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
    let err = platform::send(&request, 5_000, 1024).await.unwrap_err();
    assert_eq!((err.name(), err.code()), ("NetworkError", "NetworkError"));
}

#[wasm_bindgen_test]
fn core_with_bad_options_throws_the_invalid_config_json() {
    let memory = js_object("({ getItem: () => null, setItem() {}, removeItem() {} })");
    for bad in [
        r#"{"userPoolId":"nope","clientId":"abc"}"#,
        r#"{"userPoolId":"us-east-1_abc"}"#,
        r#"{"userPoolId":"us-east-1_abc","clientId":"abc","clockSkewSeconds":1.5}"#,
        r#"{"userPoolId":"us-east-1_abc","clientId":"abc","endpoint":"not a url"}"#,
        "null",
        "",
        "{",
    ] {
        let thrown = Core::new(bad, store(memory.clone()), no_events(), None)
            .err()
            .unwrap_or_else(|| panic!("{bad:?} was accepted"));
        let error = thrown_error(&thrown);
        assert_eq!(error["name"], "UsageError", "{bad:?}: {error}");
        assert_eq!(error["code"], "InvalidConfig", "{bad:?}: {error}");
    }
    assert!(Core::new(
        r#"{"userPoolId":"us-east-1_abc","clientId":"abc"}"#,
        store(memory),
        no_events(),
        None
    )
    .is_ok());
}

#[wasm_bindgen_test]
async fn core_calls_reject_with_the_error_json() {
    let options =
        r#"{"userPoolId":"us-east-1_abc","clientId":"abc","endpoint":"http://127.0.0.1:9/"}"#;
    let memory = js_object(
        "(() => { const m = new Map(); return { getItem: k => m.has(k) ? m.get(k) : null, \
         setItem: (k, v) => { m.set(k, String(v)); }, removeItem: k => { m.delete(k); } }; })()",
    );
    let core = Core::new(options, store(memory), no_events(), None).unwrap();
    let settle = |method: &str, input: &str| JsFuture::from(core.call(method, input));

    // Nobody is signed in: currentUser is JSON null, a token is NotSignedIn.
    let user = settle("currentUser", "null").await.unwrap();
    assert_eq!(user.as_string().as_deref(), Some("null"));
    let err = thrown_error(&settle("getAccessToken", "null").await.unwrap_err());
    assert_eq!(
        (&err["name"], &err["code"]),
        (&"UsageError".into(), &"NotSignedIn".into())
    );

    // What the boundary refuses: unknown methods, inputs that are not objects, missing fields.
    for (method, input) in [
        ("noSuchMethod", "{}"),
        ("signIn", "[]"),
        ("signIn", "not json"),
        ("signIn", r#"{"username":"alice"}"#),
    ] {
        let err = thrown_error(&settle(method, input).await.unwrap_err());
        assert_eq!(err["code"], "InvalidArgument", "{method} {input}: {err}");
    }

    // Cognito cannot be reached: a NetworkError, as JSON.
    let err = thrown_error(
        &settle("signIn", r#"{"username":"alice","password":"Passw0rd!"}"#)
            .await
            .unwrap_err(),
    );
    assert_eq!(err["code"], "NetworkError", "{err}");

    // A store that breaks its contract surfaces as a StorageError from the call that read it.
    let broken = js_object("({ getItem: () => 7, setItem() {}, removeItem() {} })");
    let core = Core::new(options, store(broken), no_events(), None).unwrap();
    let err = thrown_error(
        &JsFuture::from(core.call("currentUser", "null"))
            .await
            .unwrap_err(),
    );
    assert_eq!(err["code"], "StorageError", "{err}");
}

#[wasm_bindgen_test]
fn typescript_lists_every_error_code() {
    let ts = include_str!("../../js/index.d.ts");
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
        UsageCode::OriginNotAllowed,
    ] {
        assert!(
            ts.contains(&format!("'{}'", code.as_str())),
            "OwnErrorCode lacks {code:?}"
        );
    }
    for name in [
        "CognitoServiceError",
        "TokenError",
        "NetworkError",
        "ProtocolError",
        "StorageError",
        "UsageError",
    ] {
        assert!(ts.contains(&format!("'{name}'")), "lacks {name}");
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
