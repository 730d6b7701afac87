//! The client machine on its own: calls, answers and the clock go in, actions come out, and storage is a map.
//! No platform and no executor: every case says exactly which requests, events and results each input gives.
//! Refresh sharing, the key store and its refetch interval, adopting another tab's session, what ends a
//! session, and where `auth.fetch`'s token may go and how often its 401s may refresh.

#[path = "support/map_store.rs"]
mod map_store;
#[path = "support/tokens.rs"]
mod tokens;

use cognito_wasm::client::{
    Action, AutoSignInOptions, CallId, Machine, Op, Reply, RequestId, SignInSecrets,
    FETCH_401_REFRESH_SECS, REFRESH_RETRY_SECS,
};
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::config::AuthFlow;
use cognito_wasm::flow::account::SignUpInput;
use cognito_wasm::flow::user::UserCall;
use cognito_wasm::jwt::TokenUse;
use cognito_wasm::secret::Password;
use cognito_wasm::{Error, PoolConfig, Result};
use map_store::MapStore;
use tokens::{TokenSpec, CLIENT_ID, POOL_ID};

const T0: i64 = 1_763_000_000;
const SESSION_KEY: &str = "CognitoWasm.testclient123.session";
const JWKS_KEY: &str = "CognitoWasm.testclient123.jwks";
/// The API origin the tabs are configured with (`apiOrigins`), and the page's.
const API: &str = "https://api.example.com";
const PAGE: &str = "https://app.example.com";

/// What one input made the machine do, in order.
#[derive(Debug, Default)]
struct Out {
    sent: Vec<(RequestId, HttpRequest)>,
    events: Vec<&'static str>,
    resolved: Vec<(CallId, std::result::Result<Reply, Error>)>,
    locks: Vec<(RequestId, String)>,
    unlocks: Vec<RequestId>,
}

impl Out {
    /// The requests, as `InitiateAuth` (Cognito operations) or `GET` (the JWKS).
    fn sent_names(&self) -> Vec<String> {
        self.sent.iter().map(|(_, r)| name(r)).collect()
    }

    fn only_send(&self, what: &str) -> RequestId {
        assert_eq!(self.sent_names(), [what], "{self:?}");
        self.sent[0].0
    }

    fn result(&self, call: CallId) -> &std::result::Result<Reply, Error> {
        &self
            .resolved
            .iter()
            .find(|(c, _)| *c == call)
            .unwrap_or_else(|| panic!("call {} not resolved: {self:?}", call.0))
            .1
    }

    fn token(&self, call: CallId) -> String {
        match self.result(call) {
            Ok(Reply::Token(token)) => token.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn error_code(&self, call: CallId) -> String {
        match self.result(call) {
            Err(e) => e.code().to_owned(),
            other => panic!("expected an error: {other:?}"),
        }
    }
}

fn name(request: &HttpRequest) -> String {
    match request.target() {
        Some(target) => target
            .trim_start_matches("AWSCognitoIdentityProviderService.")
            .to_owned(),
        None => request.method.to_owned(),
    }
}

/// One tab: a machine, the clock, and (shared or not) storage.
struct Tab {
    m: Machine,
    now: i64,
}

impl Tab {
    fn new(now: i64) -> Self {
        let config = PoolConfig::new(POOL_ID, CLIENT_ID)
            .unwrap()
            .with_auth_flow(AuthFlow::UserPassword)
            .with_api_origins([API])
            .unwrap();
        Tab {
            m: Machine::new(config),
            now,
        }
    }

    fn drain(&mut self) -> Out {
        let mut out = Out::default();
        while let Some(action) = self.m.poll_action() {
            match action {
                Action::Send { id, request } => out.sent.push((id, request)),
                Action::Emit(event) => out.events.push(event.as_str()),
                Action::Resolve { call, result } => out.resolved.push((call, result)),
                Action::Lock { id, name } => out.locks.push((id, name)),
                Action::Unlock { id } => out.unlocks.push(id),
            }
        }
        out
    }

    fn call(&mut self, op: Op, store: &mut MapStore) -> (CallId, Out) {
        let call = self.m.call(op, self.now * 1000, store);
        (call, self.drain())
    }

    fn granted(&mut self, id: RequestId, store: &mut MapStore) -> Out {
        self.m.lock_granted(id, true, self.now * 1000, store);
        self.drain()
    }

    fn answer(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse>,
        store: &mut MapStore,
    ) -> Out {
        self.m.response(id, response, self.now * 1000, store);
        self.drain()
    }

    fn token(&mut self, store: &mut MapStore) -> (CallId, Out) {
        self.call(
            Op::Token {
                token_use: TokenUse::Access,
                force_refresh: false,
            },
            store,
        )
    }

    /// `auth.fetch`'s token for `url` from the page `PAGE`; after a 401 when `rejected` is the token it carried.
    fn fetch_token(
        &mut self,
        url: &str,
        rejected: Option<&str>,
        store: &mut MapStore,
    ) -> (CallId, Out) {
        let op = Op::FetchToken {
            url: url.to_owned(),
            page_origin: Some(PAGE.to_owned()),
            rejected: rejected.map(str::to_owned),
        };
        self.call(op, store)
    }

    /// Signs in `alice` with tokens issued at `iat`; the key set is fetched alongside when none is at hand.
    fn sign_in(&mut self, iat: i64, refresh: &str, store: &mut MapStore) {
        let (call, out) = self.call(sign_in_op(), store);
        let mut jwks = None;
        let mut initiate = None;
        for (id, request) in &out.sent {
            match name(request).as_str() {
                "InitiateAuth" => initiate = Some(*id),
                "GET" => jwks = Some(*id),
                other => panic!("unexpected {other}"),
            }
        }
        let mut out = self.answer(
            initiate.expect("InitiateAuth"),
            Ok(ok(TokenSpec::new(iat).auth_result(Some(refresh)))),
            store,
        );
        if let Some(jwks) = jwks {
            assert!(
                out.resolved.is_empty(),
                "no result before the key set: {out:?}"
            );
            out = self.answer(jwks, Ok(ok(tokens::jwks_json())), store);
        }
        assert!(
            matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in),
            "{out:?}"
        );
        assert_eq!(out.events, ["signedIn"]);
    }
}

fn sign_in_op() -> Op {
    Op::SignIn {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        flow: None,
        client_metadata: None,
        preferred_challenge: None,
        secrets: SignInSecrets::zeroed(),
    }
}

fn ok(body: String) -> HttpResponse {
    HttpResponse::json(200, body)
}

fn cognito_error(status: u16, type_name: &str) -> HttpResponse {
    HttpResponse::json(
        status,
        format!(r#"{{"__type":"{type_name}","message":"no"}}"#),
    )
}

#[test]
fn a_sign_in_with_no_key_set_fetches_it_alongside_its_first_request() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    let (call, out) = tab.call(sign_in_op(), &mut store);
    // Both requests go out before any answer: one round trip, not two.
    assert_eq!(out.sent_names(), ["InitiateAuth", "GET"]);
    let (initiate, jwks) = (out.sent[0].0, out.sent[1].0);
    // The tokens come first: nothing is resolved, stored or announced until they are verified.
    let out = tab.answer(
        initiate,
        Ok(ok(TokenSpec::new(T0).auth_result(Some("r1")))),
        &mut store,
    );
    assert!(out.resolved.is_empty() && out.events.is_empty() && out.sent.is_empty());
    assert!(store.0.is_empty());
    let out = tab.answer(jwks, Ok(ok(tokens::jwks_json())), &mut store);
    assert!(matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in));
    assert_eq!(out.events, ["signedIn"]);
    assert!(store.0.contains_key(SESSION_KEY));
    assert!(
        store.0.contains_key(JWKS_KEY),
        "the key set is kept once it verified a token"
    );
    // A later sign-in (after a sign-out) has the key set: one request.
    let (_, out) = tab.call(Op::SignOut { global: false }, &mut store);
    let revoke = out.only_send("RevokeToken");
    tab.answer(revoke, Ok(ok("{}".into())), &mut store);
    let (_, out) = tab.call(sign_in_op(), &mut store);
    assert_eq!(out.sent_names(), ["InitiateAuth"]);
}

