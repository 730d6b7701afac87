//! The client over a fake platform: sign-in, stored sessions, refresh (shared, kept, cleared), sign-out,
//! events, and the rule that unverified tokens are never stored.

#[path = "support/executor.rs"]
mod executor;
#[path = "support/tokens.rs"]
mod tokens;
#[path = "support/transport.rs"]
mod transport;

use std::cell::RefCell;
use std::rc::Rc;

use cognito_wasm::client::{AuthEvent, Client, REFRESH_RETRY_SECS};
use cognito_wasm::config::AuthFlow;
use cognito_wasm::flow::SignInStep;
use cognito_wasm::secret::Password;
use cognito_wasm::{Error, PoolConfig};
use executor::{block_on, join_all, poll_once};
use tokens::{TokenSpec, CLIENT_ID, POOL_ID};
use transport::{FakePlatform, Reply, Storage};

const T0: i64 = 1_763_000_000;
const SESSION_KEY: &str = "CognitoWasm.testclient123.session";
const JWKS_KEY: &str = "CognitoWasm.testclient123.jwks";

fn config() -> PoolConfig {
    PoolConfig::new(POOL_ID, CLIENT_ID)
        .unwrap()
        .with_auth_flow(AuthFlow::UserPassword)
}

fn client_at(now: i64, storage: Storage) -> Client<FakePlatform> {
    Client::new(
        config(),
        FakePlatform::with_storage(now, &tokens::jwks_json(), storage),
    )
}

/// Records events as their JavaScript names.
fn record_events(client: &Client<FakePlatform>) -> Rc<RefCell<Vec<&'static str>>> {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    client.on_auth_change(Box::new(move |e: &AuthEvent| {
        sink.borrow_mut().push(e.as_str())
    }));
    events
}

/// A client signed in at `T0` with tokens valid for an hour and refresh token `refresh-1`.
fn signed_in(storage: Storage) -> Client<FakePlatform> {
    let client = client_at(T0, storage);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1"))));
    let out = block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert!(out.is_signed_in);
    assert_eq!(out.next_step.sign_in_step, SignInStep::Done);
    client
}

#[test]
fn sign_in_verifies_and_stores_one_session_document() {
    let storage = Storage::default();
    let client = client_at(T0, Rc::clone(&storage));
    let events = record_events(&client);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1"))));
    block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();

    let body = client.platform().requests.borrow()[0].body.clone();
    assert_eq!(
        body,
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"testclient123","AuthParameters":{"USERNAME":"alice","PASSWORD":"Passw0rd!"}}"#
    );
    assert_eq!(client.platform().jwks_fetches(), 1);
    let keys: Vec<String> = storage.borrow().keys().cloned().collect();
    assert_eq!(keys, [JWKS_KEY, SESSION_KEY]);
    let doc = storage.borrow()[SESSION_KEY].clone();
    assert!(doc.starts_with(
        r#"{"v":1,"userPoolId":"us-east-1_TestPool1","clientId":"testclient123","idToken":"ey"#
    ));
    assert!(doc.contains(r#""refreshToken":"refresh-1""#));
    assert_eq!(*events.borrow(), ["signedIn"]);

    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.user_id, "11111111-2222-3333-4444-555555555555");
    assert_eq!(user.email.as_deref(), Some("alice@example.com"));
    assert_eq!(user.groups, ["admins"]);
    assert_eq!(user.expires_at, (T0 + 3600) * 1000);
    assert_eq!(user.claims.0.get_str("token_use"), Some("id"));

    let err = block_on(client.sign_in("alice", Password::from("x"))).unwrap_err();
    assert_eq!(err.code(), "AlreadySignedIn");
}

#[test]
fn fresh_client_restores_the_session_without_network() {
    let storage = Storage::default();
    let first = signed_in(Rc::clone(&storage));
    let token = block_on(first.access_token(false)).unwrap();

    let second = client_at(T0 + 600, Rc::clone(&storage));
    let user = block_on(second.current_user()).unwrap().unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(block_on(second.access_token(false)).unwrap(), token);
    assert!(
        second.platform().requests.borrow().is_empty(),
        "no request at all"
    );
}

