//! A sign-in call: the stored session loaded (an expired one refreshed first), the flow's requests, then the
//! tokens verified and installed. `confirmSignIn` enters at the pending step.

use core::task::{ready, Poll};

use super::calls::Io;
use super::devices;
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::sign_in_secrets::SignInSecrets;
use super::MAX_FLOW_STEPS;
use crate::cognito::{self, AuthenticationResult, HttpRequest, NewDeviceMetadata};
use crate::config::AuthFlow;
use crate::device::RememberedDevice;
use crate::error::{Error, Result, UsageCode};
use crate::flow::sign_in::{self, ConfirmSignInInput, ExpectResponse, Progress, Step};
use crate::flow::user::UserCall;
use crate::flow::SignInOutput;
use crate::json::Object;
use crate::secret::Password;
use crate::session::Session;
use crate::srp;

pub(crate) struct Credentials {
    pub(crate) username: String,
    pub(crate) password: Password,
    pub(crate) flow: Option<AuthFlow>,
    pub(crate) client_metadata: Option<Object>,
    pub(crate) preferred_challenge: Option<String>,
    pub(crate) secrets: SignInSecrets,
}

/// What one sign-in call carries through its requests.
pub(crate) struct Run {
    secrets: SignInSecrets,
    /// The user whose stored device the sign-in named (by the name it is stored under).
    device_user: Option<String>,
    /// What starts the sign-in over, once, if Cognito has forgotten the device it named (as both SDKs do);
    /// only a call that began with the password has it.
    retry: Option<Retry>,
}

/// What a sign-in starts over with.
struct Retry {
    username: String,
    password: Password,
    flow: Option<AuthFlow>,
    preferred_challenge: Option<String>,
}

