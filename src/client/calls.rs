//! Each call as a small state machine over the machine's shared state: it goes as far as it can whenever it
//! is polled, and waits on an answer to its own request, the load, the shared refresh or the key set.

use core::task::Poll;

use super::fetch_policy::{self, After401};
use super::keys::RequestId;
use super::machine::{CallId, Machine, Store};
use super::ops::{Op, Reply};
use super::sign_out::{poll_sign_out, SignOut};
use super::tokens::{poll_current_user, poll_fetch_token, poll_token, TokenWait};
use super::AuthEvent;
use crate::cognito::{HttpRequest, HttpResponse};
use crate::error::Result;
use crate::jwt::TokenUse;
use crate::session::Session;
// What only the flows (the `flows` feature) use.
#[cfg(feature = "flows")]
use {
    super::authed::poll_authed,
    super::keys::{KeyStore, TokenSource},
    super::redirect::{poll_redirect, Redirect},
    super::sign_in::{poll_sign_in, Credentials, SignIn},
    super::sign_up::{self, SignUpCall},
    crate::cognito,
    crate::flow::account,
    crate::flow::user::UserCall,
    crate::jwt,
    core::task::ready,
};

/// A call's own request: the one it waits for, and its answer once in.
#[derive(Default)]
pub(crate) struct Io {
    pub(crate) awaiting: Option<RequestId>,
    pub(crate) inbox: Option<Result<HttpResponse>>,
}

impl Io {
    pub(crate) fn send(&mut self, m: &mut Machine, request: HttpRequest) {
        self.awaiting = Some(m.send(request));
    }