#[test]
fn restore_fetches_jwks_when_not_cached_then_verifies() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    storage.borrow_mut().remove(JWKS_KEY);
    let second = client_at(T0 + 60, Rc::clone(&storage));
    assert!(block_on(second.current_user()).unwrap().is_some());
    assert_eq!(second.platform().jwks_fetches(), 1);
}

#[test]
fn offline_without_jwks_is_an_error_but_keeps_the_stored_session() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    storage.borrow_mut().remove(JWKS_KEY);
    let second = client_at(T0 + 60, Rc::clone(&storage));
    *second.platform().jwks.borrow_mut() = None;
    let err = block_on(second.current_user()).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(storage.borrow().contains_key(SESSION_KEY));
}

#[test]
fn offline_with_a_cached_key_set_that_lacks_the_kid_keeps_the_stored_session() {
    // The stored session's tokens are signed under a kid the (fresh) cached key set predates.
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    let rotated_session = {
        let other = Client::new(
            config(),
            FakePlatform::new(T0, &tokens::jwks_json_with_kid("rotated")),
        );
        let mut spec = TokenSpec::new(T0);
        spec.kid = "rotated".into();
        other
            .platform()
            .push(Reply::ok(spec.auth_result(Some("refresh-1"))));
        block_on(other.sign_in("alice", Password::from("pw"))).unwrap();
        other.platform().stored(SESSION_KEY).unwrap()
    };
    storage
        .borrow_mut()
        .insert(SESSION_KEY.into(), rotated_session.clone());
    let reloaded = client_at(T0 + 60, Rc::clone(&storage));
    *reloaded.platform().jwks.borrow_mut() = None;
    let err = block_on(reloaded.current_user()).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(
        storage.borrow()[SESSION_KEY],
        rotated_session,
        "nothing lost"
    );
    // Back online, the new key set is fetched and the session restored.
    *reloaded.platform().jwks.borrow_mut() = Some(tokens::jwks_json_with_kid("rotated"));
    reloaded.platform().set_now(T0 + 80);
    assert!(block_on(reloaded.current_user()).unwrap().is_some());
}

#[test]
fn corrupted_foreign_or_tampered_storage_reads_as_signed_out() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    let good = storage.borrow()[SESSION_KEY].clone();
    let other_client = good.replace(CLIENT_ID, "otherclient");
    // A token signed by someone else (valid shape, wrong key) must not be accepted either.
    let mut forged = TokenSpec::new(T0);
    forged.username = "mallory".into();
    let forged_id = forged.id_token();
    let (head, _) = forged_id.rsplit_once('.').unwrap();
    let real_id = good
        .split(r#""idToken":""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (_, real_sig) = real_id.rsplit_once('.').unwrap();
    let tampered = good.replace(&real_id, &format!("{head}.{real_sig}"));
    // Unreadable: signed out, and the entry is removed. Failing verification: signed out, but the entry stays,
    // since forged tokens and a hostile key set look the same and no key set may end a session (a sign-in
    // replaces it). Another client's or another format version's document (another build of the library in
    // another tab): signed out here, but the entry stays, or that tab's user would be signed out too.
    for (bad, removed) in [
        ("{not json".to_owned(), true),
        ("{}".to_owned(), true),
        (tampered, false),
        (other_client, false),
        (good.replace(r#""v":1"#, r#""v":99"#), false),
    ] {
        storage.borrow_mut().insert(SESSION_KEY.into(), bad.clone());
        let client = client_at(T0 + 60, Rc::clone(&storage));
        let events = record_events(&client);
        assert!(block_on(client.current_user()).unwrap().is_none(), "{bad}");
        assert_eq!(
            storage.borrow().get(SESSION_KEY).is_none(),
            removed,
            "removed: {bad}"
        );
        assert_eq!(
            block_on(client.access_token(false)).unwrap_err().code(),
            "NotSignedIn"
        );
        assert!(events.borrow().is_empty());
    }
}

#[test]
fn a_stored_session_with_keys_from_a_later_release_still_reads() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    let good = storage.borrow()[SESSION_KEY].clone();
    let extended = good.replace(r#""v":1,"#, r#""v":1,"addedLater":[true],"#);
    assert_ne!(extended, good);
    storage.borrow_mut().insert(SESSION_KEY.into(), extended);
    let client = client_at(T0 + 60, Rc::clone(&storage));
    let user = block_on(client.current_user())
        .unwrap()
        .expect("still signed in");
    assert_eq!(user.username, "alice");
}

#[test]
fn refresh_when_due_keeps_the_refresh_token_and_stores_new_tokens() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    let old = block_on(client.access_token(false)).unwrap();
    // 1 h tokens, 60 s skew + 60 s margin: due from T0 + 3480.
    client.platform().set_now(T0 + 3479);
    assert_eq!(block_on(client.access_token(false)).unwrap(), old);
    client.platform().set_now(T0 + 3500);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0 + 3500).auth_result(None)));
    let new = block_on(client.access_token(false)).unwrap();
    assert_ne!(new, old);
    assert_eq!(
        client.platform().last_body(),
        r#"{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"testclient123","AuthParameters":{"REFRESH_TOKEN":"refresh-1"}}"#
    );
    let doc = storage.borrow()[SESSION_KEY].clone();
    assert!(
        doc.contains(r#""refreshToken":"refresh-1""#),
        "old refresh token kept"
    );
    assert!(doc.contains(&new));
    assert_eq!(*events.borrow(), ["tokenRefresh"]);
}

