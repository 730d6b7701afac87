//! A fake [`Platform`]: scripted HTTP answers, recorded requests, in-memory storage (shareable between
//! clients, like two tabs), a settable clock and deterministic "random" bytes.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use cognito_wasm::client::Platform;
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::{Error, Result};

/// One scripted answer.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An HTTP answer.
    Http(HttpResponse),
    /// No answer at all.
    NetworkError(String),
}

impl Reply {
    /// A 200 with a JSON body.
    pub fn ok(body: impl Into<String>) -> Self {
        Reply::Http(HttpResponse::json(200, body))
    }

    /// A Cognito error (`__type` + message) with the given status.
    pub fn error(status: u16, type_name: &str, message: &str) -> Self {
        Reply::Http(HttpResponse::json(
            status,
            format!(r#"{{"__type":"{type_name}","message":"{message}"}}"#),
        ))
    }
}

/// Shared in-memory storage.
pub type Storage = Rc<RefCell<BTreeMap<String, String>>>;

/// Something that happens on the "server side" while a request is handled.
pub type ServerSideEffect = Box<dyn FnOnce(&Storage)>;

/// The fake platform.
pub struct FakePlatform {
    /// Answers for Cognito calls (POST), in order.
    pub replies: RefCell<VecDeque<Reply>>,
    /// Every request sent, JWKS fetches included.
    pub requests: RefCell<Vec<HttpRequest>>,
    /// The JWKS served for GET requests (`None`: network error).
    pub jwks: RefCell<Option<String>>,
    /// Storage.
    pub storage: Storage,
    /// The clock, in milliseconds.
    pub now_ms: Cell<i64>,
    /// How many times each `send` future returns `Pending` before it answers.
    pub send_delay_polls: Cell<u32>,
    /// Whether `storage_set` fails.
    pub storage_set_fails: Cell<bool>,
    /// Runs once on the next POST, while the "server" handles it (e.g. another tab writes storage).
    pub during_next_post: RefCell<Option<ServerSideEffect>>,
    random_counter: Cell<u8>,
}

impl FakePlatform {
    /// A platform at `now_secs` serving `jwks`, with fresh storage.
    pub fn new(now_secs: i64, jwks: &str) -> Self {
        Self::with_storage(now_secs, jwks, Storage::default())
    }

    /// A platform sharing `storage` with another one.
    pub fn with_storage(now_secs: i64, jwks: &str, storage: Storage) -> Self {
        FakePlatform {
            replies: RefCell::new(VecDeque::new()),
            requests: RefCell::new(Vec::new()),
            jwks: RefCell::new(Some(jwks.to_owned())),
            storage,
            now_ms: Cell::new(now_secs * 1000),
            send_delay_polls: Cell::new(0),
            storage_set_fails: Cell::new(false),
            during_next_post: RefCell::new(None),
            random_counter: Cell::new(1),
        }
    }

    /// Queues an answer.
    pub fn push(&self, reply: Reply) {
        self.replies.borrow_mut().push_back(reply);
    }

    /// Moves the clock to `secs`.
    pub fn set_now(&self, secs: i64) {
        self.now_ms.set(secs * 1000);
    }

    /// The `X-Amz-Target` operation names of the POSTs sent, in order (without the service prefix).
    pub fn operations(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| {
                r.target()
                    .unwrap_or_default()
                    .trim_start_matches("AWSCognitoIdentityProviderService.")
                    .to_owned()
            })
            .collect()
    }

    /// How many JWKS fetches were made.
    pub fn jwks_fetches(&self) -> usize {
        self.requests
            .borrow()
            .iter()
            .filter(|r| r.method == "GET")
            .count()
    }

    /// The last POST's body.
    pub fn last_body(&self) -> String {
        self.requests
            .borrow()
            .iter()
            .rev()
            .find(|r| r.method == "POST")
            .map(|r| r.body.clone())
            .unwrap_or_default()
    }

    /// A stored value.
    pub fn stored(&self, key: &str) -> Option<String> {
        self.storage.borrow().get(key).cloned()
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse> {
        if request.method == "GET" {
            return match &*self.jwks.borrow() {
                Some(jwks) => Ok(HttpResponse::json(200, jwks.clone())),
                None => Err(Error::Network("JWKS unreachable".into())),
            };
        }
        match self.replies.borrow_mut().pop_front() {
            Some(Reply::Http(response)) => Ok(response),
            Some(Reply::NetworkError(message)) => Err(Error::Network(message.into())),
            None => panic!(
                "unexpected request {:?} with body {}",
                request.target(),
                request.body
            ),
        }
    }
}

/// A future that is `Pending` a few times before it answers.
struct Delayed {
    remaining: u32,
    result: Option<Result<HttpResponse>>,
}

impl Future for Delayed {
    type Output = Result<HttpResponse>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.remaining > 0 {
            self.remaining -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(self.result.take().expect("polled after completion"))
    }
}

impl Platform for FakePlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.requests.borrow_mut().push(request.clone());
        // The answer is chosen when the request is sent, like a real server receiving it.
        let result = self.answer(&request);
        if request.method == "POST" {
            let hook = self.during_next_post.borrow_mut().take();
            if let Some(hook) = hook {
                hook(&self.storage);
            }
        }
        Delayed {
            remaining: self.send_delay_polls.get(),
            result: Some(result),
        }
        .await
    }

    fn storage_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.storage.borrow().get(key).cloned())
    }

    fn storage_set(&self, key: &str, value: &str) -> Result<()> {
        if self.storage_set_fails.get() {
            return Err(Error::Storage("quota exceeded".into()));
        }
        self.storage
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn storage_remove(&self, key: &str) -> Result<()> {
        self.storage.borrow_mut().remove(key);
        Ok(())
    }

    fn now_millis(&self) -> i64 {
        self.now_ms.get()
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<()> {
        for byte in buf {
            let next = self.random_counter.get().wrapping_mul(31).wrapping_add(7);
            self.random_counter.set(next);
            *byte = next;
        }
        Ok(())
    }
}