#[test]
fn a_key_set_that_verifies_nothing_is_not_stored() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    let (call, out) = tab.call(sign_in_op(), &mut store);
    let (initiate, jwks) = (out.sent[0].0, out.sent[1].0);
    tab.answer(
        jwks,
        Ok(ok(tokens::jwks_json_with_kid("another-kid"))),
        &mut store,
    );
    let out = tab.answer(
        initiate,
        Ok(ok(TokenSpec::new(T0).auth_result(Some("r1")))),
        &mut store,
    );
    assert_eq!(out.error_code(call), "KidNotFound");
    assert!(out.events.is_empty());
    assert!(
        store.0.is_empty(),
        "neither the session nor the key set: {:?}",
        store.0.keys()
    );
}

#[test]
fn callers_that_find_a_refresh_under_way_share_it() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    tab.now = T0 + 3500; // due: 1 h tokens, 60 s skew + 60 s margin
    let (first, out) = tab.token(&mut store);
    let refresh = out.only_send("InitiateAuth");
    assert!(out.resolved.is_empty());
    let mut others = Vec::new();
    for _ in 0..5 {
        let (call, out) = tab.token(&mut store);
        assert!(
            out.sent.is_empty() && out.resolved.is_empty(),
            "joined, nothing sent: {out:?}"
        );
        others.push(call);
    }
    let (user, out) = tab.call(Op::CurrentUser, &mut store);
    assert!(
        matches!(out.result(user), Ok(Reply::User(Some(_)))),
        "not expired: answered at once"
    );
    let out = tab.answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3500).auth_result(None))),
        &mut store,
    );
    assert_eq!(out.events, ["tokenRefresh"]);
    let fresh = out.token(first);
    assert_eq!(fresh, TokenSpec::new(T0 + 3500).access_token());
    for call in others {
        assert_eq!(out.token(call), fresh);
    }
    assert!(store.0[SESSION_KEY].contains(&fresh));
    assert!(
        store.0[SESSION_KEY].contains(r#""refreshToken":"r1""#),
        "no rotation: the refresh token is kept"
    );
}

#[test]
fn a_passing_failure_keeps_the_session_and_holds_refreshes_back_for_a_while() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    let stored = store.0[SESSION_KEY].clone();
    tab.now = T0 + 3700; // expired
    for failure in [
        Err(Error::Network("offline".into())),
        Ok(cognito_error(500, "InternalErrorException")),
        Ok(cognito_error(400, "TooManyRequestsException")),
    ] {
        let (call, out) = tab.token(&mut store);
        let refresh = out.only_send("InitiateAuth");
        let code = match &failure {
            Err(_) => "NetworkError",
            Ok(r) if r.status == 500 => "InternalErrorException",
            Ok(_) => "TooManyRequestsException",
        };
        let out = tab.answer(refresh, failure, &mut store);
        assert_eq!(out.error_code(call), code);
        assert_eq!(out.events, ["tokenRefresh_failure"]);
        assert_eq!(store.0[SESSION_KEY], stored, "the session stays");
        // Within the retry interval: the same error at once, no request, no event.
        tab.now += REFRESH_RETRY_SECS - 1;
        let (call, out) = tab.token(&mut store);
        assert!(out.sent.is_empty() && out.events.is_empty());
        assert_eq!(out.error_code(call), code);
        tab.now += 1;
    }
    // The user is still there (expired tokens are refreshed before use, never handed out).
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    let refresh = out.only_send("InitiateAuth");
    let out2 = tab.answer(
        refresh,
        Ok(ok(TokenSpec::new(tab.now).auth_result(None))),
        &mut store,
    );
    assert!(out.resolved.is_empty());
    assert!(matches!(out2.result(call), Ok(Reply::User(Some(u))) if u.username == "alice"));
}

#[test]
fn only_a_definite_no_about_the_refresh_token_ends_the_session() {
    for (code, ends) in [
        ("NotAuthorizedException", true),
        ("TokenRevokedException", true),
        ("UserNotFoundException", true),
        ("RefreshTokenReuseException", true),
        ("InvalidParameterException", false),
        ("ResourceNotFoundException", false),
        ("LimitExceededException", false),
    ] {
        let mut store = MapStore::default();
        let mut tab = Tab::new(T0);
        tab.sign_in(T0, "r1", &mut store);
        tab.now = T0 + 3700;
        let (call, out) = tab.token(&mut store);
        let refresh = out.only_send("InitiateAuth");
        let out = tab.answer(refresh, Ok(cognito_error(400, code)), &mut store);
        assert_eq!(out.error_code(call), code);
        if ends {
            assert_eq!(out.events, ["tokenRefresh_failure", "signedOut"], "{code}");
            assert!(!store.0.contains_key(SESSION_KEY), "{code}");
            let (call, out) = tab.call(Op::CurrentUser, &mut store);
            assert!(matches!(out.result(call), Ok(Reply::User(None))));
        } else {
            assert_eq!(out.events, ["tokenRefresh_failure"], "{code}");
            assert!(store.0.contains_key(SESSION_KEY), "{code}");
        }
    }
}

#[test]
fn a_tab_adopts_the_session_another_tab_refreshed_without_a_request() {
    let mut store = MapStore::default();
    let mut a = Tab::new(T0);
    a.sign_in(T0, "r1", &mut store);
    let mut b = Tab::new(T0);
    let (call, out) = b.call(Op::CurrentUser, &mut store);
    assert!(
        out.sent.is_empty(),
        "the key set came from storage: {out:?}"
    );
    assert!(matches!(out.result(call), Ok(Reply::User(Some(_)))));
    // Tab A refreshes.
    a.now = T0 + 3500;
    b.now = T0 + 3500;
    let (a_call, out) = a.token(&mut store);
    let refresh = out.only_send("InitiateAuth");
    let out = a.answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3500).auth_result(None))),
        &mut store,
    );
    let fresh = out.token(a_call);
    // Tab B's token is due too: it takes A's from storage.
    let (call, out) = b.token(&mut store);
    assert!(out.sent.is_empty(), "adopted, not refreshed: {out:?}");
    assert_eq!(out.events, ["tokenRefresh"]);
    assert_eq!(out.token(call), fresh);
}

