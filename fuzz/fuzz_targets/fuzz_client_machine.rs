//! The whole client machine against a hostile server. A fixed sequence of calls (sign-in, answered with a fixed
//! answer while it asks for one; currentUser; getAccessToken with forceRefresh; signOut; currentUser), with
//! storage a map; every request the machine sends, the JWKS GET included, is answered in order by the next
//! record of the input (see src/lib.rs), and by a network error once they run out.
//!
//! Input: byte 0 chooses the setup (bit 0: SRP, else USER_PASSWORD_AUTH; 1: GetTokensFromRefreshToken; 2: a
//! cross-tab lock, 3: which is refused; 4: global sign-out; 5: a session stored by an earlier page; 6: a key set
//! stored by one; 7: an app client secret), byte 1 the minutes between calls (bits 0-6) and which session is
//! stored (bit 7: alice's two-day-old one, else hers issued 50 minutes before T0), then the records. In a body,
//! `{{id}}` and `{{access}}` are tokens signed with the test key, issued at T0 to alice; `{{id2}}`/`{{access2}}`
//! hers issued half an hour later; `{{idx}}`/`{{accessx}}` another user's; `{{idold}}`/`{{accessold}}` hers,
//! two days old; `{{jwks}}` the test key set and `{{jwksx}}` the same key under another kid.
//!
//! Invariants: no panic; every call resolves, once, by the time no request or lock is pending; request and
//! call ids are never reused; each lock is released once, only after it was granted, and none is held at the
//! end; every request body is a JSON object; storage never holds a session document that fails
//! `StoredSession::parse`, nor a key set `JwksCache::from_json` refuses; a token handed out or a user shown
//! comes from tokens signed with the test key; after signOut nothing is stored and nobody is signed in.
#![no_main]

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::OnceLock;

use cognito_wasm::client::{Action, Machine, Op, Reply, RequestId, SignInSecrets};
use cognito_wasm::cognito::HttpResponse;
use cognito_wasm::config::{AuthFlow, RefreshMethod};
use cognito_wasm::jwt::{Jwks, JwksCache, TokenUse};
use cognito_wasm::secret::{ClientSecret, Password};
use cognito_wasm::session::StoredSession;
use cognito_wasm::{Error, PoolConfig, Result};
use cognito_wasm_fuzz::tokens::{self, TokenSpec, CLIENT_ID, POOL_ID};
use cognito_wasm_fuzz::{
    check_request_body, expand, fixed_answer, records, response, tracing, waits_for_input, MapStore,
};
use libfuzzer_sys::fuzz_target;

/// The device's clock at the sign-in (Unix seconds).
const T0: i64 = 1_763_000_000;

/// More requests and locks than any one call needs: past this, the machine is looping.
const MAX_ANSWERS_PER_CALL: usize = 64;

/// Most `confirmSignIn`s after the sign-in.
const MAX_CONFIRMS: usize = 4;