#[test]
fn twenty_concurrent_callers_share_one_refresh() {
    let client = signed_in(Storage::default());
    client.platform().set_now(T0 + 4000);
    client.platform().send_delay_polls.set(5);
    client.platform().push(Reply::ok(
        TokenSpec::new(T0 + 4000).auth_result(Some("refresh-2")),
    ));
    let calls: Vec<_> = (0..20).map(|_| client.access_token(false)).collect();
    let tokens = join_all(calls);
    let first = tokens[0].as_ref().unwrap().clone();
    assert!(tokens.iter().all(|t| t.as_ref().unwrap() == &first));
    let refreshes = client
        .platform()
        .operations()
        .iter()
        .filter(|op| *op == "InitiateAuth")
        .count();
    assert_eq!(refreshes, 2, "one sign-in and exactly one refresh");
    // A rotated refresh token replaces the old one.
    let doc = client.platform().stored(SESSION_KEY).unwrap();
    assert!(doc.contains(r#""refreshToken":"refresh-2""#), "{doc}");
}

#[test]
fn network_error_or_500_during_refresh_keeps_the_session() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    client.platform().set_now(T0 + 4000);
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    let err = block_on(client.access_token(false)).unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    // Asked again at once (a listener re-reading the user on tokenRefresh_failure, say): the same error, with
    // no request and no event, so nothing spins while offline.
    for _ in 0..3 {
        let again = block_on(client.current_user()).unwrap_err();
        assert!(matches!(again, Error::Network(_)), "{again:?}");
    }
    assert_eq!(client.platform().operations().len(), 2);
    client.platform().set_now(T0 + 4000 + REFRESH_RETRY_SECS);
    client
        .platform()
        .push(Reply::Http(cognito_wasm::cognito::HttpResponse::json(
            500, "oops",
        )));
    assert!(matches!(
        block_on(client.access_token(false)),
        Err(Error::Protocol(_))
    ));
    client
        .platform()
        .set_now(T0 + 4000 + 2 * REFRESH_RETRY_SECS);
    client
        .platform()
        .push(Reply::error(400, "TooManyRequestsException", "slow down"));
    assert_eq!(
        block_on(client.access_token(false)).unwrap_err().code(),
        "TooManyRequestsException"
    );
    assert!(storage.borrow().contains_key(SESSION_KEY));
    assert_eq!(
        *events.borrow(),
        [
            "tokenRefresh_failure",
            "tokenRefresh_failure",
            "tokenRefresh_failure"
        ]
    );
    // Back online: the same session refreshes.
    client
        .platform()
        .set_now(T0 + 4000 + 3 * REFRESH_RETRY_SECS);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0 + 4000).auth_result(None)));
    assert!(block_on(client.access_token(false)).is_ok());
}

