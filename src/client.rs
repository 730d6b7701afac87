//! The auth client: runs the flows over a small [`Platform`] (HTTP, storage, clock, entropy).
//!
//! [`Client`] is generic over the platform, so the same code runs natively in tests (a scripted fake)
//! and in the browser (the `wasm` shell). Every method takes `&self`; state lives in `RefCell`/`Cell`
//! and no borrow is ever held across an `.await`, so concurrent calls from JavaScript are safe.
//!
//! Guarantees:
//! * **Every token is verified** (RS256 against the pool's JWKS, issuer, client, `token_use`, expiry)
//!   before it is stored or handed out. Tokens read back from storage are verified again; there expiry
//!   is left to the refresh policy (an expired stored session is refreshed before any token leaves).
//! * **One refresh at a time**: concurrent callers of [`Client::access_token`] share one in-flight
//!   refresh; likewise concurrent JWKS fetches share one request.
//! * **Sessions end only for a reason**: tokens are cleared on [`Error::is_definite_auth_failure`]
//!   (e.g. `NotAuthorizedException` for a revoked refresh token), never on network errors, 5xx or
//!   throttling. Corrupted, foreign or other-client storage reads as "signed out" (and is removed).
//! * **JWKS**: fetched from the configured URL only, cached in storage under `{prefix}jwks` so a reload
//!   verifies offline, refetched on an unknown `kid` at most once per
//!   [`MIN_REFETCH_INTERVAL_SECS`](crate::jwt::MIN_REFETCH_INTERVAL_SECS), capped at
//!   [`MAX_JWKS_RESPONSE_BYTES`]; without a usable key set nothing verifies (fail closed).

use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::rc::Rc;

use crate::cognito::{self, CodeDeliveryDetails, HttpRequest, HttpResponse};
use crate::config::PoolConfig;
use crate::error::{Error, Result, UsageCode};
use crate::flow::account::{self, SignUpInput};
use crate::flow::sign_in::{self, ConfirmSignInInput, ExpectResponse, ExpectUserInput, Progress};
use crate::flow::{ResetPasswordOutput, SignInOutput, SignUpOutput};
use crate::jwt::{self, Jwks, JwksCache, TokenUse, VerifiedToken};
use crate::secret::Password;
use crate::session::{self, CurrentUser, Session, StoredSession, StoredSessionError};
use crate::srp;

/// How long a fetched JWKS is trusted before it is fetched again (Cognito rotates keys rarely).
pub const JWKS_TTL_SECS: u64 = 6 * 60 * 60;

/// Largest JWKS response accepted.
pub const MAX_JWKS_RESPONSE_BYTES: usize = 64 * 1024;

/// Most requests one sign-in step may chain before the client gives up on a looping server.
const MAX_FLOW_STEPS: usize = 8;

/// After a refresh fails for a passing reason (offline, 5xx, throttling), the refreshes asked for within this
/// many seconds fail at once with the same error, with no request and no event: a listener that reads the
/// user on every event (as `cognito-wasm/react` does) must not spin refreshes while offline, nor hammer a
/// throttled pool.
pub const REFRESH_RETRY_SECS: i64 = 5;

/// The sans-IO boundary: what the client needs from its environment.
///
/// The browser shell implements it with `fetch`, `localStorage`, `Date.now()` and
/// `crypto.getRandomValues`; tests implement it with scripted responses and a settable clock.
#[allow(async_fn_in_trait)]
pub trait Platform {
    /// Sends a request. `Err(Error::Network)` when no HTTP answer came; any status is an `Ok`.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse>;
    /// Reads a storage key.
    fn storage_get(&self, key: &str) -> Result<Option<String>>;
    /// Writes a storage key.
    fn storage_set(&self, key: &str, value: &str) -> Result<()>;
    /// Removes a storage key.
    fn storage_remove(&self, key: &str) -> Result<()>;
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
    /// Fills `buf` from a CSPRNG; fails rather than fall back to a weak source.
    fn fill_random(&self, buf: &mut [u8]) -> Result<()>;
}

/// A change of the signed-in state, for [`Client::on_auth_change`] listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthEvent {
    /// A user signed in (or another tab's sign-in was picked up).
    SignedIn,
    /// The user signed out, was deleted, or the session ended (refresh token rejected).
    SignedOut,
    /// Tokens were refreshed.
    TokenRefresh,
    /// A refresh failed (the session is kept unless the failure was definite).
    TokenRefreshFailure,
}

impl AuthEvent {
    /// The JavaScript name: `signedIn`, `signedOut`, `tokenRefresh`, `tokenRefreshFailure`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "signedIn",
            AuthEvent::SignedOut => "signedOut",
            AuthEvent::TokenRefresh => "tokenRefresh",
            AuthEvent::TokenRefreshFailure => "tokenRefreshFailure",
        }
    }
}