/// The signed test tokens and key sets, made once.
struct Fixtures {
    vars: Vec<(&'static str, String)>,
    access_tokens: Vec<String>,
    subs: Vec<String>,
    jwks: String,
    /// Sessions an earlier page stored: issued 50 minutes before T0, and two days before.
    stored_sessions: [String; 2],
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let alice = TokenSpec::new(T0);
        let later = TokenSpec::new(T0 + 1800);
        let mut other = TokenSpec::new(T0 + 1800);
        other.sub = "99999999-8888-7777-6666-555555555555".into();
        other.username = "mallory".into();
        let old = TokenSpec::new(T0 - 2 * 86_400);
        let specs = [
            ("id", "access", &alice),
            ("id2", "access2", &later),
            ("idx", "accessx", &other),
            ("idold", "accessold", &old),
        ];
        let mut vars = Vec::new();
        let mut access_tokens = Vec::new();
        for (id_name, access_name, spec) in specs {
            let access = spec.access_token();
            vars.push((id_name, spec.id_token()));
            vars.push((access_name, access.clone()));
            access_tokens.push(access);
        }
        let jwks = tokens::jwks_json();
        vars.push(("jwks", jwks.clone()));
        vars.push(("jwksx", tokens::jwks_json_with_kid("another-kid")));
        let recent = TokenSpec::new(T0 - 3000);
        access_tokens.push(recent.access_token());
        let stored_sessions = [&recent, &old].map(|spec| {
            cognito_wasm::json::Object::new()
                .with("v", 1)
                .with("userPoolId", POOL_ID)
                .with("clientId", CLIENT_ID)
                .with("idToken", spec.id_token())
                .with("accessToken", spec.access_token())
                .with("refreshToken", "stored-refresh-token")
                .to_json()
        });
        Fixtures {
            vars,
            access_tokens,
            subs: vec![alice.sub.clone(), other.sub.clone()],
            jwks,
            stored_sessions,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let (setup, clock, rest) = match data {
        [setup, clock, rest @ ..] => (*setup, *clock, rest),
        _ => return,
    };
    let fixtures = fixtures();
    let mut tab = Tab::new(setup, clock, rest, fixtures);
    let step_ms = i64::from(clock & 0x7f) * 60_000;

    let mut reply = tab.call(Op::SignIn {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        flow: None,
        client_metadata: None,
        preferred_challenge: None,
        secrets: secrets(),
    });
    for _ in 0..MAX_CONFIRMS {
        let Ok(Reply::SignIn(output)) = &reply else {
            break;
        };
        if output.is_signed_in {
            assert!(
                tab.store.0.contains_key(&tab.session_key),
                "signed in, nothing stored"
            );
            break;
        }
        if !waits_for_input(output.next_step.sign_in_step) {
            break;
        }
        reply = tab.call(Op::ConfirmSignIn {
            input: fixed_answer(output),
            secrets: secrets(),
        });
    }

    tab.now_ms += step_ms;
    if let Ok(Reply::User(Some(user))) = tab.call(Op::CurrentUser) {
        assert!(
            fixtures.subs.contains(&user.user_id),
            "an unknown user: {}",
            user.user_id
        );
    }

    tab.now_ms += step_ms;
    let token = tab.call(Op::Token {
        token_use: TokenUse::Access,
        force_refresh: true,
    });
    if let Ok(Reply::Token(token)) = token {
        assert!(
            fixtures.access_tokens.contains(&token),
            "a token that was never signed"
        );
    }

    tab.now_ms += step_ms;
    let _ = tab.call(Op::SignOut {
        global: setup & 0x10 != 0,
    });
    assert!(
        !tab.store.0.contains_key(&tab.session_key),
        "a session stored after signOut"
    );
    match tab.call(Op::CurrentUser) {
        Ok(Reply::User(None)) => {}
        other => panic!("after signOut, currentUser answered {other:?}"),
    }
    assert!(tab.held_locks.is_empty(), "locks still held at the end");
});

/// One tab: the machine, its storage and clock, and what it has asked for.
struct Tab<'a> {
    m: Machine,
    config: PoolConfig,
    session_key: String,
    jwks_key: String,
    store: MapStore,
    now_ms: i64,
    answers: VecDeque<&'a [u8]>,
    vars: Vec<(&'static str, &'static str)>,
    grant_locks: bool,
    pending: VecDeque<Pending>,
    ids: BTreeSet<u64>,
    held_locks: BTreeSet<u64>,
    resolved: BTreeMap<u64, Result<Reply>>,
}

enum Pending {
    Send(RequestId),
    Lock(RequestId),
}

impl<'a> Tab<'a> {
    fn new(setup: u8, clock: u8, answers: &'a [u8], fixtures: &'static Fixtures) -> Self {
        let mut config = match PoolConfig::new(POOL_ID, CLIENT_ID) {
            Ok(config) => config,
            Err(e) => panic!("fixed config refused: {e}"),
        };
        if setup & 0x01 == 0 {
            config = config.with_auth_flow(AuthFlow::UserPassword);
        }
        if setup & 0x02 != 0 {
            config = config.with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
        }
        if setup & 0x80 != 0 {
            config = config.with_client_secret(ClientSecret::from("s3cr3t"));
        }
        let mut m = Machine::new(config.clone());
        if setup & 0x04 != 0 {
            m = m.with_cross_tab_lock();
        }
        let session_key = config.session_storage_key();
        let jwks_key = config.jwks_storage_key();
        let mut store = MapStore::default();
        if setup & 0x20 != 0 {
            let stored = &fixtures.stored_sessions[usize::from(clock >> 7)];
            store.0.insert(session_key.clone(), stored.clone());
        }
        if setup & 0x40 != 0 {
            let mut cache = JwksCache::new(cognito_wasm::client::JWKS_TTL_SECS);
            if let Ok(jwks) = Jwks::parse(fixtures.jwks.as_bytes()) {
                cache.set(jwks, T0 - 600);
            }
            store.0.insert(jwks_key.clone(), cache.to_json());
        }
        let vars = fixtures
            .vars
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        Tab {
            m,
            config,
            session_key,
            jwks_key,
            store,
            now_ms: T0 * 1000,
            answers: records(answers).collect(),
            vars,
            grant_locks: setup & 0x08 == 0,
            pending: VecDeque::new(),
            ids: BTreeSet::new(),
            held_locks: BTreeSet::new(),
            resolved: BTreeMap::new(),
        }
    }

