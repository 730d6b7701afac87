//! A sign-out call.

use core::task::{ready, Poll};

use super::calls::Io;
use super::machine::{Machine, Store};
use super::ops::Reply;
#[cfg(feature = "flows")]
use super::tokens::{poll_token, TokenWait};
use super::AuthEvent;
#[cfg(feature = "flows")]
use crate::cognito;
use crate::cognito::HttpRequest;
use crate::error::Result;
#[cfg(feature = "flows")]
use crate::error::{Error, UsageCode};
use crate::flow::account;
#[cfg(feature = "flows")]
use crate::jwt::TokenUse;

pub(crate) struct SignOut {
    /// The session core signs out here only: the JS entry sends a global sign-out to the flows module.
    #[cfg(feature = "flows")]
    global: bool,
    phase: SignOutPhase,
    result: Result<()>,
    had_session: bool,
    generation: u64,
    revoke: Option<HttpRequest>,
    /// Managed login's `/logout`, for the browser to go to once the session is cleared here.
    sign_out_url: Option<String>,
}

enum SignOutPhase {
    Load(Option<u64>),
    #[cfg(feature = "flows")]
    Token(TokenWait),
    #[cfg(feature = "flows")]
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
                #[cfg(feature = "flows")]
                if s.global {
                    s.phase = SignOutPhase::Token(TokenWait::default());
                    continue;
                }
                clear_for_sign_out(s, m, store);
            }
            #[cfg(feature = "flows")]
            SignOutPhase::Token(wait) => {
                let access = ready!(poll_token(m, wait, TokenUse::Access, false, store));
                clear_for_sign_out(s, m, store);
                match access {
                    Ok(access) => {
                        io.send(m, account::global_sign_out_request(&m.config, &access));
                        s.phase = SignOutPhase::GlobalSent;
                    }
                    // Nobody to sign out everywhere: the local sign-out is all there is.
                    Err(Error::Usage {
                        code: UsageCode::NotSignedIn,
                        ..
                    }) => {}
                    Err(e) => s.result = Err(e),
                }
            }
            #[cfg(feature = "flows")]
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
    Poll::Ready(s.result.clone().map(|()| match s.sign_out_url.take() {
        Some(url) => Reply::Url(url),
        None => Reply::Unit,
    }))
}

/// Ends the local session, keeping its refresh token's revocation to send.
fn clear_for_sign_out(s: &mut SignOut, m: &mut Machine, store: &mut dyn Store) {
    let session = m.session.clone();
    s.had_session = m.clear_session(store);
    s.generation = m.generation;
    s.sign_out_url = session
        .as_ref()
        .and_then(|session| session.sign_out_url().map(str::to_owned));
    s.revoke = session.and_then(|session| {
        session.access_token().origin_jti()?;
        let refresh = session.refresh_token()?;
        Some(account::revoke_token_request(&m.config, refresh))
    });
    s.phase = SignOutPhase::Revoke;
}

impl SignOut {
    #[cfg_attr(not(feature = "flows"), allow(unused_variables))]
    pub(crate) fn new(global: bool) -> Self {
        SignOut {
            #[cfg(feature = "flows")]
            global,
            phase: SignOutPhase::Load(None),
            result: Ok(()),
            had_session: false,
            generation: 0,
            revoke: None,
            sign_out_url: None,
        }
    }
}
