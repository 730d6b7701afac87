//! Loading the stored session: read, parsed, its tokens verified once the key set is at hand. A document that
//! is not a session is removed; one that cannot be judged (no key set: offline) stays for the next call.

use core::task::Poll;

#[cfg(feature = "flows")]
use super::amplify_session;
use super::keys::KeyStore;
use super::machine::{Machine, Store};
use crate::error::{Error, Result};
use crate::jwt::{self, TokenError};
use crate::session::{Session, StoredSession, StoredSessionError};

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

impl Machine {
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
        self.session = None;
        if let Some(session) = session {
            self.set_session(session);
        }
        self.load = Load::Loaded;
        self.loads.finish(Ok(()));
        self.changed();
    }

    pub(crate) fn forget_stored_session(&self, store: &mut dyn Store) {
        let _ = store.remove(&self.config.session_storage_key());
    }

    fn start_load(&mut self, store: &mut dyn Store) {
        self.restore_keys(store);
        // With no session of ours, Amplify's session for this app client (if any) becomes ours. The session core
        // leaves that to the flows module, which the JS entry loads at once when Amplify's keys are there.
        let text = store.get(&self.config.session_storage_key());
        #[cfg(feature = "flows")]
        let text = text.and_then(|text| match text {
            Some(text) => Ok(Some(text)),
            None => amplify_session::take_over(&self.config, store),
        });
        let text = match text {
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
        self.advance_load();
    }

    pub(crate) fn advance_load(&mut self) {
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
            // Refused by a key set that has verified tokens before, or not a session: signed out here, but the
            // document stays. No key set is trusted to end a session (a hostile JWKS looks the same as forged
            // tokens); only an unreadable document is removed, and a sign-in or sign-out replaces it.
            Err(Error::Token(e))
                if !matches!(e, TokenError::KidNotFound { .. })
                    && !self.keys.last_fetch_failed()
                    && !self.keys.in_doubt() =>
            {
                self.finish_load(None)
            }
            Err(Error::Protocol(_)) if !self.keys.last_fetch_failed() => self.finish_load(None),
            // Without keys that can judge (offline, a fetch refused, a key not published yet, a fetched set that
            // has verified nothing and refused these): an error, and the stored session stays for the next call.
            Err(e) => {
                self.loads.finish(Err(e));
                self.changed();
            }
        }
    }
}