    /// Makes a call and answers whatever it asks for; its outcome.
    fn call(&mut self, op: Op) -> Result<Reply> {
        if tracing() {
            eprintln!("{op:?} at T0 + {} s", self.now_ms / 1000 - T0);
        }
        let call = self.m.call(op, self.now_ms, &mut self.store);
        assert!(self.ids.insert(call.0), "call id {} reused", call.0);
        self.settle();
        assert!(self.m.is_idle(), "calls left over with nothing pending");
        let Some(result) = self.resolved.remove(&call.0) else {
            panic!("call {} unresolved with nothing pending", call.0);
        };
        if tracing() {
            match &result {
                Ok(reply) => eprintln!("  -> {:.160}", reply.to_json()),
                Err(e) => eprintln!("  -> {}: {}", e.code(), e.message()),
            }
        }
        result
    }

    /// Answers requests and locks in the order asked, until none is pending.
    fn settle(&mut self) {
        for _ in 0..MAX_ANSWERS_PER_CALL {
            self.take_actions();
            self.check_storage();
            match self.pending.pop_front() {
                None => return,
                Some(Pending::Send(id)) => {
                    let answer = self.next_answer();
                    self.m.response(id, answer, self.now_ms, &mut self.store);
                }
                Some(Pending::Lock(id)) => {
                    if self.grant_locks {
                        self.held_locks.insert(id.0);
                    }
                    self.m
                        .lock_granted(id, self.grant_locks, self.now_ms, &mut self.store);
                }
            }
        }
        panic!("more than {MAX_ANSWERS_PER_CALL} requests and locks for one call");
    }

    fn take_actions(&mut self) {
        while let Some(action) = self.m.poll_action() {
            match action {
                Action::Send { id, request } => {
                    assert!(self.ids.insert(id.0), "request id {} reused", id.0);
                    check_request_body(&request);
                    if tracing() {
                        eprintln!("  send {}", request.target().unwrap_or(request.method));
                    }
                    if request.method == "GET" {
                        assert_eq!(request.url, self.config.jwks_url());
                    } else {
                        assert_eq!(request.url, self.config.endpoint());
                    }
                    self.pending.push_back(Pending::Send(id));
                }
                Action::Emit(event) => {
                    if tracing() {
                        eprintln!("  event {}", event.as_str());
                    }
                }
                Action::Lock { id, name } => {
                    assert!(self.ids.insert(id.0), "lock id {} reused", id.0);
                    assert_eq!(name, format!("{}refresh", self.config.storage_prefix()));
                    self.pending.push_back(Pending::Lock(id));
                }
                Action::Unlock { id } => {
                    assert!(
                        self.held_locks.remove(&id.0),
                        "lock {} released but not held",
                        id.0
                    );
                }
                Action::Resolve { call, result } => {
                    assert!(
                        self.resolved.insert(call.0, result).is_none(),
                        "call {} resolved twice",
                        call.0
                    );
                }
            }
        }
    }

    /// The next record as an answer (a network error once they run out).
    fn next_answer(&mut self) -> Result<HttpResponse> {
        let Some(record) = self.answers.pop_front() else {
            return Err(Error::Network("the fuzz input ran out".into()));
        };
        let mut answer = response(record)?;
        answer.body = expand(&answer.body, &self.vars);
        Ok(answer)
    }

    fn check_storage(&self) {
        if let Some(text) = self.store.0.get(&self.session_key) {
            if let Err(e) = StoredSession::parse(text, &self.config) {
                panic!("stored session refused ({e:?}): {text}");
            }
        }
        if let Some(text) = self.store.0.get(&self.jwks_key) {
            assert!(
                JwksCache::from_json(text.as_bytes()).is_some(),
                "stored key set refused: {text}"
            );
        }
    }
}

/// Fixed "random" bytes: the SRP math needs them non-zero.
fn secrets() -> SignInSecrets {
    let mut secrets = SignInSecrets::zeroed();
    let filled = secrets.fill(|buf| {
        buf.fill(0x42);
        Ok(())
    });
    assert!(filled.is_ok());
    secrets
}