#[test]
fn early_refresh_failure_still_returns_the_unexpired_token() {
    let client = signed_in(Storage::default());
    let token = block_on(client.access_token(false)).unwrap();
    client.platform().set_now(T0 + 3550); // due, not expired
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    assert_eq!(block_on(client.access_token(false)).unwrap(), token);
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    assert!(
        block_on(client.access_token(true)).is_err(),
        "a forced refresh reports"
    );
}

#[test]
fn not_authorized_during_refresh_signs_out() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    client.platform().set_now(T0 + 4000);
    client.platform().push(Reply::error(
        400,
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    ));
    let err = block_on(client.access_token(false)).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
    assert!(!storage.borrow().contains_key(SESSION_KEY));
    assert_eq!(*events.borrow(), ["tokenRefresh_failure", "signedOut"]);
    assert!(block_on(client.current_user()).unwrap().is_none());
}

#[test]
fn refreshed_tokens_that_fail_verification_are_not_stored() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let before = storage.borrow()[SESSION_KEY].clone();
    client.platform().set_now(T0 + 4000);
    let mut wrong = TokenSpec::new(T0 + 4000);
    wrong.issuer = "https://evil.example/us-east-1_TestPool1".into();
    client.platform().push(Reply::ok(wrong.auth_result(None)));
    let err = block_on(client.access_token(false)).unwrap_err();
    assert!(matches!(err, Error::Token(_)), "{err:?}");
    assert_eq!(storage.borrow()[SESSION_KEY], before);
}

#[test]
fn sign_in_tokens_that_fail_verification_are_not_stored() {
    let storage = Storage::default();
    let client = client_at(T0, Rc::clone(&storage));
    let events = record_events(&client);
    // Another region's pool: the issuer check rejects it. (An old token cannot be told from a fast
    // device clock at sign-in: the client learns Cognito's time from the fresh token's iat; see
    // tests/client_clock.rs.)
    let mut foreign = TokenSpec::new(T0);
    foreign.issuer = format!("https://cognito-idp.eu-west-1.amazonaws.com/{POOL_ID}");
    client
        .platform()
        .push(Reply::ok(foreign.auth_result(Some("refresh-1"))));
    let err = block_on(client.sign_in("alice", Password::from("pw"))).unwrap_err();
    assert_eq!(err.code(), "JwtInvalidIssuer");
    assert!(!storage.borrow().contains_key(SESSION_KEY));
    assert!(events.borrow().is_empty());
    assert!(block_on(client.current_user()).unwrap().is_none());
}

#[test]
fn sign_out_clears_state_even_when_revocation_fails() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    block_on(client.sign_out(false)).unwrap();
    assert_eq!(
        client.platform().operations().last().unwrap(),
        "RevokeToken"
    );
    assert_eq!(
        client.platform().last_body(),
        r#"{"Token":"refresh-1","ClientId":"testclient123"}"#
    );
    assert!(!storage.borrow().contains_key(SESSION_KEY));
    assert_eq!(*events.borrow(), ["signedOut"]);
    assert!(block_on(client.current_user()).unwrap().is_none());
}

#[test]
fn global_sign_out_calls_global_sign_out_then_revokes() {
    let client = signed_in(Storage::default());
    client.platform().push(Reply::ok("{}"));
    client.platform().push(Reply::ok("{}"));
    block_on(client.sign_out(true)).unwrap();
    let ops = client.platform().operations();
    assert_eq!(ops[ops.len() - 2..], ["GlobalSignOut", "RevokeToken"]);
}

#[test]
fn a_sign_in_during_the_sign_out_calls_is_not_followed_by_a_stale_signed_out() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    client.platform().send_delay_polls.set(3);
    client.platform().push(Reply::ok("{}"));
    let mut sign_out = std::pin::pin!(client.sign_out(false));
    // First poll: the local session is gone, RevokeToken is on the wire.
    assert!(poll_once(sign_out.as_mut()).is_none());
    assert!(!storage.borrow().contains_key(SESSION_KEY));
    client.platform().send_delay_polls.set(0);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-2"))));
    block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    block_on(sign_out).unwrap();
    assert_eq!(*events.borrow(), ["signedIn"]);
    assert!(block_on(client.current_user()).unwrap().is_some());
}

