//! The wasm's JavaScript boundary in headless Chromium against the Cognito emulator: `Core` (calls by method
//! name and JSON text, resolving to JSON text and rejecting with the JSON of `{name, code, message}`) and
//! `verifyToken`, over the browser's real `fetch` (CORS, headers), `crypto.getRandomValues` and a JS store.
//! Covered: Cognito errors as error JSON, SRP sign-in, a session reloaded by a new `Core` over the same store,
//! refresh, another tab's change picked up by `storageChanged`, sign-out, token verification (tampered tokens,
//! `jwks` given as an object or as text, `now`, `jwksUrl`), and bad configuration.
//!
//! What is JavaScript only is not tested here: the public `CognitoAuth` class of `js/auth.js` (opening
//! `'local'`/`'session'`/`'memory'` stores, `auth.fetch` with its bearer token, origin check and single retry
//! after a 401, listeners, `CognitoWasmError`) runs in the Node suites (`tests/node/`, `auth.fetch` in
//! `concurrency.test.mjs` and `fetch-origins.test.mjs`) and in the Playwright suite over the demo
//! (`tests/e2e/`).
//!
//! `scripts/test.sh` starts the emulator and passes its endpoint, pool and client at compile time; without
//! them every test that needs it prints a skip message and passes, or fails when compiled under `CI=true`
//! (`tests/support/ci.rs`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cognito_wasm::wasm::{verify_token, Core, JsStore};
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/ci.rs"]
mod ci;

struct Emulator {
    endpoint: &'static str,
    pool: &'static str,
    client: &'static str,
}

fn emulator() -> Option<Emulator> {
    match (
        option_env!("COGNITO_EMULATOR_ENDPOINT"),
        option_env!("COGNITO_EMULATOR_POOL_ID"),
        option_env!("COGNITO_EMULATOR_CLIENT_ID"),
    ) {
        (Some(endpoint), Some(pool), Some(client)) => Some(Emulator {
            endpoint,
            pool,
            client,
        }),
        _ => {
            ci::skip_unless_ci(
                "COGNITO_EMULATOR_* were not set at build time (run through npm test)",
            );
            None
        }
    }
}

impl Emulator {
    fn options(&self) -> Value {
        json!({ "userPoolId": self.pool, "clientId": self.client, "endpoint": self.endpoint })
    }

    fn verify_options(&self, token_use: &str) -> Value {
        json!({
            "userPoolId": self.pool,
            "clientId": self.client,
            "tokenUse": token_use,
            "endpoint": self.endpoint,
        })
    }

    fn jwks_url(&self) -> String {
        format!(
            "{}/{}/.well-known/jwks.json",
            self.endpoint.trim_end_matches('/'),
            self.pool
        )
    }

    /// The key where a `Core` for this client keeps its session (`CognitoWasm.<clientId>.session`).
    fn session_key(&self) -> String {
        format!("CognitoWasm.{}.session", self.client)
    }
}

/// JSON text from the wasm, read the way the JS entry reads it (`JSON.parse` must accept it), then as a value.
fn parse(text: &str) -> Value {
    assert!(
        js_sys::JSON::parse(text).is_ok(),
        "JSON.parse refuses {text:?}"
    );
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text:?}"))
}

/// An error from the boundary: the JSON of `{name, code, message}`, all three strings.
fn error_of(thrown: JsValue) -> Value {
    let text = thrown
        .as_string()
        .unwrap_or_else(|| panic!("an error must be JSON text, got {thrown:?}"));
    let error = parse(&text);
    for field in ["name", "code", "message"] {
        assert!(error[field].is_string(), "{field} in {text}");
    }
    error
}

/// A promise from the boundary: resolved values and rejections both arrive as JSON text.
async fn settle(promise: js_sys::Promise) -> Result<Value, Value> {
    match JsFuture::from(promise).await {
        Ok(value) => {
            let text = value
                .as_string()
                .unwrap_or_else(|| panic!("a result must be JSON text, got {value:?}"));
            Ok(parse(&text))
        }
        Err(thrown) => Err(error_of(thrown)),
    }
}

