//! One refresh for every caller: started by the first call that needs it, shared by all that wait meanwhile;
//! another tab's fresher tokens in storage are adopted instead; only a definite no from Cognito ends a session.
//!
//! Across tabs, where the platform has a cross-tab lock (Web Locks), a refresh runs inside one lock per app
//! client: the tab that gets it reads storage first and adopts what a tab before it stored, so tabs whose
//! tokens expired together make one refresh request, and with refresh-token rotation none sends a token another
//! already spent. Where there is no such lock (Node, old browsers), calls in one page still share one refresh,
//! and a refresh rejected because another tab rotated the token adopts that tab's session.

use core::task::Poll;

use super::keys::RequestId;
use super::machine::{Machine, Store};
use super::session_state::not_signed_in;
use super::{AuthEvent, REFRESH_RETRY_SECS};
use crate::cognito::{AuthenticationResult, HttpResponse};
use crate::error::{Error, Result, UsageCode};
use crate::flow::account;
use crate::session::StoredSession;

/// Where the shared refresh is.
pub(crate) enum Refresh {
    Idle,
    /// Waiting for the cross-tab lock asked for as `id`, to replace the access token `stale`.
    Locking {
        id: RequestId,
        stale: Option<String>,
    },
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

impl Machine {
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
        if let Some(id) = self.refresh_lock.take() {
            self.release_lock(id);
        }
        self.refreshes.finish(result);
        self.changed();
    }

    /// Starts the shared refresh: inside the cross-tab lock where there is one.
    fn start_refresh(&mut self, store: &mut dyn Store) {
        if self.cross_tab_lock {
            let id = self.acquire_lock();
            let stale = self
                .session
                .as_ref()
                .map(|s| s.access_token().as_str().to_owned());
            self.refresh = Refresh::Locking { id, stale };
            self.changed();
        } else {
            self.refresh_now(store);
        }
    }

    /// The cross-tab lock asked for as `id` is held (or could not be had: `granted` false, and the refresh goes
    /// on without it, as where there is none).
    pub(crate) fn lock_granted_now(&mut self, id: RequestId, granted: bool, store: &mut dyn Store) {
        let stale = match &mut self.refresh {
            Refresh::Locking { id: asked, stale } if *asked == id => stale.take(),
            _ => {
                if granted {
                    self.release_lock(id);
                }
                return;
            }
        };
        self.refresh = Refresh::Idle;
        if granted {
            self.refresh_lock = Some(id);
        }
        // While this tab waited, the tab before it refreshed, and its tokens came in with the storage event:
        // they are what this refresh was for.
        let replaced = self.session.as_ref().is_some_and(|session| {
            stale.as_deref() != Some(session.access_token().as_str())
                && !session.is_expired(self.session_now(session))
        });
        if replaced {
            return self.finish_refresh(Ok(()));
        }
        self.refresh_now(store);
    }

    /// Tabs share storage: if another tab already refreshed (its tokens are in storage and still fresh), they
    /// are adopted instead of refreshing again.
    fn refresh_now(&mut self, store: &mut dyn Store) {
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
            // The device the session is bound to: the one its sign-in proved or confirmed. Not the access token's
            // `device_key`, which also names a new device that was never confirmed (and sending that key is
            // "Device does not exist.").
            session.device().map(|d| d.device_key.as_str()),
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
        if self
            .keys_ready(&Machine::kids_of(&tokens), &mut keys)
            .is_pending()
        {
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
        let (id, access) = self.verify_issued(tokens, offset)?;
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
        self.set_session(refreshed);
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
                self.set_session(session);
                self.changed();
                true
            }
            _ => false,
        }
    }
}