#[test]
fn global_sign_out_with_an_expired_access_token_refreshes_first() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let later = T0 + 7200;
    client.platform().set_now(later);
    let fresh = TokenSpec::new(later);
    client.platform().push(Reply::ok(fresh.auth_result(None)));
    client.platform().push(Reply::ok("{}"));
    client.platform().push(Reply::ok("{}"));
    block_on(client.sign_out(true)).unwrap();
    assert_eq!(
        client.platform().operations(),
        [
            "InitiateAuth",
            "InitiateAuth",
            "GlobalSignOut",
            "RevokeToken"
        ]
    );
    assert!(!storage.borrow().contains_key(SESSION_KEY));
}

#[test]
fn global_sign_out_that_cannot_refresh_says_so_and_still_signs_out_locally() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    let events = record_events(&client);
    client.platform().set_now(T0 + 7200);
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    client
        .platform()
        .push(Reply::NetworkError("offline".into()));
    let err = block_on(client.sign_out(true)).unwrap_err();
    assert_eq!(err.code(), "NetworkError");
    assert!(!client
        .platform()
        .operations()
        .contains(&"GlobalSignOut".to_owned()));
    assert!(!storage.borrow().contains_key(SESSION_KEY));
    assert_eq!(*events.borrow(), ["tokenRefresh_failure", "signedOut"]);
    assert!(block_on(client.current_user()).unwrap().is_none());
}

#[test]
fn global_sign_out_when_signed_out_is_a_no_op() {
    let client = client_at(T0, Storage::default());
    block_on(client.sign_out(true)).unwrap();
    assert!(client.platform().operations().is_empty());
}

#[test]
fn sign_out_without_origin_jti_does_not_revoke() {
    let client = client_at(T0, Storage::default());
    let mut spec = TokenSpec::new(T0);
    spec.origin_jti = None;
    client
        .platform()
        .push(Reply::ok(spec.auth_result(Some("refresh-1"))));
    block_on(client.sign_in("alice", Password::from("pw"))).unwrap();
    block_on(client.sign_out(false)).unwrap();
    assert_eq!(client.platform().operations(), ["InitiateAuth"]);
}

#[test]
fn listeners_can_be_removed_and_reload_syncs_tabs() {
    let storage = Storage::default();
    let tab_a = signed_in(Rc::clone(&storage));
    let tab_b = client_at(T0 + 10, Rc::clone(&storage));
    let events_b = record_events(&tab_b);
    assert!(block_on(tab_b.current_user()).unwrap().is_some());
    tab_a.platform().push(Reply::ok("{}"));
    block_on(tab_a.sign_out(false)).unwrap();
    block_on(tab_b.reload_from_storage()).unwrap();
    assert!(block_on(tab_b.current_user()).unwrap().is_none());
    assert_eq!(*events_b.borrow(), ["signedOut"]);

    let id = tab_b.on_auth_change(Box::new(|_| panic!("removed listener called")));
    assert!(tab_b.remove_listener(id));
    assert!(!tab_b.remove_listener(id));
}

#[test]
fn expired_stored_session_is_refreshed_before_use() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    let later = T0 + 86_400;
    let client = client_at(later, Rc::clone(&storage));
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(later).auth_result(None)));
    let user = block_on(client.current_user()).unwrap().unwrap();
    assert_eq!(user.expires_at, (later + 3600) * 1000);
    assert_eq!(client.platform().operations(), ["InitiateAuth"]);
}

