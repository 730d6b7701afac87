//! End to end against the Cognito emulator (`tests/emulator`: moto plus a real server-side SRP check),
//! through `Client<HttpPlatform>` over real sockets (`tests/support/http.rs`).
//!
//! Runs when `COGNITO_EMULATOR_INFO` names the emulator's info file (`npm test` / `scripts/test.sh`
//! start the emulator first); otherwise every test prints a skip message and returns, or fails under
//! `CI=true` (`tests/support/ci.rs`). Each test makes its own pool through the emulator's
//! `POST /_emulator/pool`, so tests run in parallel in isolation.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_wasm::client::{AuthEvent, Client, REFRESH_RETRY_SECS};
use cognito_wasm::cognito::HttpResponse;
use cognito_wasm::config::{AuthFlow, RefreshMethod};
use cognito_wasm::flow::account::SignUpInput;
use cognito_wasm::flow::sign_in::ConfirmSignInInput;
use cognito_wasm::flow::{ResetPasswordStep, SignInStep, SignUpStep};
use cognito_wasm::json::{self, Limits, Object, Value};
use cognito_wasm::jwt::{self, Expectations, Jwks, TokenUse};
use cognito_wasm::secret::{ClientSecret, Password};
use cognito_wasm::session::CurrentUser;
use cognito_wasm::PoolConfig;

#[path = "support/ci.rs"]
mod ci;
#[path = "support/executor.rs"]
mod executor;
#[path = "support/http.rs"]
mod http;

use executor::{block_on, join_all};
use http::{HttpPlatform, Storage};

const NO_EMULATOR: &str = "COGNITO_EMULATOR_INFO not set (run through npm test)";

/// A pool made for one test.
#[derive(Clone, Debug)]
struct Pool {
    endpoint: String,
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
}

impl Pool {
    fn config(&self) -> PoolConfig {
        let config = PoolConfig::new(self.user_pool_id.as_str(), self.client_id.as_str())
            .unwrap()
            .with_endpoint(self.endpoint.as_str())
            .unwrap();
        match &self.client_secret {
            Some(secret) => config.with_client_secret(ClientSecret::from(secret.as_str())),
            None => config,
        }
    }

    /// A client with a customised configuration.
    fn client_with(
        &self,
        storage: &Storage,
        configure: impl FnOnce(PoolConfig) -> PoolConfig,
    ) -> Client<HttpPlatform> {
        Client::new(
            configure(self.config()),
            HttpPlatform::with_storage(Rc::clone(storage)),
        )
    }

    fn issuer(&self) -> String {
        format!(
            "https://cognito-idp.us-east-1.amazonaws.com/{}",
            self.user_pool_id
        )
    }

    fn jwks_url(&self) -> String {
        format!(
            "{}/{}/.well-known/jwks.json",
            self.endpoint, self.user_pool_id
        )
    }

    /// A client over fresh platform state sharing `storage`.
    fn client(&self, storage: &Storage) -> Client<HttpPlatform> {
        Client::new(
            self.config(),
            HttpPlatform::with_storage(Rc::clone(storage)),
        )
    }

    /// Calls a Cognito operation directly (admin operations need no signature in the emulator).
    fn call(&self, operation: &str, body: Object) -> HttpResponse {
        http::post_json(
            &format!("{}/", self.endpoint),
            Some(operation),
            &body.to_json(),
        )
        .unwrap_or_else(|e| panic!("{operation}: the emulator did not answer: {e}"))
    }

    /// Like [`Self::call`], expecting success; the reply's JSON object.
    fn call_ok(&self, operation: &str, body: Object) -> Object {
        let response = self.call(operation, body);
        assert!(
            response.is_success(),
            "{operation} answered {}: {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Object::new();
        }
        json::parse_object(&response.body, &Limits::default()).unwrap()
    }

    /// `AdminCreateUser` with a temporary password (the user starts in FORCE_CHANGE_PASSWORD).
    fn admin_create_user(&self, username: &str, temporary_password: &str) {
        self.call_ok(
            "AdminCreateUser",
            Object::new()
                .with("UserPoolId", self.user_pool_id.as_str())
                .with("Username", username)
                .with("TemporaryPassword", temporary_password)
                .with("MessageAction", "SUPPRESS")
                .with(
                    "UserAttributes",
                    Value::Array(vec![
                        attribute("email", &format!("{username}@example.com")),
                        attribute("email_verified", "true"),
                    ]),
                ),
        );
    }
}

fn attribute(name: &str, value: &str) -> Value {
    Value::Object(Object::new().with("Name", name).with("Value", value))
}

/// The emulator's endpoint, or `None` (after printing why) when the tests should skip; under CI,
/// a missing emulator fails the test instead.
fn emulator_endpoint() -> Option<String> {
    let Ok(path) = std::env::var("COGNITO_EMULATOR_INFO") else {
        ci::skip_unless_ci(NO_EMULATOR);
        return None;
    };
    let text = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("COGNITO_EMULATOR_INFO={path} is not readable: {e}"));
    let info = json::parse_object(&text, &Limits::default()).unwrap();
    for key in ["endpoint", "userPoolId", "clientId"] {
        assert!(info.get_str(key).is_some(), "info file lacks {key}");
    }
    assert!(
        info.get_array("seedUsers").is_some(),
        "info file lacks seedUsers"
    );
    Some(info.get_str("endpoint").unwrap().to_owned())
}

/// A fresh pool with the given CONFIRMED users (`username`, `password`; email `username@example.com`),
/// or `None` when there is no emulator.
fn fresh_pool(users: &[(&str, &str)]) -> Option<Pool> {
    fresh_pool_with(Object::new(), users)
}

/// Like [`fresh_pool`] with more `/_emulator/pool` options (`refreshTokenRotation`, `clientSecret`,
/// `usernameAttributes`...); a client secret, when asked for, is in `Pool::client_secret`.
fn fresh_pool_with(options: Object, users: &[(&str, &str)]) -> Option<Pool> {
    let endpoint = emulator_endpoint()?;
    let seed_users = users
        .iter()
        .map(|(username, password)| {
            Value::Object(
                Object::new()
                    .with("username", *username)
                    .with("password", *password)
                    .with("email", format!("{username}@example.com")),
            )
        })
        .collect();
    let response = http::post_json(
        &format!("{endpoint}/_emulator/pool"),
        None,
        &options
            .with("seedUsers", Value::Array(seed_users))
            .to_json(),
    )
    .expect("the emulator answers /_emulator/pool");
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let pool = json::parse_object(&response.body, &Limits::default()).unwrap();
    Some(Pool {
        endpoint,
        user_pool_id: pool.get_str("userPoolId").unwrap().to_owned(),
        client_id: pool.get_str("clientId").unwrap().to_owned(),
        client_secret: pool.get_str("clientSecret").map(str::to_owned),
    })
}