#[test]
fn with_rotation_the_tab_that_loses_the_race_adopts_the_winners_session() {
    let mut store = MapStore::default();
    let mut a = Tab::new(T0);
    a.sign_in(T0, "r1", &mut store);
    let mut b = Tab::new(T0);
    b.call(Op::CurrentUser, &mut store); // B loads A's session
    a.now = T0 + 3700;
    b.now = T0 + 3700;
    // Both send the same refresh token.
    let (a_call, out) = a.token(&mut store);
    let a_refresh = out.only_send("InitiateAuth");
    let (b_call, out) = b.token(&mut store);
    let b_refresh = out.only_send("InitiateAuth");
    // A wins and rotates; B's answer is the definite no for the spent token.
    let out_a = a.answer(
        a_refresh,
        Ok(ok(TokenSpec::new(T0 + 3700).auth_result(Some("r2")))),
        &mut store,
    );
    let winner = out_a.token(a_call);
    let out_b = b.answer(
        b_refresh,
        Ok(cognito_error(400, "NotAuthorizedException")),
        &mut store,
    );
    assert_eq!(out_b.token(b_call), winner, "B answers with A's session");
    assert_eq!(out_b.events, ["tokenRefresh"], "and nobody is signed out");
    assert!(store.0[SESSION_KEY].contains(r#""refreshToken":"r2""#));
}

#[test]
fn an_unknown_kid_refetches_the_key_set_at_most_once_per_interval() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    let mut rotated = TokenSpec::new(T0);
    rotated.kid = "rotated-kid".into();
    let verify = |tab: &mut Tab, store: &mut MapStore| {
        tab.call(
            Op::VerifyToken {
                token: rotated.access_token(),
                token_use: TokenUse::Access,
            },
            store,
        )
    };
    tab.now = T0 + 20;
    let (call, out) = verify(&mut tab, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
    assert_eq!(out.error_code(call), "KidNotFound");
    // Again within 10 s: no request, the same answer.
    tab.now = T0 + 29;
    let (call, out) = verify(&mut tab, &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "KidNotFound");
    // After 10 s the keys are fetched again, and the rotated key is there now.
    tab.now = T0 + 30;
    let (call, out) = verify(&mut tab, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(
        fetch,
        Ok(ok(tokens::jwks_json_with_kid("rotated-kid"))),
        &mut store,
    );
    assert!(
        matches!(out.result(call), Ok(Reply::Verified(_))),
        "{out:?}"
    );
}

#[test]
fn a_stored_session_waits_out_a_failed_key_fetch_and_is_kept() {
    let mut store = MapStore::default();
    Tab::new(T0).sign_in(T0, "r1", &mut store);
    store.0.remove(JWKS_KEY);
    let stored = store.0[SESSION_KEY].clone();
    let mut tab = Tab::new(T0 + 60);
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(HttpResponse::json(503, "<html>")), &mut store);
    assert_eq!(out.error_code(call), "ProtocolError");
    assert_eq!(
        store.0[SESSION_KEY], stored,
        "a key fetch that failed says nothing about the session"
    );
    assert!(out.events.is_empty());
    // Within the refetch interval the next call fails at once, with no request; after it, the keys are fetched
    // again, and with them the session is back.
    tab.now += 9;
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    assert!(out.sent.is_empty(), "{out:?}");
    assert_eq!(out.error_code(call), "ProtocolError");
    tab.now += 1;
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
    assert!(
        matches!(out.result(call), Ok(Reply::User(Some(_)))),
        "{out:?}"
    );
}

#[test]
fn a_sign_out_during_a_refresh_wins_and_the_refresh_writes_nothing() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    tab.now = T0 + 3700;
    let (token_call, out) = tab.token(&mut store);
    let refresh = out.only_send("InitiateAuth");
    let (sign_out, out) = tab.call(Op::SignOut { global: false }, &mut store);
    let revoke = out.only_send("RevokeToken");
    assert!(
        !store.0.contains_key(SESSION_KEY),
        "the local session ends before the sign-out calls"
    );
    let out = tab.answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3700).auth_result(None))),
        &mut store,
    );
    assert_eq!(out.error_code(token_call), "NotSignedIn");
    assert!(
        out.events.is_empty(),
        "the moot refresh says nothing: {out:?}"
    );
    assert!(!store.0.contains_key(SESSION_KEY));
    let out = tab.answer(revoke, Err(Error::Network("offline".into())), &mut store);
    assert!(
        out.result(sign_out).is_ok(),
        "a failed revocation does not fail the sign-out"
    );
    assert_eq!(out.events, ["signedOut"]);
}