#[test]
fn verify_token_uses_the_cached_jwks() {
    let client = signed_in(Storage::default());
    let spec = TokenSpec::new(T0);
    let verified =
        block_on(client.verify_token(&spec.access_token(), cognito_wasm::jwt::TokenUse::Access))
            .unwrap();
    assert_eq!(verified.username(), Some("alice"));
    assert_eq!(client.platform().jwks_fetches(), 1);
    let err = block_on(client.verify_token(&spec.access_token(), cognito_wasm::jwt::TokenUse::Id))
        .unwrap_err();
    assert!(matches!(err, Error::Token(_)));
}

#[test]
fn unknown_kid_refetches_at_most_once_per_interval() {
    let client = signed_in(Storage::default());
    let mut spec = TokenSpec::new(T0);
    spec.kid = "rotated".into();
    let token = spec.access_token();
    for _ in 0..3 {
        let err =
            block_on(client.verify_token(&token, cognito_wasm::jwt::TokenUse::Access)).unwrap_err();
        assert_eq!(err.code(), "KidNotFound");
    }
    // The sign-in fetched the set at T0: an unknown kid does not refetch within 10 s...
    assert_eq!(client.platform().jwks_fetches(), 1);
    // ...and afterwards refetches once per interval, however many tokens ask.
    client.platform().set_now(T0 + 11);
    for _ in 0..3 {
        let _ = block_on(client.verify_token(&token, cognito_wasm::jwt::TokenUse::Access));
    }
    assert_eq!(client.platform().jwks_fetches(), 2);
    // A rotated set with the new kid is picked up by the next allowed refetch.
    *client.platform().jwks.borrow_mut() = Some(tokens::jwks_json_with_kid("rotated"));
    client.platform().set_now(T0 + 22);
    assert!(block_on(client.verify_token(&token, cognito_wasm::jwt::TokenUse::Access)).is_ok());
    assert_eq!(client.platform().jwks_fetches(), 3);
}

#[test]
fn a_refresh_stored_by_another_tab_is_adopted_without_a_request() {
    let storage = Storage::default();
    let tab_a = signed_in(Rc::clone(&storage));
    let tab_b = client_at(T0, Rc::clone(&storage));
    assert!(block_on(tab_b.current_user()).unwrap().is_some());
    for tab in [&tab_a, &tab_b] {
        tab.platform().set_now(T0 + 4000);
    }
    tab_b.platform().push(Reply::ok(
        TokenSpec::new(T0 + 4000).auth_result(Some("refresh-2")),
    ));
    let token_b = block_on(tab_b.access_token(false)).unwrap();
    let events_a = record_events(&tab_a);
    assert_eq!(block_on(tab_a.access_token(false)).unwrap(), token_b);
    assert_eq!(
        tab_a.platform().operations(),
        ["InitiateAuth"],
        "only the sign-in"
    );
    assert_eq!(*events_a.borrow(), ["tokenRefresh"]);
}

#[test]
fn a_refresh_by_another_tab_is_a_token_refresh_event_here() {
    let storage = Storage::default();
    let tab_a = signed_in(Rc::clone(&storage));
    let tab_b = client_at(T0, Rc::clone(&storage));
    assert!(block_on(tab_b.current_user()).unwrap().is_some());
    let events_b = record_events(&tab_b);
    // Nothing changed: no event.
    block_on(tab_b.reload_from_storage()).unwrap();
    assert!(events_b.borrow().is_empty());
    for tab in [&tab_a, &tab_b] {
        tab.platform().set_now(T0 + 4000);
    }
    tab_a.platform().push(Reply::ok(
        TokenSpec::new(T0 + 4000).auth_result(Some("refresh-2")),
    ));
    let token_a = block_on(tab_a.access_token(false)).unwrap();
    // The storage event reaches tab B.
    block_on(tab_b.reload_from_storage()).unwrap();
    assert_eq!(*events_b.borrow(), ["tokenRefresh"]);
    assert_eq!(block_on(tab_b.access_token(false)).unwrap(), token_a);
    assert!(
        tab_b.platform().operations().is_empty(),
        "no request in tab B"
    );
}

