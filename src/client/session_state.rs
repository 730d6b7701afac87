//! What the calls share besides the load (`load.rs`) and the refresh (`refresh.rs`): waiting on a shared
//! operation (by remembering how many had ended when the wait began), Cognito's time, the key set's readiness,
//! and installing or ending a session. Each is a plain function of the machine's state.

use core::task::Poll;

use super::keys::{KeyStore, TokenSource};
use super::load::Load;
use super::machine::{Machine, Store};
#[cfg(feature = "flows")]
use super::AuthEvent;
use crate::cognito::AuthenticationResult;
use crate::error::{Error, Result, UsageCode};
use crate::jwt::{self, TokenUse, VerifiedToken};
use crate::session::{self, Session, StoredSession};

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
    pub(crate) fn finish(&mut self, result: Result<()>) {
        self.done = self.done.wrapping_add(1);
        self.last = result;
    }

    /// For a waiter that began waiting when `seen` had ended: the outcome once another has ended.
    pub(crate) fn outcome(&self, wait: &mut Option<u64>) -> Option<Result<()>> {
        let seen = (*wait)?;
        if self.done == seen {
            return None;
        }
        *wait = None;
        Some(self.last.clone())
    }
}

pub(crate) fn not_signed_in() -> Error {
    Error::usage(UsageCode::NotSignedIn, "no user is signed in")
}

impl Machine {
    pub(crate) fn changed(&mut self) {
        self.changes = self.changes.wrapping_add(1);
    }

    /// Cognito's time as `session` knows it: the device clock corrected by the session's offset.
    pub(crate) fn session_now(&self, session: &Session) -> i64 {
        self.now.saturating_add(session.clock_offset_secs())
    }

    /// Puts `session` in memory, and keeps its clock offset: the best guess of Cognito's time after it has ended.
    pub(crate) fn set_session(&mut self, session: Session) {
        self.clock_offset = session.clock_offset_secs();
        self.session = Some(session);
    }

    /// Cognito's time as the last session learned it (the device's when none has): for SRP's `TIMESTAMP`, which
    /// Cognito refuses when it is more than a few minutes off.
    #[cfg(feature = "flows")]
    pub(crate) fn srp_now(&self) -> i64 {
        self.now.saturating_add(self.clock_offset)
    }

    /// Cognito's time as the current session knows it, or the device's when nobody is signed in.
    #[cfg(feature = "flows")]
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

    /// The `kid`s of the tokens Cognito has just issued.
    pub(crate) fn kids_of(tokens: &AuthenticationResult) -> [String; 2] {
        [
            KeyStore::kid_of(&tokens.id_token),
            KeyStore::kid_of(&tokens.access_token),
        ]
    }

    /// Ready once the key set can verify tokens signed with `kids`: at once when it has them, else after one
    /// fetch (the one under way, or one the refetch interval allows); verification then says what is missing.
    pub(crate) fn keys_ready(&mut self, kids: &[String], wait: &mut Option<u64>) -> Poll<()> {
        if let Some(seen) = *wait {
            if self.keys.fetches_done() == seen {
                return Poll::Pending;
            }
            *wait = None;
            return Poll::Ready(());
        }
        if kids.iter().all(|kid| self.keys.has_key(kid, self.now)) {
            return Poll::Ready(());
        }
        if !self.keys.is_fetching() {
            if !self
                .keys
                .needs_fetch(kids.iter().map(String::as_str), self.now)
            {
                return Poll::Ready(());
            }
            self.start_key_fetch();
        }
        *wait = Some(self.keys.fetches_done());
        Poll::Pending
    }

    /// Verifies `token` at `at` (Cognito's Unix seconds) with the key set at hand.
    pub(crate) fn verify(
        &mut self,
        token: &str,
        source: TokenSource,
        token_use: TokenUse,
        at: i64,
    ) -> Result<VerifiedToken> {
        let expect = session::expectations(&self.config, token_use);
        self.keys.verify(token, source, &expect, at, self.now)
    }

    /// The id and access tokens Cognito has just issued, verified in Cognito's time (`offset` from the device's).
    pub(crate) fn verify_issued(
        &mut self,
        tokens: &AuthenticationResult,
        offset: i64,
    ) -> Result<(VerifiedToken, VerifiedToken)> {
        let now = self.now.saturating_add(offset);
        let id = self.verify(&tokens.id_token, TokenSource::Cognito, TokenUse::Id, now)?;
        let access = self.verify(
            &tokens.access_token,
            TokenSource::Cognito,
            TokenUse::Access,
            now,
        )?;
        Ok((id, access))
    }

    /// The session a stored document holds, its tokens verified at `id_at` and `access_at`.
    pub(crate) fn session_from_stored(
        &mut self,
        stored: &StoredSession,
        id_at: i64,
        access_at: i64,
    ) -> Result<Session> {
        let id = self.verify(
            &stored.id_token,
            TokenSource::Elsewhere,
            TokenUse::Id,
            id_at,
        )?;
        let access = self.verify(
            &stored.access_token,
            TokenSource::Elsewhere,
            TokenUse::Access,
            access_at,
        )?;
        Ok(Session::new(
            id,
            access,
            stored.refresh_token.clone(),
            stored.device.clone(),
        )?
        .with_clock_offset(stored.clock_offset_secs)
        .with_sign_out_url(stored.sign_out_url.clone()))
    }

    // ----- installing and ending -----

    pub(crate) fn store_session(&self, session: &Session, store: &mut dyn Store) -> Result<()> {
        store.set(
            &self.config.session_storage_key(),
            &session.to_stored().to_json(&self.config),
        )
    }

    pub(crate) fn mark_loaded(&mut self) {
        if !matches!(self.load, Load::Loaded) {
            self.load = Load::Loaded;
            self.loads.finish(Ok(()));
        }
    }

    /// Replaces the session (sign-in): stored first, then in memory, then `signedIn`.
    #[cfg(feature = "flows")]
    pub(crate) fn install_session(
        &mut self,
        session: Session,
        store: &mut dyn Store,
    ) -> Result<()> {
        self.store_session(&session, store)?;
        self.set_session(session);
        self.mark_loaded();
        #[cfg(feature = "flows")]
        {
            self.pending_sign_in = None;
        }
        self.generation = self.generation.wrapping_add(1);
        self.changed();
        self.emit(AuthEvent::SignedIn);
        Ok(())
    }

    /// Ends the local session; `true` if there was one.
    pub(crate) fn clear_session(&mut self, store: &mut dyn Store) -> bool {
        self.mark_loaded();
        #[cfg(feature = "flows")]
        {
            self.pending_sign_in = None;
        }
        self.generation = self.generation.wrapping_add(1);
        self.changed();
        self.forget_stored_session(store);
        self.session.take().is_some()
    }

    /// Makes the next [`Self::need_loaded`] read storage again (another tab changed it).
    pub(crate) fn unload(&mut self) {
        // What is under way for the session in memory (a refresh) is moot; the session itself stays until the
        // new one is read, so that a refresh asked for meanwhile compares storage with it and finds another tab's
        // tokens there, rather than finding nobody signed in.
        self.load = Load::Unloaded;
        self.generation = self.generation.wrapping_add(1);
        self.keys_restored = false;
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
