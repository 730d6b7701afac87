//! Each call as a small state machine over the machine's shared state: it goes as far as it can whenever it
//! is polled, and waits on an answer to its own request, the load, the shared refresh or the key set.

use core::task::{ready, Poll};

use super::keys::{KeyStore, RequestId};
use super::machine::{CallId, Machine, Store};
use super::ops::{Op, Reply, SrpSecret};
use super::session_state::not_signed_in;
use super::{AuthEvent, MAX_FLOW_STEPS};
use crate::cognito::{self, AuthenticationResult, HttpRequest, HttpResponse};
use crate::error::{Error, Result, UsageCode};
use crate::flow::account;
use crate::flow::sign_in::{self, ConfirmSignInInput, ExpectResponse, Progress};
use crate::flow::SignInOutput;
use crate::jwt::{self, TokenUse};
use crate::secret::Password;
use crate::session::Session;

/// `ready!` for a `Poll<Result<T>>`: returns pending and errors, gives the value.
macro_rules! wait {
    ($poll:expr) => {
        match $poll {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Ready(Ok(value)) => value,
        }
    };
}

/// A call's own request: the one it waits for, and its answer once in.
#[derive(Default)]
pub(crate) struct Io {
    pub(crate) awaiting: Option<RequestId>,
    pub(crate) inbox: Option<Result<HttpResponse>>,
}

impl Io {
    fn send(&mut self, m: &mut Machine, request: HttpRequest) {
        self.awaiting = Some(m.send(request));
    }

    /// The answer, once in; `Err` when no HTTP answer came.
    fn answer(&mut self) -> Poll<Result<HttpResponse>> {
        match self.inbox.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending,
        }
    }
}

/// One call under way.
pub(crate) struct Task {
    pub(crate) call: CallId,
    pub(crate) io: Io,
    kind: Kind,
}

enum Kind {
    Start(Option<Op>),
    /// One request; its answer read by the function.
    Simple(fn(&HttpResponse) -> Result<Reply>),
    Token {
        token_use: TokenUse,
        force: bool,
        wait: TokenWait,
    },
    CurrentUser {
        load: Option<u64>,
        refresh: Option<Option<u64>>,
    },
    SignIn(SignIn),
    SignOut(Box<SignOut>),
    Authed {
        op: AuthedOp,
        token: TokenWait,
        sent: bool,
    },
    Verify {
        token: String,
        token_use: TokenUse,
        keys: Option<u64>,
    },
    Reload {
        before: Option<(String, String)>,
        load: Option<u64>,
    },
}

/// Getting a fresh token: loaded, then refreshed when due.
#[derive(Default)]
pub(crate) struct TokenWait {
    load: Option<u64>,
    /// `Some` once a refresh is needed (with the refresh's wait inside).
    refresh: Option<Option<u64>>,
    generation: u64,
}

struct Credentials {
    username: String,
    password: Password,
    srp_secret: SrpSecret,
}

enum SignIn {
    Load(Option<Credentials>, Option<u64>),
    /// An expired session is refreshed first: a dead one (refresh token revoked) must not block a new sign-in.
    Refresh(Option<Credentials>, Option<u64>),
    Answer(ConfirmSignInInput),
    Flow {
        state: Option<ExpectResponse>,
        steps: usize,
    },
    Verifying {
        tokens: Box<AuthenticationResult>,
        offset: i64,
        keys: Option<u64>,
    },
}

struct SignOut {
    global: bool,
    phase: SignOutPhase,
    result: Result<()>,
    had_session: bool,
    generation: u64,
    revoke: Option<HttpRequest>,
}

enum SignOutPhase {
    Load(Option<u64>),
    Token(TokenWait),
    GlobalSent,
    Revoke,
    RevokeSent,
}

enum AuthedOp {
    UpdatePassword { old: Password, new: Password },
    FetchUserAttributes,
    UpdateUserAttributes(Vec<(String, String)>),
    DeleteUser,
}

fn user_and_token(session: &Session) -> (String, String) {
    (
        session.user_id().to_owned(),
        session.access_token().as_str().to_owned(),
    )
}

impl Task {
    pub(crate) fn new(call: CallId, op: Op) -> Self {
        Task {
            call,
            io: Io::default(),
            kind: Kind::Start(Some(op)),
        }
    }