/// JWKS answers that name the right `kid` but cannot verify its tokens: another key, a weak exponent.
fn hostile_key_sets() -> Vec<(&'static str, String)> {
    let good = tokens::jwks_json();
    let n_at = good.find(r#""n":""#).unwrap() + 5 + 100;
    let flipped = if &good[n_at..n_at + 1] == "A" {
        "B"
    } else {
        "A"
    };
    let replaced = format!("{}{flipped}{}", &good[..n_at], &good[n_at + 1..]);
    vec![
        ("another key under the kid", replaced),
        ("e = 3", good.replace(r#""e":"AQAB""#, r#""e":"Aw""#)),
    ]
}

#[test]
fn a_hostile_key_set_fails_one_sign_in_is_never_kept_and_the_next_fetch_heals() {
    for (what, hostile) in hostile_key_sets() {
        let mut store = MapStore::default();
        let mut tab = Tab::new(T0);
        let (call, out) = tab.call(sign_in_op(), &mut store);
        let (initiate, jwks) = (out.sent[0].0, out.sent[1].0);
        tab.answer(jwks, Ok(ok(hostile.clone())), &mut store);
        let out = tab.answer(
            initiate,
            Ok(ok(TokenSpec::new(T0).auth_result(Some("r1")))),
            &mut store,
        );
        assert!(out.result(call).is_err(), "{what}: {out:?}");
        assert!(
            store.0.is_empty(),
            "{what}: nothing kept: {:?}",
            store.0.keys()
        );
        // Within the refetch interval: no JWKS request, the same refusal, and the hostile set is not used.
        tab.now = T0 + 9;
        let (call, out) = tab.call(sign_in_op(), &mut store);
        let initiate = out.only_send("InitiateAuth");
        let out = tab.answer(
            initiate,
            Ok(ok(TokenSpec::new(T0 + 9).auth_result(Some("r1")))),
            &mut store,
        );
        assert!(out.result(call).is_err(), "{what}");
        // After it, the keys are fetched again, and a healthy set signs the user in.
        tab.now = T0 + 10;
        tab.sign_in(T0 + 10, "r1", &mut store);
        assert!(store.0.contains_key(JWKS_KEY), "{what}");
    }
}

#[test]
fn a_hostile_key_set_never_ends_a_session_nor_replaces_the_keys_in_use() {
    for (what, hostile) in hostile_key_sets() {
        let mut store = MapStore::default();
        let mut tab = Tab::new(T0);
        tab.sign_in(T0, "r1", &mut store);
        let stored_keys = store.0[JWKS_KEY].clone();
        // Cognito rotated its key: the refreshed tokens carry a kid the set in use lacks, and the JWKS answer
        // is hostile.
        tab.now = T0 + 3700;
        let (call, out) = tab.token(&mut store);
        let refresh = out.only_send("InitiateAuth");
        let mut rotated = TokenSpec::new(T0 + 3700);
        rotated.kid = tokens::KID.to_owned() + "-2";
        let out = tab.answer(refresh, Ok(ok(rotated.auth_result(None))), &mut store);
        let fetch = out.only_send("GET");
        let hostile_rotated = hostile.replace(tokens::KID, &rotated.kid);
        let out = tab.answer(fetch, Ok(ok(hostile_rotated)), &mut store);
        assert!(out.result(call).is_err(), "{what}: {out:?}");
        assert_eq!(
            out.events,
            ["tokenRefresh_failure"],
            "{what}: not signed out"
        );
        assert!(store.0.contains_key(SESSION_KEY), "{what}");
        assert_eq!(
            store.0[JWKS_KEY], stored_keys,
            "{what}: the keys in use stay"
        );
        // A new tab over the same storage (its clock before the tokens' expiry) still has the session: the
        // stored keys verify it, with no request.
        let mut other = Tab::new(T0 + 3000);
        let (call, out) = other.call(Op::CurrentUser, &mut store);
        assert!(out.sent.is_empty(), "{what}: {out:?}");
        assert!(
            matches!(out.result(call), Ok(Reply::User(Some(_)))),
            "{what}"
        );
    }
}

#[test]
fn a_stored_session_met_by_a_hostile_key_set_is_an_error_and_stays() {
    for (what, hostile) in hostile_key_sets() {
        let mut store = MapStore::default();
        Tab::new(T0).sign_in(T0, "r1", &mut store);
        store.0.remove(JWKS_KEY);
        let stored = store.0[SESSION_KEY].clone();
        let mut tab = Tab::new(T0 + 60);
        let (call, out) = tab.call(Op::CurrentUser, &mut store);
        let fetch = out.only_send("GET");
        let out = tab.answer(fetch, Ok(ok(hostile)), &mut store);
        assert!(
            out.result(call).is_err(),
            "{what}: an error, not 'signed out': {out:?}"
        );
        assert!(out.events.is_empty(), "{what}");
        assert_eq!(store.0[SESSION_KEY], stored, "{what}");
        assert!(!store.0.contains_key(JWKS_KEY), "{what}");
        tab.now += 10;
        let (call, out) = tab.call(Op::CurrentUser, &mut store);
        let fetch = out.only_send("GET");
        let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
        assert!(
            matches!(out.result(call), Ok(Reply::User(Some(_)))),
            "{what}: {out:?}"
        );
    }
}

#[test]
fn with_a_cross_tab_lock_tabs_whose_tokens_expired_together_make_one_refresh() {
    let mut store = MapStore::default();
    let mut tabs: Vec<Tab> = (0..3).map(|_| Tab::new(T0)).collect();
    for tab in &mut tabs {
        tab.m = Machine::new(
            PoolConfig::new(POOL_ID, CLIENT_ID)
                .unwrap()
                .with_auth_flow(AuthFlow::UserPassword),
        )
        .with_cross_tab_lock();
    }
    tabs[0].sign_in(T0, "r1", &mut store);
    for tab in &mut tabs[1..] {
        tab.call(Op::CurrentUser, &mut store); // the others load that session
    }
    // All three find their tokens expired at once; each asks for the lock, and none sends anything yet.
    let mut asks = Vec::new();
    for tab in &mut tabs {
        tab.now = T0 + 3700;
        let (call, out) = tab.token(&mut store);
        assert!(out.sent.is_empty() && out.resolved.is_empty(), "{out:?}");
        assert_eq!(out.locks.len(), 1);
        assert_eq!(out.locks[0].1, "CognitoWasm.testclient123.refresh");
        asks.push((call, out.locks[0].0));
    }
    // The first to get the lock refreshes (rotating the refresh token) and releases it once the session is stored.
    let out = tabs[0].granted(asks[0].1, &mut store);
    let refresh = out.only_send("InitiateAuth");
    let out = tabs[0].answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3700).auth_result(Some("r2")))),
        &mut store,
    );
    assert_eq!(out.unlocks, [asks[0].1]);
    let fresh = out.token(asks[0].0);
    // The others, each in turn inside the lock, read storage first and adopt it: no request, nobody signed out.
    for (tab, (call, lock)) in tabs.iter_mut().zip(&asks).skip(1) {
        let out = tab.granted(*lock, &mut store);
        assert!(out.sent.is_empty(), "adopted, not refreshed: {out:?}");
        assert_eq!(out.events, ["tokenRefresh"]);
        assert_eq!(out.unlocks, [*lock]);
        assert_eq!(out.token(*call), fresh);
    }
    assert!(store.0[SESSION_KEY].contains(r#""refreshToken":"r2""#));
}

#[test]
fn a_lock_that_cannot_be_had_does_not_stop_the_refresh() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.m = Machine::new(
        PoolConfig::new(POOL_ID, CLIENT_ID)
            .unwrap()
            .with_auth_flow(AuthFlow::UserPassword),
    )
    .with_cross_tab_lock();
    tab.sign_in(T0, "r1", &mut store);
    tab.now = T0 + 3700;
    let (call, out) = tab.token(&mut store);
    let lock = out.locks[0].0;
    tab.m.lock_granted(lock, false, tab.now * 1000, &mut store);
    let out = tab.drain();
    let refresh = out.only_send("InitiateAuth");
    let out = tab.answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3700).auth_result(None))),
        &mut store,
    );
    assert!(out.unlocks.is_empty(), "nothing to release");
    assert_eq!(out.token(call), TokenSpec::new(T0 + 3700).access_token());
}

#[test]
fn the_fetch_token_goes_only_to_the_page_and_the_listed_origins() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    // Refused before anything is read or sent, signed in or not.
    let (call, out) = tab.fetch_token("https://evil.example.com/x", None, &mut store);
    assert!(out.sent.is_empty() && out.events.is_empty(), "{out:?}");
    assert_eq!(out.error_code(call), "OriginNotAllowed");
    tab.sign_in(T0, "r1", &mut store);
    let token = TokenSpec::new(T0).access_token();
    for url in [
        "https://api.example.com/orders",
        "https://API.example.com:443/orders?q=1",
        "https://app.example.com/api",
    ] {
        let (call, out) = tab.fetch_token(url, None, &mut store);
        assert!(out.sent.is_empty(), "{url}: {out:?}");
        assert_eq!(out.token(call), token, "{url}");
    }
    for (url, code) in [
        ("https://api.example.com.evil.com/", "OriginNotAllowed"),
        ("https://api.example.com:8443/", "OriginNotAllowed"),
        ("http://api.example.com/", "OriginNotAllowed"),
        ("http://127.0.0.1/", "OriginNotAllowed"),
        ("https://api.example.com@evil.com/", "InvalidArgument"),
        ("/api/orders", "InvalidArgument"),
    ] {
        let (call, out) = tab.fetch_token(url, None, &mut store);
        assert!(out.sent.is_empty(), "{url}: {out:?}");
        assert_eq!(out.error_code(call), code, "{url}");
    }
    // Without a page only apiOrigins count.
    let (call, out) = tab.call(
        Op::FetchToken {
            url: "https://app.example.com/api".into(),
            page_origin: None,
            rejected: None,
        },
        &mut store,
    );
    assert_eq!(out.error_code(call), "OriginNotAllowed");
}