/// Identifies a listener for [`Client::remove_listener`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

type Listener = Rc<dyn Fn(&AuthEvent)>;

/// One operation in flight whose result every concurrent caller shares.
struct Flight<T> {
    result: Option<T>,
    abandoned: bool,
    wakers: Vec<Waker>,
}

type FlightSlot<T> = RefCell<Option<Rc<RefCell<Flight<T>>>>>;

/// Waits for another caller's flight. `None` when its leader was dropped before finishing.
struct WaitForFlight<T>(Rc<RefCell<Flight<T>>>);

impl<T: Clone> Future for WaitForFlight<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut flight = self.0.borrow_mut();
        if let Some(result) = &flight.result {
            return Poll::Ready(Some(result.clone()));
        }
        if flight.abandoned {
            return Poll::Ready(None);
        }
        if !flight.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            flight.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// Finishes a flight when dropped: with the result if [`FlightLeader::finish`] gave one, else (the
/// leader's future was dropped mid-way) as abandoned, so waiters retry instead of hanging.
struct FlightLeader<'a, T> {
    slot: &'a FlightSlot<T>,
    flight: Rc<RefCell<Flight<T>>>,
    result: Option<T>,
}

impl<T> FlightLeader<'_, T> {
    fn finish(mut self, result: T) {
        self.result = Some(result);
    }
}

impl<T> Drop for FlightLeader<'_, T> {
    fn drop(&mut self) {
        let wakers = {
            let mut flight = self.flight.borrow_mut();
            flight.abandoned = self.result.is_none();
            flight.result = self.result.take();
            core::mem::take(&mut flight.wakers)
        };
        if let Ok(mut slot) = self.slot.try_borrow_mut() {
            if slot.as_ref().is_some_and(|f| Rc::ptr_eq(f, &self.flight)) {
                *slot = None;
            }
        }
        for waker in wakers {
            waker.wake();
        }
    }
}

/// Runs `operation` unless one is already in flight in `slot`, in which case its result is shared.
async fn run_shared<T, F, Fut>(slot: &FlightSlot<T>, operation: F) -> T
where
    T: Clone,
    F: FnOnce() -> Fut,
    Fut: Future<Output = T>,
{
    let mut operation = Some(operation);
    loop {
        let in_flight = slot.borrow().clone();
        if let Some(flight) = in_flight {
            match WaitForFlight(flight).await {
                Some(result) => return result,
                None => continue,
            }
        }
        let Some(operation) = operation.take() else {
            // Unreachable: the operation is only taken by the leader, which returns below.
            continue;
        };
        let flight = Rc::new(RefCell::new(Flight {
            result: None,
            abandoned: false,
            wakers: Vec::new(),
        }));
        *slot.borrow_mut() = Some(Rc::clone(&flight));
        let leader = FlightLeader {
            slot,
            flight,
            result: None,
        };
        let result = operation().await;
        leader.finish(result.clone());
        return result;
    }
}

struct State {
    /// Whether storage has been read into `session`.
    loaded: bool,
    session: Option<Session>,
    /// Bumped whenever `session` is replaced by something other than its own refresh, so a refresh
    /// that finishes after a sign-out or a new sign-in does not resurrect or overwrite anything.
    generation: u64,
    pending_sign_in: Option<ExpectUserInput>,
    jwks_loaded: bool,
    jwks: JwksCache,
    /// The last refresh that failed for a passing reason: when (device seconds), in which generation, why.
    refresh_failure: Option<(i64, u64, Error)>,
}

/// The Cognito auth client.
pub struct Client<P: Platform> {
    config: PoolConfig,
    platform: P,
    state: RefCell<State>,
    listeners: RefCell<Vec<(ListenerId, Listener)>>,
    next_listener: Cell<u64>,
    refresh_flight: FlightSlot<Result<()>>,
    jwks_flight: FlightSlot<Result<()>>,
    load_flight: FlightSlot<Result<()>>,
}

impl<P: Platform> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.try_borrow();
        f.debug_struct("Client")
            .field("config", &self.config)
            .field(
                "signed_in",
                &state.as_ref().map(|s| s.session.is_some()).ok(),
            )
            .finish_non_exhaustive()
    }
}

fn not_signed_in() -> Error {
    Error::usage(UsageCode::NotSignedIn, "no user is signed in")
}