#[test]
fn a_rotation_by_another_tab_does_not_sign_out() {
    let storage = Storage::default();
    let tab_a = signed_in(Rc::clone(&storage));
    tab_a.platform().set_now(T0 + 4000);
    let events = record_events(&tab_a);
    // While tab A's refresh is in flight, tab B rotates the refresh token and stores its session...
    let other_tab_session = {
        let tab_b = client_at(T0 + 4000, Rc::new(RefCell::new(storage.borrow().clone())));
        tab_b.platform().push(Reply::ok(
            TokenSpec::new(T0 + 3990).auth_result(Some("refresh-2")),
        ));
        block_on(tab_b.access_token(false)).unwrap();
        tab_b.platform().stored(SESSION_KEY).unwrap()
    };
    *tab_a.platform().during_next_post.borrow_mut() = Some(Box::new(move |s: &Storage| {
        s.borrow_mut().insert(SESSION_KEY.into(), other_tab_session);
    }));
    // ...so Cognito rejects tab A's now-rotated refresh token.
    tab_a.platform().push(Reply::error(
        400,
        "NotAuthorizedException",
        "Invalid Refresh Token",
    ));
    let token = block_on(tab_a.access_token(false)).unwrap();
    assert!(storage.borrow()[SESSION_KEY].contains(&token));
    assert!(storage.borrow()[SESSION_KEY].contains("refresh-2"));
    assert_eq!(*events.borrow(), ["tokenRefresh"]);
}

#[test]
fn a_forced_refresh_overtaken_by_another_tabs_session_answers_with_that_session() {
    let storage = Storage::default();
    let tab_a = signed_in(Rc::clone(&storage));
    tab_a.platform().set_now(T0 + 600);
    // Tab B refreshed on its own and stored its session...
    let other_tab_session = {
        let tab_b = client_at(T0 + 600, Rc::new(RefCell::new(storage.borrow().clone())));
        tab_b.platform().push(Reply::ok(
            TokenSpec::new(T0 + 590).auth_result(Some("refresh-2")),
        ));
        block_on(tab_b.access_token(true)).unwrap();
        tab_b.platform().stored(SESSION_KEY).unwrap()
    };
    // ...while tab A's forced refresh (after a 401) was on the wire; A's storage event reloads B's session.
    *tab_a.platform().during_next_post.borrow_mut() = Some(Box::new(move |s: &Storage| {
        s.borrow_mut().insert(SESSION_KEY.into(), other_tab_session);
    }));
    tab_a.platform().send_delay_polls.set(3);
    tab_a.platform().push(Reply::ok(
        TokenSpec::new(T0 + 595).auth_result(Some("refresh-3")),
    ));
    let results = join_all(vec![
        Box::pin(async { tab_a.access_token(true).await.map(Some) })
            as std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<String>, Error>>>>,
        Box::pin(async { tab_a.reload_from_storage().await.map(|()| None) }),
    ]);
    let token = results
        .into_iter()
        .next()
        .unwrap()
        .expect("still signed in: the reloaded session answers")
        .unwrap();
    assert_eq!(token, TokenSpec::new(T0 + 590).access_token());
    assert!(storage.borrow()[SESSION_KEY].contains("refresh-2"));
}

#[test]
fn short_lived_tokens_with_a_large_skew_are_not_refreshed_on_every_call() {
    let client = Client::new(
        config().with_clock_skew_secs(300).unwrap(),
        FakePlatform::with_storage(T0, &tokens::jwks_json(), Storage::default()),
    );
    // Cognito's shortest lifetime: 5 minutes.
    let five_minutes = |iat: i64| {
        let mut spec = TokenSpec::new(iat);
        spec.exp = iat + 300;
        spec
    };
    client
        .platform()
        .push(Reply::ok(five_minutes(T0).auth_result(Some("refresh-1"))));
    block_on(client.sign_in("alice", Password::from("pw"))).unwrap();
    for _ in 0..3 {
        block_on(client.access_token(false)).unwrap();
    }
    assert_eq!(
        client.platform().operations(),
        ["InitiateAuth"],
        "no refresh yet"
    );
    // Due at half the lifetime (skew + margin would be 360 s, longer than the tokens live).
    client.platform().set_now(T0 + 149);
    block_on(client.access_token(false)).unwrap();
    assert_eq!(client.platform().operations().len(), 1);
    client.platform().set_now(T0 + 150);
    client
        .platform()
        .push(Reply::ok(five_minutes(T0 + 150).auth_result(None)));
    assert_eq!(
        block_on(client.access_token(false)).unwrap(),
        five_minutes(T0 + 150).access_token()
    );
    assert_eq!(client.platform().operations().len(), 2, "one refresh");
}

