//! A device clock that is minutes or hours off Cognito's: sign-in, reload, refresh timing and
//! `expiresAt` all follow Cognito's clock, learned from the `iat` of fresh tokens.

#[path = "support/executor.rs"]
mod executor;
#[path = "support/tokens.rs"]
mod tokens;
#[path = "support/transport.rs"]
mod transport;

use std::rc::Rc;

use cognito_wasm::client::Client;
use cognito_wasm::config::AuthFlow;
use cognito_wasm::json::{self, Limits};
use cognito_wasm::secret::Password;
use cognito_wasm::{srp, PoolConfig};
use executor::block_on;
use tokens::{TokenSpec, CLIENT_ID, POOL_ID};
use transport::{FakePlatform, Reply, Storage};

/// Cognito's time at sign-in.
const T0: i64 = 1_763_000_000;
const SESSION_KEY: &str = "CognitoWasm.testclient123.session";

fn client_at(device_now: i64, storage: Storage) -> Client<FakePlatform> {
    let config = PoolConfig::new(POOL_ID, CLIENT_ID)
        .unwrap()
        .with_auth_flow(AuthFlow::UserPassword);
    Client::new(
        config,
        FakePlatform::with_storage(device_now, &tokens::jwks_json(), storage),
    )
}

fn sign_in(client: &Client<FakePlatform>) {
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1"))));
    let out = block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert!(out.is_signed_in);
}

#[test]
fn a_device_ten_minutes_slow_signs_in_and_keeps_its_session_across_a_reload() {
    let slow = -600;
    let storage = Storage::default();
    let client = client_at(T0 + slow, Rc::clone(&storage));
    // Without the correction, iat would be 10 minutes in the future: JwtIssuedInFuture.
    sign_in(&client);
    let user = block_on(client.current_user()).unwrap().unwrap();
    // expiresAt is in the device's clock, comparable with Date.now().
    assert_eq!(user.expires_at, (T0 + 3600 + slow) * 1000);
    assert!(storage.borrow()[SESSION_KEY].contains(r#""clockOffset":600"#));

    let reloaded = client_at(T0 + slow + 60, Rc::clone(&storage));
    let user = block_on(reloaded.current_user()).unwrap().unwrap();
    assert_eq!(user.username, "alice");
    block_on(reloaded.access_token(false)).unwrap();
    assert!(
        reloaded.platform().requests.borrow().is_empty(),
        "no refresh, no request"
    );
}

#[test]
fn a_device_two_hours_fast_is_not_handed_expired_or_needlessly_refreshed_tokens() {
    let fast = 7200;
    let client = client_at(T0 + fast, Storage::default());
    // Without the correction the fresh tokens would be an hour past exp: JwtExpired.
    sign_in(&client);
    let requests = client.platform().requests.borrow().len();
    let token = block_on(client.access_token(false)).unwrap();
    assert_eq!(token, TokenSpec::new(T0).access_token());
    assert_eq!(
        client.platform().requests.borrow().len(),
        requests,
        "no refresh"
    );
}

#[test]
fn refresh_is_due_by_cognitos_clock_not_the_devices() {
    let slow = -600;
    let client = client_at(T0 + slow, Storage::default());
    sign_in(&client);
    let old = block_on(client.access_token(false)).unwrap();
    // 1 h tokens, 60 s skew + 60 s margin: due from Cognito time T0 + 3480.
    client.platform().set_now(T0 + 3479 + slow);
    assert_eq!(block_on(client.access_token(false)).unwrap(), old);
    client.platform().set_now(T0 + 3500 + slow);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0 + 3500).auth_result(None)));
    assert_ne!(block_on(client.access_token(false)).unwrap(), old);
}

#[test]
fn an_offset_beyond_a_day_is_not_believed() {
    // A device clock two days fast: the correction is refused, so the fresh tokens look expired.
    let client = client_at(T0 + 2 * 86_400, Storage::default());
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1"))));
    let err = block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap_err();
    assert_eq!(err.code(), "JwtExpired");
}

#[test]
fn a_device_clock_set_right_after_sign_in_keeps_the_stored_session() {
    // Signed in while ten minutes fast: the stored offset is -600.
    let fast = 600;
    let storage = Storage::default();
    sign_in(&client_at(T0 + fast, Rc::clone(&storage)));
    assert!(storage.borrow()[SESSION_KEY].contains(r#""clockOffset":-600"#));
    // The clock is put right; with the old offset the tokens look issued ten minutes in the future. The
    // session is still this user's, not a reason to sign out.
    let reloaded = client_at(T0 + 5, Rc::clone(&storage));
    let user = block_on(reloaded.current_user()).unwrap();
    assert_eq!(user.map(|u| u.username).as_deref(), Some("alice"));
    assert!(storage.borrow().contains_key(SESSION_KEY));
}

/// The challenge of a USER_SRP_AUTH sign-in (its values need not verify: the fake does not check the proof).
fn password_verifier() -> Reply {
    Reply::ok(
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ec6edf3e7a622735bb748e94364b101d","SRP_B":"ff03c091a481afffd56c6b1664ebd0dd3350b3437a15bd7dcd3cc008c40424722571f19ff0f7aed54a5a5da1e622f3626e105dce0119719cdb2a16d6d501a1dd","SECRET_BLOCK":"c2VjcmV0LWJsb2Nr","USERNAME":"alice","USER_ID_FOR_SRP":"alice"}}"#,
    )
}

fn srp_timestamp(client: &Client<FakePlatform>) -> String {
    let body = client.platform().last_body();
    let body = json::parse_object(body.as_bytes(), &Limits::default()).unwrap();
    body.get_object("ChallengeResponses")
        .unwrap()
        .get_str("TIMESTAMP")
        .unwrap()
        .to_owned()
}

#[test]
fn once_cognitos_time_is_known_srp_signs_with_it() {
    let slow = -600;
    let config = PoolConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let client = Client::new(config, FakePlatform::new(T0 + slow, &tokens::jwks_json()));
    // The first sign-in knows only the device's clock.
    client.platform().push(password_verifier());
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1"))));
    block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert_eq!(srp_timestamp(&client), srp::format_timestamp(T0 + slow));
    // Its tokens taught Cognito's time: after a sign-out, the next sign-in signs with that.
    client.platform().push(Reply::ok("{}"));
    block_on(client.sign_out(false)).unwrap();
    client.platform().set_now(T0 + slow + 120);
    client.platform().push(password_verifier());
    client.platform().push(Reply::ok(
        TokenSpec::new(T0 + 120).auth_result(Some("refresh-2")),
    ));
    block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert_eq!(srp_timestamp(&client), srp::format_timestamp(T0 + 120));
}
