//! The session's shared operations: loading it from storage, one refresh for every caller, adopting another
//! tab's tokens, the key set's readiness, and installing or ending a session. Each is a plain function of the
//! machine's state; calls wait on them by remembering how many had ended when they began to wait.

use core::task::Poll;

use super::keys::{KeyStore, RequestId};
use super::machine::{Machine, Store};
use super::{AuthEvent, REFRESH_RETRY_SECS};
use crate::cognito::{AuthenticationResult, HttpResponse};
use crate::error::{Error, Result, UsageCode};
use crate::flow::account;
use crate::jwt::{self, TokenUse, VerifiedToken};
use crate::session::{self, Session, StoredSession, StoredSessionError};

/// An operation several calls may wait for: how many have ended, and how the last one ended.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) done: u64,
    pub(crate) last: Result<()>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            done: 0,
            last: Ok(()),
        }
    }
}

impl Shared {
    fn finish(&mut self, result: Result<()>) {
        self.done = self.done.wrapping_add(1);
        self.last = result;
    }

    /// For a waiter that began waiting when `seen` had ended: the outcome once another has ended.
    fn outcome(&self, wait: &mut Option<u64>) -> Option<Result<()>> {
        let seen = (*wait)?;
        if self.done == seen {
            return None;
        }
        *wait = None;
        Some(self.last.clone())
    }
}

/// Where the stored session is.
pub(crate) enum Load {
    /// Not read yet (or read again after another tab changed it).
    Unloaded,
    /// Read; its tokens wait for the key set.
    Verifying {
        stored: Box<StoredSession>,
        keys: Option<u64>,
    },
    /// In memory (`Machine::session`, `None` when signed out).
    Loaded,
}

/// Where the shared refresh is.
pub(crate) enum Refresh {
    Idle,
    Sending {
        id: RequestId,
        generation: u64,
    },
    Verifying {
        tokens: Box<AuthenticationResult>,
        offset: i64,
        generation: u64,
        keys: Option<u64>,
    },
}

pub(crate) fn not_signed_in() -> Error {
    Error::usage(UsageCode::NotSignedIn, "no user is signed in")
}

impl Machine {
    fn changed(&mut self) {
        self.changes = self.changes.wrapping_add(1);
    }

    /// Cognito's time as `session` knows it: the device clock corrected by the session's offset.
    pub(crate) fn session_now(&self, session: &Session) -> i64 {
        self.now.saturating_add(session.clock_offset_secs())
    }

    /// Cognito's time as the current session knows it, or the device's when nobody is signed in.
    pub(crate) fn cognito_now(&self) -> i64 {
        match &self.session {
            Some(session) => self.session_now(session),
            None => self.now,
        }
    }

    /// Cognito's clock minus the device's, from the `iat` of an id token that has just come from Cognito (as
    /// Amplify does). Nothing is trusted yet: the tokens are verified at that time and the offset is kept only
    /// with them. An offset beyond [`session::MAX_CLOCK_OFFSET_SECS`] is not believed (0).
    pub(crate) fn clock_offset_of(&self, fresh_id_token: &str) -> i64 {
        jwt::decode_unverified(fresh_id_token)
            .ok()
            .and_then(|token| token.claims().get_i64("iat"))
            .map(|iat| iat.saturating_sub(self.now))
            .filter(|offset| offset.abs() <= session::MAX_CLOCK_OFFSET_SECS)
            .unwrap_or(0)
    }

    // ----- keys -----

    /// Reads the key set earlier pages stored, once.
    pub(crate) fn restore_keys(&mut self, store: &dyn Store) {
        if !self.keys_restored {
            self.keys_restored = true;
            if let Ok(Some(text)) = store.get(&self.config.jwks_storage_key()) {
                self.keys.restore(&text);
            }
        }
    }

    /// Ready once the key set can verify tokens signed with `kids`: at once when it has them, else after one
    /// fetch (whatever its outcome: verification then says what is missing).
    pub(crate) fn keys_ready(&mut self, kids: &[String], wait: &mut Option<u64>) -> Poll<()> {
        if let Some(seen) = *wait {
            if self.keys.fetches_done() == seen {
                return Poll::Pending;
            }
            *wait = None;
            return Poll::Ready(());
        }
        if self
            .keys
            .needs_fetch(kids.iter().map(String::as_str), self.now)
        {
            *wait = Some(self.keys.fetches_done());
            if !self.keys.is_fetching() {
                self.start_key_fetch();
            }
            return Poll::Pending;
        }
        Poll::Ready(())
    }

