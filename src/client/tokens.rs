//! The calls that give the session's tokens and user: each loads the stored session first and refreshes it when
//! due, sharing the one refresh under way.

use core::task::{ready, Poll};

use super::fetch_policy::{self, After401};
use super::machine::{Machine, Store};
use super::ops::Reply;
use super::refresh::Refresh;
use super::session_state::not_signed_in;
use crate::error::Result;
use crate::jwt::TokenUse;
use crate::session::Session;

/// Getting a fresh token: loaded, then refreshed when due.
#[derive(Default)]
pub(crate) struct TokenWait {
    load: Option<u64>,
    /// `Some` once a refresh is needed (with the refresh's wait inside).
    refresh: Option<Option<u64>>,
    generation: u64,
}

/// A token of the session, refreshed first when due (or when `force`).
pub(crate) fn poll_token(
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

/// `auth.fetch`'s token: the access token as `getAccessToken` gives it; after a 401, a token other than the
/// rejected one if there is one (or a refresh allowed by the 401 policy gives one), else `Unit`: no retry.
#[inline(never)]
pub(crate) fn poll_fetch_token(
    m: &mut Machine,
    rejected: Option<&str>,
    plan: &mut Option<After401>,
    wait: &mut TokenWait,
    store: &mut dyn Store,
) -> Poll<Result<Reply>> {
    let Some(rejected) = rejected else {
        return poll_token(m, wait, TokenUse::Access, false, store).map(|r| r.map(Reply::Token));
    };
    let decided = match *plan {
        Some(decided) => decided,
        None => {
            wait!(m.need_loaded(&mut wait.load, store));
            let current = m.token_of(TokenUse::Access, false);
            let decided = fetch_policy::after_401(
                current.as_deref() == Some(rejected),
                !matches!(m.refresh, Refresh::Idle),
                m.fetch_refresh_at,
                m.now,
            );
            if decided == After401::Refresh {
                m.fetch_refresh_at = Some(m.now);
            }
            *plan = Some(decided);
            decided
        }
    };
    let token = match decided {
        After401::GiveUp => return Poll::Ready(Ok(Reply::Unit)),
        After401::Retry => wait!(poll_token(m, wait, TokenUse::Access, false, store)),
        // Forced: a refresh under way is joined, else one is started.
        After401::Join | After401::Refresh => {
            wait!(poll_token(m, wait, TokenUse::Access, true, store))
        }
    };
    Poll::Ready(Ok(if token == rejected {
        Reply::Unit
    } else {
        Reply::Token(token)
    }))
}

/// The signed-in user, or none; an expired session is refreshed first (and is none if that was refused).
#[inline(never)]
pub(crate) fn poll_current_user(
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
