//! The client end to end against the Cognito emulator (`tests/emulator`, moto plus a server-side SRP
//! check), over a small blocking HTTP/1.1 transport. Runs when `COGNITO_EMULATOR_INFO` names the
//! emulator's info file (`scripts/test.sh` starts it); skips with a message otherwise. Each test makes
//! its own pool through the emulator's `/_emulator/pool` route.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_wasm::client::{AuthEvent, Client, Platform};
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::config::{AuthFlow, RefreshMethod};
use cognito_wasm::flow::account::SignUpInput;
use cognito_wasm::flow::{SignInStep, SignUpStep};
use cognito_wasm::json::{self, Limits, Object, Value};
use cognito_wasm::secret::Password;
use cognito_wasm::{Error, PoolConfig, Result};

#[path = "support/ci.rs"]
mod ci;
#[path = "support/executor.rs"]
mod executor;
use executor::block_on;

/// Splits `http://host:port/path` into the address and the path.
fn split_url(url: &str) -> (String, String) {
    let rest = url
        .strip_prefix("http://")
        .expect("the emulator speaks plain http");
    match rest.find('/') {
        Some(i) => (rest[..i].to_owned(), rest[i..].to_owned()),
        None => (rest.to_owned(), "/".to_owned()),
    }
}

/// One blocking HTTP/1.1 exchange (`Connection: close`, Content-Length or chunked bodies).
fn http(request: &HttpRequest) -> std::io::Result<HttpResponse> {
    let (address, path) = split_url(&request.url);
    let mut stream = TcpStream::connect(&address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        request.method,
        request.body.len()
    );
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(request.body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        let mut decoded = Vec::new();
        let mut rest = &body[..];
        loop {
            let line_end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&rest[..line_end])
                    .split(';')
                    .next()
                    .unwrap()
                    .trim(),
                16,
            )
            .expect("hex chunk size");
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            decoded.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = decoded;
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// A real-network platform with in-memory storage and the system clock.
struct NetPlatform {
    storage: Rc<RefCell<BTreeMap<String, String>>>,
    sent: RefCell<Vec<HttpRequest>>,
    last_response: RefCell<Option<HttpResponse>>,
    seed: Cell<u64>,
}

impl NetPlatform {
    fn new(storage: Rc<RefCell<BTreeMap<String, String>>>) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        NetPlatform {
            storage,
            sent: RefCell::new(Vec::new()),
            last_response: RefCell::new(None),
            seed: Cell::new(nanos as u64 | 1),
        }
    }

    fn operations(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .map(|r| {
                r.target()
                    .map(|t| {
                        t.trim_start_matches("AWSCognitoIdentityProviderService.")
                            .to_owned()
                    })
                    .unwrap_or_else(|| format!("{} {}", r.method, r.url))
            })
            .collect()
    }
}

impl Platform for NetPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.sent.borrow_mut().push(request.clone());
        let response = http(&request).map_err(|e| Error::Network(e.to_string().into()))?;
        *self.last_response.borrow_mut() = Some(response.clone());
        Ok(response)
    }
    fn storage_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.storage.borrow().get(key).cloned())
    }
    fn storage_set(&self, key: &str, value: &str) -> Result<()> {
        self.storage.borrow_mut().insert(key.into(), value.into());
        Ok(())
    }
    fn storage_remove(&self, key: &str) -> Result<()> {
        self.storage.borrow_mut().remove(key);
        Ok(())
    }
    fn now_millis(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    }
    fn fill_random(&self, buf: &mut [u8]) -> Result<()> {
        // xorshift64*: test-only randomness (the SRP server picks its own fresh b).
        for byte in buf {
            let mut x = self.seed.get();
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.seed.set(x);
            *byte = (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8;
        }
        Ok(())
    }
}