    /// Verifies `token` at `at` (Cognito's Unix seconds) with the key set at hand.
    pub(crate) fn verify(
        &mut self,
        token: &str,
        token_use: TokenUse,
        at: i64,
    ) -> Result<VerifiedToken> {
        let expect = session::expectations(&self.config, token_use);
        self.keys.verify(token, &expect, at, self.now)
    }

    /// The session a stored document holds, its tokens verified at `id_at` and `access_at`.
    fn session_from_stored(
        &mut self,
        stored: &StoredSession,
        id_at: i64,
        access_at: i64,
    ) -> Result<Session> {
        let id = self.verify(&stored.id_token, TokenUse::Id, id_at)?;
        let access = self.verify(&stored.access_token, TokenUse::Access, access_at)?;
        Ok(Session::new(
            id,
            access,
            stored.refresh_token.clone(),
            stored.device.clone(),
        )?
        .with_clock_offset(stored.clock_offset_secs))
    }

    // ----- loading -----

    /// Ready once the stored session is in memory; an error when it could not be checked (no key set:
    /// offline), in which case the stored session is kept for the next call.
    pub(crate) fn need_loaded(
        &mut self,
        wait: &mut Option<u64>,
        store: &mut dyn Store,
    ) -> Poll<Result<()>> {
        if let Some(outcome) = self.loads.outcome(wait) {
            outcome?;
        }
        loop {
            match self.load {
                Load::Loaded => return Poll::Ready(Ok(())),
                Load::Verifying { .. } => {
                    *wait = Some(self.loads.done);
                    return Poll::Pending;
                }
                Load::Unloaded => {
                    let seen = self.loads.done;
                    self.start_load(store);
                    if self.loads.done != seen {
                        self.loads.last.clone()?;
                    } else if !matches!(self.load, Load::Loaded) {
                        *wait = Some(seen);
                        return Poll::Pending;
                    }
                }
            }
        }
    }

    fn finish_load(&mut self, session: Option<Session>) {
        self.session = session;
        self.load = Load::Loaded;
        self.loads.finish(Ok(()));
        self.changed();
    }

    fn forget_stored_session(&self, store: &mut dyn Store) {
        let _ = store.remove(&self.config.session_storage_key());
    }

    fn start_load(&mut self, store: &mut dyn Store) {
        self.restore_keys(store);
        let text = match store.get(&self.config.session_storage_key()) {
            Ok(Some(text)) => text,
            Ok(None) => return self.finish_load(None),
            Err(e) => {
                self.loads.finish(Err(e));
                return self.changed();
            }
        };
        let stored = match StoredSession::parse(&text, &self.config) {
            Ok(stored) => stored,
            // Another build's (or another client's) session: not ours to read, nor to delete.
            Err(StoredSessionError::NotOurs) => return self.finish_load(None),
            Err(StoredSessionError::Invalid) => {
                self.forget_stored_session(store);
                return self.finish_load(None);
            }
        };
        if jwt::decode_unverified(&stored.id_token).is_err()
            || jwt::decode_unverified(&stored.access_token).is_err()
        {
            self.forget_stored_session(store);
            return self.finish_load(None);
        }
        self.load = Load::Verifying {
            stored: Box::new(stored),
            keys: None,
        };
        self.changed();
        self.advance_load(store);
    }

    pub(crate) fn advance_load(&mut self, store: &mut dyn Store) {
        if !matches!(self.load, Load::Verifying { .. }) {
            return;
        }
        let Load::Verifying { stored, mut keys } =
            core::mem::replace(&mut self.load, Load::Unloaded)
        else {
            return;
        };
        let kids = [
            KeyStore::kid_of(&stored.id_token),
            KeyStore::kid_of(&stored.access_token),
        ];
        if self.keys_ready(&kids, &mut keys).is_pending() {
            self.load = Load::Verifying { stored, keys };
            return;
        }
        // Everything but the time is checked (at `now` brought within `[iat, exp - 1]`, `now` being Cognito's
        // time as the stored offset gives it): an expired session is still this user's, and is refreshed
        // before any token is handed out; and a device clock set back since the offset was learned must not
        // make the stored tokens look issued in the future, and the user signed out.
        let now = self.now.saturating_add(stored.clock_offset_secs);
        let at = |token: &str| {
            let Ok(token) = jwt::decode_unverified(token) else {
                return now;
            };
            let claims = token.claims();
            let at = claims
                .get_i64("exp")
                .map_or(now, |exp| now.min(exp.saturating_sub(1)));
            claims.get_i64("iat").map_or(at, |iat| at.max(iat))
        };
        let (id_at, access_at) = (at(&stored.id_token), at(&stored.access_token));
        match self.session_from_stored(&stored, id_at, access_at) {
            Ok(session) => self.finish_load(Some(session)),
            // The tokens themselves are bad: the document is not a session.
            Err(Error::Token(_) | Error::Protocol(_)) if self.keys_can_judge() => {
                self.forget_stored_session(store);
                self.finish_load(None);
            }
            // Without the pool's keys nothing can be judged: the stored session stays for the next call.
            Err(e) => {
                self.loads.finish(Err(e));
                self.changed();
            }
        }
    }