impl<P: Platform> Client<P> {
    /// A client for `config` over `platform`. Nothing is read or sent until the first call.
    pub fn new(config: PoolConfig, platform: P) -> Self {
        Client {
            config,
            platform,
            state: RefCell::new(State {
                loaded: false,
                session: None,
                generation: 0,
                pending_sign_in: None,
                jwks_loaded: false,
                jwks: JwksCache::new(JWKS_TTL_SECS),
                refresh_failure: None,
            }),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            refresh_flight: RefCell::new(None),
            jwks_flight: RefCell::new(None),
            load_flight: RefCell::new(None),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The device's clock, in Unix seconds: for the client's own bookkeeping (JWKS cache, SRP timestamp).
    fn device_secs(&self) -> i64 {
        self.platform.now_millis().div_euclid(1000)
    }

    /// Cognito's time as `session` knows it: the device clock corrected by the session's offset. Every
    /// decision about a session's tokens uses this.
    fn session_now(&self, session: &Session) -> i64 {
        self.device_secs()
            .saturating_add(session.clock_offset_secs())
    }

    /// Cognito's time as the current session knows it, or the device's when nobody is signed in.
    fn now_secs(&self) -> i64 {
        match &self.state.borrow().session {
            Some(session) => self.session_now(session),
            None => self.device_secs(),
        }
    }

    /// Cognito's clock minus the device's, from the `iat` of an id token that has just come from Cognito
    /// (as Amplify does), and that time. Nothing is trusted yet: the caller verifies the tokens at that time
    /// and keeps the offset only with them. An offset beyond [`session::MAX_CLOCK_OFFSET_SECS`] is not
    /// believed (0: the device clock decides, and the tokens fail its checks).
    fn cognito_time_of(&self, fresh_id_token: &str) -> (i64, i64) {
        let device = self.device_secs();
        let offset = jwt::decode_unverified(fresh_id_token)
            .ok()
            .and_then(|token| token.claims().get_i64("iat"))
            .map(|iat| iat.saturating_sub(device))
            .filter(|offset| offset.abs() <= session::MAX_CLOCK_OFFSET_SECS)
            .unwrap_or(0);
        (offset, device.saturating_add(offset))
    }

    // ----- events -----

    /// Calls `listener` on every [`AuthEvent`] until [`Self::remove_listener`].
    pub fn on_auth_change(&self, listener: Box<dyn Fn(&AuthEvent)>) -> ListenerId {
        let id = ListenerId(self.next_listener.get());
        self.next_listener.set(id.0.wrapping_add(1));
        self.listeners.borrow_mut().push((id, Rc::from(listener)));
        id
    }

    /// Stops calling a listener; `false` if it was not registered.
    pub fn remove_listener(&self, id: ListenerId) -> bool {
        let mut listeners = self.listeners.borrow_mut();
        let before = listeners.len();
        listeners.retain(|(other, _)| *other != id);
        listeners.len() != before
    }

    fn emit(&self, event: AuthEvent) {
        // Listeners may add or remove listeners, or call the client: call a snapshot, borrow released.
        let snapshot: Vec<Listener> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| Rc::clone(l))
            .collect();
        for listener in snapshot {
            listener(&event);
        }
    }

    // ----- transport -----

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.platform.send(request).await
    }

    // ----- JWKS -----

    fn load_jwks_from_storage(&self) {
        if self.state.borrow().jwks_loaded {
            return;
        }
        let stored = self
            .platform
            .storage_get(&self.config.jwks_storage_key())
            .ok()
            .flatten()
            .and_then(|text| JwksCache::from_json(text.as_bytes()));
        let mut state = self.state.borrow_mut();
        if !state.jwks_loaded {
            state.jwks_loaded = true;
            if let Some(cache) = stored {
                state.jwks = cache;
            }
        }
    }

    async fn fetch_jwks(&self) -> Result<()> {
        let now = self.device_secs();
        self.state.borrow_mut().jwks.note_fetch_attempt(now);
        let response = self.send(cognito::jwks_request(&self.config)).await?;
        if response.status != 200 {
            return Err(Error::protocol(format!(
                "JWKS request answered HTTP {}",
                response.status
            )));
        }
        if response.body.len() > MAX_JWKS_RESPONSE_BYTES {
            return Err(Error::protocol(format!(
                "JWKS larger than {MAX_JWKS_RESPONSE_BYTES} bytes"
            )));
        }
        let jwks = Jwks::parse(&response.body)?;
        let text = {
            let mut state = self.state.borrow_mut();
            state.jwks.set(jwks, now);
            state.jwks.to_json()
        };
        // The stored copy only saves a fetch after a reload: failing to write it is not an error.
        let _ = self
            .platform
            .storage_set(&self.config.jwks_storage_key(), &text);
        Ok(())
    }

