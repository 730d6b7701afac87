//! The machine's frame: inputs in, actions out, and the loop that lets every waiting call go as far as it can.

use core::fmt;
use std::collections::VecDeque;

use super::calls::Task;
use super::keys::{KeyStore, RequestId, JWKS_TTL_SECS};
use super::load::Load;
use super::ops::{Op, Reply};
use super::refresh::Refresh;
use super::session_state::Shared;
#[cfg(feature = "flows")]
use super::sign_up::AutoSignIn;
use super::AuthEvent;
use crate::cognito::{HttpRequest, HttpResponse};
use crate::config::PoolConfig;
use crate::error::{Error, Result};
#[cfg(feature = "flows")]
use crate::flow::ExpectUserInput;
#[cfg(feature = "flows")]
use crate::json::Object;
use crate::session::Session;

/// Synchronous key-value storage (Web Storage, memory, or a caller's synchronous store).
pub trait Store {
    /// Reads a key.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Writes a key.
    fn set(&mut self, key: &str, value: &str) -> Result<()>;
    /// Removes a key.
    fn remove(&mut self, key: &str) -> Result<()>;
}

/// A call's number, to match its [`Action::Resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u64);

/// What the driver must do.
pub enum Action {
    /// Send `request`; hand its answer (or why none came) to [`Machine::response`] with `id`.
    Send {
        /// Which request.
        id: RequestId,
        /// What to send.
        request: HttpRequest,
    },
    /// Tell the listeners.
    Emit(AuthEvent),
    /// Ask for the cross-tab lock `name` (only with [`Machine::with_cross_tab_lock`]); tell
    /// [`Machine::lock_granted`] with `id` once it is held, or that it cannot be had.
    Lock {
        /// Which ask.
        id: RequestId,
        /// The lock's name: one per app client.
        name: String,
    },
    /// Release the lock held for `id`.
    Unlock {
        /// Which ask.
        id: RequestId,
    },
    /// Call `call` is over.
    Resolve {
        /// Which call.
        call: CallId,
        /// Its outcome.
        result: Result<Reply>,
    },
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Send { id, request } => write!(f, "Send({}, {:?})", id.0, request.target()),
            Action::Emit(event) => write!(f, "Emit({})", event.as_str()),
            Action::Lock { id, .. } => write!(f, "Lock({})", id.0),
            Action::Unlock { id } => write!(f, "Unlock({})", id.0),
            Action::Resolve { call, result } => {
                write!(
                    f,
                    "Resolve({}, {})",
                    call.0,
                    if result.is_ok() { "ok" } else { "err" }
                )
            }
        }
    }
}

/// Passes over the waiting calls after one input, at most: each pass that changes nothing ends the loop
/// sooner; the bound only guards against a bug that would keep "changing" forever.
const MAX_PASSES: usize = 64;

/// The whole client, without I/O. See the [module docs](super).
pub struct Machine {
    pub(super) config: PoolConfig,
    /// The device's clock at the last input, in Unix seconds.
    pub(super) now: i64,
    pub(super) session: Option<Session>,
    /// Cognito's clock minus the device's, as the last session learned it (kept after it ends).
    pub(super) clock_offset: i64,
    pub(super) load: Load,
    pub(super) loads: Shared,
    /// Bumped whenever the session is replaced by something other than its own refresh, so that a refresh
    /// that ends after a sign-out or a new sign-in neither resurrects nor overwrites anything.
    pub(super) generation: u64,
    #[cfg(feature = "flows")]
    pub(super) pending_sign_in: Option<ExpectUserInput>,
    /// The user whose stored device the pending sign-in named (by the name it is stored under).
    #[cfg(feature = "flows")]
    pub(super) pending_device_user: Option<String>,
    /// What `autoSignIn()` signs in with, after a `signUp` that asked for it.
    #[cfg(feature = "flows")]
    pub(super) auto_sign_in: Option<Box<AutoSignIn>>,
    /// The `clientMetadata` of the sign-in under way (its last `signIn` or `confirmSignIn`).
    #[cfg(feature = "flows")]
    pub(super) sign_in_metadata: Option<Object>,
    pub(super) keys: KeyStore,
    /// Whether the key set stored by earlier pages has been read.
    pub(super) keys_restored: bool,
    pub(super) refresh: Refresh,
    pub(super) refreshes: Shared,
    /// The last refresh that failed for a passing reason: when (device seconds), in which generation, why.
    pub(super) refresh_failure: Option<(i64, u64, Error)>,
    /// Whether refreshes run inside the cross-tab lock.
    pub(super) cross_tab_lock: bool,
    /// The cross-tab lock the refresh holds.
    pub(super) refresh_lock: Option<RequestId>,
    /// When (device seconds) a 401 answered to `auth.fetch` last forced a refresh.
    pub(super) fetch_refresh_at: Option<i64>,
    tasks: Vec<Task>,
    next_id: u64,
    actions: VecDeque<Action>,
    /// Bumped by every change another call may be waiting for.
    pub(super) changes: u64,
}

impl fmt::Debug for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Machine")
            .field("config", &self.config)
            .field("signed_in", &self.session.is_some())
            .field("calls", &self.tasks.len())
            .finish_non_exhaustive()
    }
}