    /// Whether the key set at hand came from a fetch that worked, so that a token it rejects is bad.
    fn keys_can_judge(&self) -> bool {
        !self.keys.is_cold(self.now) && !self.keys.last_fetch_failed()
    }

    // ----- the shared refresh -----

    /// Ready when the refresh this call asked for (or one already under way) has ended.
    pub(crate) fn need_refresh(
        &mut self,
        wait: &mut Option<u64>,
        store: &mut dyn Store,
    ) -> Poll<Result<()>> {
        if wait.is_some() {
            return match self.refreshes.outcome(wait) {
                Some(outcome) => Poll::Ready(outcome),
                None => Poll::Pending,
            };
        }
        let seen = self.refreshes.done;
        if matches!(self.refresh, Refresh::Idle) {
            self.start_refresh(store);
        }
        if self.refreshes.done != seen {
            return Poll::Ready(self.refreshes.last.clone());
        }
        *wait = Some(seen);
        Poll::Pending
    }

    fn finish_refresh(&mut self, result: Result<()>) {
        self.refresh = Refresh::Idle;
        self.refreshes.finish(result);
        self.changed();
    }

    /// Tabs share storage: if another tab already refreshed (its tokens are in storage and still fresh), they
    /// are adopted instead of refreshing again.
    fn start_refresh(&mut self, store: &mut dyn Store) {
        if self.adopt_stored_session(store) {
            self.emit(AuthEvent::TokenRefresh);
            return self.finish_refresh(Ok(()));
        }
        if let Some((at, failed_generation, error)) = &self.refresh_failure {
            let since = self.now.saturating_sub(*at);
            if *failed_generation == self.generation && (0..REFRESH_RETRY_SECS).contains(&since) {
                let error = error.clone();
                return self.finish_refresh(Err(error));
            }
        }
        let Some(session) = &self.session else {
            return self.finish_refresh(Err(not_signed_in()));
        };
        let Some(refresh_token) = session.refresh_token() else {
            return self.finish_refresh(Err(Error::usage(
                UsageCode::NotSignedIn,
                "the session has no refresh token",
            )));
        };
        let request = account::refresh_request(
            &self.config,
            refresh_token,
            session.username(),
            // The device the tokens were issued to (`device_key` claim), else the one stored.
            session
                .access_token()
                .claims()
                .get_str("device_key")
                .or_else(|| session.device().map(|d| d.device_key.as_str())),
        );
        let generation = self.generation;
        let id = self.send(request);
        self.refresh = Refresh::Sending { id, generation };
        self.changed();
    }

    pub(crate) fn refresh_answered(
        &mut self,
        response: Result<HttpResponse>,
        store: &mut dyn Store,
    ) {
        let Refresh::Sending { generation, .. } = self.refresh else {
            return;
        };
        match response.and_then(|response| account::refresh_output(&response)) {
            Err(e) => self.complete_refresh(Err(e), generation, store),
            Ok(tokens) => {
                let offset = self.clock_offset_of(&tokens.id_token);
                self.refresh = Refresh::Verifying {
                    tokens: Box::new(tokens),
                    offset,
                    generation,
                    keys: None,
                };
                self.changed();
                self.advance_refresh(store);
            }
        }
    }

    pub(crate) fn advance_refresh(&mut self, store: &mut dyn Store) {
        if !matches!(self.refresh, Refresh::Verifying { .. }) {
            return;
        }
        let Refresh::Verifying {
            tokens,
            offset,
            generation,
            mut keys,
        } = core::mem::replace(&mut self.refresh, Refresh::Idle)
        else {
            return;
        };
        let kids = [
            KeyStore::kid_of(&tokens.id_token),
            KeyStore::kid_of(&tokens.access_token),
        ];
        if self.keys_ready(&kids, &mut keys).is_pending() {
            self.refresh = Refresh::Verifying {
                tokens,
                offset,
                generation,
                keys,
            };
            return;
        }
        let result = self.install_refreshed(&tokens, offset, generation, store);
        self.complete_refresh(result, generation, store);
    }