/// A store as the JS entry hands one over: a plain object whose `getItem`/`setItem`/`removeItem` are Rust
/// closures over a map the test can look into.
#[derive(Clone)]
struct MapStore {
    items: Rc<RefCell<BTreeMap<String, String>>>,
    object: js_sys::Object,
}

impl MapStore {
    fn new() -> Self {
        let items = Rc::new(RefCell::new(BTreeMap::<String, String>::new()));
        let object = js_sys::Object::new();
        let get = {
            let items = Rc::clone(&items);
            Closure::<dyn Fn(String) -> JsValue>::new(move |key: String| {
                items
                    .borrow()
                    .get(&key)
                    .map_or(JsValue::NULL, |v| JsValue::from_str(v))
            })
            .into_js_value()
        };
        let set = {
            let items = Rc::clone(&items);
            Closure::<dyn Fn(String, String)>::new(move |key: String, value: String| {
                items.borrow_mut().insert(key, value);
            })
            .into_js_value()
        };
        let remove = {
            let items = Rc::clone(&items);
            Closure::<dyn Fn(String)>::new(move |key: String| {
                items.borrow_mut().remove(&key);
            })
            .into_js_value()
        };
        for (name, method) in [("getItem", get), ("setItem", set), ("removeItem", remove)] {
            js_sys::Reflect::set(&object, &JsValue::from_str(name), &method).unwrap();
        }
        MapStore { items, object }
    }

    fn js(&self) -> JsStore {
        self.object.clone().unchecked_into()
    }

    fn get(&self, key: &str) -> Option<String> {
        self.items.borrow().get(key).cloned()
    }
}

/// The event names a `Core` reports through its `on_event` function.
#[derive(Clone, Default)]
struct Events(Rc<RefCell<Vec<String>>>);

impl Events {
    fn function(&self) -> js_sys::Function {
        let seen = Rc::clone(&self.0);
        Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            seen.borrow_mut().push(
                event
                    .as_string()
                    .unwrap_or_else(|| panic!("an event is its name, got {event:?}")),
            );
        })
        .into_js_value()
        .unchecked_into()
    }

    fn seen(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    fn contains(&self, event: &str) -> bool {
        self.0.borrow().iter().any(|e| e == event)
    }
}

fn core_with(options: &Value, store: &MapStore, events: &Events) -> Core {
    Core::new(&options.to_string(), store.js(), events.function(), None)
        .unwrap_or_else(|e| panic!("Core::new failed: {e:?}"))
}

fn core(emu: &Emulator, store: &MapStore) -> Core {
    core_with(&emu.options(), store, &Events::default())
}

async fn call(core: &Core, method: &str, input: Value) -> Result<Value, Value> {
    settle(core.call(method, &input.to_string())).await
}

/// Waits `ms` milliseconds (a macrotask, so that work queued with `spawn_local` runs meanwhile).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout: js_sys::Function =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
                .unwrap()
                .unchecked_into();
        set_timeout
            .call2(&JsValue::NULL, &resolve, &JsValue::from(ms))
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64)
}

/// Signs up and confirms a fresh user (the emulator accepts any confirmation code).
async fn confirmed_user(core: &Core, password: &str) -> String {
    let username = unique("browser");
    let out = call(
        core,
        "signUp",
        json!({
            "username": username,
            "password": password,
            "options": { "userAttributes": { "email": format!("{username}@example.com") } },
        }),
    )
    .await
    .unwrap();
    assert_eq!(out["nextStep"]["signUpStep"], "CONFIRM_SIGN_UP", "{out}");
    let out = call(
        core,
        "confirmSignUp",
        json!({ "username": username, "confirmationCode": "123456" }),
    )
    .await
    .unwrap();
    assert_eq!(out["isSignUpComplete"], true, "{out}");
    username
}