impl Machine {
    /// A client for `config`. Nothing is read or sent until the first call.
    pub fn new(config: PoolConfig) -> Self {
        let keys = KeyStore::new(config.jwks_url(), JWKS_TTL_SECS);
        Machine {
            config,
            now: 0,
            session: None,
            clock_offset: 0,
            load: Load::Unloaded,
            loads: Shared::default(),
            generation: 0,
            #[cfg(feature = "flows")]
            pending_sign_in: None,
            #[cfg(feature = "flows")]
            pending_device_user: None,
            #[cfg(feature = "flows")]
            sign_in_metadata: None,
            #[cfg(feature = "flows")]
            auto_sign_in: None,
            keys,
            keys_restored: false,
            refresh: Refresh::Idle,
            refreshes: Shared::default(),
            refresh_failure: None,
            cross_tab_lock: false,
            refresh_lock: None,
            fetch_refresh_at: None,
            tasks: Vec::new(),
            next_id: 0,
            actions: VecDeque::new(),
            changes: 0,
        }
    }

    /// The same machine, running every refresh inside a cross-tab lock ([`Action::Lock`]): for platforms with
    /// one (Web Locks), so that tabs share one refresh.
    pub fn with_cross_tab_lock(mut self) -> Self {
        self.cross_tab_lock = true;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// Starts a call at `now_ms` (the device's clock, milliseconds since the epoch).
    pub fn call(&mut self, op: Op, now_ms: i64, store: &mut dyn Store) -> CallId {
        self.set_now(now_ms);
        let call = CallId(self.next_number());
        match Task::begin(call, op, self) {
            Ok(task) => self.tasks.push(task),
            Err(e) => self.actions.push_back(Action::Resolve {
                call,
                result: Err(e),
            }),
        }
        self.run(store);
        call
    }

    /// The answer to request `id`: `Err` when no HTTP answer came (offline, timeout, refused).
    pub fn response(
        &mut self,
        id: RequestId,
        response: Result<HttpResponse>,
        now_ms: i64,
        store: &mut dyn Store,
    ) {
        self.set_now(now_ms);
        if self.keys.owns(id) {
            self.keys.fetched(id, response, self.now);
            self.changed();
        } else if matches!(self.refresh, Refresh::Sending { id: sent, .. } if sent == id) {
            self.refresh_answered(response, store);
        } else if let Some(task) = self.tasks.iter_mut().find(|t| t.io.awaiting == Some(id)) {
            task.io.awaiting = None;
            task.io.inbox = Some(response);
        }
        self.run(store);
    }

    /// The cross-tab lock asked for as `id` is held (`granted`), or cannot be had (then the refresh goes on
    /// without it).
    pub fn lock_granted(
        &mut self,
        id: RequestId,
        granted: bool,
        now_ms: i64,
        store: &mut dyn Store,
    ) {
        self.set_now(now_ms);
        self.lock_granted_now(id, granted, store);
        self.run(store);
    }

    /// The next action to perform, in order.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// Whether any call is still under way.
    pub fn is_idle(&self) -> bool {
        self.tasks.is_empty()
    }

    fn set_now(&mut self, now_ms: i64) {
        self.now = now_ms.div_euclid(1000);
    }

    fn next_number(&mut self) -> u64 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    /// Queues a request; its answer comes to [`Self::response`] with the returned id.
    pub(super) fn send(&mut self, request: HttpRequest) -> RequestId {
        let id = RequestId(self.next_number());
        self.actions.push_back(Action::Send { id, request });
        id
    }

    pub(super) fn emit(&mut self, event: AuthEvent) {
        self.actions.push_back(Action::Emit(event));
    }

    pub(super) fn acquire_lock(&mut self) -> RequestId {
        let id = RequestId(self.next_number());
        let name = self.config.storage_prefix().to_owned() + "refresh";
        self.actions.push_back(Action::Lock { id, name });
        id
    }

    pub(super) fn release_lock(&mut self, id: RequestId) {
        self.actions.push_back(Action::Unlock { id });
    }

    pub(super) fn start_key_fetch(&mut self) {
        let id = RequestId(self.next_number());
        let request = self.keys.start_fetch(id, self.now);
        self.actions.push_back(Action::Send { id, request });
        self.changed();
    }

    /// Lets every call go as far as it can, until nothing changes.
    fn run(&mut self, store: &mut dyn Store) {
        for _ in 0..MAX_PASSES {
            let before = self.changes;
            self.advance_load();
            self.advance_refresh(store);
            let mut tasks = core::mem::take(&mut self.tasks);
            tasks.retain_mut(|task| match task.poll(self, store) {
                Some(result) => {
                    self.actions.push_back(Action::Resolve {
                        call: task.call,
                        result,
                    });
                    self.changed();
                    false
                }
                None => true,
            });
            tasks.append(&mut self.tasks);
            self.tasks = tasks;
            if self.changes == before {
                break;
            }
        }
        // A key set is stored once it has verified a token, never before.
        if let Some(text) = self.keys.take_unsaved() {
            // The stored copy only saves a fetch after a reload: failing to write it is not an error.
            let _ = store.set(&self.config.jwks_storage_key(), &text);
        }
    }
}