#[test]
fn fifty_401s_at_once_share_one_refresh_and_then_hold_refreshes_back() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    let old = TokenSpec::new(T0).access_token();
    tab.now = T0 + 60;
    // Fifty requests went out with the old token and were all answered 401.
    let mut calls = Vec::new();
    let mut refresh = None;
    for _ in 0..50 {
        let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
        assert!(out.resolved.is_empty(), "waits for the refresh: {out:?}");
        match (refresh, out.sent.len()) {
            (None, 1) => refresh = Some(out.only_send("InitiateAuth")),
            (Some(_), 0) => {}
            _ => panic!("one refresh in all: {out:?}"),
        }
        calls.push(call);
    }
    let out = tab.answer(
        refresh.expect("a refresh"),
        Ok(ok(TokenSpec::new(T0 + 60).auth_result(None))),
        &mut store,
    );
    let fresh = TokenSpec::new(T0 + 60).access_token();
    assert_eq!(out.events, ["tokenRefresh"]);
    for call in calls {
        assert_eq!(out.token(call), fresh, "each retries with the new token");
    }
    // The retries are refused too: within the interval no refresh, no retry (the 401 is the answer).
    for _ in 0..50 {
        let (call, out) = tab.fetch_token(API, Some(&fresh), &mut store);
        assert!(out.sent.is_empty(), "{out:?}");
        assert!(matches!(out.result(call), Ok(Reply::Unit)), "{out:?}");
    }
    // A straggler that went out with the old token still retries with the new one, without a refresh.
    let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.token(call), fresh);
    // Once the interval has passed, a 401 may force one refresh again.
    tab.now += FETCH_401_REFRESH_SECS - 1;
    let (call, out) = tab.fetch_token(API, Some(&fresh), &mut store);
    assert!(out.sent.is_empty() && matches!(out.result(call), Ok(Reply::Unit)));
    tab.now += 1;
    let (call, out) = tab.fetch_token(API, Some(&fresh), &mut store);
    let refresh = out.only_send("InitiateAuth");
    let out = tab.answer(
        refresh,
        Ok(ok(TokenSpec::new(tab.now).auth_result(None))),
        &mut store,
    );
    assert_eq!(out.token(call), TokenSpec::new(tab.now).access_token());
}

#[test]
fn fifty_401s_one_after_another_make_one_refresh() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    tab.now = T0 + 60;
    let mut refreshes = 0;
    for i in 0..50 {
        tab.now = T0 + 60 + i / 10; // all within a few seconds
                                    // The endpoint answers every request 401: the token it carried...
        let (call, out) = tab.fetch_token(API, None, &mut store);
        let sent = out.token(call);
        // ...comes back as rejected.
        let (call, out) = tab.fetch_token(API, Some(&sent), &mut store);
        if out.sent.is_empty() {
            assert!(matches!(out.result(call), Ok(Reply::Unit)), "{i}: {out:?}");
            continue;
        }
        refreshes += 1;
        let refresh = out.only_send("InitiateAuth");
        let out = tab.answer(
            refresh,
            Ok(ok(TokenSpec::new(tab.now).auth_result(None))),
            &mut store,
        );
        assert_ne!(out.token(call), sent);
    }
    assert_eq!(refreshes, 1);
}

#[test]
fn a_failed_forced_refresh_after_a_401_is_an_error_and_the_session_ends_only_for_a_definite_no() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    tab.sign_in(T0, "r1", &mut store);
    let old = TokenSpec::new(T0).access_token();
    let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
    let refresh = out.only_send("InitiateAuth");
    let out = tab.answer(refresh, Err(Error::Network("offline".into())), &mut store);
    assert_eq!(out.error_code(call), "NetworkError");
    assert!(store.0.contains_key(SESSION_KEY), "the session stays");
    // Within the interval: no second try.
    let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
    assert!(out.sent.is_empty() && matches!(out.result(call), Ok(Reply::Unit)));
    // Signed out meanwhile: not a token to retry with.
    tab.now += FETCH_401_REFRESH_SECS;
    let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
    let refresh = out.only_send("InitiateAuth");
    let out = tab.answer(
        refresh,
        Ok(cognito_error(400, "NotAuthorizedException")),
        &mut store,
    );
    assert_eq!(out.error_code(call), "NotAuthorizedException");
    assert_eq!(out.events, ["tokenRefresh_failure", "signedOut"]);
    let (call, out) = tab.fetch_token(API, Some(&old), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "NotSignedIn");
}

#[test]
fn a_forged_token_does_not_make_a_good_key_set_refuse_the_valid_ones() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0 + 10);
    let valid = TokenSpec::new(T0).access_token();
    let other = {
        let mut spec = TokenSpec::new(T0);
        spec.username = "mallory".into();
        spec.access_token()
    };
    let (head, _) = other.rsplit_once('.').unwrap();
    let (_, signature) = valid.rsplit_once('.').unwrap();
    let forged = format!("{head}.{signature}");
    let verify = |tab: &mut Tab, token: &str, store: &mut MapStore| {
        tab.call(
            Op::VerifyToken {
                token: token.to_owned(),
                token_use: TokenUse::Access,
            },
            store,
        )
    };
    // The first token seen with a freshly fetched set is a forgery: it is refused, and nothing else changes.
    let (call, out) = verify(&mut tab, &forged, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
    assert_eq!(out.error_code(call), "JwtInvalidSignature");
    // A valid token right after verifies with the same set, with no request.
    let (call, out) = verify(&mut tab, &valid, &mut store);
    assert!(out.sent.is_empty(), "{out:?}");
    assert!(
        matches!(out.result(call), Ok(Reply::Verified(_))),
        "{out:?}"
    );
}

#[test]
fn a_tab_that_took_in_the_other_tabs_refresh_while_waiting_for_the_lock_sends_nothing() {
    let mut store = MapStore::default();
    let locked_tab = |now| {
        let mut tab = Tab::new(now);
        tab.m = Machine::new(
            PoolConfig::new(POOL_ID, CLIENT_ID)
                .unwrap()
                .with_auth_flow(AuthFlow::UserPassword),
        )
        .with_cross_tab_lock();
        tab
    };
    let (mut a, mut b) = (locked_tab(T0), locked_tab(T0));
    a.sign_in(T0, "r1", &mut store);
    b.call(Op::CurrentUser, &mut store);
    a.now = T0 + 3700;
    b.now = T0 + 3700;
    let (_, out) = a.token(&mut store);
    let a_lock = out.locks[0].0;
    let (b_call, out) = b.token(&mut store);
    let b_lock = out.locks[0].0;
    let out = a.granted(a_lock, &mut store);
    let refresh = out.only_send("InitiateAuth");
    a.answer(
        refresh,
        Ok(ok(TokenSpec::new(T0 + 3700).auth_result(Some("r2")))),
        &mut store,
    );
    // B hears of it through the storage event before its turn with the lock comes...
    let (_, out) = b.call(Op::Reload, &mut store);
    assert_eq!(out.events, ["tokenRefresh"]);
    // ...and then has nothing left to do.
    let out = b.granted(b_lock, &mut store);
    assert!(out.sent.is_empty(), "{out:?}");
    assert_eq!(out.unlocks, [b_lock]);
    assert_eq!(out.token(b_call), TokenSpec::new(T0 + 3700).access_token());
}