    /// Goes as far as it can; the outcome once the call is over.
    pub(crate) fn poll(&mut self, m: &mut Machine, store: &mut dyn Store) -> Option<Result<Reply>> {
        match self.step(m, store) {
            Poll::Ready(result) => Some(result),
            Poll::Pending => None,
        }
    }

    fn step(&mut self, m: &mut Machine, store: &mut dyn Store) -> Poll<Result<Reply>> {
        if let Kind::Start(op) = &mut self.kind {
            let Some(op) = op.take() else {
                return Poll::Ready(Err(Error::protocol("a call began twice")));
            };
            self.kind = begin(op, &mut self.io, m)?;
        }
        let io = &mut self.io;
        match &mut self.kind {
            Kind::Start(_) => Poll::Pending,
            Kind::Simple(read) => {
                let response = wait!(io.answer());
                Poll::Ready(read(&response))
            }
            Kind::Token {
                token_use,
                force,
                wait,
            } => poll_token(m, wait, *token_use, *force, store).map(|r| r.map(Reply::Token)),
            Kind::CurrentUser { load, refresh } => poll_current_user(m, load, refresh, store),
            Kind::SignIn(state) => poll_sign_in(state, io, m, store),
            Kind::SignOut(state) => poll_sign_out(state, io, m, store),
            Kind::Authed { op, token, sent } => poll_authed(op, token, sent, io, m, store),
            Kind::Verify {
                token,
                token_use,
                keys,
            } => {
                ready!(m.keys_ready(&[KeyStore::kid_of(token)], keys));
                let at = m.cognito_now();
                Poll::Ready(
                    m.verify(token, *token_use, at)
                        .map(|t| Reply::Verified(Box::new(t))),
                )
            }
            Kind::Reload { before, load } => {
                wait!(m.need_loaded(load, store));
                let after = m.session.as_ref().map(user_and_token);
                match (before.take(), after) {
                    (Some((user_before, token_before)), Some((user_after, token_after)))
                        if user_before == user_after =>
                    {
                        if token_before != token_after {
                            m.emit(AuthEvent::TokenRefresh);
                        }
                    }
                    (before, after) => {
                        if before.is_some() {
                            m.emit(AuthEvent::SignedOut);
                        }
                        if after.is_some() {
                            m.emit(AuthEvent::SignedIn);
                        }
                    }
                }
                Poll::Ready(Ok(Reply::Unit))
            }
        }
    }
}

/// Turns a call into its first state, sending its request when it needs nothing else first.
fn begin(op: Op, io: &mut Io, m: &mut Machine) -> Result<Kind> {
    let config = &m.config;
    let simple = |io: &mut Io,
                  m: &mut Machine,
                  request: HttpRequest,
                  read: fn(&HttpResponse) -> Result<Reply>| {
        io.send(m, request);
        Ok(Kind::Simple(read))
    };
    match op {
        Op::SignUp(input) => {
            let request = account::sign_up_request(config, &input)?;
            simple(io, m, request, |r| {
                account::sign_up_output(r).map(Reply::SignUp)
            })
        }
        Op::ConfirmSignUp { username, code } => {
            let request = account::confirm_sign_up_request(config, &username, &code)?;
            simple(io, m, request, |r| {
                account::confirm_sign_up_output(r).map(Reply::SignUp)
            })
        }
        Op::ResendSignUpCode { username } => {
            let request = account::resend_sign_up_code_request(config, &username)?;
            simple(io, m, request, |r| {
                account::code_delivery_output(r).map(Reply::CodeDelivery)
            })
        }
        Op::ResetPassword { username } => {
            let request = account::reset_password_request(config, &username)?;
            simple(io, m, request, |r| {
                account::reset_password_output(r).map(Reply::ResetPassword)
            })
        }
        Op::ConfirmResetPassword {
            username,
            code,
            new_password,
        } => {
            let request =
                account::confirm_reset_password_request(config, &username, &code, &new_password)?;
            simple(io, m, request, |r| {
                cognito::parse_empty_response(r).map(|()| Reply::Unit)
            })
        }
        Op::SignIn {
            username,
            password,
            srp_secret,
        } => Ok(Kind::SignIn(SignIn::Load(
            Some(Credentials {
                username,
                password,
                srp_secret,
            }),
            None,
        ))),
        Op::ConfirmSignIn(input) => Ok(Kind::SignIn(SignIn::Answer(input))),
        Op::SignOut { global } => Ok(Kind::SignOut(Box::new(SignOut {
            global,
            phase: SignOutPhase::Load(None),
            result: Ok(()),
            had_session: false,
            generation: 0,
            revoke: None,
        }))),
        Op::CurrentUser => Ok(Kind::CurrentUser {
            load: None,
            refresh: None,
        }),
        Op::Token {
            token_use,
            force_refresh,
        } => Ok(Kind::Token {
            token_use,
            force: force_refresh,
            wait: TokenWait::default(),
        }),
        Op::UpdatePassword {
            old_password,
            new_password,
        } => Ok(authed(AuthedOp::UpdatePassword {
            old: old_password,
            new: new_password,
        })),
        Op::FetchUserAttributes => Ok(authed(AuthedOp::FetchUserAttributes)),
        Op::UpdateUserAttributes(attributes) => {
            Ok(authed(AuthedOp::UpdateUserAttributes(attributes)))
        }
        Op::DeleteUser => Ok(authed(AuthedOp::DeleteUser)),
        Op::VerifyToken { token, token_use } => {
            jwt::decode_unverified(&token)?;
            Ok(Kind::Verify {
                token,
                token_use,
                keys: None,
            })
        }
        Op::Reload => {
            let before = m.session.as_ref().map(user_and_token);
            m.unload();
            Ok(Kind::Reload { before, load: None })
        }
    }
}