fn pw(text: &str) -> Password {
    Password::from(text)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The refresh token in the stored session document.
fn stored_refresh_token(pool: &Pool, storage: &Storage) -> String {
    let key = pool.config().session_storage_key();
    let text = storage
        .borrow()
        .get(&key)
        .cloned()
        .expect("a stored session");
    let doc = json::parse_object(text.as_bytes(), &Limits::default()).unwrap();
    doc.get_str("refreshToken")
        .expect("the session keeps a refresh token")
        .to_owned()
}

/// `REFRESH_TOKEN_AUTH` sent directly, as an attacker holding an old refresh token would.
fn refresh_directly(pool: &Pool, refresh_token: &str) -> HttpResponse {
    pool.call(
        "InitiateAuth",
        Object::new()
            .with("AuthFlow", "REFRESH_TOKEN_AUTH")
            .with("ClientId", pool.client_id.as_str())
            .with(
                "AuthParameters",
                Object::new().with("REFRESH_TOKEN", refresh_token),
            ),
    )
}

fn error_type(response: &HttpResponse) -> String {
    let body = json::parse_object(&response.body, &Limits::default()).unwrap_or_default();
    let kind = body.get_str("__type").unwrap_or_default();
    kind.rsplit('#').next().unwrap_or(kind).to_owned()
}

/// How many refreshes (`InitiateAuth` with `REFRESH_TOKEN_AUTH`) the platform sent.
fn refresh_count(client: &Client<HttpPlatform>) -> usize {
    client
        .platform()
        .requests
        .borrow()
        .iter()
        .filter(|r| {
            r.target() == Some("AWSCognitoIdentityProviderService.InitiateAuth")
                && r.body.contains("REFRESH_TOKEN_AUTH")
        })
        .count()
}

/// Moves `platform`'s clock one second past `user`'s `expiresAt` (the device's clock). The emulator's
/// clock does not move, so first wait until it is a few seconds past the tokens' `iat` (Cognito's clock):
/// a refresh then issues tokens whose `exp` is still ahead of the moved clock, as on a real timeline.
///
/// The client takes the jump for a clock an hour fast: the next tokens from Cognito teach it that offset,
/// and the `expiresAt` it reports afterwards is in that fast clock again.
fn force_expiry(platform: &HttpPlatform, user: &CurrentUser) {
    let issued_at = user
        .claims
        .0
        .get_i64("iat")
        .expect("the id token has an iat");
    while now_secs() < issued_at + 3 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    platform.set_clock_secs(user.expires_at / 1000 + 1);
}

/// The signed-in user of `client`.
fn user_of(client: &Client<HttpPlatform>) -> CurrentUser {
    block_on(client.current_user()).unwrap().expect("signed in")
}

/// Records the client's auth events.
fn record_events(client: &Client<HttpPlatform>) -> Rc<RefCell<Vec<&'static str>>> {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    client.on_auth_change(Box::new(move |e: &AuthEvent| {
        sink.borrow_mut().push(e.as_str())
    }));
    events
}

/// The signing keys as the emulator serves them.
fn fetch_jwks(pool: &Pool) -> Jwks {
    let response = http::get(&pool.jwks_url(), Vec::new()).unwrap();
    assert_eq!(response.status, 200);
    Jwks::parse(&response.body).unwrap()
}

/// A local API that answers `GET /me` with the caller's username when `Authorization: Bearer` holds
/// an access token of `pool` that verifies against the emulator's JWKS; 401 with the reason otherwise.
fn spawn_protected_api(pool: &Pool) -> String {
    let jwks = fetch_jwks(pool);
    let expect = Expectations::new(
        vec![pool.issuer()],
        pool.client_id.as_str(),
        TokenUse::Access,
    );
    http::serve(move |request| {
        let Some(token) = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return (401, r#"{"error":"missing bearer token"}"#.to_owned());
        };
        match jwt::verify(token, &jwks, &expect, now_secs()) {
            Ok(verified) => (
                200,
                Object::new()
                    .with("username", verified.username().unwrap_or_default())
                    .with("sub", verified.sub().unwrap_or_default())
                    .to_json(),
            ),
            Err(e) => (401, Object::new().with("error", e.code()).to_json()),
        }
    })
    .unwrap()
}

fn call_api(api: &str, token: Option<&str>) -> (u16, Object) {
    let headers = token
        .map(|t| vec![("Authorization".to_owned(), format!("Bearer {t}"))])
        .unwrap_or_default();
    let response = http::get(&format!("{api}/me"), headers).unwrap();
    let body = json::parse_object(&response.body, &Limits::default()).unwrap();
    (response.status, body)
}

// ----- TOTP (RFC 6238 over HMAC-SHA-1, written out because the crate has no SHA-1) -----