/// aws-amplify v6's keys for `alice`'s session with this app client, as its token store writes them.
fn amplify_session(iat: i64, store: &mut MapStore) {
    let spec = TokenSpec::new(iat);
    let user = amplify_user_prefix();
    let keys = [
        (
            format!("CognitoIdentityServiceProvider.{CLIENT_ID}.LastAuthUser"),
            "alice".to_owned(),
        ),
        (format!("{user}.accessToken"), spec.access_token()),
        (format!("{user}.idToken"), spec.id_token()),
        (format!("{user}.refreshToken"), "amplify-refresh".to_owned()),
        (format!("{user}.clockDrift"), "-2500".to_owned()),
        (
            format!("{user}.signInDetails"),
            r#"{"loginId":"alice","authFlowType":"USER_SRP_AUTH"}"#.to_owned(),
        ),
        (format!("{user}.deviceKey"), "us-east-1_dev".to_owned()),
        (format!("{user}.deviceGroupKey"), "-group".to_owned()),
        (
            format!("{user}.randomPasswordKey"),
            "device-secret".to_owned(),
        ),
    ];
    for (key, value) in keys {
        store.0.insert(key, value);
    }
}

/// Where the remembered device of `user` is kept.
fn device_key(user: &str) -> String {
    format!("CognitoWasm.{CLIENT_ID}.device.{user}")
}

fn amplify_user_prefix() -> String {
    format!("CognitoIdentityServiceProvider.{CLIENT_ID}.alice")
}

#[test]
fn an_amplify_session_is_taken_over_verified_and_its_token_keys_removed() {
    let mut store = MapStore::default();
    amplify_session(T0, &mut store);
    let mut tab = Tab::new(T0 + 60);
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
    match out.result(call) {
        Ok(Reply::User(Some(user))) => assert_eq!(user.username, "alice"),
        other => panic!("{other:?}"),
    }
    assert!(
        out.events.is_empty(),
        "a restored session is not a sign-in: {out:?}"
    );
    let document = &store.0[SESSION_KEY];
    for part in [
        r#""refreshToken":"amplify-refresh""#,
        r#""deviceKey":"us-east-1_dev""#,
        r#""clockOffset":-2"#,
    ] {
        assert!(document.contains(part), "{part} in {document}");
    }
    let left: Vec<&String> = store
        .0
        .keys()
        .filter(|k| k.starts_with("CognitoIdentityServiceProvider."))
        .collect();
    assert!(left.is_empty(), "Amplify's keys are all gone: {left:?}");
    // The remembered device, its secret included, is this client's now, and outlives the session.
    assert_eq!(
        store.0[&device_key("alice")],
        r#"{"v":1,"deviceKey":"us-east-1_dev","deviceGroupKey":"-group","randomPassword":"device-secret"}"#
    );
    // The refresh token and device Amplify had are the ones this client refreshes with.
    let (_, out) = tab.call(
        Op::Token {
            token_use: TokenUse::Access,
            force_refresh: true,
        },
        &mut store,
    );
    let (_, request) = &out.sent[0];
    assert_eq!(name(request), "InitiateAuth");
    assert!(
        request.body.contains("amplify-refresh") && request.body.contains("us-east-1_dev"),
        "{}",
        request.body
    );
}

#[test]
fn forged_amplify_tokens_sign_no_one_in_and_a_partial_amplify_session_is_left_alone() {
    // Forged: moved into the document like any stored session, then refused by the key set: signed out.
    let mut store = MapStore::default();
    amplify_session(T0, &mut store);
    let user = amplify_user_prefix();
    let access = store.0[&format!("{user}.accessToken")].clone();
    // One character inside the signature changed: well-formed, but not what the key signed.
    let at = access.len() - 20;
    let swapped = if &access[at..=at] == "A" { "B" } else { "A" };
    let forged = format!("{}{swapped}{}", &access[..at], &access[at + 1..]);
    store.0.insert(format!("{user}.accessToken"), forged);
    let mut tab = Tab::new(T0 + 60);
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    let fetch = out.only_send("GET");
    let out = tab.answer(fetch, Ok(ok(tokens::jwks_json())), &mut store);
    assert!(matches!(out.result(call), Ok(Reply::User(None))), "{out:?}");

    // Partial (no ID token): nothing is written or removed.
    let mut store = MapStore::default();
    amplify_session(T0, &mut store);
    store.0.remove(&format!("{user}.idToken"));
    let before = store.0.clone();
    let mut tab = Tab::new(T0 + 60);
    let (call, out) = tab.call(Op::CurrentUser, &mut store);
    assert!(out.sent.is_empty(), "{out:?}");
    assert!(matches!(out.result(call), Ok(Reply::User(None))), "{out:?}");
    assert_eq!(store.0, before);
}