fn authed(op: AuthedOp) -> Kind {
    Kind::Authed {
        op,
        token: TokenWait::default(),
        sent: false,
    }
}

/// A token of the session, refreshed first when due (or when `force`).
fn poll_token(
    m: &mut Machine,
    w: &mut TokenWait,
    token_use: TokenUse,
    force: bool,
    store: &mut dyn Store,
) -> Poll<Result<String>> {
    if w.refresh.is_none() {
        wait!(m.need_loaded(&mut w.load, store));
        let Some(session) = &m.session else {
            return Poll::Ready(Err(not_signed_in()));
        };
        let due =
            force || session.needs_refresh(m.session_now(session), m.config.clock_skew_secs());
        if !due {
            return Poll::Ready(m.token_of(token_use, true).ok_or_else(not_signed_in));
        }
        w.generation = m.generation;
        w.refresh = Some(None);
    }
    let Some(refresh) = &mut w.refresh else {
        return Poll::Pending;
    };
    let result = ready!(m.need_refresh(refresh, store));
    Poll::Ready(match result {
        Ok(()) => m.token_of(token_use, true).ok_or_else(not_signed_in),
        // The session was replaced meanwhile (typically another tab's fresher tokens): this refresh is moot,
        // and the session now in place answers.
        Err(e) if m.generation != w.generation => m.token_of(token_use, true).ok_or(e),
        Err(e) if force || e.is_definite_auth_failure() => Err(e),
        // An early refresh that failed for a passing reason: the current token is still good.
        Err(e) => m.token_of(token_use, true).ok_or(e),
    })
}

/// The signed-in user, or none; an expired session is refreshed first (and is none if that was refused).
fn poll_current_user(
    m: &mut Machine,
    load: &mut Option<u64>,
    refresh: &mut Option<Option<u64>>,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    if refresh.is_none() {
        wait!(m.need_loaded(load, store));
        match &m.session {
            Some(session) if session.is_expired(m.session_now(session)) => *refresh = Some(None),
            session => {
                return Poll::Ready(Ok(Reply::User(session.as_ref().map(Session::current_user))))
            }
        }
    }
    if let Some(wait) = refresh {
        if let Err(e) = ready!(m.need_refresh(wait, store)) {
            if !e.is_definite_auth_failure() {
                return Poll::Ready(Err(e));
            }
        }
    }
    Poll::Ready(Ok(Reply::User(
        m.session.as_ref().map(Session::current_user),
    )))
}

