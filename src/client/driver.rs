//! [`Client`]: drives a [`Machine`] over a [`Platform`]. The only `async` code of the client.
//!
//! Every call is one [`CallFuture`]: it performs the machine's actions, polls the requests in flight (anyone's:
//! whichever call is polled moves them all), and is ready when the machine resolves it. A call whose future is
//! dropped goes on inside the machine (a refresh it started still serves the others); its outcome is dropped.

use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::rc::Rc;

use super::keys::RequestId;
use super::machine::{Action, CallId, Machine, Store};
use super::ops::{Op, Reply};
use super::AuthEvent;
use crate::cognito::{HttpRequest, HttpResponse};
use crate::config::PoolConfig;
use crate::error::{Error, Result, UsageCode};

/// What the client needs from its environment.
///
/// The browser shell implements it with `fetch`, Web Storage, `Date.now()` and `crypto.getRandomValues`;
/// tests implement it with scripted responses and a settable clock.
#[allow(async_fn_in_trait)]
pub trait Platform {
    /// Sends a request. `Err(Error::Network)` when no HTTP answer came; any status is an `Ok`.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse>;
    /// Reads a storage key.
    fn storage_get(&self, key: &str) -> Result<Option<String>>;
    /// Writes a storage key.
    fn storage_set(&self, key: &str, value: &str) -> Result<()>;
    /// Removes a storage key.
    fn storage_remove(&self, key: &str) -> Result<()>;
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
    /// Fills `buf` from a CSPRNG; fails rather than fall back to a weak source.
    fn fill_random(&self, buf: &mut [u8]) -> Result<()>;
    /// Whether the platform has a lock shared with the other tabs (Web Locks): then every refresh runs inside
    /// one, so that tabs share one refresh.
    fn has_cross_tab_lock(&self) -> bool {
        false
    }
    /// Waits for the cross-tab lock `name`; `Ok(handle)` once it is held.
    async fn acquire_lock(&self, name: String) -> Result<u32> {
        let _ = name;
        Err(Error::usage(
            UsageCode::InvalidConfig,
            "no cross-tab lock here",
        ))
    }
    /// Releases a lock [`Self::acquire_lock`] gave.
    fn release_lock(&self, handle: u32) {
        let _ = handle;
    }
}

/// The platform's storage as the machine's [`Store`].
struct PlatformStore<'a, P>(&'a P);

impl<P: Platform> Store for PlatformStore<'_, P> {
    fn get(&self, key: &str) -> Result<Option<String>> {
        self.0.storage_get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        self.0.storage_set(key, value)
    }
    fn remove(&mut self, key: &str) -> Result<()> {
        self.0.storage_remove(key)
    }
}

/// Identifies a listener for [`Client::remove_listener`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

type Listener = Rc<dyn Fn(&AuthEvent)>;
/// What a future in flight brings: a request's answer, or a lock.
enum Arrival {
    Answer(Result<HttpResponse>),
    Lock(Result<u32>),
}

type InFlight = Pin<Box<dyn Future<Output = Arrival>>>;

struct Inner<P> {
    platform: Rc<P>,
    machine: RefCell<Machine>,
    in_flight: RefCell<Vec<(RequestId, InFlight)>>,
    /// The cross-tab locks held, by the id they were asked for with.
    locks: RefCell<Vec<(RequestId, u32)>>,
    results: RefCell<Vec<(CallId, Result<Reply>)>>,
    /// The calls whose futures wait, and how to wake them.
    waiting: RefCell<Vec<(CallId, Waker)>>,
    /// The calls whose futures were dropped before their outcome came: it is dropped when it comes.
    abandoned: RefCell<Vec<CallId>>,
    listeners: RefCell<Vec<(ListenerId, Listener)>>,
    next_listener: Cell<u64>,
}

/// The Cognito auth client: a [`Machine`] driven over a [`Platform`].
pub struct Client<P: Platform> {
    inner: Rc<Inner<P>>,
    config: PoolConfig,
}