/// A fresh pool with `alice` (CONFIRMED, password `Passw0rd1`), or `None` (skip) without an emulator;
/// under CI, a missing emulator fails the test instead.
fn fresh_pool(test: &str) -> Option<(String, String, String)> {
    let Ok(info) = std::env::var("COGNITO_EMULATOR_INFO") else {
        ci::skip_unless_ci(&format!(
            "{test}: COGNITO_EMULATOR_INFO is not set (scripts/test.sh starts the emulator)"
        ));
        return None;
    };
    let info = std::fs::read(&info).expect("the emulator info file");
    let info = json::parse_object(&info, &Limits::default()).unwrap();
    let endpoint = info.get_str("endpoint").unwrap().to_owned();
    let seed = Object::new().with(
        "seedUsers",
        Value::Array(vec![Value::Object(
            Object::new()
                .with("username", "alice")
                .with("password", "Passw0rd1")
                .with("email", "alice@example.com"),
        )]),
    );
    let response = http(&HttpRequest {
        method: "POST",
        url: format!("{endpoint}/_emulator/pool"),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: seed.to_json(),
    })
    .expect("the emulator answers");
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let pool = json::parse_object(&response.body, &Limits::default()).unwrap();
    Some((
        endpoint,
        pool.get_str("userPoolId").unwrap().to_owned(),
        pool.get_str("clientId").unwrap().to_owned(),
    ))
}

type Storage = Rc<RefCell<BTreeMap<String, String>>>;

fn client(
    pool: &(String, String, String),
    flow: AuthFlow,
    storage: Storage,
) -> Client<NetPlatform> {
    let config = PoolConfig::new(pool.1.as_str(), pool.2.as_str())
        .unwrap()
        .with_endpoint(pool.0.as_str())
        .unwrap()
        .with_auth_flow(flow);
    Client::new(config, NetPlatform::new(storage))
}

#[test]
fn srp_sign_in_restore_refresh_and_sign_out() {
    let Some(pool) = fresh_pool("srp_sign_in_restore_refresh_and_sign_out") else {
        return;
    };
    let storage = Storage::default();
    let c = client(&pool, AuthFlow::UserSrp, Rc::clone(&storage));
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    c.on_auth_change(Box::new(move |e: &AuthEvent| {
        sink.borrow_mut().push(e.as_str())
    }));

    let out = block_on(c.sign_in("alice", Password::from("Passw0rd1"))).unwrap();
    assert!(out.is_signed_in, "{out:?}");
    let user = block_on(c.current_user()).unwrap().unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.email.as_deref(), Some("alice@example.com"));

    // A reload: verified from storage (JWKS included) with no request at all.
    let reloaded = client(&pool, AuthFlow::UserSrp, Rc::clone(&storage));
    assert_eq!(
        block_on(reloaded.current_user()).unwrap().unwrap().user_id,
        user.user_id
    );
    assert!(reloaded.platform().sent.borrow().is_empty());

    let before = block_on(c.access_token(false)).unwrap();
    let refreshed = block_on(c.access_token(true)).unwrap();
    assert_ne!(refreshed, before, "a forced refresh brings new tokens");
    assert_eq!(block_on(c.access_token(false)).unwrap(), refreshed);
    let attributes = block_on(c.fetch_user_attributes()).unwrap();
    assert!(attributes.contains(&("email".to_owned(), "alice@example.com".to_owned())));

    block_on(c.sign_out(false)).unwrap();
    assert!(block_on(c.current_user()).unwrap().is_none());
    let ops = c.platform().operations();
    assert_eq!(ops[0], "InitiateAuth");
    // The key set, fetched alongside InitiateAuth because none was at hand.
    assert!(
        ops[1].starts_with("GET ") && ops[1].ends_with("/.well-known/jwks.json"),
        "{ops:?}"
    );
    assert_eq!(ops[2], "RespondToAuthChallenge");
    assert!(ops.contains(&"RevokeToken".to_owned()), "{ops:?}");
    assert_eq!(*events.borrow(), ["signedIn", "tokenRefresh", "signedOut"]);
}