pub(crate) enum SignIn {
    Load(Option<Credentials>, Option<u64>),
    /// An expired session is refreshed first: a dead one (refresh token revoked) must not block a new sign-in.
    Refresh(Option<Credentials>, Option<u64>),
    Answer(ConfirmSignInInput, Option<SignInSecrets>),
    Flow {
        state: Option<ExpectResponse>,
        steps: usize,
        run: Box<Run>,
    },
    Verifying {
        tokens: Box<AuthenticationResult>,
        offset: i64,
        keys: Option<u64>,
        /// The remembered device the sign-in proved or named.
        device: Option<NewDeviceMetadata>,
        run: Box<Run>,
    },
    /// `ConfirmDevice` for the new device Cognito named with the tokens; the session waits for its answer.
    ConfirmingDevice {
        session: Box<Session>,
        device: Box<RememberedDevice>,
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
                    *state = wait!(Poll::Ready(start_sign_in(credentials, io, m, store)));
                }
            }
            SignIn::Refresh(credentials, refresh) => {
                let _ = ready!(m.need_refresh(refresh, store));
                let credentials = credentials.take();
                *state = wait!(Poll::Ready(start_sign_in(credentials, io, m, store)));
            }
            SignIn::Answer(input, secrets) => {
                let pending = m.pending_sign_in.clone().ok_or_else(|| {
                    Error::usage(
                        UsageCode::NoSignInInProgress,
                        "no sign-in step is waiting for confirmSignIn",
                    )
                })?;
                let progress = pending.answer(&m.config, input)?;
                m.sign_in_metadata = input.client_metadata.take();
                let run = Box::new(Run {
                    secrets: secrets.take().unwrap_or_else(SignInSecrets::zeroed),
                    device_user: m.pending_device_user.clone(),
                    retry: None,
                });
                if let Some(done) = take_progress(progress, pending.device(), state, 0, run, io, m)
                {
                    return done;
                }
            }
            SignIn::Flow {
                state: flow,
                steps,
                run,
            } => {
                let response = wait!(io.answer());
                let Some(flow_state) = flow.take() else {
                    return Poll::Ready(Err(Error::protocol("sign-in answered twice")));
                };
                let steps = *steps;
                let named = flow_state.device().cloned();
                // Started over only before the device's own SRP: its `a` must not serve a second exchange.
                if matches!(flow_state, ExpectResponse::DevicePasswordVerifier(_)) {
                    run.retry = None;
                }
                // A `Cell`, not a `RefCell`: no borrow panic (and its formatting) in the wasm.
                let looked_up = core::cell::Cell::new(None);
                let device_of = |user: &str| {
                    let device = devices::stored(&m.config, &*store, user)?;
                    looked_up.set(Some(user.to_owned()));
                    Some(device)
                };
                let step = Step {
                    now_unix: m.srp_now(),
                    client_metadata: m.sign_in_metadata.as_ref(),
                    device_of: &device_of,
                    device_srp_a: Some(run.secrets.device_srp_a()),
                };
                let progress = flow_state.handle_step(&m.config, &response, &step);
                if let Some(user) = looked_up.into_inner() {
                    run.device_user = Some(user);
                }
                let progress = match progress {
                    Err(e) if sign_in::is_unknown_device(&e) && named.is_some() => {
                        *state = wait!(Poll::Ready(forget_and_retry(
                            e,
                            named.as_ref(),
                            run,
                            io,
                            m,
                            store
                        )));
                        continue;
                    }
                    progress => progress?,
                };
                let run = core::mem::replace(run, Box::new(Run::spent()));
                if let Some(done) =
                    take_progress(progress, named.as_ref(), state, steps, run, io, m)
                {
                    return done;
                }
            }
            SignIn::Verifying {
                tokens,
                offset,
                keys,
                device,
                run,
            } => {
                ready!(m.keys_ready(&Machine::kids_of(tokens), keys));
                let (id, access) = m.verify_issued(tokens, *offset)?;
                let session = Session::new(id, access, tokens.refresh_token.clone(), None)?
                    .with_clock_offset(*offset);
                match &tokens.new_device_metadata {
                    Some(new_device) => match confirm_device(new_device, &session, &run.secrets, m)
                    {
                        Some((request, remembered)) => {
                            io.send(m, request);
                            *state = SignIn::ConfirmingDevice {
                                session: Box::new(session),
                                device: Box::new(remembered),
                            };
                        }
                        None => return Poll::Ready(signed_in(session, m, store)),
                    },
                    None => {
                        let session = session.with_device(device.take());
                        return Poll::Ready(signed_in(session, m, store));
                    }
                }
            }
            SignIn::ConfirmingDevice { session, device } => {
                let answer = ready!(io.answer());
                let session = (**session).clone();
                // A device that could not be confirmed is not remembered, and the sign-in stands (as Amplify).
                let confirmed = answer.and_then(|r| cognito::parse_response(&r)).is_ok();
                let session = if confirmed {
                    devices::keep(&m.config, store, session.username(), device);
                    session.with_device(Some(device.metadata.clone()))
                } else {
                    session
                };
                return Poll::Ready(signed_in(session, m, store));
            }
        }
    }
}

impl Run {
    /// What is left of a run once its state has moved on (never read: every state that goes on has its own).
    fn spent() -> Self {
        Run {
            secrets: SignInSecrets::zeroed(),
            device_user: None,
            retry: None,
        }
    }
}

fn signed_in(session: Session, m: &mut Machine, store: &mut dyn Store) -> Result<Reply> {
    m.install_session(session, store)?;
    Ok(Reply::SignIn(SignInOutput::done()))
}