fn poll_sign_in(
    state: &mut SignIn,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    loop {
        match state {
            SignIn::Load(credentials, load) => {
                wait!(m.need_loaded(load, store));
                let credentials = credentials.take();
                let expired = m
                    .session
                    .as_ref()
                    .is_some_and(|s| s.is_expired(m.session_now(s)));
                if expired {
                    *state = SignIn::Refresh(credentials, None);
                } else {
                    *state = wait!(Poll::Ready(start_sign_in(credentials, io, m)));
                }
            }
            SignIn::Refresh(credentials, refresh) => {
                let _ = ready!(m.need_refresh(refresh, store));
                let credentials = credentials.take();
                *state = wait!(Poll::Ready(start_sign_in(credentials, io, m)));
            }
            SignIn::Answer(input) => {
                let pending = m.pending_sign_in.clone().ok_or_else(|| {
                    Error::usage(
                        UsageCode::NoSignInInProgress,
                        "no sign-in step is waiting for confirmSignIn",
                    )
                })?;
                let (request, next) = pending.answer(&m.config, input)?;
                *state = send_flow(request, next, io, m);
            }
            SignIn::Flow { state: flow, steps } => {
                let response = wait!(io.answer());
                let Some(flow_state) = flow.take() else {
                    return Poll::Ready(Err(Error::protocol("sign-in answered twice")));
                };
                match flow_state.handle(&m.config, &response, m.now)? {
                    Progress::Send(request, next) => {
                        if *steps >= MAX_FLOW_STEPS {
                            return Poll::Ready(Err(Error::protocol(
                                "sign-in did not finish within 8 requests",
                            )));
                        }
                        io.send(m, request);
                        *flow = Some(next);
                        *steps = steps.saturating_add(1);
                    }
                    Progress::SignedIn(tokens) => {
                        let offset = m.clock_offset_of(&tokens.id_token);
                        *state = SignIn::Verifying {
                            tokens,
                            offset,
                            keys: None,
                        };
                    }
                    Progress::NeedsInput(output, next) => {
                        m.pending_sign_in = Some(next);
                        return Poll::Ready(Ok(Reply::SignIn(output)));
                    }
                    Progress::Stopped(output) => {
                        m.pending_sign_in = None;
                        return Poll::Ready(Ok(Reply::SignIn(output)));
                    }
                }
            }
            SignIn::Verifying {
                tokens,
                offset,
                keys,
            } => {
                let kids = [
                    KeyStore::kid_of(&tokens.id_token),
                    KeyStore::kid_of(&tokens.access_token),
                ];
                ready!(m.keys_ready(&kids, keys));
                let now = m.now.saturating_add(*offset);
                let id = m.verify(&tokens.id_token, TokenUse::Id, now)?;
                let access = m.verify(&tokens.access_token, TokenUse::Access, now)?;
                let session = Session::new(
                    id,
                    access,
                    tokens.refresh_token.clone(),
                    tokens.new_device_metadata.clone(),
                )?
                .with_clock_offset(*offset);
                m.install_session(session, store)?;
                return Poll::Ready(Ok(Reply::SignIn(SignInOutput::done())));
            }
        }
    }
}

/// The first request of a sign-in; with no key set at hand, the key set is fetched alongside it, so that
/// verifying the tokens adds no round trip.
fn start_sign_in(credentials: Option<Credentials>, io: &mut Io, m: &mut Machine) -> Result<SignIn> {
    let credentials =
        credentials.ok_or_else(|| Error::protocol("sign-in credentials were used twice"))?;
    if m.session.is_some() {
        return Err(Error::usage(
            UsageCode::AlreadySignedIn,
            "a user is already signed in; sign out first",
        ));
    }
    m.pending_sign_in = None;
    let (request, state) = sign_in::start(
        &m.config,
        &credentials.username,
        credentials.password,
        &credentials.srp_secret.0,
    )?;
    Ok(send_flow(request, state, io, m))
}

fn send_flow(request: HttpRequest, state: ExpectResponse, io: &mut Io, m: &mut Machine) -> SignIn {
    io.send(m, request);
    if m.keys.is_cold(m.now) && !m.keys.is_fetching() {
        m.start_key_fetch();
    }
    SignIn::Flow {
        state: Some(state),
        steps: 1,
    }
}

