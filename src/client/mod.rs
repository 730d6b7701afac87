//! The auth client as one pure machine, and the small async driver that performs its actions.
//!
//! [`Machine`] is the whole client: the user's calls, HTTP answers and `now` go in; actions come out (send
//! this request, emit this event, resolve call N). Storage is synchronous wherever the client runs (Web
//! Storage, or a caller's synchronous store), so the machine reads and writes it through the [`Store`] handed
//! in with each input, as it hands in the time. Every policy is a plain function of the machine's state:
//! when to refresh, one refresh for every caller, adopting another tab's session, the key store and its
//! refetch interval, the clock offset, and what ends a session. They are tested natively without a platform.
//!
//! [`Client`] drives a machine over a [`Platform`] (fetch, storage, clock, randomness): natively in tests and
//! in the browser shell alike. It is the only `async` code: one future type, whatever the call.
//!
//! Guarantees:
//! * **Every token is verified** (RS256 against the pool's JWKS, issuer, client, `token_use`, expiry)
//!   before it is stored or handed out. Tokens read back from storage are verified again; there expiry
//!   is left to the refresh policy (an expired stored session is refreshed before any token leaves).
//! * **One refresh at a time**: concurrent callers share one refresh, and concurrent key needs one fetch.
//! * **Sessions end only for a reason**: tokens are cleared on [`Error::is_definite_auth_failure`]
//!   (e.g. `NotAuthorizedException` for a revoked refresh token), never on network errors, 5xx or
//!   throttling. Corrupted, foreign or other-client storage reads as "signed out".
//! * **JWKS**: fetched from the configured URL only, alongside a sign-in's first request when none is at
//!   hand, stored under `{prefix}jwks` once it has verified a token, refetched on an unknown `kid` at most
//!   once per [`MIN_REFETCH_INTERVAL_SECS`](crate::jwt::MIN_REFETCH_INTERVAL_SECS); without a usable key set
//!   nothing verifies (fail closed).

/// `ready!` for a `Poll<Result<T>>`: returns pending and errors, gives the value.
macro_rules! wait {
    ($poll:expr) => {
        match $poll {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Ready(Ok(value)) => value,
        }
    };
}

#[cfg(feature = "flows")]
mod amplify_session;
mod api;
#[cfg(feature = "flows")]
mod authed;
mod calls;
#[cfg(feature = "flows")]
mod devices;
mod driver;
pub mod fetch_policy;
#[cfg(feature = "flows")]
mod flow_input;
pub mod input;
mod keys;
mod load;
mod machine;
mod ops;
#[cfg(feature = "flows")]
mod redirect;
mod refresh;
mod session_state;
#[cfg(feature = "flows")]
mod sign_in;
#[cfg(feature = "flows")]
mod sign_in_secrets;
mod sign_out;
#[cfg(feature = "flows")]
mod sign_up;
mod tokens;

pub use driver::{Client, ListenerId, Platform};
pub use fetch_policy::FETCH_401_REFRESH_SECS;
pub use keys::{
    parse_jwks_response, KeyStore, RequestId, TokenSource, JWKS_TTL_SECS, MAX_JWKS_RESPONSE_BYTES,
};
pub use machine::{Action, CallId, Machine, Store};
pub use ops::{Op, Reply};
#[cfg(feature = "flows")]
pub use {sign_in_secrets::SignInSecrets, sign_up::AutoSignInOptions};

/// Most requests one sign-in step may chain before the client gives up on a looping server.
pub const MAX_FLOW_STEPS: usize = 8;

/// After a refresh fails for a passing reason (offline, 5xx, throttling), the refreshes asked for within this
/// many seconds fail at once with the same error, with no request and no event: a listener that reads the
/// user on every event (as `cognito-wasm/react` does) must not spin refreshes while offline, nor hammer a
/// throttled pool.
pub const REFRESH_RETRY_SECS: i64 = 5;

/// A change of the signed-in state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthEvent {
    /// A user signed in (or another tab's sign-in was picked up).
    SignedIn,
    /// The user signed out, was deleted, or the session ended (refresh token rejected).
    SignedOut,
    /// Tokens were refreshed.
    TokenRefresh,
    /// A refresh failed (the session is kept unless the failure was definite).
    TokenRefreshFailure,
}

impl AuthEvent {
    /// The JavaScript name: `signedIn`, `signedOut`, `tokenRefresh`, `tokenRefresh_failure`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "signedIn",
            AuthEvent::SignedOut => "signedOut",
            AuthEvent::TokenRefresh => "tokenRefresh",
            AuthEvent::TokenRefreshFailure => "tokenRefresh_failure",
        }
    }
}
