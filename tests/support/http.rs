//! A real-network [`Platform`] for end-to-end tests: a tiny blocking HTTP/1.1 client over
//! `std::net::TcpStream` (plain `http://host:port` URLs only; `Content-Length`, chunked and
//! read-to-close bodies), in-memory storage that two clients can share (a "page reload"), a clock with
//! a settable offset (to force expiry) and OS randomness from `/dev/urandom`.
//!
//! Each request runs on its own thread and the `send` future stays `Pending` until the answer is in,
//! so futures polled together (`executor::join_all`) really overlap while a request is on the wire.
//! Also: [`serve`], a one-thread HTTP server for a local "API" that checks bearer tokens.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_wasm::client::Platform;
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::{Error, Result};

/// How long one exchange may take before it fails.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// Largest response head or body accepted (the emulator's replies are a few kilobytes).
const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

fn io_error(message: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.into())
}

/// Splits `http://host:port/path` into `host:port` and `/path`. Anything else is refused.
pub fn split_url(url: &str) -> std::io::Result<(String, String)> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| io_error(format!("only http:// URLs are supported, got {url:?}")))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || !authority.contains(':') {
        return Err(io_error(format!("URL needs host:port, got {url:?}")));
    }
    Ok((authority.to_owned(), path.to_owned()))
}

/// Reads one CRLF-terminated line (without the CRLF), bounded.
fn read_line(reader: &mut impl BufRead) -> std::io::Result<String> {
    let mut line = Vec::new();
    let read = reader
        .by_ref()
        .take(64 * 1024)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Err(io_error("connection closed before the end of a line"));
    }
    if line.last() != Some(&b'\n') {
        return Err(io_error("header line too long"));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| io_error("header line is not UTF-8"))
}