fn sha1(message: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut data = message.to_vec();
    let bit_len = (message.len() as u64).wrapping_mul(8);
    data.push(0x80);
    while data.len() % 64 != 56 {
        data.push(0);
    }
    data.extend_from_slice(&bit_len.to_be_bytes());
    for block in data.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (hi, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *hi = hi.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> [u8; 20] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..20].copy_from_slice(&sha1(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = block
        .iter()
        .map(|b| b ^ 0x36)
        .chain(message.iter().copied())
        .collect();
    let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).chain(sha1(&inner)).collect();
    sha1(&outer)
}

fn base32_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').chars() {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            other => panic!("not base32: {other:?}"),
        };
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The 6-digit TOTP code (30 s steps) of `secret` (base32) at `unix_secs`.
fn totp(secret: &str, unix_secs: i64) -> String {
    let mac = hmac_sha1(&base32_decode(secret), &(unix_secs / 30).to_be_bytes());
    let offset = usize::from(mac[19] & 0x0f);
    let value = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

/// The current TOTP code, waiting for the next 30 s step when this one is about to end (the emulator
/// accepts the current step only).
fn fresh_totp(secret: &str) -> String {
    if now_secs() % 30 >= 27 {
        std::thread::sleep(std::time::Duration::from_secs(4));
    }
    totp(secret, now_secs())
}

#[test]
fn totp_matches_rfc_6238_vectors() {
    // RFC 6238 appendix B, SHA-1, seed "12345678901234567890" (base32 below), truncated to 6 digits.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(totp(secret, 59), "287082");
    assert_eq!(totp(secret, 1_111_111_109), "081804");
    assert_eq!(totp(secret, 1_234_567_890), "005924");
    assert_eq!(totp(secret, 2_000_000_000), "279037");
}

// ----- the user's whole path -----

#[test]
fn sign_up_to_sign_out_through_reload_expiry_and_a_protected_api() {
    let Some(pool) = fresh_pool(&[]) else {
        return;
    };
    let storage = Storage::default();
    let tab = pool.client(&storage);

    // Sign-up, then confirm with the code the emulator "sent".
    let out = block_on(tab.sign_up(SignUpInput {
        username: "carol".into(),
        password: pw("Passw0rd1"),
        attributes: vec![("email".into(), "carol@example.com".into())],
        ..SignUpInput::default()
    }))
    .unwrap();
    assert!(!out.is_sign_up_complete);
    assert_eq!(out.next_step.sign_up_step, SignUpStep::ConfirmSignUp);
    let user_sub = out.user_id.clone().expect("SignUp returns the user's sub");
    let code = tab
        .platform()
        .last_header("x-emulator-confirmation-code")
        .expect("the emulator exposes the sign-up code");
    let out = block_on(tab.confirm_sign_up("carol", &code)).unwrap();
    assert!(out.is_sign_up_complete);
    assert_eq!(out.next_step.sign_up_step, SignUpStep::Done);

    // SRP sign-in: the password never goes on the wire, and the tokens are verified (JWKS fetched).
    let events = record_events(&tab);
    let sent_before = tab.platform().request_count();
    let out = block_on(tab.sign_in("carol", pw("Passw0rd1"))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    // With no key set at hand, it is fetched alongside InitiateAuth: verifying the tokens adds no round trip.
    let ops = tab.platform().operations()[sent_before..].to_vec();
    assert_eq!(
        ops[..3],
        [
            "InitiateAuth".to_owned(),
            format!("GET {}", pool.jwks_url()),
            "RespondToAuthChallenge".to_owned()
        ],
        "{ops:?}"
    );
    for request in &tab.platform().requests.borrow()[sent_before..] {
        assert!(!request.body.contains("Passw0rd1"), "SRP sent the password");
    }
    assert!(tab.platform().requests.borrow()[sent_before]
        .body
        .contains("USER_SRP_AUTH"));
    assert_eq!(*events.borrow(), ["signedIn"]);

    let user = block_on(tab.current_user()).unwrap().expect("signed in");
    assert_eq!(user.username, "carol");
    assert_eq!(user.user_id, user_sub);
    assert_eq!(user.email.as_deref(), Some("carol@example.com"));
    let exp_secs = user.expires_at / 1000;
    assert!(
        (now_secs() + 3000..=now_secs() + 3700).contains(&exp_secs),
        "the emulator's tokens last an hour: exp {exp_secs}"
    );

    // A page reload: a new client on the same storage knows the user with no network at all.
    let reloaded = pool.client(&storage);
    reloaded.platform().offline.set(true);
    let again = block_on(reloaded.current_user())
        .unwrap()
        .expect("restored");
    assert_eq!(again.user_id, user.user_id);
    assert_eq!(again.expires_at, user.expires_at);
    let old_access = block_on(reloaded.access_token(false)).unwrap();
    assert_eq!(old_access, block_on(tab.access_token(false)).unwrap());
    assert_eq!(
        reloaded.platform().request_count(),
        0,
        "a warm reload sends nothing: {:?}",
        reloaded.platform().operations()
    );
    reloaded.platform().offline.set(false);

    // Forced expiry: one second past `exp`, the next access_token() refreshes first.
    let reload_events = record_events(&reloaded);
    force_expiry(reloaded.platform(), &user);
    let new_access = block_on(reloaded.access_token(false)).unwrap();
    assert_eq!(
        refresh_count(&reloaded),
        1,
        "{:?}",
        reloaded.platform().operations()
    );
    assert_ne!(
        new_access, old_access,
        "the refresh brought a new access token"
    );
    assert_eq!(*reload_events.borrow(), ["tokenRefresh"]);
    reloaded.platform().clock_offset_ms.set(0);
    let refreshed_user = block_on(reloaded.current_user())
        .unwrap()
        .expect("still signed in");
    assert_eq!(refreshed_user.user_id, user.user_id);
    assert!(refreshed_user.expires_at > user.expires_at);
    assert_eq!(block_on(reloaded.access_token(false)).unwrap(), new_access);
    assert_eq!(
        refresh_count(&reloaded),
        1,
        "fresh tokens are not refreshed again"
    );

    // A local API that verifies the bearer token itself, against the emulator's JWKS.
    let api = spawn_protected_api(&pool);
    let (status, body) = call_api(&api, Some(&new_access));
    assert_eq!(status, 200, "{body:?}");
    assert_eq!(body.get_str("username"), Some("carol"));
    assert_eq!(body.get_str("sub"), Some(user_sub.as_str()));
    let (status, _) = call_api(&api, None);
    assert_eq!(status, 401);
    let id_token = block_on(reloaded.id_token(false)).unwrap();
    let (status, body) = call_api(&api, Some(&id_token));
    assert_eq!(status, 401, "an id token is not an access token");
    assert_eq!(body.get_str("error"), Some("JwtInvalidTokenUse"));
    let mut tampered = new_access.clone().into_bytes();
    let dot = tampered.iter().position(|b| *b == b'.').unwrap();
    tampered[dot + 5] = if tampered[dot + 5] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let (status, body) = call_api(&api, Some(std::str::from_utf8(&tampered).unwrap()));
    assert_eq!(status, 401, "{body:?}");
    assert!(
        matches!(
            body.get_str("error"),
            Some("JwtInvalidSignature" | "JwtMalformed")
        ),
        "{body:?}"
    );

    // Sign-out: the session is gone here and for the next page load; the refresh token is revoked.
    block_on(reloaded.sign_out(false)).unwrap();
    assert!(block_on(reloaded.current_user()).unwrap().is_none());
    assert!(reloaded
        .platform()
        .operations()
        .contains(&"RevokeToken".to_owned()));
    assert_eq!(*reload_events.borrow(), ["tokenRefresh", "signedOut"]);
    assert!(!storage
        .borrow()
        .contains_key(&pool.config().session_storage_key()));
    let next_load = pool.client(&storage);
    assert!(block_on(next_load.current_user()).unwrap().is_none());
    let err = block_on(next_load.access_token(false)).unwrap_err();
    assert_eq!(err.code(), "NotSignedIn");
}

#[test]
fn wrong_password_is_refused_by_the_server_side_srp_check() {
    let Some(pool) = fresh_pool(&[("alice", "Passw0rd1")]) else {
        return;
    };
    let client = pool.client(&Storage::default());
    let err = block_on(client.sign_in("alice", pw("Passw0rd2"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException", "{err:?}");
    assert_eq!(err.name(), "CognitoServiceError");
    assert_eq!(
        client.platform().operations(),
        [
            "InitiateAuth".to_owned(),
            format!("GET {}", pool.jwks_url()),
            "RespondToAuthChallenge".to_owned()
        ],
        "the wrong password was caught by the PASSWORD_VERIFIER proof (the key set came alongside InitiateAuth)"
    );
    assert!(block_on(client.current_user()).unwrap().is_none());
    // The right password still works on the same client.
    assert!(
        block_on(client.sign_in("alice", pw("Passw0rd1")))
            .unwrap()
            .is_signed_in
    );
}

#[test]
fn unconfirmed_user_gets_the_confirm_sign_up_step() {
    let Some(pool) = fresh_pool(&[]) else {
        return;
    };
    let client = pool.client(&Storage::default());
    block_on(client.sign_up(SignUpInput {
        username: "dave".into(),
        password: pw("Passw0rd1"),
        attributes: vec![("email".into(), "dave@example.com".into())],
        ..SignUpInput::default()
    }))
    .unwrap();
    let out = block_on(client.sign_in("dave", pw("Passw0rd1"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(out.next_step.sign_in_step, SignInStep::ConfirmSignUp);
    assert!(block_on(client.current_user()).unwrap().is_none());

    let err = block_on(client.confirm_sign_up("dave", "emulator-wrong-1")).unwrap_err();
    assert_eq!(err.code(), "CodeMismatchException");
    block_on(client.confirm_sign_up("dave", "123456")).unwrap();
    let out = block_on(client.sign_in("dave", pw("Passw0rd1"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
}

#[test]
fn admin_created_user_must_choose_a_new_password() {
    let Some(pool) = fresh_pool(&[]) else {
        return;
    };
    pool.admin_create_user("erin", "TempPassw0rd");
    let storage = Storage::default();
    let client = pool.client(&storage);
    let out = block_on(client.sign_in("erin", pw("TempPassw0rd"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(
        out.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithNewPasswordRequired
    );
    assert_eq!(out.next_step.missing_attributes, Some(Vec::new()));
    assert!(block_on(client.current_user()).unwrap().is_none());

    // A new password that breaks the pool's policy is refused; the step stays open for another try.
    let err = block_on(client.confirm_sign_in(ConfirmSignInInput::new("short"))).unwrap_err();
    assert_eq!(err.code(), "InvalidPasswordException", "{err:?}");
    let out = block_on(client.confirm_sign_in(ConfirmSignInInput::new("Chosen-Passw0rd"))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(user.username, "erin");
    assert_eq!(user.email.as_deref(), Some("erin@example.com"));

    block_on(client.sign_out(false)).unwrap();
    let err = block_on(client.sign_in("erin", pw("TempPassw0rd"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    let out = block_on(client.sign_in("erin", pw("Chosen-Passw0rd"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
}

#[test]
fn totp_mfa_enrolment_then_sign_in_with_a_code() {
    let Some(pool) = fresh_pool(&[("frank", "Passw0rd1")]) else {
        return;
    };
    let client = pool.client(&Storage::default());
    block_on(client.sign_in("frank", pw("Passw0rd1"))).unwrap();
    let access = block_on(client.access_token(false)).unwrap();

    // Enrol an authenticator through the API (the client has no method for it outside sign-in).
    let secret = pool
        .call_ok(
            "AssociateSoftwareToken",
            Object::new().with("AccessToken", access.as_str()),
        )
        .get_str("SecretCode")
        .expect("a TOTP secret")
        .to_owned();
    let verified = pool.call_ok(
        "VerifySoftwareToken",
        Object::new()
            .with("AccessToken", access.as_str())
            .with("UserCode", fresh_totp(&secret))
            .with("FriendlyDeviceName", "e2e"),
    );
    assert_eq!(verified.get_str("Status"), Some("SUCCESS"));
    pool.call_ok(
        "SetUserMFAPreference",
        Object::new().with("AccessToken", access.as_str()).with(
            "SoftwareTokenMfaSettings",
            Object::new()
                .with("Enabled", true)
                .with("PreferredMfa", true),
        ),
    );
    block_on(client.sign_out(false)).unwrap();

    let out = block_on(client.sign_in("frank", pw("Passw0rd1"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(
        out.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithTotpCode
    );
    assert!(block_on(client.current_user()).unwrap().is_none());

    // moto checks TOTP codes only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true (the emulator
    // inherits this process's environment when started by scripts/test.sh).
    let codes_checked = std::env::var("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP")
        .is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    if codes_checked {
        let code = fresh_totp(&secret);
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        let err = block_on(client.confirm_sign_in(ConfirmSignInInput::new(wrong))).unwrap_err();
        assert_eq!(err.code(), "CodeMismatchException", "{err:?}");
    } else {
        println!("note: the emulator accepts any TOTP code (MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP unset)");
    }
    let out =
        block_on(client.confirm_sign_in(ConfirmSignInInput::new(fresh_totp(&secret)))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    assert_eq!(
        block_on(client.current_user()).unwrap().unwrap().username,
        "frank"
    );
    let err = block_on(client.confirm_sign_in(ConfirmSignInInput::new("123456"))).unwrap_err();
    assert_eq!(err.code(), "NoSignInInProgress");
}

#[test]
fn global_sign_out_invalidates_the_tokens_server_side() {
    let Some(pool) = fresh_pool(&[("gina", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("gina", pw("Passw0rd1"))).unwrap();
    // A second device of the same user: its tokens must die too.
    let other_device = pool.client(&Storage::default());
    block_on(other_device.sign_in("gina", pw("Passw0rd1"))).unwrap();
    let access = block_on(client.access_token(false)).unwrap();
    let other_access = block_on(other_device.access_token(false)).unwrap();
    let refresh = stored_refresh_token(&pool, &storage);
    let get_user = |token: &str| pool.call("GetUser", Object::new().with("AccessToken", token));
    assert_eq!(get_user(&access).status, 200);

    block_on(client.sign_out(true)).unwrap();
    assert!(client
        .platform()
        .operations()
        .contains(&"GlobalSignOut".to_owned()));
    assert!(block_on(client.current_user()).unwrap().is_none());

    for token in [&access, &other_access] {
        let response = get_user(token);
        assert_eq!(response.status, 400);
        assert_eq!(error_type(&response), "NotAuthorizedException");
    }
    let response = refresh_directly(&pool, &refresh);
    assert_eq!(error_type(&response), "NotAuthorizedException");

    // The other device finds out at its next refresh: signed out, for a reason.
    let events = record_events(&other_device);
    let err = block_on(other_device.access_token(true)).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(block_on(other_device.current_user()).unwrap().is_none());
    assert_eq!(*events.borrow(), ["tokenRefresh_failure", "signedOut"]);
}

#[test]
fn reset_password_with_the_emailed_code() {
    let Some(pool) = fresh_pool(&[("hank", "Passw0rd1")]) else {
        return;
    };
    let client = pool.client(&Storage::default());
    let out = block_on(client.reset_password("hank")).unwrap();
    assert!(!out.is_password_reset);
    assert_eq!(
        out.next_step.reset_password_step,
        ResetPasswordStep::ConfirmResetPasswordWithCode
    );
    let code = client
        .platform()
        .last_header("x-moto-forgot-password-confirmation-code")
        .expect("the emulator exposes the reset code");
    assert!(code.starts_with("moto-confirmation-code:"), "{code}");

    // moto checks codes that carry its prefix: a different one is refused.
    let err = block_on(client.confirm_reset_password(
        "hank",
        "moto-confirmation-code:000000x",
        pw("N3w-Passw0rd"),
    ))
    .unwrap_err();
    assert_eq!(err.name(), "CognitoServiceError", "{err:?}");
    block_on(client.confirm_reset_password("hank", &code, pw("N3w-Passw0rd"))).unwrap();

    let err = block_on(client.sign_in("hank", pw("Passw0rd1"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    let out = block_on(client.sign_in("hank", pw("N3w-Passw0rd"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
}

#[test]
fn plain_sign_out_revokes_the_refresh_token() {
    let Some(pool) = fresh_pool(&[("iris", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("iris", pw("Passw0rd1"))).unwrap();
    // Another tab loaded the same session before the sign-out.
    let other_tab = pool.client(&storage);
    assert!(block_on(other_tab.current_user()).unwrap().is_some());
    let refresh = stored_refresh_token(&pool, &storage);
    let access = block_on(client.access_token(false)).unwrap();
    assert_eq!(
        refresh_directly(&pool, &refresh).status,
        200,
        "valid before"
    );

    block_on(client.sign_out(false)).unwrap();
    let ops = client.platform().operations();
    assert!(ops.contains(&"RevokeToken".to_owned()), "{ops:?}");
    assert!(!ops.contains(&"GlobalSignOut".to_owned()), "{ops:?}");

    let response = refresh_directly(&pool, &refresh);
    assert_eq!(response.status, 400);
    assert_eq!(error_type(&response), "NotAuthorizedException");
    let response = pool.call(
        "GetUser",
        Object::new().with("AccessToken", access.as_str()),
    );
    assert_eq!(
        error_type(&response),
        "NotAuthorizedException",
        "tokens of the revoked sign-in die with it"
    );

    // The other tab's refresh is refused: it ends its session instead of keeping a dead one.
    let err = block_on(other_tab.access_token(true)).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(block_on(other_tab.current_user()).unwrap().is_none());
}

#[test]
fn twenty_concurrent_callers_share_one_refresh() {
    let Some(pool) = fresh_pool(&[("jack", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("jack", pw("Passw0rd1"))).unwrap();
    let old = block_on(client.access_token(false)).unwrap();
    let user = user_of(&client);

    // In the signed-in client (access_token), and in a freshly loaded one whose storage read is
    // shared too (access_token and current_user mixed).
    let reloaded = pool.client(&storage);
    force_expiry(client.platform(), &user);
    let sent_before = client.platform().request_count();
    let tokens = join_all((0..20).map(|_| client.access_token(false)).collect());
    let tokens: Vec<String> = tokens
        .into_iter()
        .map(|t| t.unwrap_or_else(|e| panic!("{e:?} after {:?}", client.platform().operations())))
        .collect();
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "everyone got the same token"
    );
    assert_ne!(tokens[0], old);
    let ops = client.platform().operations()[sent_before..].to_vec();
    assert_eq!(
        ops,
        ["InitiateAuth"],
        "one refresh and nothing else: {ops:?}"
    );
    assert_eq!(refresh_count(&client), 1);

    // The reloaded client sees the refreshed tokens in storage, which expire 1-2 s after the first
    // ones: move its clock past those too.
    force_expiry(reloaded.platform(), &user_of(&client));
    let futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>> + '_>>> =
        (0..20)
            .map(
                |i| -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<String>>>> {
                    if i % 2 == 0 {
                        Box::pin(async { Some(reloaded.access_token(false).await.unwrap()) })
                    } else {
                        Box::pin(async {
                            assert!(reloaded.current_user().await.unwrap().is_some());
                            None
                        })
                    }
                },
            )
            .collect();
    let tokens: Vec<String> = join_all(futures).into_iter().flatten().collect();
    assert_eq!(tokens.len(), 10);
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "everyone got the same token"
    );
    assert_ne!(tokens[0], old);
    assert_eq!(
        reloaded.platform().operations(),
        ["InitiateAuth"],
        "one refresh, and the JWKS came from storage"
    );
}

#[test]
fn rotated_refresh_tokens_replace_the_old_one() {
    let Some(pool) = fresh_pool_with(
        Object::new().with("refreshTokenRotation", true),
        &[("kate", "Passw0rd1")],
    ) else {
        return;
    };
    let storage = Storage::default();
    let rotating = |c: PoolConfig| c.with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
    let client = pool.client_with(&storage, rotating);
    block_on(client.sign_in("kate", pw("Passw0rd1"))).unwrap();
    let first = stored_refresh_token(&pool, &storage);
    let access1 = block_on(client.access_token(false)).unwrap();

    let access2 = block_on(client.access_token(true)).unwrap();
    assert_ne!(access2, access1);
    let second = stored_refresh_token(&pool, &storage);
    assert_ne!(second, first, "the rotated refresh token was stored");
    let replay = pool.call(
        "GetTokensFromRefreshToken",
        Object::new()
            .with("RefreshToken", first.as_str())
            .with("ClientId", pool.client_id.as_str()),
    );
    assert_eq!(
        error_type(&replay),
        "NotAuthorizedException",
        "the old one is dead"
    );

    // The next refresh (here after a reload) uses the new token.
    let reloaded = pool.client_with(&storage, rotating);
    let access3 = block_on(reloaded.access_token(true)).unwrap();
    assert_ne!(access3, access2);
    assert_ne!(stored_refresh_token(&pool, &storage), second);
    assert_eq!(
        reloaded.platform().operations(),
        ["GetTokensFromRefreshToken"],
        "JWKS from storage, one refresh"
    );
}

#[test]
fn an_expired_session_survives_being_offline() {
    let Some(pool) = fresh_pool(&[("liam", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("liam", pw("Passw0rd1"))).unwrap();
    let user = user_of(&client);

    let reloaded = pool.client(&storage);
    force_expiry(reloaded.platform(), &user);
    reloaded.platform().offline.set(true);
    let err = block_on(reloaded.access_token(false)).unwrap_err();
    assert_eq!(err.name(), "NetworkError", "{err:?}");
    let err = block_on(reloaded.current_user()).unwrap_err();
    assert_eq!(err.name(), "NetworkError", "{err:?}");
    assert!(
        storage
            .borrow()
            .contains_key(&pool.config().session_storage_key()),
        "a network failure does not end the session"
    );

    // Back online after the retry interval (within it, the last failure answers without a request).
    reloaded.platform().offline.set(false);
    let clock = &reloaded.platform().clock_offset_ms;
    clock.set(clock.get() + REFRESH_RETRY_SECS * 1000);
    let user = block_on(reloaded.current_user())
        .unwrap()
        .expect("back online");
    assert_eq!(user.username, "liam");
    assert_eq!(
        refresh_count(&reloaded),
        2,
        "one try offline (the second call came within the retry interval), then one that worked"
    );
}

#[test]
fn email_username_pool_with_a_client_secret() {
    let Some(pool) = fresh_pool_with(
        Object::new()
            .with("clientSecret", true)
            .with("usernameAttributes", Value::Array(vec!["email".into()])),
        &[],
    ) else {
        return;
    };
    assert!(
        pool.client_secret.is_some(),
        "the emulator returns the secret"
    );
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_up(SignUpInput {
        username: "mia@example.com".into(),
        password: pw("Passw0rd1"),
        attributes: vec![("email".into(), "mia@example.com".into())],
        ..SignUpInput::default()
    }))
    .unwrap();
    block_on(client.confirm_sign_up("mia@example.com", "123456")).unwrap();

    // SRP by email: the proof is computed for the internal user name the challenge names.
    let out = block_on(client.sign_in("mia@example.com", pw("Passw0rd1"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(user.email.as_deref(), Some("mia@example.com"));
    assert_ne!(
        user.username, "mia@example.com",
        "the internal name is not the alias"
    );

    // Refresh carries SECRET_HASH over the internal name; sign-out revokes with the secret.
    let before = block_on(client.access_token(false)).unwrap();
    assert_ne!(block_on(client.access_token(true)).unwrap(), before);
    let refresh = stored_refresh_token(&pool, &storage);
    block_on(client.sign_out(false)).unwrap();
    let response = pool.call(
        "GetTokensFromRefreshToken",
        Object::new()
            .with("RefreshToken", refresh.as_str())
            .with("ClientId", pool.client_id.as_str())
            .with("ClientSecret", pool.client_secret.as_deref().unwrap()),
    );
    assert_eq!(
        error_type(&response),
        "NotAuthorizedException",
        "sign-out revoked the refresh token"
    );

    let err = block_on(client.sign_in("mia@example.com", pw("Passw0rd2"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
}

#[test]
fn a_disabled_user_is_signed_out_at_the_next_refresh() {
    let Some(pool) = fresh_pool(&[("nora", "Passw0rd1")]) else {
        return;
    };
    let client = pool.client(&Storage::default());
    block_on(client.sign_in("nora", pw("Passw0rd1"))).unwrap();
    pool.call_ok(
        "AdminDisableUser",
        Object::new()
            .with("UserPoolId", pool.user_pool_id.as_str())
            .with("Username", "nora"),
    );
    let events = record_events(&client);
    let err = block_on(client.access_token(true)).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(block_on(client.current_user()).unwrap().is_none());
    assert_eq!(*events.borrow(), ["tokenRefresh_failure", "signedOut"]);
    let err = block_on(client.sign_in("nora", pw("Passw0rd1"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
}

#[test]
fn a_clock_behind_within_the_configured_skew_still_signs_in() {
    let Some(pool) = fresh_pool(&[("omar", "Passw0rd1")]) else {
        return;
    };
    let client = pool.client_with(&Storage::default(), |c| {
        c.with_clock_skew_secs(300).unwrap()
    });
    // Two minutes slow: Cognito's `iat` is in this client's future, by less than the skew.
    client.platform().clock_offset_ms.set(-120_000);
    let out = block_on(client.sign_in("omar", pw("Passw0rd1"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    assert!(block_on(client.current_user()).unwrap().is_some());
    let sent = client.platform().request_count();
    block_on(client.access_token(false)).unwrap();
    assert_eq!(
        client.platform().request_count(),
        sent,
        "no needless refresh"
    );
}

/// Browser clocks are often minutes, sometimes hours, off. With the default skew (60 s) such a device still
/// signs in against real tokens, keeps its session across a reload and does not refresh needlessly: the
/// client takes Cognito's time from the tokens it receives. (SRP's TIMESTAMP is checked by the server to
/// ±5 minutes, as Cognito does; USER_PASSWORD_AUTH has no timestamp, so hours are tried with it.)
#[test]
fn a_device_clock_minutes_slow_or_hours_fast_still_signs_in() {
    let Some(pool) = fresh_pool(&[("pat", "Passw0rd1")]) else {
        return;
    };
    for (device_offset_secs, flow) in [
        (-200, AuthFlow::UserSrp),
        (200, AuthFlow::UserSrp),
        (-7200, AuthFlow::UserPassword),
        (7200, AuthFlow::UserPassword),
    ] {
        let storage = Storage::default();
        let client = pool.client_with(&storage, |c| c.with_auth_flow(flow));
        client
            .platform()
            .clock_offset_ms
            .set(device_offset_secs * 1000);
        let out = block_on(client.sign_in("pat", pw("Passw0rd1")))
            .unwrap_or_else(|e| panic!("device {device_offset_secs} s off: {e:?}"));
        assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
        // expiresAt is in the device's clock, about an hour after the device's now.
        let device_now = now_secs() + device_offset_secs;
        let expires_at = user_of(&client).expires_at / 1000;
        assert!(
            (device_now + 3500..=device_now + 3700).contains(&expires_at),
            "device {device_offset_secs} s off: expiresAt {expires_at}, device now {device_now}"
        );
        block_on(client.access_token(false)).unwrap();
        assert_eq!(refresh_count(&client), 0, "no needless refresh");

        let reloaded = pool.client_with(&storage, |c| c.with_auth_flow(flow));
        reloaded
            .platform()
            .clock_offset_ms
            .set(device_offset_secs * 1000);
        assert_eq!(user_of(&reloaded).expires_at / 1000, expires_at);
        block_on(reloaded.access_token(false)).unwrap();
        assert_eq!(refresh_count(&reloaded), 0, "no refresh after a reload");
        block_on(reloaded.sign_out(false)).unwrap();
    }
}

/// One Cognito call the client made: the operation, the request body and the answer's body.
struct CognitoCall {
    operation: String,
    body: Object,
    reply: Object,
}

/// The Cognito calls the client made so far, in order (JWKS fetches left out).
fn cognito_calls(client: &Client<HttpPlatform>) -> Vec<CognitoCall> {
    let platform = client.platform();
    let requests = platform.requests.borrow();
    let responses = platform.responses.borrow();
    assert_eq!(requests.len(), responses.len(), "one answer per request");
    requests
        .iter()
        .zip(responses.iter())
        .filter_map(|(request, response)| {
            let operation = request
                .target()?
                .trim_start_matches("AWSCognitoIdentityProviderService.")
                .to_owned();
            let response = response.as_ref().expect("an answer");
            Some(CognitoCall {
                operation,
                body: json::parse_object(request.body.as_bytes(), &Limits::default()).unwrap(),
                reply: json::parse_object(&response.body, &Limits::default()).unwrap(),
            })
        })
        .collect()
}

fn operations_of(calls: &[CognitoCall]) -> Vec<&str> {
    calls.iter().map(|c| c.operation.as_str()).collect()
}

#[test]
fn totp_setup_during_sign_in_when_the_pool_requires_mfa() {
    let Some(pool) = fresh_pool(&[("pia", "Passw0rd1")]) else {
        return;
    };
    pool.call_ok(
        "SetUserPoolMfaConfig",
        Object::new()
            .with("UserPoolId", pool.user_pool_id.as_str())
            .with("MfaConfiguration", "ON")
            .with(
                "SoftwareTokenMfaConfiguration",
                Object::new().with("Enabled", true),
            ),
    );
    let client = pool.client(&Storage::default());
    let out = block_on(client.sign_in("pia", pw("Passw0rd1"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(
        out.next_step.sign_in_step,
        SignInStep::ContinueSignInWithTotpSetup,
        "{out:?}"
    );
    let secret = out
        .next_step
        .totp_setup_details
        .expect("the shared secret to enrol")
        .shared_secret;
    let calls = cognito_calls(&client);
    assert_eq!(
        operations_of(&calls),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AssociateSoftwareToken"
        ]
    );
    // The challenge as AWS sends it: MFAS_CAN_SETUP is a string holding a JSON array.
    let challenge = &calls[1].reply;
    assert_eq!(challenge.get_str("ChallengeName"), Some("MFA_SETUP"));
    assert_eq!(
        challenge
            .get_object("ChallengeParameters")
            .and_then(|p| p.get_str("MFAS_CAN_SETUP")),
        Some(r#"["SOFTWARE_TOKEN_MFA"]"#)
    );
    // The secret is asked for with the challenge's Session (no access token exists yet).
    let associate = &calls[2];
    assert_eq!(
        associate.body.get_str("Session"),
        challenge.get_str("Session")
    );
    assert!(associate.body.get("AccessToken").is_none());
    assert_eq!(associate.reply.get_str("SecretCode"), Some(secret.as_str()));

    let code = fresh_totp(&secret);
    let out = block_on(client.confirm_sign_in(ConfirmSignInInput::new(code.clone()))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    let calls = cognito_calls(&client);
    assert_eq!(
        operations_of(&calls),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge"
        ]
    );
    // Each step carries the Session the previous answer gave.
    let verify = &calls[3];
    assert_eq!(verify.body.get_str("UserCode"), Some(code.as_str()));
    assert_eq!(
        verify.body.get_str("Session"),
        calls[2].reply.get_str("Session")
    );
    assert_eq!(verify.reply.get_str("Status"), Some("SUCCESS"));
    let answer = &calls[4];
    assert_eq!(answer.body.get_str("ChallengeName"), Some("MFA_SETUP"));
    assert_eq!(
        answer.body.get_str("Session"),
        verify.reply.get_str("Session")
    );
    assert_eq!(
        answer
            .body
            .get_object("ChallengeResponses")
            .and_then(|r| r.get_str("USERNAME")),
        Some("pia")
    );
    assert_eq!(user_of(&client).username, "pia");
    let access = block_on(client.access_token(false)).unwrap();
    let response = pool.call(
        "GetUser",
        Object::new().with("AccessToken", access.as_str()),
    );
    assert_eq!(response.status, 200, "the session's access token works");
    block_on(client.sign_out(false)).unwrap();

    // Enrolled: the next sign-in asks for a code, and no second setup.
    let client = pool.client(&Storage::default());
    let out = block_on(client.sign_in("pia", pw("Passw0rd1"))).unwrap();
    assert_eq!(
        out.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithTotpCode
    );
    let code = fresh_totp(&secret);
    let out = block_on(client.confirm_sign_in(ConfirmSignInInput::new(code.clone()))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    let calls = cognito_calls(&client);
    assert_eq!(
        operations_of(&calls),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge"
        ]
    );
    let answer = &calls[2].body;
    assert_eq!(answer.get_str("ChallengeName"), Some("SOFTWARE_TOKEN_MFA"));
    assert_eq!(
        answer
            .get_object("ChallengeResponses")
            .and_then(|r| r.get_str("SOFTWARE_TOKEN_MFA_CODE")),
        Some(code.as_str())
    );
    assert_eq!(user_of(&client).username, "pia");
}

#[test]
fn sign_out_during_a_refresh_is_not_undone_by_the_refresh() {
    let Some(pool) = fresh_pool(&[("quinn", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("quinn", pw("Passw0rd1"))).unwrap();
    let events = record_events(&client);
    let refresh = Box::pin(async { client.access_token(true).await.map(drop) });
    let sign_out = Box::pin(async { client.sign_out(false).await });
    let futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = _>>>> =
        vec![refresh, sign_out];
    let results = join_all(futures);
    assert!(results[1].is_ok(), "{:?}", results[1]);
    assert!(
        results[0].is_err(),
        "the refresh lost the race: {:?}",
        results[0]
    );
    assert!(block_on(client.current_user()).unwrap().is_none());
    assert!(
        !storage
            .borrow()
            .contains_key(&pool.config().session_storage_key()),
        "nothing was written back"
    );
    assert_eq!(events.borrow().last(), Some(&"signedOut"));
    assert!(!events.borrow().contains(&"signedIn"));
}

#[test]
fn srp_edge_cases_sign_in() {
    let Some(pool) = fresh_pool(&[("Rosa", "Pässw0rd-€-🔑"), ("sam", "Passw0rd1")]) else {
        return;
    };
    // (moto ignores the pool's CaseSensitive=false: "rosa" would be UserNotFoundException.)
    let client = pool.client(&Storage::default());
    let out = block_on(client.sign_in("Rosa", pw("Pässw0rd-€-🔑"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    block_on(client.sign_out(false)).unwrap();
    // Non-ASCII passwords are hashed as UTF-8; one differing character fails the proof.
    let err = block_on(client.sign_in("Rosa", pw("Passw0rd-€-🔑"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");

    // Salts as Cognito's Java BigInteger hex: negative, tiny, high bit set, zero-led.
    for salt in [
        "-16e462a8c0ffee",
        "1",
        "ff00112233445566778899aabbccddee",
        "00a1b2c3d4e5f60718293a4b5c6d7e8f",
        "80",
    ] {
        let pinned = http::post_json(
            &format!("{}/_emulator/srp-salt", pool.endpoint),
            None,
            &Object::new()
                .with("userPoolId", pool.user_pool_id.as_str())
                .with("username", "sam")
                .with("salt", salt)
                .to_json(),
        )
        .unwrap();
        assert_eq!(
            pinned.status,
            200,
            "{}",
            String::from_utf8_lossy(&pinned.body)
        );
        let client = pool.client(&Storage::default());
        let out = block_on(client.sign_in("sam", pw("Passw0rd1")))
            .unwrap_or_else(|e| panic!("salt {salt}: {e:?}"));
        assert!(out.is_signed_in, "salt {salt}");
    }

    // The server's B is fresh per attempt: many attempts cover its padding cases (high bit set or not).
    for attempt in 0..16 {
        let client = pool.client(&Storage::default());
        let out = block_on(client.sign_in("sam", pw("Passw0rd1")))
            .unwrap_or_else(|e| panic!("attempt {attempt}: {e:?}"));
        assert!(out.is_signed_in);
    }
}

#[test]
fn account_changes_keep_the_session_and_show_after_a_refresh() {
    let Some(pool) = fresh_pool(&[("tess", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("tess", pw("Passw0rd1"))).unwrap();

    // A wrong current password is refused without ending the session.
    let err =
        block_on(client.update_password(pw("Wrong-Passw0rd1"), pw("N3w-Passw0rd"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(block_on(client.current_user()).unwrap().is_some());
    block_on(client.update_password(pw("Passw0rd1"), pw("N3w-Passw0rd"))).unwrap();

    // A new email is unverified and waits for a code; the id token shows it after a refresh.
    let deliveries = block_on(
        client.update_user_attributes(vec![("email".into(), "tess.new@example.com".into())]),
    )
    .unwrap();
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(deliveries[0].attribute_name.as_deref(), Some("email"));
    let attributes = block_on(client.fetch_user_attributes()).unwrap();
    assert!(attributes.contains(&("email".into(), "tess.new@example.com".into())));
    assert!(attributes.contains(&("email_verified".into(), "false".into())));
    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(
        user.email.as_deref(),
        Some("tess@example.com"),
        "old id token"
    );
    block_on(client.access_token(true)).unwrap();
    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(user.email.as_deref(), Some("tess.new@example.com"));

    block_on(client.sign_out(false)).unwrap();
    let out = block_on(client.sign_in("tess", pw("N3w-Passw0rd"))).unwrap();
    assert!(out.is_signed_in);
}

/// `sign_out(true)` promises that all the user's sessions end, or an error. With an expired access token
/// (a tab left open past the hour) it must still end them (refresh first) or say it could not.
#[test]
fn global_sign_out_with_an_expired_access_token_still_ends_other_sessions() {
    let Some(pool) = fresh_pool(&[("uma", "Passw0rd1")]) else {
        return;
    };
    let storage = Storage::default();
    let client = pool.client(&storage);
    block_on(client.sign_in("uma", pw("Passw0rd1"))).unwrap();
    let other_device = pool.client(&Storage::default());
    block_on(other_device.sign_in("uma", pw("Passw0rd1"))).unwrap();
    let other_access = block_on(other_device.access_token(false)).unwrap();
    let user = user_of(&client);

    force_expiry(client.platform(), &user);
    let result = block_on(client.sign_out(true));
    assert!(block_on(client.current_user()).unwrap().is_none());
    let ops = client.platform().operations();
    let still_valid = pool
        .call(
            "GetUser",
            Object::new().with("AccessToken", other_access.as_str()),
        )
        .status
        == 200;
    assert!(
        result.is_err() || !still_valid,
        "sign_out(true) returned {result:?} but the other device is still signed in; sent {ops:?}"
    );
}

#[test]
fn a_tab_adopts_another_tabs_rotated_tokens_instead_of_using_a_dead_refresh_token() {
    let Some(pool) = fresh_pool_with(
        Object::new().with("refreshTokenRotation", true),
        &[("vic", "Passw0rd1")],
    ) else {
        return;
    };
    let storage = Storage::default();
    let rotating = |c: PoolConfig| c.with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
    let tab_a = pool.client_with(&storage, rotating);
    block_on(tab_a.sign_in("vic", pw("Passw0rd1"))).unwrap();
    let tab_b = pool.client_with(&storage, rotating);
    assert!(block_on(tab_b.current_user()).unwrap().is_some());
    let first_refresh_token = stored_refresh_token(&pool, &storage);

    // Tab A refreshes: the refresh token tab B loaded is now dead.
    let a_token = block_on(tab_a.access_token(true)).unwrap();
    assert_ne!(stored_refresh_token(&pool, &storage), first_refresh_token);

    // Tab B's next refresh takes A's stored tokens (no request with the dead refresh token)...
    let b_token = block_on(tab_b.access_token(true)).unwrap();
    assert_eq!(b_token, a_token);
    assert!(
        tab_b.platform().operations().is_empty(),
        "{:?}",
        tab_b.platform().operations()
    );
    // ...and a later one uses the rotated refresh token it adopted.
    let b_again = block_on(tab_b.access_token(true)).unwrap();
    assert_ne!(b_again, a_token);
    assert_eq!(tab_b.platform().operations(), ["GetTokensFromRefreshToken"]);
    assert!(block_on(tab_b.current_user()).unwrap().is_some());
}