    /// Makes sure a key set that may hold `kid` is at hand (fetching at most as the cache policy allows).
    async fn ensure_jwks(&self, kid: &str) -> Result<()> {
        self.load_jwks_from_storage();
        let now = self.device_secs();
        if !self.state.borrow().jwks.needs_fetch(kid, now) {
            return Ok(());
        }
        let fetched = run_shared(&self.jwks_flight, || self.fetch_jwks()).await;
        let now = self.device_secs();
        match fetched {
            // The fetch failed but the key is at hand (offline, say): verification can go on. An unknown kid
            // keeps the fetch's error: without the pool's current keys, "no such key" would be a guess, and
            // a restored session would be dropped for it.
            Err(_)
                if self
                    .state
                    .borrow()
                    .jwks
                    .jwks(now)
                    .is_some_and(|set| set.kids().any(|known| known == kid)) =>
            {
                Ok(())
            }
            other => other,
        }
    }

    /// Verifies `token` at `at` (Unix seconds) with the cached key set.
    fn verify_cached(&self, token: &str, token_use: TokenUse, at: i64) -> Result<VerifiedToken> {
        let now = self.device_secs();
        let state = self.state.borrow();
        let jwks = state.jwks.jwks(now).ok_or_else(|| {
            Error::Network("the pool's signing keys (JWKS) could not be fetched".into())
        })?;
        let expect = session::expectations(&self.config, token_use);
        Ok(jwt::verify(token, jwks, &expect, at)?)
    }

    async fn verify_at(&self, token: &str, token_use: TokenUse, at: i64) -> Result<VerifiedToken> {
        let decoded = jwt::decode_unverified(token)?;
        let kid = decoded.kid().unwrap_or_default().to_owned();
        self.ensure_jwks(&kid).await?;
        self.verify_cached(token, token_use, at)
    }

    /// Verifies any token of this pool and client with the client's cached JWKS (fetched when needed).
    pub async fn verify_token(&self, token: &str, token_use: TokenUse) -> Result<VerifiedToken> {
        self.verify_at(token, token_use, self.now_secs()).await
    }

    // ----- session storage -----

    fn store_session(&self, session: &Session) -> Result<()> {
        self.platform.storage_set(
            &self.config.session_storage_key(),
            &session.to_stored().to_json(&self.config),
        )
    }

    fn forget_stored_session(&self) {
        let _ = self
            .platform
            .storage_remove(&self.config.session_storage_key());
    }

    /// Reads and verifies the stored session. `Ok(None)` means signed out (bad entries are removed);
    /// an error means it could not be checked (no JWKS: offline), and the entry is kept.
    async fn read_stored_session(&self) -> Result<Option<Session>> {
        let Some(text) = self
            .platform
            .storage_get(&self.config.session_storage_key())?
        else {
            return Ok(None);
        };
        let stored = match StoredSession::parse(&text, &self.config) {
            Ok(stored) => stored,
            // Another build's (or another client's) session: not ours to read, nor to delete.
            Err(StoredSessionError::NotOurs) => return Ok(None),
            Err(StoredSessionError::Invalid) => {
                self.forget_stored_session();
                return Ok(None);
            }
        };
        let (Ok(id), Ok(access)) = (
            jwt::decode_unverified(&stored.id_token),
            jwt::decode_unverified(&stored.access_token),
        ) else {
            self.forget_stored_session();
            return Ok(None);
        };
        for token in [&id, &access] {
            self.ensure_jwks(token.kid().unwrap_or_default()).await?;
        }
        // Everything but the time is checked (at `now` brought within `[iat, exp - 1]`, `now` being Cognito's
        // time as the stored offset gives it): an expired session is still this user's, and is refreshed
        // before any token is handed out; and a device clock set back since the offset was learned must not
        // make the stored tokens look issued in the future, and the user signed out.
        let now = self.device_secs().saturating_add(stored.clock_offset_secs);
        let at = |token: &jwt::UnverifiedToken| {
            let claims = token.claims();
            let at = claims
                .get_i64("exp")
                .map_or(now, |exp| now.min(exp.saturating_sub(1)));
            claims.get_i64("iat").map_or(at, |iat| at.max(iat))
        };
        match self.session_from_stored(&stored, at(&id), at(&access)) {
            Ok(session) => Ok(Some(session)),
            Err(e @ Error::Network(_)) => Err(e),
            Err(_) => {
                self.forget_stored_session();
                Ok(None)
            }
        }
    }

    async fn load_session(&self) -> Result<()> {
        let generation = self.state.borrow().generation;
        let session = self.read_stored_session().await?;
        let mut state = self.state.borrow_mut();
        // A sign-in or sign-out that happened meanwhile wins over what storage said.
        if !state.loaded && state.generation == generation {
            state.session = session;
            state.loaded = true;
        }
        Ok(())
    }

