//! What the fuzz targets share: how fuzz bytes become HTTP answers, a map store, fixed answers to sign-in
//! steps, and the signed test tokens of the native tests.
//!
//! **Records.** A target that needs several values splits its input at every `0xFF` byte, a byte that never
//! occurs in UTF-8: seeds are plain JSON and text between separators, with nothing to escape.
//!
//! **Answers.** One record is one answer to a request:
//!
//! ```text
//! !message                        no HTTP answer: Error::Network(message)
//! STATUS                          the status (its decimal digits; 200 when it has none)
//! name: value                     headers, one a line (any number)
//!                                 an empty line, then
//! BODY                            the body, raw bytes (none without the empty line)
//! ```

#[path = "../../tests/support/map_store.rs"]
mod map_store;
pub use map_store::MapStore;

#[path = "../../tests/support/tokens.rs"]
pub mod tokens;

use cognito_wasm::client::Reply;
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::flow::{ConfirmSignInInput, SignInOutput, SignInStep};
use cognito_wasm::json::{self, Limits};
use cognito_wasm::{Error, Result};

/// Separates records.
pub const SEPARATOR: u8 = 0xFF;

/// The records of `data` (see the crate docs).
pub fn records(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == SEPARATOR)
}

/// One answer from a record (see the crate docs).
pub fn response(record: &[u8]) -> Result<HttpResponse> {
    if let Some(message) = record.strip_prefix(b"!") {
        return Err(Error::Network(
            String::from_utf8_lossy(message).into_owned().into(),
        ));
    }
    let (head, body) = match record.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&record[..at], &record[at + 2..]),
        None => (record, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let status_line = lines.next().unwrap_or_default();
    let mut status: u16 = 200;
    let mut digits = status_line.iter().filter(|b| b.is_ascii_digit()).peekable();
    if digits.peek().is_some() {
        status = digits.fold(0u16, |s, d| {
            s.wrapping_mul(10).wrapping_add(u16::from(d - b'0'))
        });
    }
    let headers = lines
        .map(|line| {
            let line = String::from_utf8_lossy(line);
            match line.split_once(':') {
                Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
                None => (line.trim().to_owned(), String::new()),
            }
        })
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    })
}

/// `body` with every `{{name}}` of `vars` replaced by its value (unknown names are left as they are).
pub fn expand(body: &[u8], vars: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.windows(2).position(|w| w == b"{{") {
        out.extend_from_slice(&rest[..start]);
        rest = &rest[start..];
        let value = vars.iter().find_map(|(name, value)| {
            let tail = rest.get(2..)?.strip_prefix(name.as_bytes())?;
            tail.starts_with(b"}}").then_some((name.len() + 4, value))
        });
        match value {
            Some((len, value)) => {
                out.extend_from_slice(value.as_bytes());
                rest = &rest[len..];
            }
            None => {
                out.extend_from_slice(b"{{");
                rest = &rest[2..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// A fixed answer that suits the step `output` asks for (the first allowed MFA type, a value for each missing
/// attribute, a code otherwise).
pub fn fixed_answer(output: &SignInOutput) -> ConfirmSignInInput {
    let step = &output.next_step;
    match step.sign_in_step {
        SignInStep::ConfirmSignInWithNewPasswordRequired => ConfirmSignInInput {
            challenge_response: "NewPassw0rd!".to_owned(),
            user_attributes: step
                .missing_attributes
                .iter()
                .flatten()
                .map(|name| (name.clone(), "value".to_owned()))
                .collect(),
            ..ConfirmSignInInput::default()
        },
        SignInStep::ContinueSignInWithEmailSetup => ConfirmSignInInput::new("user@example.com"),
        SignInStep::ContinueSignInWithFirstFactorSelection => ConfirmSignInInput::new(
            step.available_challenges
                .iter()
                .flatten()
                .next()
                .cloned()
                .unwrap_or_default(),
        ),
        SignInStep::ConfirmSignInWithPassword => ConfirmSignInInput::new("Passw0rd!"),
        SignInStep::ContinueSignInWithMfaSelection
        | SignInStep::ContinueSignInWithMfaSetupSelection => ConfirmSignInInput::new(
            step.allowed_mfa_types
                .as_ref()
                .and_then(|types| types.first())
                .map_or("TOTP", String::as_str),
        ),
        SignInStep::ConfirmSignInWithCustomChallenge => ConfirmSignInInput::new("the answer"),
        _ => ConfirmSignInInput::new("123456"),
    }
}

/// Whether `step` waits for `confirmSignIn`.
pub fn waits_for_input(step: SignInStep) -> bool {
    !matches!(
        step,
        SignInStep::Done | SignInStep::ConfirmSignUp | SignInStep::ResetPassword
    )
}

/// A request's body must be JSON whatever went into it (a POST's), or empty (a GET's).
pub fn check_request_body(request: &HttpRequest) {
    if request.method == "GET" {
        assert!(request.body.is_empty(), "a GET with a body");
        return;
    }
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: 16,
    };
    if let Err(e) = json::parse_object(request.body.as_bytes(), &limits) {
        panic!(
            "{:?} body is not a JSON object: {}",
            request.target(),
            e.message()
        );
    }
}

/// What JavaScript is shown of a reply must be JSON.
pub fn check_shown(reply: &Reply) {
    let text = reply.to_json();
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: 16,
    };
    assert!(json::parse(text.as_bytes(), &limits).is_ok(), "{text}");
}

/// Reads everything JavaScript reads of an error.
pub fn touch(e: &Error) {
    let _ = (
        e.name(),
        e.code(),
        e.message(),
        e.is_definite_auth_failure(),
    );
}

/// Whether to print what a target does (`FUZZ_TRACE=1 target/<triple>/release/<target> <seed>`): for checking
/// that a seed goes where it was meant to.
pub fn tracing() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("FUZZ_TRACE").is_some())
}