/// Reads header lines up to the blank line; names lower-cased.
fn read_headers(reader: &mut impl BufRead) -> std::io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            return Ok(headers);
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| io_error(format!("malformed header line {line:?}")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        if headers.len() > 200 {
            return Err(io_error("too many headers"));
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Reads a body framed by `Content-Length`, chunked encoding, or the end of the connection.
fn read_body(reader: &mut impl BufRead, headers: &[(String, String)]) -> std::io::Result<Vec<u8>> {
    let chunked = header(headers, "transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    if chunked {
        let mut body = Vec::new();
        loop {
            let line = read_line(reader)?;
            let size_text = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| io_error(format!("bad chunk size {line:?}")))?;
            if size == 0 {
                // Trailers, then the final blank line.
                read_headers(reader)?;
                return Ok(body);
            }
            if body.len() + size > MAX_RESPONSE_BYTES {
                return Err(io_error("chunked body too large"));
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            if !read_line(reader)?.is_empty() {
                return Err(io_error("chunk not followed by CRLF"));
            }
        }
    }
    if let Some(length) = header(headers, "content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| io_error(format!("bad Content-Length {length:?}")))?;
        if length > MAX_RESPONSE_BYTES {
            return Err(io_error("body too large"));
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        return Ok(body);
    }
    let mut body = Vec::new();
    reader
        .take(MAX_RESPONSE_BYTES as u64 + 1)
        .read_to_end(&mut body)?;
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(io_error("body too large"));
    }
    Ok(body)
}

/// One blocking HTTP/1.1 exchange (`Connection: close`). Header names come back lower-cased.
pub fn send_blocking(request: &HttpRequest) -> std::io::Result<HttpResponse> {
    let (authority, path) = split_url(&request.url)?;
    let stream = TcpStream::connect(&authority)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n",
        request.method
    );
    if request.method != "GET" || !request.body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    for (name, value) in &request.headers {
        if name.contains(['\r', '\n', ':']) || value.contains(['\r', '\n']) {
            return Err(io_error(format!("header {name:?} cannot be sent")));
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut writer = &stream;
    writer.write_all(head.as_bytes())?;
    writer.write_all(request.body.as_bytes())?;
    writer.flush()?;

    let mut reader = BufReader::new(&stream);
    let status_line = read_line(&mut reader)?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(io_error(format!(
            "not an HTTP/1.x status line: {status_line:?}"
        )));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| io_error(format!("bad status line {status_line:?}")))?;
    let headers = read_headers(&mut reader)?;
    let body = if request.method == "HEAD" || status == 204 || status == 304 {
        Vec::new()
    } else {
        read_body(&mut reader, &headers)?
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// A `POST` of a JSON body to a Cognito-style endpoint; `target` is the operation name without the
/// service prefix (e.g. `AdminCreateUser`), `None` for the emulator's own routes.
pub fn post_json(url: &str, target: Option<&str>, body: &str) -> std::io::Result<HttpResponse> {
    let mut headers = vec![(
        "Content-Type".to_owned(),
        if target.is_some() {
            "application/x-amz-json-1.1"
        } else {
            "application/json"
        }
        .to_owned(),
    )];
    if let Some(target) = target {
        headers.push((
            "X-Amz-Target".to_owned(),
            format!("AWSCognitoIdentityProviderService.{target}"),
        ));
    }
    send_blocking(&HttpRequest {
        method: "POST",
        url: url.to_owned(),
        headers,
        body: body.to_owned(),
    })
}

/// A `GET`.
pub fn get(url: &str, headers: Vec<(String, String)>) -> std::io::Result<HttpResponse> {
    send_blocking(&HttpRequest {
        method: "GET",
        url: url.to_owned(),
        headers,
        body: String::new(),
    })
}

/// A request that runs on its own thread; the future is `Pending` until the answer is in.
struct InFlight {
    result: Arc<Mutex<Option<std::io::Result<HttpResponse>>>>,
    /// Whether the future has been polled before: the first poll is always `Pending`, like a real
    /// network, so that concurrent futures overlap however the threads happen to be scheduled.
    polled: bool,
}

impl Future for InFlight {
    type Output = std::io::Result<HttpResponse>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if !self.polled {
            self.polled = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let taken = self
            .result
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        match taken {
            Some(result) => Poll::Ready(result),
            None => {
                // The test executors poll in a loop with a no-op waker: pace them so a slow answer
                // does not exhaust their round limit.
                std::thread::sleep(Duration::from_millis(1));
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}

fn send_on_thread(request: HttpRequest) -> InFlight {
    let result = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&result);
    std::thread::spawn(move || {
        let answer = send_blocking(&request);
        *slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(answer);
    });
    InFlight {
        result,
        polled: false,
    }
}

/// Storage shared between clients (two "page loads" of the same origin).
pub type Storage = Rc<RefCell<BTreeMap<String, String>>>;

/// The real-network platform.
pub struct HttpPlatform {
    /// The storage (share it with another platform to simulate a reload).
    pub storage: Storage,
    /// Every request sent, in order.
    pub requests: RefCell<Vec<HttpRequest>>,
    /// Every answer received, in order (`None` where the request failed without an answer).
    pub responses: RefCell<Vec<Option<HttpResponse>>>,
    /// Added to the system clock, in milliseconds (positive: the future).
    pub clock_offset_ms: Cell<i64>,
    /// When set, every send fails with [`Error::Network`] without touching the network (still recorded).
    pub offline: Cell<bool>,
}

impl HttpPlatform {
    /// A platform with fresh storage.
    pub fn new() -> Self {
        Self::with_storage(Storage::default())
    }

    /// A platform over existing storage.
    pub fn with_storage(storage: Storage) -> Self {
        HttpPlatform {
            storage,
            requests: RefCell::new(Vec::new()),
            responses: RefCell::new(Vec::new()),
            clock_offset_ms: Cell::new(0),
            offline: Cell::new(false),
        }
    }

    /// Moves this platform's clock so that it reads `unix_secs` now.
    pub fn set_clock_secs(&self, unix_secs: i64) {
        self.clock_offset_ms
            .set(unix_secs * 1000 - system_now_millis());
    }

    /// The number of requests sent so far.
    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }

    /// The operation names (`InitiateAuth`...) of the POSTs sent, or `GET <url>` for other requests.
    pub fn operations(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .map(|r| match r.target() {
                Some(t) => t
                    .trim_start_matches("AWSCognitoIdentityProviderService.")
                    .to_owned(),
                None => format!("{} {}", r.method, r.url),
            })
            .collect()
    }

    /// How many requests called `operation` (e.g. `InitiateAuth`).
    pub fn count_operation(&self, operation: &str) -> usize {
        self.operations().iter().filter(|o| *o == operation).count()
    }

    /// The latest answer that carried header `name`, and that header's value.
    pub fn last_header(&self, name: &str) -> Option<String> {
        self.responses
            .borrow()
            .iter()
            .rev()
            .flatten()
            .find_map(|r| r.header(name).map(str::to_owned))
    }
}

impl Default for HttpPlatform {
    fn default() -> Self {
        Self::new()
    }
}

fn system_now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Platform for HttpPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.requests.borrow_mut().push(request.clone());
        if self.offline.get() {
            self.responses.borrow_mut().push(None);
            return Err(Error::Network("offline (test platform)".into()));
        }
        let result = send_on_thread(request).await;
        self.responses
            .borrow_mut()
            .push(result.as_ref().ok().cloned());
        result.map_err(|e| Error::Network(e.to_string().into()))
    }

    fn storage_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.storage.borrow().get(key).cloned())
    }

    fn storage_set(&self, key: &str, value: &str) -> Result<()> {
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
        system_now_millis().saturating_add(self.clock_offset_ms.get())
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<()> {
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(buf))
            .map_err(|e| Error::Storage(format!("/dev/urandom: {e}").into()))
    }
}

/// A request as [`serve`] hands it to its handler.
#[derive(Debug, Clone)]
pub struct ServedRequest {
    /// `GET`, `POST`...
    pub method: String,
    /// The request target, e.g. `/api/me`.
    pub path: String,
    /// Header names (lower-cased) and values.
    pub headers: Vec<(String, String)>,
    /// The body (`Content-Length` framed).
    pub body: Vec<u8>,
}

impl ServedRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn serve_one(
    stream: TcpStream,
    handler: &(dyn Fn(&ServedRequest) -> (u16, String) + Send),
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(&stream);
    let request_line = read_line(&mut reader)?;
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let headers = read_headers(&mut reader)?;
    let body = match header(&headers, "content-length") {
        Some(_) => read_body(&mut reader, &headers)?,
        None => Vec::new(),
    };
    let (status, body) = handler(&ServedRequest {
        method,
        path,
        headers,
        body,
    });
    let reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut writer = &stream;
    writer.write_all(reply.as_bytes())?;
    writer.flush()
}

/// Serves HTTP on a free port of 127.0.0.1 from a background thread until the process ends; each
/// request is answered with `handler`'s `(status, JSON body)`. Returns `http://127.0.0.1:PORT`.
pub fn serve(
    handler: impl Fn(&ServedRequest) -> (u16, String) + Send + 'static,
) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // A broken client connection is the client's problem; keep serving.
            let _ = serve_one(stream, &handler);
        }
    });
    Ok(url)
}