    /// Loads the session from storage on first use.
    async fn ensure_loaded(&self) -> Result<()> {
        // A load that started before a reload may finish without installing anything: go again.
        for _ in 0..3 {
            if self.state.borrow().loaded {
                return Ok(());
            }
            run_shared(&self.load_flight, || self.load_session()).await?;
        }
        if self.state.borrow().loaded {
            Ok(())
        } else {
            Err(Error::Storage(
                "the session kept changing while it was read".into(),
            ))
        }
    }

    /// Drops the in-memory session and reads storage again (call it when another tab changed it).
    /// Emits `signedIn` / `signedOut` when the signed-in user changed, `tokenRefresh` when the same user's
    /// tokens did (another tab refreshed them).
    pub async fn reload_from_storage(&self) -> Result<()> {
        let user_and_token = |session: &Session| {
            (
                session.user_id().to_owned(),
                session.access_token().as_str().to_owned(),
            )
        };
        let before = {
            let mut state = self.state.borrow_mut();
            state.loaded = false;
            state.generation = state.generation.wrapping_add(1);
            state.jwks_loaded = false;
            state.session.take().map(|s| user_and_token(&s))
        };
        self.ensure_loaded().await?;
        let after = self.state.borrow().session.as_ref().map(user_and_token);
        match (before, after) {
            (Some((user_before, token_before)), Some((user_after, token_after)))
                if user_before == user_after =>
            {
                if token_before != token_after {
                    self.emit(AuthEvent::TokenRefresh);
                }
            }
            (before, after) => {
                if before.is_some() {
                    self.emit(AuthEvent::SignedOut);
                }
                if after.is_some() {
                    self.emit(AuthEvent::SignedIn);
                }
            }
        }
        Ok(())
    }

    /// Replaces the session (sign-in): stored first, then in memory, then `signedIn`.
    fn install_session(&self, session: Session) -> Result<()> {
        self.store_session(&session)?;
        {
            let mut state = self.state.borrow_mut();
            state.session = Some(session);
            state.loaded = true;
            state.pending_sign_in = None;
            state.generation = state.generation.wrapping_add(1);
        }
        self.emit(AuthEvent::SignedIn);
        Ok(())
    }

    /// Ends the local session; `true` if there was one.
    fn clear_session(&self) -> bool {
        let had = {
            let mut state = self.state.borrow_mut();
            state.loaded = true;
            state.pending_sign_in = None;
            state.generation = state.generation.wrapping_add(1);
            state.session.take().is_some()
        };
        self.forget_stored_session();
        had
    }

    // ----- sign-up -----

    /// Registers a user (`SignUp`).
    pub async fn sign_up(&self, input: SignUpInput) -> Result<SignUpOutput> {
        let response = self
            .send(account::sign_up_request(&self.config, &input)?)
            .await?;
        account::sign_up_output(&response)
    }

    /// Confirms a registration with its code (`ConfirmSignUp`).
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<SignUpOutput> {
        let response = self
            .send(account::confirm_sign_up_request(
                &self.config,
                username,
                code,
            )?)
            .await?;
        account::confirm_sign_up_output(&response)
    }

    /// Sends the sign-up code again (`ResendConfirmationCode`).
    pub async fn resend_sign_up_code(&self, username: &str) -> Result<CodeDeliveryDetails> {
        let response = self
            .send(account::resend_sign_up_code_request(
                &self.config,
                username,
            )?)
            .await?;
        account::code_delivery_output(&response)
    }

    // ----- sign-in -----

    /// Starts a sign-in with the configured flow (SRP by default).
    ///
    /// Fails with `AlreadySignedIn` when a session exists (an expired one is refreshed first, and no
    /// longer counts if its refresh token is rejected). `UserNotConfirmedException` and
    /// `PasswordResetRequiredException` come back as the `CONFIRM_SIGN_UP` / `RESET_PASSWORD` steps.
    pub async fn sign_in(&self, username: &str, password: Password) -> Result<SignInOutput> {
        self.ensure_loaded().await?;
        let expired = match &self.state.borrow().session {
            Some(session) => session.is_expired(self.session_now(session)),
            None => false,
        };
        if expired {
            // A dead session (refresh token revoked or expired) must not block a new sign-in.
            let _ = self.refresh_shared().await;
        }
        if self.state.borrow().session.is_some() {
            return Err(Error::usage(
                UsageCode::AlreadySignedIn,
                "a user is already signed in; sign out first",
            ));
        }
        self.state.borrow_mut().pending_sign_in = None;
        let mut ephemeral = [0u8; srp::EPHEMERAL_BYTES];
        self.platform.fill_random(&mut ephemeral)?;
        let started = sign_in::start(&self.config, username, password, &ephemeral);
        ephemeral.fill(0);
        let (request, state) = started?;
        self.drive(request, state).await
    }