#[test]
fn concurrent_first_uses_share_one_jwks_fetch() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    storage.borrow_mut().remove(JWKS_KEY);
    let client = client_at(T0 + 60, Rc::clone(&storage));
    client.platform().send_delay_polls.set(5);
    let spec = TokenSpec::new(T0);
    let token = spec.id_token();
    let results = join_all(vec![
        Box::pin(async { has_current_user(&client).await })
            as std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>,
        Box::pin(async {
            client
                .verify_token(&token, cognito_wasm::jwt::TokenUse::Id)
                .await
                .is_ok()
        }),
        Box::pin(async { client.access_token(false).await.is_ok() }),
    ]);
    assert_eq!(results, [true, true, true]);
    assert_eq!(client.platform().jwks_fetches(), 1);
}

async fn has_current_user(client: &Client<FakePlatform>) -> bool {
    client.current_user().await.unwrap().is_some()
}

#[test]
fn a_dropped_caller_leaves_its_refresh_to_those_who_wait_for_it() {
    let client = signed_in(Storage::default());
    client.platform().set_now(T0 + 4000);
    client.platform().send_delay_polls.set(3);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0 + 4000).auth_result(None)));
    let mut leader = Box::pin(client.access_token(false));
    let mut waiter = Box::pin(client.access_token(false));
    assert!(
        poll_once(leader.as_mut()).is_none(),
        "the leader sent its refresh"
    );
    assert!(poll_once(waiter.as_mut()).is_none(), "the waiter joined it");
    drop(leader);
    let token = block_on(waiter).unwrap();
    let refreshes = client
        .platform()
        .operations()
        .iter()
        .filter(|op| *op == "InitiateAuth")
        .count();
    assert_eq!(
        refreshes, 2,
        "the sign-in, and the one refresh the waiter saw through after the leader was dropped"
    );
    assert_eq!(block_on(client.access_token(false)).unwrap(), token);
}

#[test]
fn a_dead_stored_session_does_not_block_a_new_sign_in() {
    let storage = Storage::default();
    signed_in(Rc::clone(&storage));
    let later = T0 + 86_400;
    let client = client_at(later, Rc::clone(&storage));
    client.platform().push(Reply::error(
        400,
        "NotAuthorizedException",
        "Refresh Token has expired",
    ));
    client.platform().push(Reply::ok(
        TokenSpec::new(later).auth_result(Some("refresh-9")),
    ));
    let out = block_on(client.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert!(out.is_signed_in);
    assert_eq!(
        client.platform().operations(),
        ["InitiateAuth", "InitiateAuth"]
    );
    assert!(storage.borrow()[SESSION_KEY].contains("refresh-9"));
}

#[test]
fn a_refresh_that_finishes_after_sign_out_changes_nothing() {
    let storage = Storage::default();
    let client = signed_in(Rc::clone(&storage));
    client.platform().set_now(T0 + 4000);
    client.platform().send_delay_polls.set(3);
    client
        .platform()
        .push(Reply::ok(TokenSpec::new(T0 + 4000).auth_result(None)));
    client.platform().push(Reply::ok("{}"));
    let mut refresh = Box::pin(client.access_token(false));
    assert!(poll_once(refresh.as_mut()).is_none(), "refresh in flight");
    let events = record_events(&client);
    block_on(client.sign_out(false)).unwrap();
    assert_eq!(block_on(refresh).unwrap_err().code(), "NotSignedIn");
    assert!(
        !storage.borrow().contains_key(SESSION_KEY),
        "not resurrected"
    );
    assert!(block_on(client.current_user()).unwrap().is_none());
    assert_eq!(*events.borrow(), ["signedOut"]);
}