#[test]
fn auto_sign_in_signs_in_once_with_the_sign_up_password_after_confirmation() {
    let mut store = MapStore::default();
    let mut tab = Tab::new(T0);
    let sign_up = Op::SignUp {
        input: SignUpInput {
            username: "alice".into(),
            password: Password::from("Passw0rd!"),
            ..SignUpInput::default()
        },
        auto_sign_in: Some(AutoSignInOptions::default()),
    };
    let (call, out) = tab.call(sign_up, &mut store);
    let id = out.only_send("SignUp");
    let out = tab.answer(
        id,
        Ok(ok(r#"{"UserConfirmed":false,"UserSub":"sub-1"}"#.into())),
        &mut store,
    );
    match out.result(call) {
        Ok(Reply::SignUp(o)) => assert_eq!(o.next_step.sign_up_step.as_str(), "CONFIRM_SIGN_UP"),
        other => panic!("{other:?}"),
    }
    let auto_sign_in = || Op::AutoSignIn {
        secrets: SignInSecrets::zeroed(),
    };
    // Not confirmed yet: refused, and nothing is sent.
    let (call, out) = tab.call(auto_sign_in(), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "NoAutoSignIn");
    // Another user's confirmation does not count.
    for (username, step) in [("bob", "DONE"), ("alice", "COMPLETE_AUTO_SIGN_IN")] {
        let (call, out) = tab.call(
            Op::ConfirmSignUp {
                username: username.into(),
                code: "123456".into(),
                force_alias_creation: None,
                client_metadata: None,
            },
            &mut store,
        );
        let id = out.only_send("ConfirmSignUp");
        let out = tab.answer(id, Ok(ok("{}".into())), &mut store);
        match out.result(call) {
            Ok(Reply::SignUp(o)) => assert_eq!(o.next_step.sign_up_step.as_str(), step),
            other => panic!("{other:?}"),
        }
    }
    let (call, out) = tab.call(auto_sign_in(), &mut store);
    let mut initiate = None;
    let mut jwks = None;
    for (id, request) in &out.sent {
        match name(request).as_str() {
            "InitiateAuth" => {
                assert!(request.body.contains(r#""PASSWORD":"Passw0rd!""#));
                initiate = Some(*id);
            }
            "GET" => jwks = Some(*id),
            other => panic!("unexpected {other}"),
        }
    }
    tab.answer(
        initiate.expect("InitiateAuth"),
        Ok(ok(TokenSpec::new(T0).auth_result(Some("r1")))),
        &mut store,
    );
    let out = tab.answer(jwks.expect("JWKS"), Ok(ok(tokens::jwks_json())), &mut store);
    assert!(
        matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in),
        "{out:?}"
    );
    assert_eq!(out.events, ["signedIn"]);
    // Once only.
    let (call, out) = tab.call(auto_sign_in(), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "NoAutoSignIn");
}

// ----- remembered devices -----

const DEVICE: &str = "us-east-1_0f8e7d6c-1111-4222-8333-444455556666";

/// A sign-in's random bytes, each part filled with `byte` (the SRP math refuses zeros).
fn secrets(byte: u8) -> SignInSecrets {
    let mut secrets = SignInSecrets::zeroed();
    secrets
        .fill(|buf| {
            buf.fill(byte);
            Ok(())
        })
        .unwrap();
    secrets
}

fn sign_in_with(secrets: SignInSecrets) -> Op {
    Op::SignIn {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        flow: None,
        client_metadata: None,
        preferred_challenge: None,
        secrets,
    }
}

/// Tokens with `NewDeviceMetadata` for [`DEVICE`].
fn tokens_with_new_device(iat: i64, refresh: &str) -> String {
    TokenSpec::new(iat).auth_result(Some(refresh)).replace(
        r#""TokenType":"Bearer""#,
        &format!(
            r#""TokenType":"Bearer","NewDeviceMetadata":{{"DeviceKey":"{DEVICE}","DeviceGroupKey":"-grp"}}"#
        ),
    )
}

/// The one request of `out`, and its JSON body.
fn only_body(out: &Out, what: &str) -> (RequestId, cognito_wasm::json::Object) {
    let id = out.only_send(what);
    let body = cognito_wasm::json::parse_object(
        out.sent[0].1.body.as_bytes(),
        &cognito_wasm::json::Limits::default(),
    )
    .unwrap();
    (id, body)
}

fn device_tab(now: i64) -> Tab {
    let mut tab = Tab::new(now);
    let config = tab.m.config().clone().with_device_name("Test Browser/1.0");
    tab.m = Machine::new(config);
    tab
}

/// Signs alice in on a tab whose key set is at hand, Cognito naming a new device, which is confirmed.
fn sign_in_confirming_device(tab: &mut Tab, store: &mut MapStore) {
    let (call, out) = tab.call(sign_in_with(secrets(9)), store);
    let mut initiate = None;
    let mut jwks = None;
    for (id, request) in &out.sent {
        match name(request).as_str() {
            "InitiateAuth" => initiate = Some(*id),
            "GET" => jwks = Some(*id),
            other => panic!("unexpected {other}"),
        }
    }
    let mut out = tab.answer(
        initiate.unwrap(),
        Ok(ok(tokens_with_new_device(tab.now, "r1"))),
        store,
    );
    if let Some(jwks) = jwks {
        out = tab.answer(jwks, Ok(ok(tokens::jwks_json())), store);
    }
    // The tokens are verified; ConfirmDevice goes before the sign-in resolves or anything is stored.
    assert!(out.resolved.is_empty() && out.events.is_empty(), "{out:?}");
    assert!(!store.0.contains_key(SESSION_KEY));
    let (confirm, body) = only_body(&out, "ConfirmDevice");
    let expected = cognito_wasm::srp::device_verifier("-grp", DEVICE, &[9; 40], &[9; 16]).unwrap();
    assert_eq!(
        body.get_str("AccessToken"),
        Some(TokenSpec::new(tab.now).access_token().as_str())
    );
    assert_eq!(body.get_str("DeviceKey"), Some(DEVICE));
    assert_eq!(body.get_str("DeviceName"), Some("Test Browser/1.0"));
    let config = body.get_object("DeviceSecretVerifierConfig").unwrap();
    assert_eq!(config.get_str("Salt"), Some(expected.salt_b64.as_str()));
    assert_eq!(
        config.get_str("PasswordVerifier"),
        Some(expected.verifier_b64.as_str())
    );
    let out = tab.answer(
        confirm,
        Ok(ok(r#"{"UserConfirmationNecessary":false}"#.into())),
        store,
    );
    assert!(
        matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in),
        "{out:?}"
    );
    assert_eq!(out.events, ["signedIn"]);
    assert_eq!(
        store.0[&device_key("alice")],
        format!(
            r#"{{"v":1,"deviceKey":"{DEVICE}","deviceGroupKey":"-grp","randomPassword":"{}"}}"#,
            expected.device_password.expose()
        )
    );
    assert!(store.0[SESSION_KEY].contains(DEVICE));
}

#[test]
fn a_new_device_is_confirmed_before_the_sign_in_resolves_and_outlives_the_sign_out() {
    let mut store = MapStore::default();
    let mut tab = device_tab(T0);
    sign_in_confirming_device(&mut tab, &mut store);

    // The refresh names the device the session is bound to.
    let (_, out) = tab.call(
        Op::Token {
            token_use: TokenUse::Access,
            force_refresh: true,
        },
        &mut store,
    );
    let (_, body) = only_body(&out, "InitiateAuth");
    assert_eq!(
        body.get_object("AuthParameters")
            .unwrap()
            .get_str("DEVICE_KEY"),
        Some(DEVICE)
    );

    let (_, out) = tab.call(Op::SignOut { global: false }, &mut store);
    let revoke = out.only_send("RevokeToken");
    tab.answer(revoke, Ok(ok("{}".into())), &mut store);
    assert!(!store.0.contains_key(SESSION_KEY));
    assert!(
        store.0.contains_key(&device_key("alice")),
        "the device outlives the sign-out"
    );

    // The next sign-in names it (USER_PASSWORD_AUTH: in InitiateAuth).
    let (_, out) = tab.call(sign_in_with(secrets(3)), &mut store);
    let (_, body) = only_body(&out, "InitiateAuth");
    assert_eq!(
        body.get_object("AuthParameters")
            .unwrap()
            .get_str("DEVICE_KEY"),
        Some(DEVICE)
    );
}

#[test]
fn a_failed_confirm_device_does_not_fail_the_sign_in_and_leaves_no_device() {
    let mut store = MapStore::default();
    let mut tab = device_tab(T0);
    let (call, out) = start_with_keys(&mut tab, sign_in_with(secrets(9)), &mut store);
    let initiate = out.only_send("InitiateAuth");
    let out = tab.answer(
        initiate,
        Ok(ok(tokens_with_new_device(T0, "r1"))),
        &mut store,
    );
    let confirm = out.only_send("ConfirmDevice");
    let out = tab.answer(
        confirm,
        Ok(cognito_error(400, "InvalidParameterException")),
        &mut store,
    );
    assert!(matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in));
    assert!(!store.0.contains_key(&device_key("alice")));
    assert!(
        !store.0[SESSION_KEY].contains(DEVICE),
        "the session is bound to no device"
    );
    // Nothing to remember: Amplify's DeviceMetadataNotFound, with no request.
    let (call, out) = tab.call(Op::User(UserCall::remember_device()), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "DeviceMetadataNotFound");
}

/// Starts `op` on a tab with no key set: the key set's GET is answered at once; the sign-in's first request.
fn start_with_keys(tab: &mut Tab, op: Op, store: &mut MapStore) -> (CallId, Out) {
    let (call, out) = tab.call(op, store);
    let (jwks, _) = out
        .sent
        .iter()
        .find(|(_, r)| r.method == "GET")
        .expect("the key set is fetched alongside");
    let jwks = *jwks;
    let rest = Out {
        sent: out.sent.into_iter().filter(|(id, _)| *id != jwks).collect(),
        ..Out::default()
    };
    let after = tab.answer(jwks, Ok(ok(tokens::jwks_json())), store);
    assert!(
        after.sent.is_empty() && after.resolved.is_empty(),
        "{after:?}"
    );
    (call, rest)
}

/// Stores `DEVICE` as alice's remembered device.
fn remembered(store: &mut MapStore) {
    store.0.insert(
        device_key("alice"),
        format!(
            r#"{{"v":1,"deviceKey":"{DEVICE}","deviceGroupKey":"-grp","randomPassword":"pw"}}"#
        ),
    );
}

#[test]
fn a_remembered_device_proves_itself_with_device_srp_and_binds_the_session() {
    let mut store = MapStore::default();
    remembered(&mut store);
    let mut tab = Tab::new(T0);
    let (call, out) = start_with_keys(&mut tab, sign_in_with(secrets(5)), &mut store);
    let initiate = out.only_send("InitiateAuth");
    let out = tab.answer(
        initiate,
        Ok(ok(
            r#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"s1","ChallengeParameters":{}}"#.into(),
        )),
        &mut store,
    );
    let (id, body) = only_body(&out, "RespondToAuthChallenge");
    let responses = body.get_object("ChallengeResponses").unwrap();
    assert_eq!(responses.get_str("DEVICE_KEY"), Some(DEVICE));
    // A fresh `a` for the device: the second part of the sign-in's random bytes.
    let device_a = cognito_wasm::srp::SrpClient::new(&[5; 128]).unwrap();
    assert_eq!(
        responses.get_str("SRP_A"),
        Some(device_a.srp_a_hex().as_str())
    );
    let out = tab.answer(
        id,
        Ok(ok(r#"{"ChallengeName":"DEVICE_PASSWORD_VERIFIER","Session":"s2","ChallengeParameters":{"SRP_B":"02","SALT":"01","SECRET_BLOCK":"AAAA","USERNAME":"alice"}}"#.into())),
        &mut store,
    );
    let (id, body) = only_body(&out, "RespondToAuthChallenge");
    assert_eq!(
        body.get_str("ChallengeName"),
        Some("DEVICE_PASSWORD_VERIFIER")
    );
    let out = tab.answer(
        id,
        Ok(ok(TokenSpec::new(T0).auth_result(Some("r1")))),
        &mut store,
    );
    assert!(matches!(out.result(call), Ok(Reply::SignIn(o)) if o.is_signed_in));
    // No new device: the session is bound to the one that proved itself.
    assert!(store.0[SESSION_KEY].contains(DEVICE));
}

#[test]
fn a_device_cognito_forgot_is_dropped_and_the_sign_in_starts_over_once_without_it() {
    let mut store = MapStore::default();
    remembered(&mut store);
    let mut tab = Tab::new(T0);
    let (call, out) = start_with_keys(&mut tab, sign_in_with(secrets(5)), &mut store);
    let (initiate, body) = only_body(&out, "InitiateAuth");
    assert!(body
        .get_object("AuthParameters")
        .unwrap()
        .get_str("DEVICE_KEY")
        .is_some());
    let gone = HttpResponse::json(
        400,
        r#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#,
    );
    let out = tab.answer(initiate, Ok(gone.clone()), &mut store);
    assert!(
        !store.0.contains_key(&device_key("alice")),
        "forgotten here too"
    );
    let (again, body) = only_body(&out, "InitiateAuth");
    assert_eq!(
        body.get_object("AuthParameters")
            .unwrap()
            .get_str("DEVICE_KEY"),
        None
    );
    // Once: the same answer again is the call's error.
    let out = tab.answer(again, Ok(gone), &mut store);
    assert_eq!(out.error_code(call), "ResourceNotFoundException");
    assert!(out.sent.is_empty());
}

#[test]
fn forget_device_forgets_the_sessions_device_here_too_and_fetch_devices_reads_amplify_dates() {
    let mut store = MapStore::default();
    let mut tab = device_tab(T0);
    sign_in_confirming_device(&mut tab, &mut store);

    let (call, out) = tab.call(Op::User(UserCall::fetch_devices()), &mut store);
    let (id, body) = only_body(&out, "ListDevices");
    assert_eq!(body.get_i64("Limit"), Some(60));
    let out = tab.answer(
        id,
        Ok(ok(format!(
            r#"{{"Devices":[{{"DeviceKey":"{DEVICE}","DeviceAttributes":[{{"Name":"device_status","Value":"valid"}},{{"Name":"device_name","Value":"Test Browser/1.0"}}],"DeviceCreateDate":1.7630001234567E9,"DeviceLastModifiedDate":1763000100,"DeviceLastAuthenticatedDate":1763000200.5}}]}}"#
        ))),
        &mut store,
    );
    match out.result(call) {
        Ok(reply @ Reply::Account(_)) => assert_eq!(
            reply.to_json(),
            format!(
                r#"[{{"id":"{DEVICE}","name":"Test Browser/1.0","attributes":{{"device_status":"valid","device_name":"Test Browser/1.0"}},"createDate":1763000123456,"lastAuthenticatedDate":1763000200500,"lastModifiedDate":1763000100000}}]"#
            )
        ),
        other => panic!("{other:?}"),
    }

    // Another device: forgotten at Cognito only.
    let (call, out) = tab.call(
        Op::User(UserCall::forget_device(Some("us-east-1_other")).unwrap()),
        &mut store,
    );
    let (id, body) = only_body(&out, "ForgetDevice");
    assert_eq!(body.get_str("DeviceKey"), Some("us-east-1_other"));
    let out = tab.answer(id, Ok(ok("{}".into())), &mut store);
    assert!(out.result(call).is_ok());
    assert!(store.0.contains_key(&device_key("alice")));

    // This one: the stored device goes, and the session no longer names it.
    let (call, out) = tab.call(Op::User(UserCall::forget_device(None).unwrap()), &mut store);
    let (id, body) = only_body(&out, "ForgetDevice");
    assert_eq!(body.get_str("DeviceKey"), Some(DEVICE));
    let out = tab.answer(id, Ok(ok("{}".into())), &mut store);
    assert!(out.result(call).is_ok());
    assert!(!store.0.contains_key(&device_key("alice")));
    assert!(!store.0[SESSION_KEY].contains(DEVICE));
    let (call, out) = tab.call(Op::User(UserCall::forget_device(None).unwrap()), &mut store);
    assert!(out.sent.is_empty());
    assert_eq!(out.error_code(call), "DeviceMetadataNotFound");
}

#[test]
fn a_device_cognito_forgot_after_the_user_answered_mfa_is_dropped_and_the_error_stands() {
    let mut store = MapStore::default();
    remembered(&mut store);
    let mut tab = Tab::new(T0);
    let (call, out) = start_with_keys(&mut tab, sign_in_with(secrets(5)), &mut store);
    let initiate = out.only_send("InitiateAuth");
    let out = tab.answer(
        initiate,
        Ok(ok(
            r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s1","ChallengeParameters":{}}"#
                .into(),
        )),
        &mut store,
    );
    assert!(matches!(out.result(call), Ok(Reply::SignIn(o)) if !o.is_signed_in));
    let answer = Op::ConfirmSignIn {
        input: cognito_wasm::flow::ConfirmSignInInput::new("123456"),
        secrets: secrets(6),
    };
    let (call, out) = tab.call(answer, &mut store);
    let (id, body) = only_body(&out, "RespondToAuthChallenge");
    let responses = body.get_object("ChallengeResponses").unwrap();
    assert_eq!(responses.get_str("DEVICE_KEY"), Some(DEVICE));
    let gone = HttpResponse::json(
        400,
        r#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#,
    );
    let out = tab.answer(id, Ok(gone), &mut store);
    // No password to start over with: the error is the answer, and the device is no longer kept.
    assert_eq!(out.error_code(call), "ResourceNotFoundException");
    assert!(out.sent.is_empty());
    assert!(!store.0.contains_key(&device_key("alice")));
}