    /// Answers the pending sign-in step. A rejected answer (wrong code) leaves the step pending, so
    /// the user can try again.
    pub async fn confirm_sign_in(&self, input: ConfirmSignInInput) -> Result<SignInOutput> {
        let pending = self.state.borrow().pending_sign_in.clone().ok_or_else(|| {
            Error::usage(
                UsageCode::NoSignInInProgress,
                "no sign-in step is waiting for confirmSignIn",
            )
        })?;
        let (request, state) = pending.answer(&self.config, &input)?;
        self.drive(request, state).await
    }

    /// Sends requests until the flow needs the user or ends.
    async fn drive(
        &self,
        mut request: HttpRequest,
        mut state: ExpectResponse,
    ) -> Result<SignInOutput> {
        for _ in 0..MAX_FLOW_STEPS {
            let response = self.send(request).await?;
            match state.handle(&self.config, &response, self.device_secs())? {
                Progress::Send(next_request, next_state) => {
                    request = next_request;
                    state = next_state;
                }
                Progress::SignedIn(tokens) => {
                    let (offset, now) = self.cognito_time_of(&tokens.id_token);
                    let id = self.verify_at(&tokens.id_token, TokenUse::Id, now).await?;
                    let access = self
                        .verify_at(&tokens.access_token, TokenUse::Access, now)
                        .await?;
                    let session = Session::new(
                        id,
                        access,
                        tokens.refresh_token.clone(),
                        tokens.new_device_metadata.clone(),
                    )?
                    .with_clock_offset(offset);
                    self.install_session(session)?;
                    return Ok(SignInOutput::done());
                }
                Progress::NeedsInput(output, next) => {
                    self.state.borrow_mut().pending_sign_in = Some(next);
                    return Ok(output);
                }
                Progress::Stopped(output) => {
                    self.state.borrow_mut().pending_sign_in = None;
                    return Ok(output);
                }
            }
        }
        Err(Error::protocol(format!(
            "sign-in did not finish within {MAX_FLOW_STEPS} requests"
        )))
    }

    // ----- session -----

    /// The signed-in user, or `None`. No network when the tokens and the JWKS are warm; an expired
    /// session is refreshed first (and reads as `None` if the refresh token was rejected).
    pub async fn current_user(&self) -> Result<Option<CurrentUser>> {
        self.ensure_loaded().await?;
        let expired = match &self.state.borrow().session {
            None => return Ok(None),
            Some(session) => session.is_expired(self.session_now(session)),
        };
        if expired {
            if let Err(e) = self.refresh_shared().await {
                if !e.is_definite_auth_failure() {
                    return Err(e);
                }
            }
        }
        Ok(self
            .state
            .borrow()
            .session
            .as_ref()
            .map(Session::current_user))
    }

    /// The access token, refreshed first when due (or when `force_refresh`).
    pub async fn access_token(&self, force_refresh: bool) -> Result<String> {
        self.fresh_token(force_refresh, TokenUse::Access).await
    }

    /// The id token, refreshed first when due (or when `force_refresh`).
    pub async fn id_token(&self, force_refresh: bool) -> Result<String> {
        self.fresh_token(force_refresh, TokenUse::Id).await
    }

    fn token_of(&self, token_use: TokenUse, must_be_unexpired: bool) -> Option<String> {
        let state = self.state.borrow();
        let session = state.session.as_ref()?;
        if must_be_unexpired && session.is_expired(self.session_now(session)) {
            return None;
        }
        Some(
            match token_use {
                TokenUse::Id => session.id_token(),
                TokenUse::Access => session.access_token(),
            }
            .as_str()
            .to_owned(),
        )
    }

    async fn fresh_token(&self, force_refresh: bool, token_use: TokenUse) -> Result<String> {
        self.ensure_loaded().await?;
        let (due, generation) = {
            let state = self.state.borrow();
            let due = match &state.session {
                None => return Err(not_signed_in()),
                Some(session) => {
                    force_refresh
                        || session
                            .needs_refresh(self.session_now(session), self.config.clock_skew_secs())
                }
            };
            (due, state.generation)
        };
        if due {
            if let Err(e) = self.refresh_shared().await {
                // The session was replaced meanwhile (typically another tab's fresher tokens, loaded from
                // storage): this refresh is moot, and the session now in place answers.
                if self.state.borrow().generation != generation {
                    return self.token_of(token_use, true).ok_or(e);
                }
                // An early refresh that failed for a passing reason: the current token is still good.
                if force_refresh || e.is_definite_auth_failure() {
                    return Err(e);
                }
                return self.token_of(token_use, true).ok_or(e);
            }
        }
        self.token_of(token_use, true).ok_or_else(not_signed_in)
    }