/// Signs `username` in and returns the ID token.
async fn signed_in_id_token(core: &Core, username: &str, password: &str) -> String {
    let out = call(
        core,
        "signIn",
        json!({ "username": username, "password": password }),
    )
    .await
    .unwrap();
    assert_eq!(out["isSignedIn"], true, "{out}");
    let token = call(core, "getIdToken", Value::Null).await.unwrap();
    token.as_str().expect("a token is a JSON string").to_owned()
}

/// `token` with one character of its signature changed.
fn tampered(token: &str) -> String {
    let mut bytes = token.as_bytes().to_vec();
    let at = bytes.len() - 2;
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[wasm_bindgen_test]
async fn cognito_errors_surface_as_error_json_with_name_and_code() {
    let Some(emu) = emulator() else { return };
    let store = MapStore::new();
    let core = core(&emu, &store);
    let username = confirmed_user(&core, "Passw0rd!").await;

    let err = call(
        &core,
        "signUp",
        json!({ "username": username, "password": "Passw0rd!" }),
    )
    .await
    .unwrap_err();
    assert_eq!(err["name"], "CognitoServiceError", "{err}");
    assert_eq!(err["code"], "UsernameExistsException", "{err}");

    let err = call(
        &core,
        "signUp",
        json!({ "username": unique("weak"), "password": "short" }),
    )
    .await
    .unwrap_err();
    assert_eq!(err["name"], "CognitoServiceError", "{err}");
    assert_eq!(err["code"], "InvalidPasswordException", "{err}");

    // What the boundary itself refuses rejects the same way, before any request.
    let err = call(&core, "signIn", json!({ "username": username }))
        .await
        .unwrap_err();
    assert_eq!(err["name"], "UsageError", "{err}");
    assert_eq!(err["code"], "InvalidArgument", "{err}");
    assert_eq!(err["message"], "signIn input.password is required", "{err}");
    let err = call(&core, "noSuchMethod", Value::Null).await.unwrap_err();
    assert_eq!(err["code"], "InvalidArgument", "{err}");
    let err = settle(core.call("signUp", "{not json")).await.unwrap_err();
    assert_eq!(err["code"], "InvalidArgument", "{err}");
}

#[wasm_bindgen_test]
async fn srp_sign_in_session_reload_refresh_and_sign_out() {
    let Some(emu) = emulator() else { return };
    let store = MapStore::new();
    let first_events = Events::default();
    let first = core_with(&emu.options(), &store, &first_events);
    let username = confirmed_user(&first, "Passw0rd!").await;

    let wrong = call(
        &first,
        "signIn",
        json!({ "username": username, "password": "Wr0ngPassword" }),
    )
    .await
    .unwrap_err();
    assert_eq!(wrong["code"], "NotAuthorizedException", "{wrong}");
    assert_eq!(store.get(&emu.session_key()), None);

    // The default flow is USER_SRP_AUTH: A from the browser's random bytes, the proof computed in the wasm.
    let out = call(
        &first,
        "signIn",
        json!({ "username": username, "password": "Passw0rd!" }),
    )
    .await
    .unwrap();
    assert_eq!(out["isSignedIn"], true, "{out}");
    assert_eq!(out["nextStep"]["signInStep"], "DONE", "{out}");
    assert_eq!(first_events.seen(), ["signedIn"]);
    let stored = store
        .get(&emu.session_key())
        .expect("the session is stored under its key");
    assert!(
        !stored.contains("Passw0rd!"),
        "the password must never be stored"
    );

    let user = call(&first, "currentUser", Value::Null).await.unwrap();
    assert_eq!(user["username"], username.as_str(), "{user}");
    assert_eq!(user["email"], format!("{username}@example.com"), "{user}");
    assert_eq!(user["claims"]["token_use"], "id", "{user}");
    assert!(user["groups"].is_array(), "{user}");

    // A "reload": a new Core over the same store sees the same user.
    let second_events = Events::default();
    let second = core_with(&emu.options(), &store, &second_events);
    let user = call(&second, "currentUser", Value::Null).await.unwrap();
    assert_eq!(user["username"], username.as_str(), "{user}");

    let access = call(&second, "getAccessToken", Value::Null).await.unwrap();
    assert!(access.is_string(), "{access}");
    let refreshed = call(&second, "getAccessToken", json!({ "forceRefresh": true }))
        .await
        .unwrap();
    assert!(refreshed.is_string(), "{refreshed}");
    assert_ne!(access, refreshed);
    assert!(
        second_events.contains("tokenRefresh"),
        "{:?}",
        second_events.seen()
    );
    assert_ne!(store.get(&emu.session_key()).as_ref(), Some(&stored));

    let claims = settle(verify_token(
        refreshed.as_str().unwrap().to_owned(),
        emu.verify_options("access").to_string(),
    ))
    .await
    .unwrap();
    assert_eq!(claims["username"], username.as_str(), "{claims}");
    assert_eq!(claims["token_use"], "access", "{claims}");

    let out = call(&second, "signOut", Value::Null).await.unwrap();
    assert_eq!(out, Value::Null);
    assert!(
        second_events.contains("signedOut"),
        "{:?}",
        second_events.seen()
    );
    assert_eq!(store.get(&emu.session_key()), None);
    assert_eq!(
        call(&second, "currentUser", Value::Null).await.unwrap(),
        Value::Null
    );
    let err = call(&second, "getAccessToken", Value::Null)
        .await
        .unwrap_err();
    assert_eq!(err["name"], "UsageError", "{err}");
    assert_eq!(err["code"], "NotSignedIn", "{err}");

    // The first Core learns of the other "tab"'s sign-out only through storageChanged, and only for its key.
    first.storage_changed(Some("someone.else's.key".to_owned()));
    sleep(50).await;
    assert!(
        !first_events.contains("signedOut"),
        "{:?}",
        first_events.seen()
    );
    first.storage_changed(Some(emu.session_key()));
    for _ in 0..100 {
        if first_events.contains("signedOut") {
            break;
        }
        sleep(10).await;
    }
    assert_eq!(first_events.seen(), ["signedIn", "signedOut"]);
    assert_eq!(
        call(&first, "currentUser", Value::Null).await.unwrap(),
        Value::Null
    );
}

#[wasm_bindgen_test]
async fn verify_token_rejects_a_tampered_emulator_token() {
    let Some(emu) = emulator() else { return };
    let core = core(&emu, &MapStore::new());
    let username = confirmed_user(&core, "Passw0rd!").await;
    let token = signed_in_id_token(&core, &username, "Passw0rd!").await;

    let options = emu.verify_options("id").to_string();
    let claims = settle(verify_token(token.clone(), options.clone()))
        .await
        .unwrap();
    assert_eq!(claims["cognito:username"], username.as_str(), "{claims}");
    assert_eq!(claims["token_use"], "id", "{claims}");

    let err = settle(verify_token(tampered(&token), options))
        .await
        .unwrap_err();
    assert_eq!(err["name"], "TokenError", "{err}");
    assert_eq!(err["code"], "JwtInvalidSignature", "{err}");

    let err = settle(verify_token(
        token,
        emu.verify_options("access").to_string(),
    ))
    .await
    .unwrap_err();
    assert_eq!(err["name"], "TokenError", "{err}");
    assert_eq!(err["code"], "JwtInvalidTokenUse", "{err}");
}

/// The pool's JWKS document, fetched from the emulator with the page's own `fetch`.
async fn fetched_jwks(emu: &Emulator) -> String {
    let fetch: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
            .unwrap()
            .unchecked_into();
    let response = fetch
        .call1(&JsValue::NULL, &JsValue::from_str(&emu.jwks_url()))
        .unwrap();
    let response = JsFuture::from(js_sys::Promise::from(response))
        .await
        .unwrap();
    let text: js_sys::Function = js_sys::Reflect::get(&response, &JsValue::from_str("text"))
        .unwrap()
        .unchecked_into();
    let text = JsFuture::from(js_sys::Promise::from(text.call0(&response).unwrap()))
        .await
        .unwrap();
    text.as_string().unwrap()
}

#[wasm_bindgen_test]
async fn verify_token_takes_the_keys_as_an_object_or_as_text_and_a_given_now() {
    let Some(emu) = emulator() else { return };
    let core = core(&emu, &MapStore::new());
    let username = confirmed_user(&core, "Passw0rd!").await;
    let token = signed_in_id_token(&core, &username, "Passw0rd!").await;
    let jwks_text = fetched_jwks(&emu).await;
    let jwks: Value = serde_json::from_str(&jwks_text).unwrap();
    // No request is made when the keys are given: an endpoint that serves nothing does not matter.
    let options = |jwks: Value, extra: Value| {
        let mut options = json!({
            "userPoolId": emu.pool,
            "clientId": emu.client,
            "tokenUse": "id",
            "endpoint": "http://127.0.0.1:9/",
            "jwks": jwks,
        });
        for (key, value) in extra.as_object().unwrap() {
            options[key] = value.clone();
        }
        options.to_string()
    };
    let mut exp = 0;
    for given in [jwks.clone(), Value::String(jwks_text.clone())] {
        let claims = settle(verify_token(
            token.clone(),
            options(given.clone(), json!({})),
        ))
        .await
        .unwrap();
        assert_eq!(claims["cognito:username"], username.as_str(), "{claims}");
        exp = claims["exp"].as_i64().expect("exp is a whole number");
        let err = settle(verify_token(tampered(&token), options(given, json!({}))))
            .await
            .unwrap_err();
        assert_eq!(err["code"], "JwtInvalidSignature", "{err}");
    }

    // `now` (whole seconds) stands in for the clock; `clockSkewSeconds` widens the window.
    let later = json!({ "now": exp + 3600, "clockSkewSeconds": 0 });
    let err = settle(verify_token(token.clone(), options(jwks.clone(), later)))
        .await
        .unwrap_err();
    assert_eq!(err["name"], "TokenError", "{err}");
    assert_eq!(err["code"], "JwtExpired", "{err}");
    let skewed = json!({ "now": exp + 30, "clockSkewSeconds": 60 });
    settle(verify_token(token.clone(), options(jwks.clone(), skewed)))
        .await
        .unwrap();

    // Required groups: the emulator's new user is in none.
    let err = settle(verify_token(
        token.clone(),
        options(jwks.clone(), json!({ "groups": ["admins"] })),
    ))
    .await
    .unwrap_err();
    assert_eq!(err["name"], "TokenError", "{err}");
    assert_eq!(err["code"], "JwtMissingGroup", "{err}");

    // Options of the wrong shape are usage errors.
    let err = settle(verify_token(token.clone(), options(json!(7), json!({}))))
        .await
        .unwrap_err();
    assert_eq!(err["name"], "UsageError", "{err}");
    assert_eq!(err["code"], "InvalidArgument", "{err}");
    let err = settle(verify_token(
        token.clone(),
        options(jwks.clone(), json!({ "tokenUse": "refresh" })),
    ))
    .await
    .unwrap_err();
    assert_eq!(err["code"], "InvalidArgument", "{err}");
    let err = settle(verify_token(token, options(jwks, json!({ "now": 1.5 }))))
        .await
        .unwrap_err();
    assert_eq!(err["code"], "InvalidArgument", "{err}");
}

#[wasm_bindgen_test]
async fn bad_configuration_throws_invalid_config() {
    let store = MapStore::new();
    for bad in [
        json!({ "userPoolId": "nope", "clientId": "abc" }).to_string(),
        json!({ "userPoolId": "us-east-1_abc" }).to_string(),
        json!({ "userPoolId": "us-east-1_abc", "clientId": "abc", "authFlow": "CUSTOM" })
            .to_string(),
        json!({ "userPoolId": "us-east-1_abc", "clientId": "abc", "requestTimeoutMs": "soon" })
            .to_string(),
        "[]".to_owned(),
        "{not json".to_owned(),
    ] {
        let thrown = Core::new(&bad, store.js(), Events::default().function(), None)
            .err()
            .unwrap_or_else(|| panic!("{bad} was accepted"));
        let err = error_of(thrown);
        assert_eq!(err["name"], "UsageError", "{bad}: {err}");
        assert_eq!(err["code"], "InvalidConfig", "{bad}: {err}");
    }

    // verifyToken's pool settings are checked the same way.
    let err = settle(verify_token(
        "a.b.c".to_owned(),
        json!({ "userPoolId": "nope", "clientId": "abc", "tokenUse": "id" }).to_string(),
    ))
    .await
    .unwrap_err();
    assert_eq!(err["name"], "UsageError", "{err}");
    assert_eq!(err["code"], "InvalidConfig", "{err}");
}

#[wasm_bindgen_test]
async fn jwks_url_says_where_the_keys_come_from() {
    let Some(emu) = emulator() else { return };
    let endpoint = emu.endpoint.trim_end_matches('/');

    // Keys looked for where there are none: Cognito accepts the password, but the tokens cannot be
    // verified, so the sign-in fails and nobody is signed in.
    let mut options = emu.options();
    options["jwksUrl"] = json!(format!("{endpoint}/no-such/jwks.json"));
    let store = MapStore::new();
    let events = Events::default();
    let keyless = core_with(&options, &store, &events);
    let username = confirmed_user(&keyless, "Passw0rd!").await;
    let err = call(
        &keyless,
        "signIn",
        json!({ "username": username, "password": "Passw0rd!" }),
    )
    .await
    .unwrap_err();
    assert_eq!(err["name"], "ProtocolError", "{err}");
    assert_eq!(
        call(&keyless, "currentUser", Value::Null).await.unwrap(),
        Value::Null
    );
    assert_eq!(store.get(&emu.session_key()), None);
    assert!(!events.contains("signedIn"), "{:?}", events.seen());

    // verifyToken with an endpoint that serves nothing finds the keys at `jwksUrl`.
    let core = core(&emu, &MapStore::new());
    let token = signed_in_id_token(&core, &username, "Passw0rd!").await;
    let mut options = emu.verify_options("id");
    options["endpoint"] = json!("http://127.0.0.1:9/");
    options["jwksUrl"] = json!(emu.jwks_url());
    let claims = settle(verify_token(token, options.to_string()))
        .await
        .unwrap();
    assert_eq!(claims["cognito:username"], username.as_str(), "{claims}");
}

/// Issue 13's auto sign-in, in the browser: the password given to `signUp` signs the user in once confirmed,
/// through SRP with the browser's random bytes, and is not usable twice.
#[wasm_bindgen_test]
async fn sign_up_with_auto_sign_in_signs_in_after_the_confirmation() {
    let Some(emu) = emulator() else { return };
    let store = MapStore::new();
    let events = Events::default();
    let core = core_with(&emu.options(), &store, &events);
    let username = unique("auto");
    let out = call(
        &core,
        "signUp",
        json!({
            "username": username,
            "password": "Passw0rd!",
            "options": {
                "userAttributes": { "email": format!("{username}@example.com") },
                "autoSignIn": true,
            },
        }),
    )
    .await
    .unwrap();
    assert_eq!(out["nextStep"]["signUpStep"], "CONFIRM_SIGN_UP", "{out}");
    let early = call(&core, "autoSignIn", Value::Null).await.unwrap_err();
    assert_eq!(early["code"], "NoAutoSignIn", "{early}");
    let out = call(
        &core,
        "confirmSignUp",
        json!({ "username": username, "confirmationCode": "123456" }),
    )
    .await
    .unwrap();
    assert_eq!(
        out["nextStep"]["signUpStep"], "COMPLETE_AUTO_SIGN_IN",
        "{out}"
    );
    let out = call(&core, "autoSignIn", Value::Null).await.unwrap();
    assert_eq!(out["isSignedIn"], true, "{out}");
    assert!(
        store.get(&emu.session_key()).is_some(),
        "the session is stored"
    );
    assert_eq!(events.seen(), ["signedIn"]);
    let again = call(&core, "autoSignIn", Value::Null).await.unwrap_err();
    assert_eq!(again["code"], "NoAutoSignIn", "{again}");
}
