//! A sign-in call: the stored session loaded (an expired one refreshed first), the flow's requests, then the
//! tokens verified and installed. `confirmSignIn` enters at the pending step.

use core::task::{ready, Poll};

use super::calls::Io;
use super::machine::{Machine, Store};
use super::ops::{Reply, SrpSecret};
use super::MAX_FLOW_STEPS;
use crate::cognito::{AuthenticationResult, HttpRequest};
use crate::config::AuthFlow;
use crate::error::{Error, Result, UsageCode};
use crate::flow::sign_in::{self, ConfirmSignInInput, ExpectResponse, Progress};
use crate::flow::SignInOutput;
use crate::json::Object;
use crate::secret::Password;
use crate::session::Session;

pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: Password,
    pub(crate) flow: Option<AuthFlow>,
    pub(crate) client_metadata: Option<Object>,
    pub(crate) preferred_challenge: Option<String>,
    pub(crate) srp_secret: SrpSecret,
}

pub(crate) enum SignIn {
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

#[inline(never)]
pub(crate) fn poll_sign_in(
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
                let progress = pending.answer(&m.config, input)?;
                m.sign_in_metadata = input.client_metadata.take();
                if let Some(done) = take_progress(progress, state, 0, io, m) {
                    return done;
                }
            }
            SignIn::Flow { state: flow, steps } => {
                let response = wait!(io.answer());
                let Some(flow_state) = flow.take() else {
                    return Poll::Ready(Err(Error::protocol("sign-in answered twice")));
                };
                let steps = *steps;
                let progress = flow_state.handle(
                    &m.config,
                    &response,
                    m.srp_now(),
                    m.sign_in_metadata.as_ref(),
                )?;
                if let Some(done) = take_progress(progress, state, steps, io, m) {
                    return done;
                }
            }
            SignIn::Verifying {
                tokens,
                offset,
                keys,
            } => {
                ready!(m.keys_ready(&Machine::kids_of(tokens), keys));
                let (id, access) = m.verify_issued(tokens, *offset)?;
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

/// Takes a step's outcome after `steps` requests: the next request sent, the tokens to verify, or the
/// caller's answer (a step that needs the user, or the end).
fn take_progress(
    progress: Progress,
    state: &mut SignIn,
    steps: usize,
    io: &mut Io,
    m: &mut Machine,
) -> Option<Poll<Result<Reply>>> {
    let output = match progress {
        Progress::Send(request, next) => {
            if steps >= MAX_FLOW_STEPS {
                return Some(Poll::Ready(Err(Error::protocol(
                    "sign-in did not finish within 8 requests",
                ))));
            }
            *state = send_flow(request, next, steps.saturating_add(1), io, m);
            return None;
        }
        Progress::SignedIn(tokens) => {
            let offset = m.clock_offset_of(&tokens.id_token);
            *state = SignIn::Verifying {
                tokens,
                offset,
                keys: None,
            };
            return None;
        }
        Progress::NeedsInput(output, next) => {
            m.pending_sign_in = Some(next);
            output
        }
        Progress::Stopped(output) => {
            m.pending_sign_in = None;
            output
        }
    };
    Some(Poll::Ready(Ok(Reply::SignIn(output))))
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
    m.auto_sign_in = None;
    m.sign_in_metadata = credentials.client_metadata;
    let (request, state) = sign_in::start(
        &m.config,
        credentials.flow.unwrap_or(m.config.auth_flow()),
        &credentials.username,
        credentials.password,
        &credentials.srp_secret.0,
        m.sign_in_metadata.as_ref(),
        credentials.preferred_challenge.as_deref(),
    )?;
    Ok(send_flow(request, state, 1, io, m))
}

fn send_flow(
    request: HttpRequest,
    state: ExpectResponse,
    steps: usize,
    io: &mut Io,
    m: &mut Machine,
) -> SignIn {
    io.send(m, request);
    if m.keys.is_cold(m.now) && !m.keys.is_fetching() && m.keys.may_fetch(m.now) {
        m.start_key_fetch();
    }
    SignIn::Flow {
        state: Some(state),
        steps,
    }
}