impl<P: Platform> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<P: Platform + 'static> Client<P> {
    /// A client for `config` over `platform`. Nothing is read or sent until the first call.
    pub fn new(config: PoolConfig, platform: P) -> Self {
        let mut machine = Machine::new(config.clone());
        if platform.has_cross_tab_lock() {
            machine = machine.with_cross_tab_lock();
        }
        Client {
            inner: Rc::new(Inner {
                platform: Rc::new(platform),
                machine: RefCell::new(machine),
                in_flight: RefCell::new(Vec::new()),
                locks: RefCell::new(Vec::new()),
                results: RefCell::new(Vec::new()),
                waiting: RefCell::new(Vec::new()),
                abandoned: RefCell::new(Vec::new()),
                listeners: RefCell::new(Vec::new()),
                next_listener: Cell::new(0),
            }),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// The platform.
    pub fn platform(&self) -> &P {
        &self.inner.platform
    }

    /// Calls `listener` on every [`AuthEvent`] until [`Self::remove_listener`].
    pub fn on_auth_change(&self, listener: Box<dyn Fn(&AuthEvent)>) -> ListenerId {
        let id = ListenerId(self.inner.next_listener.get());
        self.inner.next_listener.set(id.0.wrapping_add(1));
        self.inner
            .listeners
            .borrow_mut()
            .push((id, Rc::from(listener)));
        id
    }

    /// Stops calling a listener; `false` if it was not registered.
    pub fn remove_listener(&self, id: ListenerId) -> bool {
        let mut listeners = self.inner.listeners.borrow_mut();
        let before = listeners.len();
        listeners.retain(|(other, _)| *other != id);
        listeners.len() != before
    }

    /// Runs one call to its end. A sign-in's random bytes (SRP, the device's SRP, a new device's secret) are
    /// drawn here, from the platform's CSPRNG.
    pub async fn call(&self, op: Op) -> Result<Reply> {
        #[cfg(feature = "flows")]
        let mut op = op;
        #[cfg(feature = "flows")]
        if let Op::SignIn { secrets, .. }
        | Op::AutoSignIn { secrets }
        | Op::ConfirmSignIn { secrets, .. } = &mut op
        {
            secrets.fill(|buf| self.inner.platform.fill_random(buf))?;
        }
        #[cfg(feature = "flows")]
        if let Op::SignInWithRedirect { secrets, .. } = &mut op {
            *secrets = Some(crate::flow::oauth::RedirectSecrets::draw(|buf| {
                self.inner.platform.fill_random(buf)
            })?);
        }
        let now = self.inner.platform.now_millis();
        let call = {
            let mut store = PlatformStore(&*self.inner.platform);
            self.inner.machine.borrow_mut().call(op, now, &mut store)
        };
        CallFuture {
            inner: Rc::clone(&self.inner),
            call,
            done: false,
        }
        .await
    }
}

impl<P: Platform + 'static> Inner<P> {
    /// Performs every queued action. Listeners are called with nothing borrowed: they may call the client.
    fn perform_actions(&self) {
        loop {
            let Some(action) = self.machine.borrow_mut().poll_action() else {
                return;
            };
            match action {
                Action::Send { id, request } => {
                    let platform = Rc::clone(&self.platform);
                    let sending: InFlight =
                        Box::pin(async move { Arrival::Answer(platform.send(request).await) });
                    self.in_flight.borrow_mut().push((id, sending));
                }
                Action::Lock { id, name } => {
                    let platform = Rc::clone(&self.platform);
                    let locking: InFlight =
                        Box::pin(async move { Arrival::Lock(platform.acquire_lock(name).await) });
                    self.in_flight.borrow_mut().push((id, locking));
                }
                Action::Unlock { id } => {
                    let mut locks = self.locks.borrow_mut();
                    if let Some(index) = locks.iter().position(|(held, _)| *held == id) {
                        let (_, handle) = locks.swap_remove(index);
                        drop(locks);
                        self.platform.release_lock(handle);
                    }
                }
                Action::Emit(event) => {
                    let listeners: Vec<Listener> = self
                        .listeners
                        .borrow()
                        .iter()
                        .map(|(_, l)| Rc::clone(l))
                        .collect();
                    for listener in listeners {
                        listener(&event);
                    }
                }
                Action::Resolve { call, result } => {
                    let mut abandoned = self.abandoned.borrow_mut();
                    match abandoned.iter().position(|c| *c == call) {
                        Some(index) => drop(abandoned.swap_remove(index)),
                        None => {
                            drop(abandoned);
                            self.results.borrow_mut().push((call, result));
                            self.wake_all();
                        }
                    }
                }
            }
        }
    }

    fn wake_all(&self) {
        let waiting = core::mem::take(&mut *self.waiting.borrow_mut());
        for (_, waker) in waiting {
            waker.wake();
        }
    }

    /// Polls every request in flight with `cx`; `true` if an answer went into the machine.
    fn poll_in_flight(&self, cx: &mut Context<'_>) -> bool {
        let sending = core::mem::take(&mut *self.in_flight.borrow_mut());
        let mut answers = Vec::new();
        let mut still = Vec::new();
        for (id, mut future) in sending {
            match future.as_mut().poll(cx) {
                Poll::Ready(answer) => answers.push((id, answer)),
                Poll::Pending => still.push((id, future)),
            }
        }
        // Requests queued meanwhile (none: polling a send does not call the machine) go after these.
        still.append(&mut self.in_flight.borrow_mut());
        *self.in_flight.borrow_mut() = still;
        let progressed = !answers.is_empty();
        for (id, arrival) in answers {
            let now = self.platform.now_millis();
            let mut store = PlatformStore(&*self.platform);
            match arrival {
                Arrival::Answer(answer) => {
                    self.machine
                        .borrow_mut()
                        .response(id, answer, now, &mut store);
                }
                Arrival::Lock(held) => {
                    if let Ok(handle) = held {
                        self.locks.borrow_mut().push((id, handle));
                    }
                    let granted = held.is_ok();
                    self.machine
                        .borrow_mut()
                        .lock_granted(id, granted, now, &mut store);
                }
            }
        }
        progressed
    }
}