    async fn refresh_shared(&self) -> Result<()> {
        run_shared(&self.refresh_flight, || self.refresh()).await
    }

    /// One refresh: the leader of [`Self::refresh_shared`].
    ///
    /// Tabs share storage: if another tab already refreshed (its tokens are in storage and still
    /// fresh), they are adopted instead of refreshing again; and a refresh token rejected because
    /// another tab rotated it does not sign anyone out when that tab's session is in storage.
    async fn refresh(&self) -> Result<()> {
        if self.adopt_stored_session() {
            self.emit(AuthEvent::TokenRefresh);
            return Ok(());
        }
        let (request, generation) = {
            let state = self.state.borrow();
            if let Some((at, failed_generation, error)) = &state.refresh_failure {
                let since = self.device_secs().saturating_sub(*at);
                if *failed_generation == state.generation
                    && (0..REFRESH_RETRY_SECS).contains(&since)
                {
                    return Err(error.clone());
                }
            }
            let session = state.session.as_ref().ok_or_else(not_signed_in)?;
            let refresh_token = session.refresh_token().ok_or_else(|| {
                Error::usage(UsageCode::NotSignedIn, "the session has no refresh token")
            })?;
            (
                account::refresh_request(
                    &self.config,
                    refresh_token,
                    session.username(),
                    // The device the tokens were issued to (`device_key` claim), else the one stored.
                    session
                        .access_token()
                        .claims()
                        .get_str("device_key")
                        .or_else(|| session.device().map(|d| d.device_key.as_str())),
                ),
                state.generation,
            )
        };
        let result = self.refresh_with(request, generation).await;
        if self.state.borrow().generation != generation {
            // Signed out or in again meanwhile: this refresh is moot, and says nothing about the new state.
            return result;
        }
        self.state.borrow_mut().refresh_failure = match &result {
            Err(e) if !e.is_definite_auth_failure() => {
                Some((self.device_secs(), generation, e.clone()))
            }
            _ => None,
        };
        match &result {
            Ok(()) => self.emit(AuthEvent::TokenRefresh),
            Err(e) if e.is_definite_auth_failure() && self.adopt_stored_session() => {
                self.emit(AuthEvent::TokenRefresh);
                return Ok(());
            }
            Err(e) => {
                self.emit(AuthEvent::TokenRefreshFailure);
                if e.is_definite_auth_failure() && self.clear_session() {
                    self.emit(AuthEvent::SignedOut);
                }
            }
        }
        result
    }

    /// The session a stored document holds, its id and access tokens verified with the cached key set at
    /// `id_at` and `access_at` (Unix seconds), with the clock offset it was stored with.
    fn session_from_stored(
        &self,
        stored: &StoredSession,
        id_at: i64,
        access_at: i64,
    ) -> Result<Session> {
        let id = self.verify_cached(&stored.id_token, TokenUse::Id, id_at)?;
        let access = self.verify_cached(&stored.access_token, TokenUse::Access, access_at)?;
        Ok(Session::new(
            id,
            access,
            stored.refresh_token.clone(),
            stored.device.clone(),
        )?
        .with_clock_offset(stored.clock_offset_secs))
    }

    /// Takes over fresher tokens of the same user that another tab stored. Only with the JWKS at hand
    /// (no network here); the stored tokens are verified like any others, expiry included.
    fn adopt_stored_session(&self) -> bool {
        let Ok(Some(text)) = self
            .platform
            .storage_get(&self.config.session_storage_key())
        else {
            return false;
        };
        let Ok(stored) = StoredSession::parse(&text, &self.config) else {
            return false;
        };
        let (current_access, user_id) = match &self.state.borrow().session {
            Some(session) => (
                session.access_token().as_str().to_owned(),
                session.user_id().to_owned(),
            ),
            None => return false,
        };
        if stored.access_token == current_access {
            return false;
        }
        // In Cognito's time as the other tab learned it with these tokens.
        let now = self.device_secs().saturating_add(stored.clock_offset_secs);
        match self.session_from_stored(&stored, now, now) {
            Ok(session)
                if session.user_id() == user_id
                    && !session.needs_refresh(now, self.config.clock_skew_secs()) =>
            {
                self.state.borrow_mut().session = Some(session);
                true
            }
            _ => false,
        }
    }

    async fn refresh_with(&self, request: HttpRequest, generation: u64) -> Result<()> {
        let response = self.send(request).await?;
        let tokens = account::refresh_output(&response)?;
        let (offset, now) = self.cognito_time_of(&tokens.id_token);
        let id = self.verify_at(&tokens.id_token, TokenUse::Id, now).await?;
        let access = self
            .verify_at(&tokens.access_token, TokenUse::Access, now)
            .await?;
        let refreshed = {
            let state = self.state.borrow();
            if state.generation != generation {
                return Err(not_signed_in());
            }
            state
                .session
                .as_ref()
                .ok_or_else(not_signed_in)?
                .refreshed(id, access, tokens.refresh_token.clone())?
                .with_clock_offset(offset)
        };
        self.store_session(&refreshed)?;
        self.state.borrow_mut().session = Some(refreshed);
        Ok(())
    }