#[test]
fn wrong_password_fails_the_server_side_srp_check() {
    let Some(pool) = fresh_pool("wrong_password_fails_the_server_side_srp_check") else {
        return;
    };
    let c = client(&pool, AuthFlow::UserSrp, Storage::default());
    let err = block_on(c.sign_in("alice", Password::from("Wrong-pass1"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(block_on(c.current_user()).unwrap().is_none());
}

#[test]
fn sign_up_confirm_sign_in_change_password_global_sign_out() {
    let Some(pool) = fresh_pool("sign_up_confirm_sign_in_change_password_global_sign_out") else {
        return;
    };
    let c = client(&pool, AuthFlow::UserPassword, Storage::default());
    let out = block_on(c.sign_up(SignUpInput {
        username: "bob".into(),
        password: Password::from("Passw0rd1"),
        attributes: vec![("email".into(), "bob@example.com".into())],
        ..SignUpInput::default()
    }))
    .unwrap();
    assert!(!out.is_sign_up_complete);
    assert_eq!(out.next_step.sign_up_step, SignUpStep::ConfirmSignUp);

    let out = block_on(c.sign_in("bob", Password::from("Passw0rd1"))).unwrap();
    assert_eq!(out.next_step.sign_in_step, SignInStep::ConfirmSignUp);

    let err = block_on(c.confirm_sign_up("bob", "emulator-wrong-1")).unwrap_err();
    assert_eq!(err.code(), "CodeMismatchException");
    assert!(
        block_on(c.confirm_sign_up("bob", "123456"))
            .unwrap()
            .is_sign_up_complete
    );

    assert!(
        block_on(c.sign_in("bob", Password::from("Passw0rd1")))
            .unwrap()
            .is_signed_in
    );
    block_on(c.update_password(Password::from("Passw0rd1"), Password::from("Passw0rd2"))).unwrap();
    block_on(c.sign_out(true)).unwrap();
    assert!(c
        .platform()
        .operations()
        .contains(&"GlobalSignOut".to_owned()));

    let err = block_on(c.sign_in("bob", Password::from("Passw0rd1"))).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(
        block_on(c.sign_in("bob", Password::from("Passw0rd2")))
            .unwrap()
            .is_signed_in
    );
    block_on(c.delete_user()).unwrap();
    let err = block_on(c.sign_in("bob", Password::from("Passw0rd2"))).unwrap_err();
    assert_eq!(err.code(), "UserNotFoundException");
}

#[test]
fn reset_password_with_the_sent_code() {
    let Some(pool) = fresh_pool("reset_password_with_the_sent_code") else {
        return;
    };
    let c = client(&pool, AuthFlow::UserSrp, Storage::default());
    let out = block_on(c.reset_password("alice")).unwrap();
    assert!(!out.is_password_reset);
    let code = c
        .platform()
        .last_response
        .borrow()
        .as_ref()
        .and_then(|r| {
            r.header("x-moto-forgot-password-confirmation-code")
                .map(str::to_owned)
        })
        .expect("the emulator exposes the code");
    block_on(c.confirm_reset_password("alice", &code, Password::from("N3wPassw0rd"))).unwrap();
    assert!(
        block_on(c.sign_in("alice", Password::from("N3wPassw0rd")))
            .unwrap()
            .is_signed_in
    );
}

#[test]
fn get_tokens_from_refresh_token() {
    let Some(pool) = fresh_pool("get_tokens_from_refresh_token") else {
        return;
    };
    let config = PoolConfig::new(pool.1.as_str(), pool.2.as_str())
        .unwrap()
        .with_endpoint(pool.0.as_str())
        .unwrap()
        .with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
    let c = Client::new(config, NetPlatform::new(Storage::default()));
    block_on(c.sign_in("alice", Password::from("Passw0rd1"))).unwrap();
    block_on(c.access_token(true)).unwrap();
    assert!(c
        .platform()
        .operations()
        .contains(&"GetTokensFromRefreshToken".to_owned()));
    assert!(block_on(c.current_user()).unwrap().is_some());
}