/// One call's future: ready when the machine resolves the call.
struct CallFuture<P: Platform + 'static> {
    inner: Rc<Inner<P>>,
    call: CallId,
    done: bool,
}

impl<P: Platform + 'static> Future for CallFuture<P> {
    type Output = Result<Reply>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<Reply>> {
        let inner = Rc::clone(&self.inner);
        loop {
            inner.perform_actions();
            let result = {
                let mut results = inner.results.borrow_mut();
                let index = results.iter().position(|(call, _)| *call == self.call);
                index.map(|index| results.swap_remove(index).1)
            };
            if let Some(result) = result {
                self.done = true;
                // The requests in flight may have held this call's waker only: let the others take them over.
                inner.wake_all();
                return Poll::Ready(result);
            }
            if !inner.poll_in_flight(cx) {
                let mut waiting = inner.waiting.borrow_mut();
                waiting.retain(|(call, _)| *call != self.call);
                waiting.push((self.call, cx.waker().clone()));
                return Poll::Pending;
            }
        }
    }
}

impl<P: Platform + 'static> Drop for CallFuture<P> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // The machine still finishes this call (whatever it started may serve others); its outcome is dropped.
        self.inner
            .waiting
            .borrow_mut()
            .retain(|(call, _)| *call != self.call);
        self.inner.wake_all();
        let call = self.call;
        let mut results = self.inner.results.borrow_mut();
        let before = results.len();
        results.retain(|(c, _)| *c != call);
        if results.len() == before {
            self.inner.abandoned.borrow_mut().push(call);
        }
    }
}