    fn install_refreshed(
        &mut self,
        tokens: &AuthenticationResult,
        offset: i64,
        generation: u64,
        store: &mut dyn Store,
    ) -> Result<()> {
        let now = self.now.saturating_add(offset);
        let id = self.verify(&tokens.id_token, TokenUse::Id, now)?;
        let access = self.verify(&tokens.access_token, TokenUse::Access, now)?;
        if self.generation != generation {
            return Err(not_signed_in());
        }
        let refreshed = self
            .session
            .as_ref()
            .ok_or_else(not_signed_in)?
            .refreshed(id, access, tokens.refresh_token.clone())?
            .with_clock_offset(offset);
        self.store_session(&refreshed, store)?;
        self.session = Some(refreshed);
        Ok(())
    }

    /// What a refresh's outcome does to the session: only a definite no from Cognito ends it, and not even
    /// that when another tab has meanwhile stored fresher tokens (it rotated the refresh token).
    fn complete_refresh(&mut self, result: Result<()>, generation: u64, store: &mut dyn Store) {
        if self.generation != generation {
            // Signed out or in again meanwhile: this refresh is moot, and says nothing about the new state.
            return self.finish_refresh(result);
        }
        self.refresh_failure = match &result {
            Err(e) if !e.is_definite_auth_failure() => Some((self.now, generation, e.clone())),
            _ => None,
        };
        let result = match result {
            Ok(()) => {
                self.emit(AuthEvent::TokenRefresh);
                Ok(())
            }
            Err(e) if e.is_definite_auth_failure() && self.adopt_stored_session(store) => {
                self.emit(AuthEvent::TokenRefresh);
                Ok(())
            }
            Err(e) => {
                self.emit(AuthEvent::TokenRefreshFailure);
                if e.is_definite_auth_failure() && self.clear_session(store) {
                    self.emit(AuthEvent::SignedOut);
                }
                Err(e)
            }
        };
        self.finish_refresh(result);
    }

    /// Takes over fresher tokens of the same user that another tab stored. Only with the key set at hand (no
    /// fetch here); the stored tokens are verified like any others, expiry included.
    fn adopt_stored_session(&mut self, store: &mut dyn Store) -> bool {
        let Ok(Some(text)) = store.get(&self.config.session_storage_key()) else {
            return false;
        };
        let Ok(stored) = StoredSession::parse(&text, &self.config) else {
            return false;
        };
        let Some(current) = &self.session else {
            return false;
        };
        if stored.access_token == current.access_token().as_str() {
            return false;
        }
        let user_id = current.user_id().to_owned();
        // In Cognito's time as the other tab learned it with these tokens.
        let now = self.now.saturating_add(stored.clock_offset_secs);
        match self.session_from_stored(&stored, now, now) {
            Ok(session)
                if session.user_id() == user_id
                    && !session.needs_refresh(now, self.config.clock_skew_secs()) =>
            {
                self.session = Some(session);
                self.changed();
                true
            }
            _ => false,
        }
    }

    // ----- installing and ending -----

    pub(crate) fn store_session(&self, session: &Session, store: &mut dyn Store) -> Result<()> {
        store.set(
            &self.config.session_storage_key(),
            &session.to_stored().to_json(&self.config),
        )
    }

    fn mark_loaded(&mut self) {
        if !matches!(self.load, Load::Loaded) {
            self.load = Load::Loaded;
            self.loads.finish(Ok(()));
        }
    }

    /// Replaces the session (sign-in): stored first, then in memory, then `signedIn`.
    pub(crate) fn install_session(
        &mut self,
        session: Session,
        store: &mut dyn Store,
    ) -> Result<()> {
        self.store_session(&session, store)?;
        self.session = Some(session);
        self.mark_loaded();
        self.pending_sign_in = None;
        self.generation = self.generation.wrapping_add(1);
        self.changed();
        self.emit(AuthEvent::SignedIn);
        Ok(())
    }

    /// Ends the local session; `true` if there was one.
    pub(crate) fn clear_session(&mut self, store: &mut dyn Store) -> bool {
        self.mark_loaded();
        self.pending_sign_in = None;
        self.generation = self.generation.wrapping_add(1);
        self.changed();
        self.forget_stored_session(store);
        self.session.take().is_some()
    }

    /// Forgets what is in memory so that the next [`Self::need_loaded`] reads storage again.
    pub(crate) fn unload(&mut self) {
        self.load = Load::Unloaded;
        self.generation = self.generation.wrapping_add(1);
        self.keys_restored = false;
        self.session = None;
        self.changed();
    }

    /// The current token of `token_use`; `None` when signed out, or expired and `must_be_unexpired`.
    pub(crate) fn token_of(&self, token_use: TokenUse, must_be_unexpired: bool) -> Option<String> {
        let session = self.session.as_ref()?;
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
}