/// `ConfirmDevice` for `new_device`, with a verifier of a fresh random password, and the device as it is
/// kept once confirmed; `None` when no verifier can be made (it cannot, short of a broken random source).
fn confirm_device(
    new_device: &NewDeviceMetadata,
    session: &Session,
    secrets: &SignInSecrets,
    m: &Machine,
) -> Option<(HttpRequest, RememberedDevice)> {
    let verifier = srp::device_verifier(
        &new_device.device_group_key,
        &new_device.device_key,
        secrets.device_password(),
        secrets.device_salt(),
    )
    .ok()?;
    let request =
        UserCall::confirm_device(&new_device.device_key, &verifier, m.config.device_name())
            .request(&m.config, session.access_token().as_str());
    Some((
        request,
        RememberedDevice {
            metadata: new_device.clone(),
            password: verifier.device_password,
        },
    ))
}

/// Cognito does not know the device the sign-in named: it is forgotten here, and a call that began with the
/// password starts over without it, once; otherwise the error stands.
fn forget_and_retry(
    error: Error,
    named: Option<&RememberedDevice>,
    run: &mut Run,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Result<SignIn> {
    if let (Some(user), Some(device)) = (&run.device_user, named) {
        devices::forget(&m.config, store, user, device.key());
    }
    let Some(retry) = run.retry.take() else {
        return Err(error);
    };
    let secrets = core::mem::replace(&mut run.secrets, SignInSecrets::zeroed()).for_retry();
    let credentials = Credentials {
        username: retry.username,
        password: retry.password,
        flow: retry.flow,
        client_metadata: m.sign_in_metadata.take(),
        preferred_challenge: retry.preferred_challenge,
        secrets,
    };
    let mut state = start_sign_in(Some(credentials), io, m, store)?;
    // Once: the new attempt does not start over again.
    if let SignIn::Flow { run, .. } = &mut state {
        run.retry = None;
    }
    Ok(state)
}

/// Takes a step's outcome after `steps` requests: the next request sent, the tokens to verify, or the
/// caller's answer (a step that needs the user, or the end). `named` is the device the answered request named.
fn take_progress(
    progress: Progress,
    named: Option<&RememberedDevice>,
    state: &mut SignIn,
    steps: usize,
    run: Box<Run>,
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
            *state = send_flow(request, next, steps.saturating_add(1), run, io, m);
            return None;
        }
        Progress::SignedIn(tokens) => {
            let offset = m.clock_offset_of(&tokens.id_token);
            *state = SignIn::Verifying {
                tokens,
                offset,
                keys: None,
                device: named.map(|d| d.metadata.clone()),
                run,
            };
            return None;
        }
        Progress::NeedsInput(output, next) => {
            m.pending_sign_in = Some(next);
            m.pending_device_user = run.device_user;
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
/// verifying the tokens adds no round trip. A password sign-in names the typed user's remembered device at
/// once; SRP names `USER_ID_FOR_SRP`'s when it answers `PASSWORD_VERIFIER`.
fn start_sign_in(
    credentials: Option<Credentials>,
    io: &mut Io,
    m: &mut Machine,
    store: &mut dyn Store,
) -> Result<SignIn> {
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
    let flow = credentials.flow.unwrap_or(m.config.auth_flow());
    let device = if sign_in::names_device_at_start(flow) {
        devices::stored(&m.config, &*store, &credentials.username)
    } else {
        None
    };
    let device_user = device.as_ref().map(|_| credentials.username.clone());
    let (request, state) = sign_in::start_on_device(
        &m.config,
        flow,
        &credentials.username,
        credentials.password.clone(),
        credentials.secrets.srp_a(),
        m.sign_in_metadata.as_ref(),
        credentials.preferred_challenge.as_deref(),
        device,
    )?;
    let run = Box::new(Run {
        secrets: credentials.secrets,
        device_user,
        retry: Some(Retry {
            username: credentials.username,
            password: credentials.password,
            flow: credentials.flow,
            preferred_challenge: credentials.preferred_challenge,
        }),
    });
    Ok(send_flow(request, state, 1, run, io, m))
}

fn send_flow(
    request: HttpRequest,
    state: ExpectResponse,
    steps: usize,
    run: Box<Run>,
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
        run,
    }
}