    /// Signs out: the local session is cleared before any sign-out call (so it ends even if they fail), then
    /// the refresh token is revoked when the pool supports revocation (`origin_jti` present; failures ignored), and
    /// with `global` all the user's sessions end (`GlobalSignOut`, with the access token refreshed first when
    /// it has expired; a failure is returned, after the local sign-out, because other devices then stay
    /// signed in). `signedOut` fires at the end if a user was signed in and nobody signed in meanwhile.
    pub async fn sign_out(&self, global: bool) -> Result<()> {
        // A broken stored entry must not prevent signing out.
        let _ = self.ensure_loaded().await;
        // GlobalSignOut needs a live access token: refresh an expired one first, so that `global` is never
        // dropped without a word while other devices stay signed in.
        let global_access = if global {
            Some(self.access_token(false).await)
        } else {
            None
        };
        let session = self.state.borrow().session.clone();
        let had_session = self.clear_session();
        let generation = self.state.borrow().generation;
        let result = match global_access {
            None => Ok(()),
            Some(Ok(access)) => {
                let request = account::global_sign_out_request(&self.config, &access);
                match self.send(request).await {
                    Ok(response) => cognito::parse_empty_response(&response),
                    Err(e) => Err(e),
                }
            }
            // Nobody was signed in: there is nothing to sign out anywhere.
            Some(Err(Error::Usage {
                code: UsageCode::NotSignedIn,
                ..
            })) => Ok(()),
            Some(Err(e)) => Err(e),
        };
        if let Some(session) = session {
            let access = session.access_token();
            if let (Some(_), Some(refresh)) = (access.origin_jti(), session.refresh_token()) {
                let request = account::revoke_token_request(&self.config, refresh);
                let _ = self.send(request).await;
            }
        }
        // `signedOut` comes when signOut() is done (apps await it, then navigate), unless a sign-in has
        // happened meanwhile: its `signedIn` must not be followed by a stale `signedOut`.
        if had_session && self.state.borrow().generation == generation {
            self.emit(AuthEvent::SignedOut);
        }
        result
    }

    // ----- password and attributes -----

    /// Starts a password reset (`ForgotPassword`).
    pub async fn reset_password(&self, username: &str) -> Result<ResetPasswordOutput> {
        let response = self
            .send(account::reset_password_request(&self.config, username)?)
            .await?;
        account::reset_password_output(&response)
    }

    /// Finishes a password reset (`ConfirmForgotPassword`).
    pub async fn confirm_reset_password(
        &self,
        username: &str,
        code: &str,
        new_password: Password,
    ) -> Result<()> {
        let request =
            account::confirm_reset_password_request(&self.config, username, code, &new_password)?;
        cognito::parse_empty_response(&self.send(request).await?)
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    pub async fn update_password(
        &self,
        old_password: Password,
        new_password: Password,
    ) -> Result<()> {
        let access = self.access_token(false).await?;
        let request =
            account::change_password_request(&self.config, &access, &old_password, &new_password)?;
        cognito::parse_empty_response(&self.send(request).await?)
    }

    /// The signed-in user's attributes (`GetUser`), as `(name, value)` pairs.
    pub async fn fetch_user_attributes(&self) -> Result<Vec<(String, String)>> {
        let access = self.access_token(false).await?;
        let response = self
            .send(account::get_user_request(&self.config, &access))
            .await?;
        Ok(account::get_user_output(&response)?.attributes)
    }

    /// Updates attributes (`UpdateUserAttributes`); returns where verification codes went.
    pub async fn update_user_attributes(
        &self,
        attributes: Vec<(String, String)>,
    ) -> Result<Vec<CodeDeliveryDetails>> {
        let access = self.access_token(false).await?;
        let request = account::update_user_attributes_request(&self.config, &access, &attributes)?;
        account::update_user_attributes_output(&self.send(request).await?)
    }

    /// Deletes the signed-in user (`DeleteUser`), then ends the local session (`signedOut`).
    pub async fn delete_user(&self) -> Result<()> {
        let access = self.access_token(false).await?;
        let response = self
            .send(account::delete_user_request(&self.config, &access))
            .await?;
        cognito::parse_empty_response(&response)?;
        if self.clear_session() {
            self.emit(AuthEvent::SignedOut);
        }
        Ok(())
    }
}