/// Signs out: the local session is cleared before any sign-out call (so it ends even if they fail), then with
/// `global` every session of the user ends (`GlobalSignOut`, with an expired access token refreshed first; a
/// failure is returned, after the local sign-out, because other devices then stay signed in), then the refresh
/// token is revoked when the pool supports revocation (`origin_jti` present; failures ignored). `signedOut`
/// fires at the end if a user was signed in and nobody signed in meanwhile.
fn poll_sign_out(
    s: &mut SignOut,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    loop {
        match &mut s.phase {
            SignOutPhase::Load(load) => {
                // A broken stored entry must not prevent signing out.
                let _ = ready!(m.need_loaded(load, store));
                if s.global {
                    s.phase = SignOutPhase::Token(TokenWait::default());
                } else {
                    clear_for_sign_out(s, None, io, m, store);
                }
            }
            SignOutPhase::Token(wait) => {
                let access = ready!(poll_token(m, wait, TokenUse::Access, false, store));
                clear_for_sign_out(s, Some(access), io, m, store);
            }
            SignOutPhase::GlobalSent => {
                let response = ready!(io.answer());
                s.result = response.and_then(|r| cognito::parse_empty_response(&r));
                s.phase = SignOutPhase::Revoke;
            }
            SignOutPhase::Revoke => match s.revoke.take() {
                Some(request) => {
                    io.send(m, request);
                    s.phase = SignOutPhase::RevokeSent;
                }
                None => break,
            },
            SignOutPhase::RevokeSent => {
                let _ = ready!(io.answer());
                break;
            }
        }
    }
    // `signedOut` comes when signOut() is done (apps await it, then navigate), unless a sign-in has happened
    // meanwhile: its `signedIn` must not be followed by a stale `signedOut`.
    if s.had_session && s.generation == m.generation {
        m.emit(AuthEvent::SignedOut);
    }
    Poll::Ready(s.result.clone().map(|()| Reply::Unit))
}

fn clear_for_sign_out(
    s: &mut SignOut,
    global_access: Option<Result<String>>,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) {
    let session = m.session.clone();
    s.had_session = m.clear_session(store);
    s.generation = m.generation;
    s.revoke = session.and_then(|session| {
        session.access_token().origin_jti()?;
        let refresh = session.refresh_token()?;
        Some(account::revoke_token_request(&m.config, refresh))
    });
    s.phase = SignOutPhase::Revoke;
    match global_access {
        None => {}
        Some(Ok(access)) => {
            io.send(m, account::global_sign_out_request(&m.config, &access));
            s.phase = SignOutPhase::GlobalSent;
        }
        // Nobody was signed in: there is nothing to sign out anywhere.
        Some(Err(Error::Usage {
            code: UsageCode::NotSignedIn,
            ..
        })) => {}
        Some(Err(e)) => s.result = Err(e),
    }
}

/// An operation on the signed-in user: a fresh access token, then one request.
fn poll_authed(
    op: &mut AuthedOp,
    token: &mut TokenWait,
    sent: &mut bool,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    if !*sent {
        let access = wait!(poll_token(m, token, TokenUse::Access, false, store));
        let config = &m.config;
        let request = match op {
            AuthedOp::UpdatePassword { old, new } => {
                account::change_password_request(config, &access, old, new)
            }
            AuthedOp::FetchUserAttributes => Ok(account::get_user_request(config, &access)),
            AuthedOp::UpdateUserAttributes(attributes) => {
                account::update_user_attributes_request(config, &access, attributes)
            }
            AuthedOp::DeleteUser => Ok(account::delete_user_request(config, &access)),
        };
        io.send(m, request?);
        *sent = true;
    }
    let response = wait!(io.answer());
    Poll::Ready(match op {
        AuthedOp::UpdatePassword { .. } => {
            cognito::parse_empty_response(&response).map(|()| Reply::Unit)
        }
        AuthedOp::FetchUserAttributes => {
            account::get_user_output(&response).map(|user| Reply::Attributes(user.attributes))
        }
        AuthedOp::UpdateUserAttributes(attributes) => {
            account::update_user_attributes_output(&response).map(|deliveries| {
                Reply::AttributeUpdates(
                    attributes
                        .iter()
                        .map(|(name, _)| {
                            let delivery = deliveries
                                .iter()
                                .find(|d| d.attribute_name.as_deref() == Some(name.as_str()));
                            (name.clone(), delivery.cloned())
                        })
                        .collect(),
                )
            })
        }
        AuthedOp::DeleteUser => cognito::parse_empty_response(&response).map(|()| {
            if m.clear_session(store) {
                m.emit(AuthEvent::SignedOut);
            }
            Reply::Unit
        }),
    })
}
