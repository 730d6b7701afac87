//! The JavaScript API in headless Chromium against the Cognito emulator: CORS, headers, SRP, sessions,
//! refresh, errors as real JS `Error`s with `name` and `code`.
//!
//! `scripts/test.sh` starts the emulator and passes its endpoint, pool and client at compile time; without
//! them every test prints a skip message and passes, or fails when compiled under `CI=true`
//! (`tests/support/ci.rs`).
#![cfg(target_arch = "wasm32")]

use cognito_wasm::wasm::{verify_token, CognitoAuth};
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

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

fn s(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        js_sys::Reflect::get(&v, &s(key)).unwrap_or(JsValue::UNDEFINED)
    })
}

fn get_str(value: &JsValue, path: &str) -> Option<String> {
    get(value, path).as_string()
}

async fn settle(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

fn auth(emu: &Emulator, storage: &str) -> CognitoAuth {
    CognitoAuth::new(object(&[
        ("userPoolId", s(emu.pool)),
        ("clientId", s(emu.client)),
        ("endpoint", s(emu.endpoint)),
        ("storage", s(storage)),
    ]))
    .unwrap()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", (js_sys::Math::random() * 1e12) as u64)
}

fn credentials(username: &str, password: &str) -> JsValue {
    object(&[("username", s(username)), ("password", s(password))])
}

/// Signs up and confirms a fresh user (the emulator accepts any confirmation code).
/// Signs `username` in and returns the ID token.
async fn signed_in_id_token(auth: &CognitoAuth, username: &str, password: &str) -> String {
    settle(auth.sign_in(credentials(username, password)))
        .await
        .unwrap();
    settle(auth.get_id_token(JsValue::UNDEFINED))
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

async fn confirmed_user(auth: &CognitoAuth, password: &str) -> String {
    let username = unique("browser");
    let input = object(&[
        ("username", s(&username)),
        ("password", s(password)),
        (
            "attributes",
            object(&[("email", s(&format!("{username}@example.com")))]),
        ),
    ]);
    let out = settle(auth.sign_up(input)).await.unwrap();
    assert_eq!(
        get_str(&out, "nextStep.signUpStep").as_deref(),
        Some("CONFIRM_SIGN_UP")
    );
    let out =
        settle(auth.confirm_sign_up(object(&[("username", s(&username)), ("code", s("123456"))])))
            .await
            .unwrap();
    assert_eq!(get(&out, "isSignUpComplete"), JsValue::TRUE);
    username
}

#[wasm_bindgen_test]
async fn cognito_errors_surface_as_js_errors_with_name_and_code() {
    let Some(emu) = emulator() else { return };
    let auth = auth(&emu, "memory");
    let username = confirmed_user(&auth, "Passw0rd!").await;
    let input = object(&[("username", s(&username)), ("password", s("Passw0rd!"))]);
    let err = settle(auth.sign_up(input)).await.unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get_str(&err, "name").as_deref(),
        Some("CognitoServiceError")
    );
    assert_eq!(
        get_str(&err, "code").as_deref(),
        Some("UsernameExistsException")
    );

    let err = settle(auth.sign_up(object(&[
        ("username", s(&unique("weak"))),
        ("password", s("short")),
    ])))
    .await
    .unwrap_err();
    assert_eq!(
        get_str(&err, "code").as_deref(),
        Some("InvalidPasswordException")
    );
}

#[wasm_bindgen_test]
async fn srp_sign_in_session_reload_refresh_and_sign_out() {
    let Some(emu) = emulator() else { return };
    let storage = "local";
    let first = auth(&emu, storage);
    // Start from a clean slate: another test may have left a session under the same client.
    settle(first.sign_out(JsValue::UNDEFINED)).await.unwrap();
    let username = confirmed_user(&first, "Passw0rd!").await;

    let events = js_sys::Array::new();
    let recorder = {
        let events = events.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            events.push(&get(&event, "event"));
        })
        .into_js_value()
        .unchecked_into::<js_sys::Function>()
    };
    let unsubscribe: js_sys::Function = first.on_auth_change(recorder).unchecked_into();

    let wrong = settle(first.sign_in(credentials(&username, "Wr0ngPassword")))
        .await
        .unwrap_err();
    assert_eq!(
        get_str(&wrong, "code").as_deref(),
        Some("NotAuthorizedException")
    );

    let out = settle(first.sign_in(credentials(&username, "Passw0rd!")))
        .await
        .unwrap();
    assert_eq!(get(&out, "isSignedIn"), JsValue::TRUE);
    assert_eq!(
        get_str(&out, "nextStep.signInStep").as_deref(),
        Some("DONE")
    );

    let user = settle(first.current_user()).await.unwrap();
    assert_eq!(
        get_str(&user, "username").as_deref(),
        Some(username.as_str())
    );
    assert_eq!(
        get_str(&user, "email"),
        Some(format!("{username}@example.com"))
    );
    assert_eq!(get_str(&user, "claims.token_use").as_deref(), Some("id"));
    assert!(js_sys::Array::is_array(&get(&user, "groups")));

    // A "reload": a second client over the same localStorage sees the same user.
    let second = auth(&emu, storage);
    let user = settle(second.current_user()).await.unwrap();
    assert_eq!(
        get_str(&user, "username").as_deref(),
        Some(username.as_str())
    );

    let access = settle(second.get_access_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    let refreshed = settle(second.get_access_token(object(&[("forceRefresh", JsValue::TRUE)])))
        .await
        .unwrap();
    assert_ne!(access, refreshed);
    let claims = settle(verify_token(
        refreshed.as_string().unwrap(),
        object(&[
            ("userPoolId", s(emu.pool)),
            ("clientId", s(emu.client)),
            ("tokenUse", s("access")),
            ("endpoint", s(emu.endpoint)),
        ]),
    ))
    .await
    .unwrap();
    assert_eq!(
        get_str(&claims, "username").as_deref(),
        Some(username.as_str())
    );

    settle(second.sign_out(JsValue::UNDEFINED)).await.unwrap();
    assert!(settle(second.current_user()).await.unwrap().is_null());
    let err = settle(second.get_access_token(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get_str(&err, "name").as_deref(), Some("UsageError"));
    assert_eq!(get_str(&err, "code").as_deref(), Some("NotSignedIn"));

    unsubscribe.call0(&JsValue::NULL).unwrap();
    let seen: Vec<String> = events.iter().filter_map(|e| e.as_string()).collect();
    assert!(seen.contains(&"signedIn".to_owned()), "{seen:?}");
}

#[wasm_bindgen_test]
async fn verify_token_rejects_a_tampered_emulator_token() {
    let Some(emu) = emulator() else { return };
    let auth = auth(&emu, "memory");
    let username = confirmed_user(&auth, "Passw0rd!").await;
    let token = signed_in_id_token(&auth, &username, "Passw0rd!").await;

    let options = || {
        object(&[
            ("userPoolId", s(emu.pool)),
            ("clientId", s(emu.client)),
            ("tokenUse", s("id")),
            ("endpoint", s(emu.endpoint)),
        ])
    };
    let claims = settle(verify_token(token.clone(), options()))
        .await
        .unwrap();
    assert_eq!(
        get_str(&claims, "cognito:username").as_deref(),
        Some(username.as_str())
    );

    // Flip one character of the signature.
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let err = settle(verify_token(
        String::from_utf8(tampered).unwrap(),
        options(),
    ))
    .await
    .unwrap_err();
    assert_eq!(get_str(&err, "name").as_deref(), Some("TokenError"));
    assert_eq!(
        get_str(&err, "code").as_deref(),
        Some("JwtInvalidSignature")
    );

    let err = settle(verify_token(
        token,
        object(&[
            ("userPoolId", s(emu.pool)),
            ("clientId", s(emu.client)),
            ("tokenUse", s("access")),
            ("endpoint", s(emu.endpoint)),
        ]),
    ))
    .await
    .unwrap_err();
    assert_eq!(get_str(&err, "code").as_deref(), Some("JwtInvalidTokenUse"));
}

#[wasm_bindgen_test]
async fn auth_fetch_sends_a_fresh_bearer_token_and_retries_once_after_a_401() {
    let Some(emu) = emulator() else { return };
    // The emulator's /_emulator/whoami is a resource server: 200 for a live access token, else 401.
    let whoami = format!("{}/_emulator/whoami", emu.endpoint);
    let auth = auth(&emu, "memory");
    let username = confirmed_user(&auth, "Passw0rd!").await;
    settle(auth.sign_in(credentials(&username, "Passw0rd!")))
        .await
        .unwrap();

    let init = object(&[("method", s("POST")), ("body", s("payload"))]);
    let response: web_sys::Response = settle(auth.fetch(s(&whoami), init))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(response.status(), 200);
    let json = settle(response.json().unwrap()).await.unwrap();
    assert_eq!(
        get_str(&json, "username").as_deref(),
        Some(username.as_str())
    );
    assert_eq!(get_str(&json, "method").as_deref(), Some("POST"));

    // The server stops accepting the current access token: auth.fetch gets a 401, refreshes once, retries once.
    let stale = settle(auth.get_access_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    let expire = web_sys::RequestInit::new();
    expire.set_method("POST");
    expire.set_body(&s(&format!(
        "{{\"accessToken\":\"{}\"}}",
        stale.as_string().unwrap()
    )));
    let expire = web_sys::Request::new_with_str_and_init(
        &format!("{}/_emulator/expire-access-token", emu.endpoint),
        &expire,
    )
    .unwrap();
    let window = web_sys::window().unwrap();
    let response: web_sys::Response = settle(window.fetch_with_request(&expire))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(response.status(), 200);
    let response: web_sys::Response = settle(auth.fetch(s(&whoami), JsValue::UNDEFINED))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(response.status(), 200);
    let fresh = settle(auth.get_access_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_ne!(fresh, stale, "the 401 must have caused a refresh");

    // Without auth.fetch the same resource answers 401.
    let plain = web_sys::Request::new_with_str(&whoami).unwrap();
    let response: web_sys::Response = settle(window.fetch_with_request(&plain))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(response.status(), 401);

    // A signed-out client cannot send anything: NotSignedIn, no request.
    let signed_out = auth_without_session(&emu);
    let err = settle(signed_out.fetch(s(&whoami), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get_str(&err, "name").as_deref(), Some("UsageError"));
    assert_eq!(get_str(&err, "code").as_deref(), Some("NotSignedIn"));
}

fn auth_without_session(emu: &Emulator) -> CognitoAuth {
    auth(emu, "memory")
}

#[wasm_bindgen_test]
fn bad_configuration_throws_invalid_config() {
    let err = CognitoAuth::new(object(&[("userPoolId", s("nope")), ("clientId", s("abc"))]))
        .err()
        .unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&err, "code").as_deref(), Some("InvalidConfig"));
    let err = CognitoAuth::new(object(&[
        ("userPoolId", s("us-east-1_abc")),
        ("clientId", s("abc")),
        ("storage", s("cookies")),
    ]))
    .err()
    .unwrap();
    assert_eq!(get_str(&err, "code").as_deref(), Some("InvalidConfig"));
}

#[wasm_bindgen_test]
async fn jwks_url_says_where_the_keys_come_from() {
    let Some(emu) = emulator() else { return };
    let endpoint = emu.endpoint.trim_end_matches('/');
    let jwks_url = format!("{endpoint}/{}/.well-known/jwks.json", emu.pool);

    // Keys looked for where there are none: Cognito accepts the password, but the tokens cannot be
    // verified, so the sign-in fails and nobody is signed in.
    let keyless = CognitoAuth::new(object(&[
        ("userPoolId", s(emu.pool)),
        ("clientId", s(emu.client)),
        ("endpoint", s(emu.endpoint)),
        ("jwksUrl", s(&format!("{endpoint}/no-such/jwks.json"))),
        ("storage", s("memory")),
    ]))
    .unwrap();
    let username = confirmed_user(&keyless, "Passw0rd!").await;
    let err = settle(keyless.sign_in(credentials(&username, "Passw0rd!")))
        .await
        .unwrap_err();
    assert_eq!(get_str(&err, "name").as_deref(), Some("ProtocolError"));
    assert!(settle(keyless.current_user()).await.unwrap().is_null());

    // verifyToken with an endpoint that serves nothing finds the keys at `jwksUrl`.
    let auth = auth(&emu, "memory");
    let token = signed_in_id_token(&auth, &username, "Passw0rd!").await;
    let claims = settle(verify_token(
        token,
        object(&[
            ("userPoolId", s(emu.pool)),
            ("clientId", s(emu.client)),
            ("tokenUse", s("id")),
            ("endpoint", s("http://127.0.0.1:9/")),
            ("jwksUrl", s(&jwks_url)),
        ]),
    ))
    .await
    .unwrap();
    assert_eq!(
        get_str(&claims, "cognito:username").as_deref(),
        Some(username.as_str())
    );
}