    /// The answer, once in; `Err` when no HTTP answer came.
    pub(crate) fn answer(&mut self) -> Poll<Result<HttpResponse>> {
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

pub(crate) enum Kind {
    /// One request; its answer read by the function.
    #[cfg(feature = "flows")]
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
    /// The access token for `auth.fetch`, its URL already allowed; after a 401, `rejected` is the token
    /// the 401 answered and `plan` what [`fetch_policy::after_401`] decided once the session was loaded.
    FetchToken {
        rejected: Option<String>,
        plan: Option<After401>,
        wait: TokenWait,
    },
    #[cfg(feature = "flows")]
    SignUp(SignUpCall),
    #[cfg(feature = "flows")]
    SignIn(SignIn),
    SignOut(Box<SignOut>),
    #[cfg(feature = "flows")]
    Authed {
        call: UserCall,
        token: TokenWait,
        sent: bool,
    },
    #[cfg(feature = "flows")]
    Verify {
        token: String,
        token_use: TokenUse,
        keys: Option<u64>,
    },
    #[cfg(feature = "flows")]
    Redirect(Redirect),
    Reload {
        before: Option<(String, String)>,
        load: Option<u64>,
    },
}

fn user_and_token(session: &Session) -> (String, String) {
    (
        session.user_id().to_owned(),
        session.access_token().as_str().to_owned(),
    )
}

impl Task {
    /// Begins call `call`: its first state, its request sent when it needs nothing else first; an error when
    /// the call is refused at once (a bad input).
    pub(crate) fn begin(call: CallId, op: Op, m: &mut Machine) -> Result<Self> {
        let mut io = Io::default();
        let kind = begin(op, &mut io, m)?;
        Ok(Task { call, io, kind })
    }

    /// Goes as far as it can; the outcome once the call is over.
    pub(crate) fn poll(&mut self, m: &mut Machine, store: &mut dyn Store) -> Option<Result<Reply>> {
        match self.step(m, store) {
            Poll::Ready(result) => Some(result),
            Poll::Pending => None,
        }
    }

    fn step(&mut self, m: &mut Machine, store: &mut dyn Store) -> Poll<Result<Reply>> {
        let io = &mut self.io;
        match &mut self.kind {
            #[cfg(feature = "flows")]
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
            Kind::FetchToken {
                rejected,
                plan,
                wait,
            } => poll_fetch_token(m, rejected.as_deref(), plan, wait, store),
            #[cfg(feature = "flows")]
            Kind::SignUp(call) => sign_up::poll_sign_up(call, io, m),
            #[cfg(feature = "flows")]
            Kind::SignIn(state) => poll_sign_in(state, io, m, store),
            Kind::SignOut(state) => poll_sign_out(state, io, m, store),
            #[cfg(feature = "flows")]
            Kind::Authed { call, token, sent } => poll_authed(call, token, sent, io, m, store),
            #[cfg(feature = "flows")]
            Kind::Verify {
                token,
                token_use,
                keys,
            } => {
                m.restore_keys(store);
                ready!(m.keys_ready(&[KeyStore::kid_of(token)], keys));
                let at = m.cognito_now();
                Poll::Ready(
                    m.verify(token, TokenSource::Elsewhere, *token_use, at)
                        .map(|t| Reply::Verified(Box::new(t))),
                )
            }
            #[cfg(feature = "flows")]
            Kind::Redirect(state) => poll_redirect(state, io, m, store),
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
#[cfg_attr(not(feature = "flows"), allow(unused_variables))]
fn begin(op: Op, io: &mut Io, m: &mut Machine) -> Result<Kind> {
    let config = &m.config;
    #[cfg(feature = "flows")]
    let simple = |io: &mut Io,
                  m: &mut Machine,
                  request: HttpRequest,
                  read: fn(&HttpResponse) -> Result<Reply>| {
        io.send(m, request);
        Ok(Kind::Simple(read))
    };
    match op {
        #[cfg(feature = "flows")]
        Op::SignUp {
            input,
            auto_sign_in,
        } => sign_up::begin_sign_up(input, auto_sign_in, io, m),
        #[cfg(feature = "flows")]
        Op::ConfirmSignUp {
            username,
            code,
            force_alias_creation,
            client_metadata,
        } => sign_up::begin_confirm_sign_up(
            username,
            &code,
            force_alias_creation,
            client_metadata.as_ref(),
            io,
            m,
        ),
        #[cfg(feature = "flows")]
        Op::AutoSignIn { secrets } => sign_up::begin_auto_sign_in(secrets, m),
        #[cfg(feature = "flows")]
        Op::ResendSignUpCode {
            username,
            client_metadata,
        } => {
            let request =
                account::resend_sign_up_code_request(config, &username, client_metadata.as_ref())?;
            simple(io, m, request, |r| {
                account::code_delivery_output(r).map(Reply::CodeDelivery)
            })
        }
        #[cfg(feature = "flows")]
        Op::ResetPassword {
            username,
            client_metadata,
        } => {
            let request =
                account::reset_password_request(config, &username, client_metadata.as_ref())?;
            simple(io, m, request, |r| {
                account::reset_password_output(r).map(Reply::ResetPassword)
            })
        }
        #[cfg(feature = "flows")]
        Op::ConfirmResetPassword {
            username,
            code,
            new_password,
            client_metadata,
        } => {
            let request = account::confirm_reset_password_request(
                config,
                &username,
                &code,
                &new_password,
                client_metadata.as_ref(),
            )?;
            simple(io, m, request, |r| {
                cognito::parse_empty_response(r).map(|()| Reply::Unit)
            })
        }
        #[cfg(feature = "flows")]
        Op::SignIn {
            username,
            password,
            flow,
            client_metadata,
            preferred_challenge,
            secrets,
        } => Ok(Kind::SignIn(SignIn::Load(
            Some(Credentials {
                username,
                password,
                flow,
                client_metadata,
                preferred_challenge,
                secrets,
            }),
            None,
        ))),
        #[cfg(feature = "flows")]
        Op::ConfirmSignIn { input, secrets } => {
            Ok(Kind::SignIn(SignIn::Answer(input, Some(secrets))))
        }
        Op::SignOut { global } => Ok(Kind::SignOut(Box::new(SignOut::new(global)))),
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
        Op::FetchToken {
            url,
            page_origin,
            rejected,
        } => {
            fetch_policy::check_fetch_url(&url, page_origin.as_deref(), config.api_origins())?;
            Ok(Kind::FetchToken {
                rejected,
                plan: None,
                wait: TokenWait::default(),
            })
        }
        #[cfg(feature = "flows")]
        Op::User(call) => Ok(Kind::Authed {
            call,
            token: TokenWait::default(),
            sent: false,
        }),
        #[cfg(feature = "flows")]
        Op::VerifyToken { token, token_use } => {
            jwt::decode_unverified(&token)?;
            Ok(Kind::Verify {
                token,
                token_use,
                keys: None,
            })
        }
        #[cfg(feature = "flows")]
        Op::SignInWithRedirect {
            input,
            page_url,
            secrets,
        } => Ok(Kind::Redirect(Redirect::Start {
            input,
            page_url,
            secrets,
            load: None,
        })),
        #[cfg(feature = "flows")]
        Op::CompleteSignInWithRedirect { url } => {
            Ok(Kind::Redirect(Redirect::Callback { url, load: None }))
        }
        Op::Reload => {
            let before = m.session.as_ref().map(user_and_token);
            m.unload();
            Ok(Kind::Reload { before, load: None })
        }
    }
}
