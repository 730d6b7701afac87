//! A sign-out call.

use core::task::{ready, Poll};

use super::calls::{poll_token, Io, TokenWait};
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::AuthEvent;
use crate::cognito::{self, HttpRequest};
use crate::error::{Error, Result, UsageCode};
use crate::flow::account;
use crate::jwt::TokenUse;

pub(crate) struct SignOut {
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

/// Signs out: the local session is cleared before any sign-out call (so it ends even if they fail), then with
/// `global` every session of the user ends (`GlobalSignOut`, with an expired access token refreshed first; a
/// failure is returned, after the local sign-out, because other devices then stay signed in), then the refresh
/// token is revoked when the pool supports revocation (`origin_jti` present; failures ignored). `signedOut`
/// fires at the end if a user was signed in and nobody signed in meanwhile.
#[inline(never)]
pub(crate) fn poll_sign_out(
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

impl SignOut {
    pub(crate) fn new(global: bool) -> Self {
        SignOut {
            global,
            phase: SignOutPhase::Load(None),
            result: Ok(()),
            had_session: false,
            generation: 0,
            revoke: None,
        }
    }
}
