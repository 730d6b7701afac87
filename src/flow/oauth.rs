//! Managed login (Cognito's hosted UI): the OAuth 2.0 authorization code flow with PKCE, as Amplify v6's
//! `signInWithRedirect` runs it, as pure steps with no I/O, clock or randomness:
//!
//! 1. [`OAuthConfig::from_input`] reads Amplify's `loginWith.oauth` (`domain`, `scopes`, `redirectSignIn`,
//!    `redirectSignOut`, `responseType: 'code'`).
//! 2. `signInWithRedirect`: [`RedirectSignInInput::from_input`] reads the call's input, [`RedirectSecrets::draw`]
//!    takes the state, PKCE verifier and nonce from the platform's CSPRNG, [`PendingSignIn::new`] is the record to
//!    store until the browser comes back ([`PendingSignIn::to_json`]), and [`authorize_url`] is where to send the
//!    browser.
//! 3. Back on the page: [`PendingSignIn::parse`] reads the record, [`read_callback`] decides whether the page's URL
//!    is this sign-in's callback and gives the code, [`token_request`] redeems it and [`parse_token_response`]
//!    reads the tokens; once the ID token is verified, [`check_nonce`] compares its `nonce`.
//! 4. Sign-out: [`logout_url`] ends the managed-login session too.
//!
//! URLs are read by the one strict reader of the crate (`client::fetch_policy`); query strings are written and read
//! as `URLSearchParams` does (`application/x-www-form-urlencoded`).

use core::fmt;

use sha2::{Digest, Sha256};

use crate::base64::{self, Form};
use crate::client::fetch_policy::{read_http_url, Origin};
use crate::client::input::Input;
use crate::cognito::{
    optional_str, required_str, AuthenticationResult, HttpRequest, HttpResponse, MAX_RESPONSE_BYTES,
};
use crate::config::PoolConfig;
use crate::error::{Error, Result, UsageCode};
use crate::json::{self, Object, Value};
use crate::jwt::{shown, TokenError};
use crate::secret::RefreshToken;
use crate::text::{cat, hex_digit, uint};

/// The members of `loginWith.oauth` that [`OAuthConfig::from_input`] reads (Amplify's `OAuthConfig`).
pub const OAUTH_OPTIONS: &[&str] = &[
    "domain",
    "scopes",
    "redirectSignIn",
    "redirectSignOut",
    "responseType",
    "providers",
];

/// The members of `signInWithRedirect`'s input (Amplify's).
pub const SIGN_IN_WITH_REDIRECT_INPUT: &[&str] = &["provider", "customState", "options"];

/// The members of `signInWithRedirect`'s `options`: Amplify's, less `authSessionOpener` (a function, for in-app
/// browsers). `preferPrivateSession` is for iOS's authentication session: Amplify ignores it on the web, and so do we
/// (a ported app may pass it).
pub const SIGN_IN_WITH_REDIRECT_OPTIONS: &[&str] = &[
    "loginHint",
    "lang",
    "nonce",
    "prompt",
    "preferPrivateSession",
];

/// Characters of the random part of `state` (Amplify's `generateState`).
pub const STATE_RANDOM_CHARS: usize = 32;

/// Characters of the PKCE `code_verifier` (Amplify's; RFC 7636 allows 43 to 128).
pub const CODE_VERIFIER_CHARS: usize = 128;

/// Characters of the random `nonce` sent when the caller gives none.
pub const NONCE_CHARS: usize = 32;

/// How long a [`PendingSignIn`] is honoured: Cognito's codes live 5 minutes, the user may take a while on the
/// sign-in page before one is issued.
pub const PENDING_SIGN_IN_TTL_SECS: i64 = 600;

/// A record dated this far in the future still counts (a clock adjusted between the redirect and the callback).
const PENDING_CLOCK_SLACK_SECS: i64 = 60;

/// The longest `customState`, in characters: it travels in the authorize URL (up to 5 characters each).
pub const MAX_CUSTOM_STATE_CHARS: usize = 512;

/// The longest `loginHint`, caller's `nonce`, provider name or identifier, in bytes.
const MAX_PARAMETER_BYTES: usize = 2048;

/// The longest callback URL read.
const MAX_CALLBACK_URL_BYTES: usize = 16 * 1024;

/// The longest OAuth error code kept (Cognito's are short snake_case words).
const MAX_ERROR_CODE_BYTES: usize = 64;

/// The longest error description kept, in characters; the rest is cut.
const MAX_ERROR_DESCRIPTION_CHARS: usize = 1024;

/// The longest stored [`PendingSignIn`] read.
const MAX_PENDING_RECORD_BYTES: usize = 16 * 1024;

/// The format version of the stored [`PendingSignIn`].
const PENDING_RECORD_VERSION: i64 = 1;

/// The members of the stored [`PendingSignIn`].
const PENDING_RECORD_MEMBERS: &[&str] = &[
    "v",
    "state",
    "codeVerifier",
    "nonce",
    "redirectUri",
    "customState",
    "createdAt",
];

/// Managed login's page languages (`lang`).
const LANGUAGES: &[&str] = &[
    "de", "en", "es", "fr", "id", "it", "ja", "ko", "pt-BR", "zh-CN", "zh-TW",
];

const ALPHANUMERIC: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Random bytes at or above this are skipped: 248 = 4 × 62, so every character is equally likely.
const UNBIASED_BYTE_LIMIT: u8 = 248;

/// Random bytes asked for at a time.
const RANDOM_BATCH_BYTES: usize = 64;

// ---------------------------------------------------------------------------------------------------------------
// Form encoding (application/x-www-form-urlencoded)

/// Appends `text` as `URLSearchParams` writes a name or a value: ASCII letters, digits and `*-._` as they are,
/// space as `+`, every other byte of the UTF-8 as `%XX`.
fn push_form_encoded(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b' ' => out.push('+'),
            b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            _ if byte.is_ascii_alphanumeric() => out.push(char::from(byte)),
            _ => {
                out.push('%');
                crate::text::push_hex(out, byte.into(), 2, true);
            }
        }
    }
}

/// A form-urlencoded name or value decoded: `+` is a space, `%XX` a byte; `None` for a `%` not followed by two hex
/// digits or bytes that are not UTF-8 (where `URLSearchParams` would guess, this refuses).
fn form_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.bytes();
    while let Some(byte) = rest.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = hex_digit(rest.next()?)?;
                let low = hex_digit(rest.next()?)?;
                bytes.push(high << 4 | low);
            }
            _ => bytes.push(byte),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `name=value` pairs joined by `&`, form-urlencoded, in the order added.
struct FormPairs(String);

impl FormPairs {
    fn new() -> Self {
        FormPairs(String::new())
    }

    fn pair(mut self, name: &str, value: &str) -> Self {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        push_form_encoded(&mut self.0, name);
        self.0.push('=');
        push_form_encoded(&mut self.0, value);
        self
    }

    fn optional(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.pair(name, value),
            None => self,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// URLs

/// The origin and the path (`/` when empty) of an absolute http(s) URL, its query and fragment left out; `None`
/// when the URL cannot be read.
fn origin_and_path(url: &str) -> Option<(Origin, &str)> {
    let (origin, tail) = read_http_url(url).ok()?;
    let path = tail.split(['?', '#']).next().unwrap_or_default();
    Some((origin, if path.is_empty() { "/" } else { path }))
}

fn has_query_or_fragment(tail: &str) -> bool {
    tail.bytes().any(|b| b == b'?' || b == b'#')
}

/// The base URL of the managed-login domain: `https://` before a bare host (`mydomain.auth.us-east-1.amazoncognito.com`,
/// `auth.example.com`, optionally with a port and path), or the http(s) URL given (`http://127.0.0.1:9329/_domain/demo`),
/// with no trailing `/`. `None` for anything else, and for plain http to a host that is not a loopback one.
fn domain_url(domain: &str) -> Option<String> {
    let has_scheme = domain.as_bytes().windows(3).any(|w| w == b"://");
    let url = if has_scheme {
        domain.to_owned()
    } else {
        cat(&["https://", domain])
    };
    let (origin, tail) = read_http_url(&url).ok()?;
    if !origin.may_carry_token() || has_query_or_fragment(tail) {
        return None;
    }
    Some(cat(&[&origin.serialize(), tail.trim_end_matches('/')]))
}

/// Whether `url` can be a redirect URL: absolute http(s), no fragment (Cognito's rule).
fn is_redirect_url(url: &str) -> bool {
    read_http_url(url).is_ok_and(|(_, tail)| !tail.contains('#'))
}

/// Amplify's choice among redirect URLs (`getRedirectUrl`) for the page at `page_url`: the first of the page's
/// origin whose path begins with the page's path, else the first of the page's origin. `None` when there is none
/// (or the page's URL cannot be read).
fn same_origin_redirect<'a>(redirects: &'a [String], page_url: &str) -> Option<&'a str> {
    let (page_origin, page_path) = origin_and_path(page_url)?;
    let of_page = |url: &str, same_path: bool| {
        origin_and_path(url).is_some_and(|(origin, path)| {
            origin == page_origin && (!same_path || path.starts_with(page_path))
        })
    };
    redirects
        .iter()
        .find(|url| of_page(url, true))
        .or_else(|| redirects.iter().find(|url| of_page(url, false)))
        .map(String::as_str)
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration

/// A place Cognito can send the user to sign in: `identity_provider` (Amplify's names mapped to Cognito's) or
/// `idp_identifier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityProvider {
    /// `'Google'`.
    Google,
    /// `'Facebook'`.
    Facebook,
    /// `'Amazon'`: Cognito's `LoginWithAmazon`.
    Amazon,
    /// `'Apple'`: Cognito's `SignInWithApple`.
    Apple,
    /// `{ custom: name }`: a SAML or OIDC provider of the pool, by its name.
    Custom(String),
    /// `{ idpIdentifier }`: a SAML or OIDC provider by one of its identifiers (sent as `idp_identifier`).
    Identifier(String),
}

/// What a provider must be, for error messages.
const PROVIDER_MUST_BE: &str =
    "'Google', 'Facebook', 'Amazon', 'Apple', { custom: name } or { idpIdentifier: identifier }";

impl IdentityProvider {
    /// Reads Amplify's form: one of the four names, `{ custom }` or `{ idpIdentifier }`.
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::String(name) => match name.as_str() {
                "Google" => Some(IdentityProvider::Google),
                "Facebook" => Some(IdentityProvider::Facebook),
                "Amazon" => Some(IdentityProvider::Amazon),
                "Apple" => Some(IdentityProvider::Apple),
                _ => None,
            },
            Value::Object(object) if object.len() == 1 => match object.iter().next()? {
                ("custom", Value::String(name)) if is_plain_parameter(name) => {
                    Some(IdentityProvider::Custom(name.clone()))
                }
                ("idpIdentifier", Value::String(id)) if is_plain_parameter(id) => {
                    Some(IdentityProvider::Identifier(id.clone()))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The authorize parameter that names this provider, and its value.
    pub fn authorize_parameter(&self) -> (&'static str, &str) {
        match self {
            IdentityProvider::Google => ("identity_provider", "Google"),
            IdentityProvider::Facebook => ("identity_provider", "Facebook"),
            IdentityProvider::Amazon => ("identity_provider", "LoginWithAmazon"),
            IdentityProvider::Apple => ("identity_provider", "SignInWithApple"),
            IdentityProvider::Custom(name) => ("identity_provider", name),
            IdentityProvider::Identifier(id) => ("idp_identifier", id),
        }
    }
}

/// A caller's parameter value: non-empty, at most [`MAX_PARAMETER_BYTES`], no control characters.
fn is_plain_parameter(text: &str) -> bool {
    !text.is_empty() && text.len() <= MAX_PARAMETER_BYTES && !text.chars().any(char::is_control)
}

/// An OAuth scope token (RFC 6749 § 3.3): printable ASCII but space, `"` and `\`.
fn is_scope(scope: &str) -> bool {
    !scope.is_empty()
        && scope.len() <= 256
        && scope
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

/// Managed login's settings: Amplify's `loginWith.oauth`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    domain_url: String,
    scopes: Vec<String>,
    redirect_sign_in: Vec<String>,
    redirect_sign_out: Vec<String>,
    providers: Vec<IdentityProvider>,
}

impl OAuthConfig {
    /// Reads Amplify's `loginWith.oauth` object ([`OAUTH_OPTIONS`]), e.g. the constructor's
    /// `options.nested("oauth", "CognitoAuth options.oauth", OAUTH_OPTIONS)`. Every error is `InvalidConfig`
    /// naming the member:
    /// * `domain`: a bare host (`https` assumed) or an `http(s)://host[:port][/path]` base URL (plain http only
    ///   for a loopback host, as the emulator's `http://127.0.0.1:PORT/_domain/NAME`);
    /// * `scopes`: scope names, `openid` among them (without it Cognito issues no ID token, and a session needs
    ///   one);
    /// * `redirectSignIn` (at least one), `redirectSignOut` (may be empty): absolute http(s) URLs without a
    ///   fragment;
    /// * `responseType`: `'code'` (the default); the implicit flow is refused;
    /// * `providers`: the Amplify UI's list of providers, checked and kept.
    pub fn from_input(oauth: &Input) -> Result<Self> {
        Self::read(oauth).map_err(|e| match e {
            Error::Usage {
                code: UsageCode::InvalidArgument,
                message,
            } => Error::usage(UsageCode::InvalidConfig, message),
            other => other,
        })
    }

    fn read(oauth: &Input) -> Result<Self> {
        oauth.only(OAUTH_OPTIONS)?;
        let domain_url = domain_url(&oauth.string("domain")?).ok_or_else(|| {
            oauth.wrong(
                "domain",
                "a host name (\"mydomain.auth.us-east-1.amazoncognito.com\") or an http(s) URL without a query or \
                 fragment (plain http only for a loopback host)",
            )
        })?;
        match oauth.optional_string("responseType")?.as_deref() {
            None | Some("code") => {}
            Some(_) => {
                return Err(oauth.wrong(
                    "responseType",
                    "'code': only the authorization code flow with PKCE is supported, not the implicit flow ('token')",
                ))
            }
        }
        let scopes = oauth.optional_string_list("scopes")?.unwrap_or_default();
        if let Some(bad) = scopes.iter().find(|scope| !is_scope(scope)) {
            return Err(oauth.wrong(
                "scopes",
                &cat(&[
                    "scope names (printable ASCII without spaces, quotes or backslashes), not ",
                    &shown(bad),
                ]),
            ));
        }
        if !scopes.iter().any(|scope| scope == "openid") {
            return Err(oauth.wrong(
                "scopes",
                "a list with 'openid': without it Cognito issues no ID token, and a session needs one",
            ));
        }
        let redirect_sign_in = redirect_list(oauth, "redirectSignIn")?;
        if redirect_sign_in.is_empty() {
            return Err(oauth.wrong("redirectSignIn", "a list of at least one URL"));
        }
        let redirect_sign_out = redirect_list(oauth, "redirectSignOut")?;
        let providers = match oauth.get("providers") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| {
                    IdentityProvider::from_value(item).ok_or_else(|| {
                        oauth.wrong("providers", &cat(&["a list of ", PROVIDER_MUST_BE]))
                    })
                })
                .collect::<Result<_>>()?,
            Some(_) => {
                return Err(oauth.wrong("providers", &cat(&["a list of ", PROVIDER_MUST_BE])))
            }
        };
        Ok(OAuthConfig {
            domain_url,
            scopes,
            redirect_sign_in,
            redirect_sign_out,
            providers,
        })
    }

    /// The managed-login domain's base URL, without a trailing `/` (`https://mydomain.auth.us-east-1.amazoncognito.com`).
    pub fn domain_url(&self) -> &str {
        &self.domain_url
    }

    /// The scopes asked for.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// `redirectSignIn`, as configured.
    pub fn redirect_sign_in(&self) -> &[String] {
        &self.redirect_sign_in
    }

    /// `redirectSignOut`, as configured (may be empty).
    pub fn redirect_sign_out(&self) -> &[String] {
        &self.redirect_sign_out
    }

    /// `providers`, as configured (for a UI; the sign-in takes its provider from its input).
    pub fn providers(&self) -> &[IdentityProvider] {
        &self.providers
    }
}

/// A list of redirect URLs (a string or an array of strings); absent reads as empty.
fn redirect_list(oauth: &Input, name: &str) -> Result<Vec<String>> {
    let list = oauth.optional_string_list(name)?.unwrap_or_default();
    if let Some(bad) = list.iter().find(|url| !is_redirect_url(url)) {
        return Err(oauth.wrong(
            name,
            &cat(&[
                "a list of absolute http(s) URLs without a fragment, not ",
                &shown(bad),
            ]),
        ));
    }
    Ok(list)
}

// ---------------------------------------------------------------------------------------------------------------
// The call's input

/// OIDC's `prompt`, sent lower-cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// `none`: no page at all; fails unless the user has a managed-login session.
    None,
    /// `login`: ask again even with a session.
    Login,
    /// `consent`.
    Consent,
    /// `select_account`.
    SelectAccount,
}

impl Prompt {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Prompt::None => "none",
            Prompt::Login => "login",
            Prompt::Consent => "consent",
            Prompt::SelectAccount => "select_account",
        }
    }

    /// Amplify's `'NONE' | 'LOGIN' | 'CONSENT' | 'SELECT_ACCOUNT'`, in any case.
    fn from_name(name: &str) -> Option<Self> {
        [
            Prompt::None,
            Prompt::Login,
            Prompt::Consent,
            Prompt::SelectAccount,
        ]
        .into_iter()
        .find(|prompt| prompt.as_str().eq_ignore_ascii_case(name))
    }
}

/// `signInWithRedirect`'s input (Amplify's `SignInWithRedirectInput`). Empty strings count as absent, as in
/// Amplify.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectSignInInput {
    /// Where to sign in; `None`: Cognito's own page (`identity_provider=COGNITO`, or nothing with `prompt: NONE`).
    pub provider: Option<IdentityProvider>,
    /// Text that comes back after the sign-in (Amplify's `customState` Hub event).
    pub custom_state: Option<String>,
    /// `login_hint`: pre-fills the user name.
    pub login_hint: Option<String>,
    /// `lang`: managed login's page language.
    pub lang: Option<String>,
    /// `nonce` for the ID token; `None`: a random one.
    pub nonce: Option<String>,
    /// `prompt`.
    pub prompt: Option<Prompt>,
}

impl RedirectSignInInput {
    /// Reads `{ provider?, customState?, options?: { loginHint?, lang?, nonce?, prompt? } }`; errors are
    /// `InvalidArgument` naming the member.
    pub fn from_input(input: &Input) -> Result<Self> {
        input.only(SIGN_IN_WITH_REDIRECT_INPUT)?;
        let provider = match input.get("provider") {
            None => None,
            Some(value) => Some(
                IdentityProvider::from_value(value)
                    .ok_or_else(|| input.wrong("provider", PROVIDER_MUST_BE))?,
            ),
        };
        let custom_state = non_empty(input.optional_string("customState")?);
        if custom_state
            .as_deref()
            .is_some_and(|text| text.chars().count() > MAX_CUSTOM_STATE_CHARS)
        {
            return Err(input.wrong("customState", "at most 512 characters"));
        }
        let options = input.nested(
            "options",
            "signInWithRedirect input.options",
            SIGN_IN_WITH_REDIRECT_OPTIONS,
        )?;
        let plain = |name: &str| -> Result<Option<String>> {
            let value = non_empty(options.optional_string(name)?);
            match value {
                Some(text) if !is_plain_parameter(&text) => {
                    Err(options.wrong(name, "at most 2048 bytes without control characters"))
                }
                value => Ok(value),
            }
        };
        options.optional_bool("preferPrivateSession")?;
        let login_hint = plain("loginHint")?;
        let nonce = plain("nonce")?;
        let lang = non_empty(options.optional_string("lang")?);
        if lang
            .as_deref()
            .is_some_and(|lang| !LANGUAGES.contains(&lang))
        {
            return Err(options.wrong(
                "lang",
                "one of 'de', 'en', 'es', 'fr', 'id', 'it', 'ja', 'ko', 'pt-BR', 'zh-CN', 'zh-TW'",
            ));
        }
        let prompt = match non_empty(options.optional_string("prompt")?) {
            None => None,
            Some(name) => Some(Prompt::from_name(&name).ok_or_else(|| {
                options.wrong("prompt", "'NONE', 'LOGIN', 'CONSENT' or 'SELECT_ACCOUNT'")
            })?),
        };
        Ok(RedirectSignInInput {
            provider,
            custom_state,
            login_hint,
            lang,
            nonce,
            prompt,
        })
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|text| !text.is_empty())
}

// ---------------------------------------------------------------------------------------------------------------
// Random values

/// Fills `out` with characters of `[A-Za-z0-9]`, each equally likely: bytes from `random` below
/// [`UNBIASED_BYTE_LIMIT`] map to `ALPHANUMERIC[byte % 62]`, the others (3 %) are skipped. `random` is asked for
/// [`RANDOM_BATCH_BYTES`] at a time until `out` is full; a source that gives no usable bytes after many batches is
/// an error, never a loop.
fn fill_alphanumeric(
    out: &mut [u8],
    random: &mut impl FnMut(&mut [u8]) -> Result<()>,
) -> Result<()> {
    // Expected: len / 62 batches of 64 bytes (97 % usable); this many is beyond any working source.
    let max_batches = out.len() / 32 + 16;
    let mut filled = 0;
    let mut batch = [0u8; RANDOM_BATCH_BYTES];
    for _ in 0..max_batches {
        if filled == out.len() {
            return Ok(());
        }
        random(&mut batch)?;
        for &byte in &batch {
            if byte >= UNBIASED_BYTE_LIMIT {
                continue;
            }
            let Some(slot) = out.get_mut(filled) else {
                break;
            };
            *slot = ALPHANUMERIC
                .get(usize::from(byte) % ALPHANUMERIC.len())
                .copied()
                .unwrap_or(b'A');
            filled += 1;
        }
        batch.fill(0);
    }
    if filled == out.len() {
        return Ok(());
    }
    Err(Error::usage(
        UsageCode::InvalidConfig,
        "the random source gave no usable bytes",
    ))
}

/// `len` random characters of `[A-Za-z0-9]`.
fn random_alphanumeric(
    len: usize,
    random: &mut impl FnMut(&mut [u8]) -> Result<()>,
) -> Result<String> {
    let mut chars = vec![0u8; len];
    fill_alphanumeric(&mut chars, random)?;
    // ASCII by construction.
    Ok(chars.into_iter().map(char::from).collect())
}

/// The PKCE `code_verifier`: [`CODE_VERIFIER_CHARS`] characters of `[A-Za-z0-9]`. A secret until the code is
/// redeemed: redacted `Debug`, zeroed when dropped.
pub struct CodeVerifier(Box<[u8; CODE_VERIFIER_CHARS]>);

impl CodeVerifier {
    /// The verifier itself: call only where it is sent or stored.
    pub fn expose(&self) -> &str {
        core::str::from_utf8(&self.0[..]).unwrap_or_default()
    }

    /// Its `code_challenge` (S256).
    pub fn code_challenge(&self) -> String {
        code_challenge(self.expose())
    }

    /// A stored verifier: exactly [`CODE_VERIFIER_CHARS`] characters of `[A-Za-z0-9]`.
    fn parse(text: &str) -> Option<Self> {
        if text.len() != CODE_VERIFIER_CHARS || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let mut bytes = Box::new([0u8; CODE_VERIFIER_CHARS]);
        for (slot, byte) in bytes.iter_mut().zip(text.bytes()) {
            *slot = byte;
        }
        Some(CodeVerifier(bytes))
    }
}

impl Drop for CodeVerifier {
    fn drop(&mut self) {
        self.0.fill(0);
        core::hint::black_box(&self.0);
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(<redacted>)")
    }
}

/// RFC 7636's S256 `code_challenge` of `verifier`: base64url without padding of SHA-256 of its ASCII.
pub fn code_challenge(verifier: &str) -> String {
    base64::encode(&Sha256::digest(verifier.as_bytes()), Form::UrlUnpadded)
}

/// The random values of one `signInWithRedirect`, drawn by the driver (the machine has no randomness of its own):
/// the random part of `state`, the PKCE verifier and a nonce.
pub struct RedirectSecrets {
    state: String,
    code_verifier: CodeVerifier,
    nonce: String,
}

impl RedirectSecrets {
    /// Draws them from `random` (the platform's CSPRNG), which is asked for 64 bytes at a time until each value is
    /// full (a batch gives 62 characters on average; the rest of the state's and the nonce's batch is dropped):
    /// usually 4 or 5 calls, 256 or 320 bytes.
    pub fn draw(mut random: impl FnMut(&mut [u8]) -> Result<()>) -> Result<Self> {
        let state = random_alphanumeric(STATE_RANDOM_CHARS, &mut random)?;
        let mut verifier = Box::new([0u8; CODE_VERIFIER_CHARS]);
        fill_alphanumeric(&mut verifier[..], &mut random)?;
        let code_verifier = CodeVerifier(verifier);
        let nonce = random_alphanumeric(NONCE_CHARS, &mut random)?;
        Ok(RedirectSecrets {
            state,
            code_verifier,
            nonce,
        })
    }
}

impl fmt::Debug for RedirectSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RedirectSecrets(<redacted>)")
    }
}

// ---------------------------------------------------------------------------------------------------------------
// customState in `state`

/// `customState` as it travels in `state` (after the random part and a `-`): Amplify's `urlSafeEncode`, two
/// lower-case hex digits per UTF-16 unit, for units below U+0100. Amplify writes a larger unit with 3 or 4 digits,
/// which its own decoder then misreads; this writes `u` and 4 digits instead, so that every text comes back.
pub fn encode_custom_state(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for unit in text.encode_utf16() {
        if unit < 0x100 {
            crate::text::push_hex(&mut out, unit.into(), 2, false);
        } else {
            out.push('u');
            crate::text::push_hex(&mut out, unit.into(), 4, false);
        }
    }
    out
}

/// The text [`encode_custom_state`] encoded; `None` unless `encoded` is exactly such an encoding.
pub fn decode_custom_state(encoded: &str) -> Option<String> {
    let mut units = Vec::with_capacity(encoded.len() / 2);
    let mut rest = encoded.bytes();
    let lower_hex = |byte: u8| match byte {
        b'0'..=b'9' | b'a'..=b'f' => hex_digit(byte),
        _ => None,
    };
    while let Some(first) = rest.next() {
        let digits = if first == b'u' { 4 } else { 1 };
        let mut unit = if first == b'u' {
            0
        } else {
            u16::from(lower_hex(first)?)
        };
        for _ in 0..digits {
            unit = unit << 4 | u16::from(lower_hex(rest.next()?)?);
        }
        // One form per text: a unit below U+0100 is never written with `u`.
        if first == b'u' && unit < 0x100 {
            return None;
        }
        units.push(unit);
    }
    String::from_utf16(&units).ok()
}

/// Splits `state` into its random part and, after the first `-`, the encoded `customState` (Amplify reads any
/// `-` as the sign of one).
fn split_state(state: &str) -> (&str, Option<&str>) {
    match state.split_once('-') {
        Some((random, custom)) => (random, Some(custom)),
        None => (state, None),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The pending sign-in

/// What is kept (in storage) between the redirect to managed login and the callback: redacted `Debug`, the
/// verifier zeroed when dropped.
pub struct PendingSignIn {
    state: String,
    code_verifier: CodeVerifier,
    nonce: String,
    redirect_uri: String,
    custom_state: Option<String>,
    created_at: i64,
}

impl PendingSignIn {
    /// A sign-in starting `now` (device seconds) from the page at `page_url` (`location.href`; `None` where there
    /// is no page): the redirect URL is the `redirectSignIn` entry of the page's origin (Amplify's choice; the
    /// callback must come back to the origin whose storage holds this record, so there being none is
    /// `InvalidConfig`), or the first without a page. The nonce is the input's, else the random one.
    pub fn new(
        config: &OAuthConfig,
        input: &RedirectSignInInput,
        secrets: RedirectSecrets,
        page_url: Option<&str>,
        now: i64,
    ) -> Result<Self> {
        let redirect_uri = match page_url {
            Some(page) => {
                same_origin_redirect(&config.redirect_sign_in, page).ok_or_else(|| {
                    Error::usage(
                        UsageCode::InvalidConfig,
                        cat(&[
                            "oauth.redirectSignIn has no URL of this page's origin (",
                            &shown(page),
                            "): the sign-in must come back to the origin that started it",
                        ]),
                    )
                })?
            }
            None => config
                .redirect_sign_in
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
        };
        let RedirectSecrets {
            mut state,
            code_verifier,
            nonce,
        } = secrets;
        if let Some(custom) = &input.custom_state {
            state.push('-');
            state.push_str(&encode_custom_state(custom));
        }
        Ok(PendingSignIn {
            state,
            code_verifier,
            nonce: input.nonce.clone().unwrap_or(nonce),
            redirect_uri: redirect_uri.to_owned(),
            custom_state: input.custom_state.clone(),
            created_at: now,
        })
    }

    /// `state` as sent: the random part, then `-` and the encoded `customState` if there is one.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// The PKCE verifier.
    pub fn code_verifier(&self) -> &CodeVerifier {
        &self.code_verifier
    }

    /// The `nonce` the ID token must carry.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The `redirect_uri` sent, which the token request must repeat.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The caller's `customState`, exactly as given.
    pub fn custom_state(&self) -> Option<&str> {
        self.custom_state.as_deref()
    }

    /// When the sign-in started (device seconds).
    pub fn created_at(&self) -> i64 {
        self.created_at
    }

    /// Whether the record is too old to honour ([`PENDING_SIGN_IN_TTL_SECS`]), or dated in the future beyond a
    /// minute's slack.
    pub fn is_expired(&self, now: i64) -> bool {
        let age = now.saturating_sub(self.created_at);
        !(-PENDING_CLOCK_SLACK_SECS..PENDING_SIGN_IN_TTL_SECS).contains(&age)
    }

    /// The record to store.
    pub fn to_json(&self) -> String {
        let mut doc = Object::new()
            .with("v", PENDING_RECORD_VERSION)
            .with("state", self.state.as_str())
            .with("codeVerifier", self.code_verifier.expose())
            .with("nonce", self.nonce.as_str())
            .with("redirectUri", self.redirect_uri.as_str());
        if let Some(custom) = &self.custom_state {
            doc.insert("customState", custom.as_str());
        }
        doc.insert("createdAt", self.created_at);
        doc.to_json()
    }

    /// Reads a stored record, refusing (`StorageError`) anything [`to_json`](Self::to_json) would not have
    /// written: another version, unknown or missing members, a malformed state, verifier, nonce or URL, a
    /// `customState` that is not the one in `state`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad =
            |why: &str| Error::Storage(cat(&["the pending sign-in with redirect ", why]).into());
        let limits = json::Limits {
            max_bytes: MAX_PENDING_RECORD_BYTES,
            max_depth: 1,
        };
        let doc = json::parse_object(text.as_bytes(), &limits)
            .map_err(|_| bad("is not a JSON object"))?;
        if doc
            .iter()
            .any(|(key, _)| !PENDING_RECORD_MEMBERS.contains(&key))
        {
            return Err(bad("has an unknown member"));
        }
        if doc.get("v").and_then(Value::as_i64) != Some(PENDING_RECORD_VERSION) {
            return Err(bad("is of another format version"));
        }
        let string = |key: &str| doc.get_str(key).ok_or_else(|| bad("lacks a string member"));
        let state = string("state")?;
        let (random, encoded_custom) = split_state(state);
        let random_ok =
            random.len() == STATE_RANDOM_CHARS && random.bytes().all(|b| b.is_ascii_alphanumeric());
        if !random_ok {
            return Err(bad("has a malformed state"));
        }
        let custom_state = match doc.get("customState") {
            None => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => return Err(bad("has a malformed customState")),
        };
        let decoded = match encoded_custom {
            None => None,
            Some(encoded) => {
                Some(decode_custom_state(encoded).ok_or_else(|| bad("has a malformed state"))?)
            }
        };
        if decoded != custom_state || custom_state.as_deref() == Some("") {
            return Err(bad("has a customState that is not the state's"));
        }
        let code_verifier = CodeVerifier::parse(string("codeVerifier")?)
            .ok_or_else(|| bad("has a malformed verifier"))?;
        let nonce = string("nonce")?;
        if !is_plain_parameter(nonce) {
            return Err(bad("has a malformed nonce"));
        }
        let redirect_uri = string("redirectUri")?;
        if !is_redirect_url(redirect_uri) {
            return Err(bad("has a malformed redirect URL"));
        }
        let created_at = doc
            .get("createdAt")
            .and_then(Value::as_i64)
            .filter(|at| *at >= 0)
            .ok_or_else(|| bad("has a malformed createdAt"))?;
        Ok(PendingSignIn {
            state: state.to_owned(),
            code_verifier,
            nonce: nonce.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            custom_state,
            created_at,
        })
    }
}

impl fmt::Debug for PendingSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("redirect_uri", &self.redirect_uri)
            .field("has_custom_state", &self.custom_state.is_some())
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// The `/oauth2/authorize` URL to send the browser to, with Amplify's parameters in Amplify's order:
/// `redirect_uri, response_type, client_id, identity_provider | idp_identifier, scope, login_hint?, lang?, nonce,
/// prompt?, state, code_challenge, code_challenge_method`. With no provider it is `COGNITO`, or none at all with
/// `prompt: NONE`.
pub fn authorize_url(
    config: &OAuthConfig,
    pool: &PoolConfig,
    input: &RedirectSignInInput,
    pending: &PendingSignIn,
) -> String {
    let mut query = FormPairs::new()
        .pair("redirect_uri", &pending.redirect_uri)
        .pair("response_type", "code")
        .pair("client_id", pool.client_id());
    match (&input.provider, input.prompt) {
        (Some(provider), _) => {
            let (name, value) = provider.authorize_parameter();
            query = query.pair(name, value);
        }
        (None, Some(Prompt::None)) => {}
        (None, _) => query = query.pair("identity_provider", "COGNITO"),
    }
    let query = query
        .pair("scope", &config.scopes.join(" "))
        .optional("login_hint", input.login_hint.as_deref())
        .optional("lang", input.lang.as_deref())
        .pair("nonce", &pending.nonce)
        .optional("prompt", input.prompt.map(Prompt::as_str))
        .pair("state", &pending.state)
        .pair("code_challenge", &pending.code_verifier.code_challenge())
        .pair("code_challenge_method", "S256");
    cat(&[&config.domain_url, "/oauth2/authorize?", &query.0])
}

// ---------------------------------------------------------------------------------------------------------------
// The callback

/// The authorization code from the callback: single use, 5 minutes; redacted `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCode(String);

impl AuthorizationCode {
    /// The code itself: call only where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

/// The OAuth parameters of a callback's query, decoded.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallbackParameters {
    /// `code`.
    pub code: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
}

impl fmt::Debug for CallbackParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackParameters")
            .field("has_code", &self.code.is_some())
            .field("has_state", &self.state.is_some())
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

/// Reads `code`, `state`, `error` and `error_description` from a query (without the `?`), form-decoded. One of them
/// twice (also written differently, `%63ode`), or a value that is not percent-encoded UTF-8, is a `ProtocolError`.
/// Other parameters are left alone.
pub fn parse_callback_query(query: &str) -> Result<CallbackParameters> {
    let mut parameters = CallbackParameters::default();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(name) = form_decode(name) else {
            continue;
        };
        let slot = match name.as_str() {
            "code" => &mut parameters.code,
            "state" => &mut parameters.state,
            "error" => &mut parameters.error,
            "error_description" => &mut parameters.error_description,
            _ => continue,
        };
        if slot.is_some() {
            return Err(Error::protocol(cat(&[
                "the sign-in callback has more than one ",
                &name,
                " parameter",
            ])));
        }
        *slot = Some(form_decode(value).ok_or_else(|| {
            Error::protocol(cat(&[
                "the sign-in callback's ",
                &name,
                " is not percent-encoded UTF-8",
            ]))
        })?);
    }
    Ok(parameters)
}

/// What the page's URL is to a pending sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// Not its callback: another page (origin or path differ from the redirect URL's), or the redirect page with
    /// no `code`, `state` or `error`.
    NotOurs,
    /// Its callback, with the code to redeem ([`token_request`]).
    Code(AuthorizationCode),
}

/// Reads the URL the browser landed on (`location.href`) for `pending`, at `now` (device seconds):
/// * another origin or path than the redirect URL's, an unreadable URL, or no OAuth parameters: [`Callback::NotOurs`];
/// * a `state` that is not the pending one, or none: `ProtocolError` (another sign-in's callback, or a forged one);
/// * a record past [`PENDING_SIGN_IN_TTL_SECS`]: `NoSignInInProgress`;
/// * `error`: `OAuthError` with Cognito's `error` as the code and `error_description` as the message;
/// * else the `code` (`ProtocolError` if there is none).
pub fn read_callback(url: &str, pending: &PendingSignIn, now: i64) -> Result<Callback> {
    let (Some(here), Some(expected)) =
        (origin_and_path(url), origin_and_path(&pending.redirect_uri))
    else {
        return Ok(Callback::NotOurs);
    };
    if here != expected {
        return Ok(Callback::NotOurs);
    }
    if url.len() > MAX_CALLBACK_URL_BYTES {
        return Err(Error::protocol(
            "the sign-in callback URL is longer than 16 KiB",
        ));
    }
    let before_fragment = url.split('#').next().unwrap_or_default();
    let query = before_fragment
        .split_once('?')
        .map_or("", |(_, query)| query);
    let parameters = parse_callback_query(query)?;
    if parameters.code.is_none() && parameters.state.is_none() && parameters.error.is_none() {
        return Ok(Callback::NotOurs);
    }
    match &parameters.state {
        Some(state) if *state == pending.state => {}
        Some(_) => {
            return Err(Error::protocol(
                "the sign-in callback's state is not the pending sign-in's: it comes from another sign-in, or is forged",
            ))
        }
        // Cognito's error redirects carry the state too; an error without one is still reported as it is.
        None if parameters.error.is_some() => {}
        None => return Err(Error::protocol("the sign-in callback has no state")),
    }
    if pending.is_expired(now) {
        return Err(Error::usage(
            UsageCode::NoSignInInProgress,
            "the sign-in with redirect started more than 10 minutes ago: start it again",
        ));
    }
    if let Some(code) = &parameters.error {
        return Err(oauth_error(
            code,
            parameters.error_description.as_deref().unwrap_or_default(),
        ));
    }
    match parameters.code {
        Some(code) if !code.is_empty() && code.len() <= MAX_PARAMETER_BYTES => {
            Ok(Callback::Code(AuthorizationCode(code)))
        }
        Some(_) => Err(Error::protocol("the sign-in callback's code is malformed")),
        None => Err(Error::protocol("the sign-in callback has no code")),
    }
}

/// An OAuth error as `OAuthError`, if `code` looks like one (RFC 6749's characters, short); a hostile or broken
/// answer is a `ProtocolError`. The description is cut to [`MAX_ERROR_DESCRIPTION_CHARS`].
fn oauth_error(code: &str, description: &str) -> Error {
    let code_ok = !code.is_empty()
        && code.len() <= MAX_ERROR_CODE_BYTES
        && code
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
    if !code_ok {
        return Error::protocol(cat(&["malformed OAuth error code ", &shown(code)]));
    }
    Error::OAuth {
        code: code.to_owned(),
        message: description
            .chars()
            .take(MAX_ERROR_DESCRIPTION_CHARS)
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The token endpoint

/// `POST {domain}/oauth2/token` redeeming `code`: `grant_type=authorization_code&code&client_id&redirect_uri&
/// code_verifier`, form-urlencoded (Amplify's body), with `Authorization: Basic` when the app client has a secret.
/// Only `Content-Type` otherwise, so that the browser sends it without a preflight, as Amplify does.
pub fn token_request(
    config: &OAuthConfig,
    pool: &PoolConfig,
    code: &AuthorizationCode,
    pending: &PendingSignIn,
) -> HttpRequest {
    let body = FormPairs::new()
        .pair("grant_type", "authorization_code")
        .pair("code", &code.0)
        .pair("client_id", pool.client_id())
        .pair("redirect_uri", &pending.redirect_uri)
        .pair("code_verifier", pending.code_verifier.expose());
    let mut headers = vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    if let Some(secret) = pool.client_secret() {
        let credentials = cat(&[pool.client_id(), ":", secret.expose()]);
        headers.push((
            "Authorization".to_owned(),
            cat(&[
                "Basic ",
                &base64::encode(credentials.as_bytes(), Form::StandardPadded),
            ]),
        ));
    }
    HttpRequest {
        method: "POST",
        url: cat(&[&config.domain_url, "/oauth2/token"]),
        headers,
        body: body.0,
    }
}

/// The token endpoint's answer: `{ access_token, id_token, refresh_token?, expires_in, token_type? }` as an
/// [`AuthenticationResult`]. An `error` member (Amplify reads it whatever the status) is `OAuthError`
/// (`error_description`, else `error_message`, as the message); a non-2xx answer without one, or a body that is
/// not the tokens, is a `ProtocolError`.
pub fn parse_token_response(response: &HttpResponse) -> Result<AuthenticationResult> {
    let limits = json::Limits {
        max_bytes: MAX_RESPONSE_BYTES,
        max_depth: 16,
    };
    let status = || uint(response.status.into());
    let body = json::parse_object(&response.body, &limits);
    if let Ok(body) = &body {
        if let Some(error) = body.get("error").filter(|v| !v.is_null()) {
            let description = body
                .get_str("error_description")
                .or_else(|| body.get_str("error_message"))
                .unwrap_or_default();
            return Err(match error.as_str() {
                Some(code) => oauth_error(code, description),
                None => Error::protocol("the token endpoint's error is not a string"),
            });
        }
    }
    if !response.is_success() {
        return Err(Error::protocol(cat(&[
            "HTTP ",
            &status(),
            " from the token endpoint without an OAuth error",
        ])));
    }
    let body = body.map_err(|e| {
        Error::protocol(cat(&[
            "HTTP ",
            &status(),
            " from the token endpoint is not a JSON object (",
            &e.message(),
            ")",
        ]))
    })?;
    const CTX: &str = "token response";
    let expires_in = body
        .get("expires_in")
        .and_then(Value::as_i64)
        .filter(|secs| *secs > 0)
        .ok_or_else(|| Error::protocol("token response.expires_in is not a positive integer"))?;
    let id_token = optional_str(&body, CTX, "id_token")?.ok_or_else(|| {
        Error::protocol("token response has no id_token: the scopes must include 'openid'")
    })?;
    Ok(AuthenticationResult {
        access_token: required_str(&body, CTX, "access_token")?.to_owned(),
        id_token: id_token.to_owned(),
        refresh_token: optional_str(&body, CTX, "refresh_token")?.map(RefreshToken::from),
        expires_in,
        token_type: optional_str(&body, CTX, "token_type")?
            .unwrap_or("Bearer")
            .to_owned(),
        new_device_metadata: None,
    })
}

/// Checks the `nonce` claim of the sign-in's ID token (its claims, once verified) against the pending sign-in's:
/// Cognito copies the authorize request's `nonce` into it, so another value means the token was not issued for
/// this sign-in (Amplify does not check it).
pub fn check_nonce(id_token_claims: &Object, pending: &PendingSignIn) -> Result<(), TokenError> {
    match id_token_claims.get("nonce") {
        None | Some(Value::Null) => Err(TokenError::MissingClaim {
            claim: "nonce".into(),
        }),
        Some(Value::String(nonce)) if *nonce == pending.nonce => Ok(()),
        Some(_) => Err(TokenError::InvalidClaim {
            claim: "nonce".into(),
            reason: "is not the nonce of the sign-in with redirect".into(),
        }),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-out

/// `{domain}/logout?client_id=…&logout_uri=…`, to end the managed-login session after a local sign-out. The
/// `redirectSignOut` entry is the one of the page's origin (`page_url`: `location.href`) as Amplify chooses, else
/// the first; `None` when `redirectSignOut` is empty (there is nowhere Cognito would send the browser back to).
pub fn logout_url(
    config: &OAuthConfig,
    pool: &PoolConfig,
    page_url: Option<&str>,
) -> Option<String> {
    let logout_uri = page_url
        .and_then(|page| same_origin_redirect(&config.redirect_sign_out, page))
        .or_else(|| config.redirect_sign_out.first().map(String::as_str))?;
    let query = FormPairs::new()
        .pair("client_id", pool.client_id())
        .pair("logout_uri", logout_uri);
    Some(cat(&[&config.domain_url, "/logout?", &query.0]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ClientSecret;
    use ::base64::Engine as _;

    const CONFIG: &str = r#"{"domain":"mydomain.auth.us-east-1.amazoncognito.com",
        "scopes":["openid","email","aws.cognito.signin.user.admin"],
        "redirectSignIn":["https://app.example.com/callback"],
        "redirectSignOut":["https://app.example.com/"],"responseType":"code"}"#;
    const STATE: &str = "Abcdefghijklmnopqrstuvwxyz012345";
    const APP_CALLBACK: &str = "https://app.example.com/callback";

    fn verifier() -> String {
        cat(&[&"0123456789".repeat(12), "abcdefgh"])
    }

    fn read_config(json: &str) -> Result<OAuthConfig> {
        OAuthConfig::from_input(&Input::parse("CognitoAuth options.oauth", json).unwrap())
    }

    fn config() -> OAuthConfig {
        read_config(CONFIG).unwrap()
    }

    fn pool() -> PoolConfig {
        PoolConfig::new("us-east-1_AbC123", "client1").unwrap()
    }

    fn redirect_input(json: &str) -> Result<RedirectSignInInput> {
        RedirectSignInInput::from_input(&Input::parse("signInWithRedirect input", json).unwrap())
    }

    /// A record as `to_json` writes it, with `members` (name, JSON text) replacing the defaults of the same
    /// names or added after them; the text `<absent>` leaves the member out.
    fn record(members: &[(&str, &str)]) -> String {
        let mut fields = vec![
            ("v", "1".to_owned()),
            ("state", cat(&["\"", STATE, "\""])),
            ("codeVerifier", cat(&["\"", &verifier(), "\""])),
            ("nonce", "\"n0nce\"".to_owned()),
            ("redirectUri", cat(&["\"", APP_CALLBACK, "\""])),
            ("createdAt", "1000".to_owned()),
        ];
        for (name, value) in members {
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(field) => field.1 = (*value).to_owned(),
                None => fields.push((name, (*value).to_owned())),
            }
        }
        let members: Vec<String> = fields
            .iter()
            .filter(|(_, value)| value != "<absent>")
            .map(|(name, value)| format!("\"{name}\":{value}"))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    fn pending() -> PendingSignIn {
        PendingSignIn::parse(&record(&[])).unwrap()
    }

    /// A deterministic stand-in for the CSPRNG: 0, 1, 2, ... wrapping.
    fn counting_bytes() -> impl FnMut(&mut [u8]) -> Result<()> {
        let mut next = 0u8;
        move |buf: &mut [u8]| {
            for byte in buf {
                *byte = next;
                next = next.wrapping_add(1);
            }
            Ok(())
        }
    }

    fn code_of(e: Error) -> String {
        e.code().to_owned()
    }

    // --- form encoding -------------------------------------------------------------------------------------

    #[test]
    fn form_encoding_is_url_search_params() {
        // `new URLSearchParams([["v", text]]).toString()` in Node 22 for the same text.
        let mut out = String::new();
        push_form_encoded(&mut out, "x y*-._~!'()&=+/?#%é€😀\t");
        assert_eq!(
            out,
            "x+y*-._%7E%21%27%28%29%26%3D%2B%2F%3F%23%25%C3%A9%E2%82%AC%F0%9F%98%80%09"
        );
        let query = FormPairs::new()
            .pair("a b", "1")
            .optional("skipped", None)
            .optional("c", Some(""))
            .pair("", "=");
        assert_eq!(query.0, "a+b=1&c=&=%3D");
    }

    #[test]
    fn form_decoding_is_strict() {
        for (encoded, text) in [
            ("a+b%20c", "a b c"),
            ("%C3%A9%c3%a9", "éé"),
            ("plain", "plain"),
            ("", ""),
            ("%2B+", "+ "),
            ("x*-._~!", "x*-._~!"),
            ("%F0%9F%98%80", "😀"),
        ] {
            assert_eq!(form_decode(encoded).as_deref(), Some(text), "{encoded}");
        }
        for bad in [
            "%",
            "%4",
            "%zz",
            "%4g",
            "a%2",
            "%C3",
            "%FF",
            "%ED%A0%80",
            "%C0%AF",
        ] {
            assert_eq!(form_decode(bad), None, "{bad}");
        }
    }

    // --- PKCE and random values ----------------------------------------------------------------------------

    #[test]
    fn code_challenge_is_rfc_7636_s256() {
        // RFC 7636 appendix B.
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let verifier = CodeVerifier::parse(&verifier()).unwrap();
        let reference = ::base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.expose().as_bytes()));
        assert_eq!(verifier.code_challenge(), reference);
        assert_eq!(verifier.code_challenge().len(), 43);
    }

    #[test]
    fn random_characters_are_unbiased() {
        // Bytes 0..=255 once each: 248 characters, each of the 62 exactly 4 times; 248..=255 are skipped.
        let mut chars = [0u8; 248];
        let mut source = counting_bytes();
        fill_alphanumeric(&mut chars, &mut source).unwrap();
        for c in ALPHANUMERIC {
            assert_eq!(
                chars.iter().filter(|x| *x == c).count(),
                4,
                "{}",
                char::from(*c)
            );
        }
        assert_eq!(&chars[..3], b"ABC");
        assert_eq!(&chars[60..64], b"89AB");
        // The next byte the source gives is 0 again (248..=255 were skipped): one more batch starts at 'A'.
        let mut one = [0u8; 1];
        fill_alphanumeric(&mut one, &mut source).unwrap();
        assert_eq!(&one, b"A");
        // Only bytes >= 248: skipped, then give up (no endless loop).
        let mut calls = 0;
        let e = fill_alphanumeric(&mut [0u8; 32], &mut |buf: &mut [u8]| {
            calls += 1;
            buf.fill(0xF8);
            Ok(())
        })
        .unwrap_err();
        assert_eq!(e.code(), "InvalidConfig");
        assert_eq!(calls, 17);
        // A mix: only the usable bytes count.
        let mut chars = [0u8; 4];
        let mut bytes = [255u8, 0, 249, 61, 62, 250, 247].into_iter().cycle();
        fill_alphanumeric(&mut chars, &mut |buf: &mut [u8]| {
            buf.iter_mut().for_each(|b| *b = bytes.next().unwrap());
            Ok(())
        })
        .unwrap();
        assert_eq!(&chars, b"A9A9");
        // The source's failure is the error.
        let e = fill_alphanumeric(&mut [0u8; 4], &mut |_: &mut [u8]| {
            Err(Error::usage(UsageCode::InvalidConfig, "no crypto"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "no crypto");
        // Nothing to fill: nothing drawn.
        fill_alphanumeric(&mut [], &mut |_: &mut [u8]| unreachable!()).unwrap();
    }

    #[test]
    fn redirect_secrets_are_drawn_in_full() {
        let mut asked = Vec::new();
        let mut source = counting_bytes();
        let secrets = RedirectSecrets::draw(|buf: &mut [u8]| {
            asked.push(buf.len());
            source(buf)
        })
        .unwrap();
        assert_eq!(secrets.state, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef");
        assert_eq!(secrets.code_verifier.expose().len(), CODE_VERIFIER_CHARS);
        assert_eq!(secrets.nonce.len(), NONCE_CHARS);
        for text in [
            &secrets.state,
            &secrets.nonce,
            secrets.code_verifier.expose(),
        ] {
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "{text}");
        }
        assert!(asked.iter().all(|n| *n == RANDOM_BATCH_BYTES));
        // A batch for the state (the rest of it is dropped), 2 for the verifier, 1 for the nonce.
        assert_eq!(asked.len(), 4);
        let other = RedirectSecrets::draw(|buf: &mut [u8]| {
            buf.iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = (i * 7) as u8);
            Ok(())
        })
        .unwrap();
        assert_ne!(other.code_verifier.expose(), secrets.code_verifier.expose());
        assert_eq!(format!("{secrets:?}"), "RedirectSecrets(<redacted>)");
        assert_eq!(
            format!("{:?}", secrets.code_verifier),
            "CodeVerifier(<redacted>)"
        );
        let e = RedirectSecrets::draw(|_: &mut [u8]| {
            Err(Error::usage(UsageCode::InvalidConfig, "no crypto"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "no crypto");
    }

    // --- customState ---------------------------------------------------------------------------------------

    #[test]
    fn custom_state_is_amplifys_encoding_and_comes_back() {
        // Amplify's urlSafeEncode for text below U+0100.
        assert_eq!(encode_custom_state("abc"), "616263");
        assert_eq!(encode_custom_state("/p?q=1 é"), "2f703f713d3120e9");
        assert_eq!(encode_custom_state("\0"), "00");
        // Amplify writes "20ac" and "d83dde00" (and misreads them); these are ours.
        assert_eq!(encode_custom_state("hé€😀"), "68e9u20acud83dude00");
        for text in [
            "",
            "abc",
            "{\"returnTo\":\"/orders?id=7\"}",
            "é",
            "ÿĀ",
            "€",
            "日本語のテキスト",
            "😀 emoji 👍🏽",
            "-dash-and-u-",
            "\u{ffff}\u{10ffff}",
        ] {
            let encoded = encode_custom_state(text);
            assert!(
                encoded.bytes().all(|b| b.is_ascii_hexdigit() || b == b'u'),
                "{encoded}"
            );
            assert_eq!(
                decode_custom_state(&encoded).as_deref(),
                Some(text),
                "{text}"
            );
        }
        for bad in [
            "6", "616", "6g", "4A", "u20a", "u20aX", "u00e9", "ud83d", "ude00", "ud83d61", "-",
            "x", "U20ac",
        ] {
            assert_eq!(decode_custom_state(bad), None, "{bad}");
        }
    }

    // --- configuration -------------------------------------------------------------------------------------

    #[test]
    fn config_reads_amplifys_oauth_shape() {
        let c = config();
        assert_eq!(
            c.domain_url(),
            "https://mydomain.auth.us-east-1.amazoncognito.com"
        );
        assert_eq!(
            c.scopes(),
            ["openid", "email", "aws.cognito.signin.user.admin"]
        );
        assert_eq!(c.redirect_sign_in(), [APP_CALLBACK]);
        assert_eq!(c.redirect_sign_out(), ["https://app.example.com/"]);
        assert!(c.providers().is_empty());
        let with = |domain: &str| {
            read_config(&CONFIG.replace("mydomain.auth.us-east-1.amazoncognito.com", domain))
                .map(|c| c.domain_url().to_owned())
        };
        for (domain, url) in [
            ("auth.example.com", "https://auth.example.com"),
            ("AUTH.Example.com/", "https://auth.example.com"),
            ("auth.example.com:8443", "https://auth.example.com:8443"),
            ("https://auth.example.com:443/", "https://auth.example.com"),
            (
                "http://127.0.0.1:9329/_domain/demo",
                "http://127.0.0.1:9329/_domain/demo",
            ),
            (
                "http://127.0.0.1:9329/_domain/demo/",
                "http://127.0.0.1:9329/_domain/demo",
            ),
            ("http://localhost:9329", "http://localhost:9329"),
            ("http://[::1]:9329/d", "http://[::1]:9329/d"),
            (
                "127.0.0.1:9329/_domain/demo",
                "https://127.0.0.1:9329/_domain/demo",
            ),
        ] {
            assert_eq!(with(domain).unwrap(), url, "{domain}");
        }
        for domain in [
            "",
            "http://auth.example.com",
            "http://192.168.1.5:9329",
            "ftp://auth.example.com",
            "https://auth.example.com/?x=1",
            "https://auth.example.com/#f",
            "auth.example.com?x",
            "user@auth.example.com",
            "https://user:pw@auth.example.com",
            "auth example.com",
            "auth.exämple.com",
            "https://",
            "//auth.example.com",
            "auth.example.com\\\\x",
            "https://auth.example.com:99999",
        ] {
            let e = with(domain).unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{domain}");
            assert!(
                e.message().starts_with("CognitoAuth options.oauth.domain "),
                "{domain}: {}",
                e.message()
            );
        }
    }

    #[test]
    fn config_refuses_what_cannot_work() {
        let base = |edit: &str, with: &str| {
            assert!(CONFIG.contains(edit), "{edit}");
            read_config(&CONFIG.replace(edit, with))
        };
        let message = |r: Result<OAuthConfig>| {
            let e = r.unwrap_err();
            assert_eq!(e.code(), "InvalidConfig");
            e.message()
        };
        assert_eq!(
            message(base(r#""responseType":"code""#, r#""responseType":"token""#)),
            "CognitoAuth options.oauth.responseType must be 'code': only the authorization code flow with PKCE is \
             supported, not the implicit flow ('token')"
        );
        assert!(base(r#","responseType":"code""#, "").is_ok());
        assert_eq!(
            message(base(r#""openid","#, "")),
            "CognitoAuth options.oauth.scopes must be a list with 'openid': without it Cognito issues no ID token, \
             and a session needs one"
        );
        assert!(message(base(r#""email""#, r#""two words""#)).contains("\"two words\""));
        assert_eq!(
            message(base(
                r#""scopes":["openid","email","aws.cognito.signin.user.admin"],"#,
                ""
            )),
            "CognitoAuth options.oauth.scopes must be a list with 'openid': without it Cognito issues no ID token, \
             and a session needs one"
        );
        assert_eq!(
            message(base(
                r#""domain":"mydomain.auth.us-east-1.amazoncognito.com","#,
                ""
            )),
            "CognitoAuth options.oauth.domain is required"
        );
        assert_eq!(
            message(base(r#""mydomain.auth.us-east-1.amazoncognito.com""#, "7")),
            "CognitoAuth options.oauth.domain must be a string"
        );
        assert_eq!(
            message(base(r#""responseType""#, r#""responseTyp""#)),
            "CognitoAuth options.oauth has no member \"responseTyp\""
        );
        assert_eq!(
            message(base(r#"["https://app.example.com/callback"]"#, "[]")),
            "CognitoAuth options.oauth.redirectSignIn must be a list of at least one URL"
        );
        for bad in [
            r#""/callback""#,
            r#""app.example.com/callback""#,
            r#""https://app.example.com/#done""#,
            r#""myapp://callback""#,
            r#""https://evil.com\\@app.example.com/""#,
            "[1]",
            r#"{"url":"https://app.example.com/"}"#,
            "true",
        ] {
            let e = base(r#"["https://app.example.com/callback"]"#, bad).unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{bad}");
            assert!(
                e.message()
                    .starts_with("CognitoAuth options.oauth.redirectSignIn must be "),
                "{bad}: {}",
                e.message()
            );
            let e = base(r#"["https://app.example.com/"]"#, bad).unwrap_err();
            assert!(
                e.message()
                    .starts_with("CognitoAuth options.oauth.redirectSignOut must be "),
                "{bad}: {}",
                e.message()
            );
        }
        // A single URL reads as a list of one; redirectSignOut may be empty or absent; a query is kept.
        let c = base(
            r#"["https://app.example.com/callback"]"#,
            r#""http://localhost:5173/cb?tenant=a""#,
        )
        .unwrap();
        assert_eq!(c.redirect_sign_in(), ["http://localhost:5173/cb?tenant=a"]);
        assert!(base(r#"["https://app.example.com/"]"#, "[]").is_ok());
        assert!(
            base(r#""redirectSignOut":["https://app.example.com/"],"#, "")
                .unwrap()
                .redirect_sign_out()
                .is_empty()
        );
        assert_eq!(
            message(base(
                r#"["openid","email","aws.cognito.signin.user.admin"]"#,
                r#"{"openid":true}"#
            )),
            "CognitoAuth options.oauth.scopes must be a string or an array of strings"
        );
        assert_eq!(
            message(base(r#""code""#, "[\"code\"]")),
            "CognitoAuth options.oauth.responseType must be a string"
        );
    }

    #[test]
    fn config_reads_the_ui_providers() {
        let c = read_config(&CONFIG.replace(
            r#""responseType""#,
            r#""providers":["Google","Apple",{"custom":"Corp SAML"},{"idpIdentifier":"corp.example"}],"responseType""#,
        ))
        .unwrap();
        assert_eq!(
            c.providers(),
            [
                IdentityProvider::Google,
                IdentityProvider::Apple,
                IdentityProvider::Custom("Corp SAML".into()),
                IdentityProvider::Identifier("corp.example".into()),
            ]
        );
        for bad in [
            r#"["Twitter"]"#,
            r#"["google"]"#,
            r#"[{"custom":""}]"#,
            r#"[{"custom":"a","idpIdentifier":"b"}]"#,
            r#"[{"name":"Corp"}]"#,
            r#"[{"custom":7}]"#,
            r#""Google""#,
            "[null]",
        ] {
            let e = read_config(&CONFIG.replace(
                r#""responseType""#,
                &format!(r#""providers":{bad},"responseType""#),
            ))
            .unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{bad}");
            assert!(e.message().contains("options.oauth.providers"), "{bad}");
        }
    }

    // --- the call's input ----------------------------------------------------------------------------------

    #[test]
    fn redirect_input_reads_amplifys_shape() {
        assert_eq!(
            redirect_input("null").unwrap(),
            RedirectSignInInput::default()
        );
        let input = redirect_input(
            r#"{"provider":"Amazon","customState":"x","options":{"loginHint":"a@b","lang":"zh-TW","nonce":"N","prompt":"select_account"}}"#,
        )
        .unwrap();
        assert_eq!(
            input,
            RedirectSignInInput {
                provider: Some(IdentityProvider::Amazon),
                custom_state: Some("x".into()),
                login_hint: Some("a@b".into()),
                lang: Some("zh-TW".into()),
                nonce: Some("N".into()),
                prompt: Some(Prompt::SelectAccount),
            }
        );
        for (provider, parameter) in [
            (r#""Google""#, ("identity_provider", "Google")),
            (r#""Facebook""#, ("identity_provider", "Facebook")),
            (r#""Amazon""#, ("identity_provider", "LoginWithAmazon")),
            (r#""Apple""#, ("identity_provider", "SignInWithApple")),
            (r#"{"custom":"Corp"}"#, ("identity_provider", "Corp")),
            (
                r#"{"idpIdentifier":"corp.example"}"#,
                ("idp_identifier", "corp.example"),
            ),
        ] {
            let input = redirect_input(&format!(r#"{{"provider":{provider}}}"#)).unwrap();
            assert_eq!(
                input.provider.unwrap().authorize_parameter(),
                parameter,
                "{provider}"
            );
        }
        for (prompt, wanted) in [
            ("NONE", Prompt::None),
            ("none", Prompt::None),
            ("LOGIN", Prompt::Login),
            ("Consent", Prompt::Consent),
            ("SELECT_ACCOUNT", Prompt::SelectAccount),
        ] {
            let input =
                redirect_input(&format!(r#"{{"options":{{"prompt":"{prompt}"}}}}"#)).unwrap();
            assert_eq!(input.prompt, Some(wanted), "{prompt}");
        }
        // Empty strings are absent, as in Amplify.
        let input = redirect_input(
            r#"{"customState":"","options":{"loginHint":"","lang":"","nonce":"","prompt":""}}"#,
        )
        .unwrap();
        assert_eq!(input, RedirectSignInInput::default());
        let at_most = "é".repeat(MAX_CUSTOM_STATE_CHARS);
        assert!(redirect_input(&format!(r#"{{"customState":"{at_most}"}}"#)).is_ok());
        // iOS's preferPrivateSession is accepted and, as in Amplify on the web, changes nothing.
        for flag in ["true", "false"] {
            let input = redirect_input(&format!(
                r#"{{"options":{{"preferPrivateSession":{flag}}}}}"#
            ));
            assert_eq!(input.unwrap(), RedirectSignInInput::default());
        }
    }

    #[test]
    fn redirect_input_refuses_the_rest() {
        let long = "x".repeat(MAX_PARAMETER_BYTES + 1);
        let too_much_state = "é".repeat(MAX_CUSTOM_STATE_CHARS + 1);
        for (input, message) in [
            (
                r#"{"provider":"Twitter"}"#.to_owned(),
                "signInWithRedirect input.provider must be 'Google', 'Facebook', 'Amazon', 'Apple', { custom: name } \
                 or { idpIdentifier: identifier }",
            ),
            (
                r#"{"provider":{"custom":"a\u0000b"}}"#.to_owned(),
                "signInWithRedirect input.provider must be 'Google', 'Facebook', 'Amazon', 'Apple', { custom: name } \
                 or { idpIdentifier: identifier }",
            ),
            (
                r#"{"provider":"COGNITO"}"#.to_owned(),
                "signInWithRedirect input.provider must be 'Google', 'Facebook', 'Amazon', 'Apple', { custom: name } \
                 or { idpIdentifier: identifier }",
            ),
            (
                r#"{"customState":7}"#.to_owned(),
                "signInWithRedirect input.customState must be a string",
            ),
            (
                format!(r#"{{"customState":"{too_much_state}"}}"#),
                "signInWithRedirect input.customState must be at most 512 characters",
            ),
            (
                r#"{"options":{"lang":"pt"}}"#.to_owned(),
                "signInWithRedirect input.options.lang must be one of 'de', 'en', 'es', 'fr', 'id', 'it', 'ja', 'ko', \
                 'pt-BR', 'zh-CN', 'zh-TW'",
            ),
            (
                r#"{"options":{"preferPrivateSession":"yes"}}"#.to_owned(),
                "signInWithRedirect input.options.preferPrivateSession must be a boolean",
            ),
            (
                r#"{"options":{"prompt":"always"}}"#.to_owned(),
                "signInWithRedirect input.options.prompt must be 'NONE', 'LOGIN', 'CONSENT' or 'SELECT_ACCOUNT'",
            ),
            (
                format!(r#"{{"options":{{"loginHint":"{long}"}}}}"#),
                "signInWithRedirect input.options.loginHint must be at most 2048 bytes without control characters",
            ),
            (
                r#"{"options":{"nonce":"a\nb"}}"#.to_owned(),
                "signInWithRedirect input.options.nonce must be at most 2048 bytes without control characters",
            ),
            (
                r#"{"options":{"authSessionOpener":{}}}"#.to_owned(),
                "signInWithRedirect input.options has no member \"authSessionOpener\"",
            ),
            (
                r#"{"options":[]}"#.to_owned(),
                "signInWithRedirect input.options must be an object",
            ),
            (
                r#"{"providers":"Google"}"#.to_owned(),
                "signInWithRedirect input has no member \"providers\"",
            ),
        ] {
            let e = redirect_input(&input).unwrap_err();
            assert_eq!(e.code(), "InvalidArgument", "{input}");
            assert_eq!(e.message(), message, "{input}");
        }
    }

    // --- the pending sign-in and the authorize URL ---------------------------------------------------------

    #[test]
    fn authorize_url_is_amplifys() {
        let input = redirect_input(
            r#"{"provider":"Google","options":{"loginHint":"alice+1@example.com","lang":"pt-BR","prompt":"LOGIN"}}"#,
        )
        .unwrap();
        let challenge = ::base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier().as_bytes()));
        // What Amplify's signInWithRedirect builds with URLSearchParams, in its order, written out by hand.
        let expected = cat(&[
            "https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/authorize",
            "?redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback",
            "&response_type=code",
            "&client_id=client1",
            "&identity_provider=Google",
            "&scope=openid+email+aws.cognito.signin.user.admin",
            "&login_hint=alice%2B1%40example.com",
            "&lang=pt-BR",
            "&nonce=n0nce",
            "&prompt=login",
            "&state=Abcdefghijklmnopqrstuvwxyz012345",
            "&code_challenge=",
            &challenge,
            "&code_challenge_method=S256",
        ]);
        assert_eq!(
            authorize_url(&config(), &pool(), &input, &pending()),
            expected
        );
    }

    #[test]
    fn authorize_url_names_the_provider_as_amplify_does() {
        let url = |input: &str| {
            authorize_url(
                &config(),
                &pool(),
                &redirect_input(input).unwrap(),
                &pending(),
            )
        };
        let query = |input: &str| {
            let url = url(input);
            let (_, query) = url.split_once('?').unwrap();
            let names: Vec<String> = query
                .split('&')
                .map(|pair| pair.split('=').next().unwrap().to_owned())
                .collect();
            (query.to_owned(), names)
        };
        let (q, names) = query("null");
        assert!(q.contains("&identity_provider=COGNITO&"), "{q}");
        assert_eq!(
            names,
            [
                "redirect_uri",
                "response_type",
                "client_id",
                "identity_provider",
                "scope",
                "nonce",
                "state",
                "code_challenge",
                "code_challenge_method"
            ]
        );
        // prompt=none without a provider: none named at all.
        let (q, names) = query(r#"{"options":{"prompt":"NONE"}}"#);
        assert!(!names.contains(&"identity_provider".to_owned()), "{q}");
        assert!(q.contains("&nonce=n0nce&prompt=none&state="), "{q}");
        // ...but one given is sent.
        let (q, _) = query(r#"{"provider":"Facebook","options":{"prompt":"NONE"}}"#);
        assert!(q.contains("&identity_provider=Facebook&"), "{q}");
        let (q, names) = query(r#"{"provider":{"idpIdentifier":"corp.example"}}"#);
        assert!(q.contains("&idp_identifier=corp.example&"), "{q}");
        assert!(!names.contains(&"identity_provider".to_owned()));
        let (q, _) = query(r#"{"provider":{"custom":"Corp SAML/é"}}"#);
        assert!(q.contains("&identity_provider=Corp+SAML%2F%C3%A9&"), "{q}");
        let (q, _) = query(r#"{"provider":"Apple"}"#);
        assert!(q.contains("&identity_provider=SignInWithApple&"), "{q}");
        // The emulator's domain: a path under another origin.
        let emulator = read_config(&CONFIG.replace(
            "mydomain.auth.us-east-1.amazoncognito.com",
            "http://127.0.0.1:9329/_domain/demo/",
        ))
        .unwrap();
        let url = authorize_url(
            &emulator,
            &pool(),
            &RedirectSignInInput::default(),
            &pending(),
        );
        assert!(
            url.starts_with("http://127.0.0.1:9329/_domain/demo/oauth2/authorize?redirect_uri="),
            "{url}"
        );
    }

    #[test]
    fn a_pending_sign_in_is_made_from_the_input_and_secrets() {
        let c = read_config(&CONFIG.replace(
            r#"["https://app.example.com/callback"]"#,
            r#"["https://app.example.com/callback","http://localhost:5173/","http://localhost:5173/auth/callback"]"#,
        ))
        .unwrap();
        let secrets = || RedirectSecrets::draw(counting_bytes()).unwrap();
        let input = redirect_input(r#"{"customState":"hé€😀"}"#).unwrap();
        let p = PendingSignIn::new(&c, &input, secrets(), None, 1234).unwrap();
        assert_eq!(
            p.state(),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef-68e9u20acud83dude00"
        );
        assert_eq!(p.custom_state(), Some("hé€😀"));
        assert_eq!(p.redirect_uri(), APP_CALLBACK);
        assert_eq!(p.created_at(), 1234);
        assert_eq!(p.nonce(), secrets().nonce);
        assert_eq!(p.code_verifier().expose(), secrets().code_verifier.expose());
        // The caller's nonce wins; no customState, no `-`.
        let input = redirect_input(r#"{"options":{"nonce":"mine"}}"#).unwrap();
        let p = PendingSignIn::new(&c, &input, secrets(), None, 0).unwrap();
        assert_eq!(
            (p.nonce(), p.state()),
            ("mine", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")
        );
        assert_eq!(p.custom_state(), None);
        // The redirect URL of the page's origin, preferring the page's path (Amplify's getRedirectUrl).
        let none = RedirectSignInInput::default();
        for (page, chosen) in [
            (
                "http://localhost:5173/auth/callback?x=1#y",
                "http://localhost:5173/auth/callback",
            ),
            (
                "http://localhost:5173/auth/callback/deeper",
                "http://localhost:5173/",
            ),
            ("http://localhost:5173/", "http://localhost:5173/"),
            ("http://localhost:5173", "http://localhost:5173/"),
            ("http://LOCALHOST:5173/elsewhere", "http://localhost:5173/"),
            ("https://app.example.com/", APP_CALLBACK),
            ("https://app.example.com:443/x", APP_CALLBACK),
        ] {
            let p = PendingSignIn::new(&c, &none, secrets(), Some(page), 0).unwrap();
            assert_eq!(p.redirect_uri(), chosen, "{page}");
        }
        for page in [
            "https://evil.example/",
            "http://localhost:5174/",
            "http://app.example.com/callback",
            "null",
            "about:blank",
        ] {
            let e = PendingSignIn::new(&c, &none, secrets(), Some(page), 0).unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{page}");
            assert!(e
                .message()
                .starts_with("oauth.redirectSignIn has no URL of this page's origin"));
        }
    }

    #[test]
    fn the_pending_record_round_trips_and_hides_its_secrets() {
        let c = config();
        let input = redirect_input(r#"{"customState":"{\"to\":\"/é€😀\"}"}"#).unwrap();
        let p = PendingSignIn::new(
            &c,
            &input,
            RedirectSecrets::draw(counting_bytes()).unwrap(),
            None,
            1700000000,
        )
        .unwrap();
        let json = p.to_json();
        let back = PendingSignIn::parse(&json).unwrap();
        assert_eq!(back.to_json(), json);
        assert_eq!(back.state(), p.state());
        assert_eq!(back.code_verifier().expose(), p.code_verifier().expose());
        assert_eq!(back.nonce(), p.nonce());
        assert_eq!(back.redirect_uri(), p.redirect_uri());
        assert_eq!(back.custom_state(), Some("{\"to\":\"/é€😀\"}"));
        assert_eq!(back.created_at(), 1700000000);
        // The custom state decodes from the state itself too.
        let (_, encoded) = split_state(back.state());
        assert_eq!(
            decode_custom_state(encoded.unwrap()).as_deref(),
            back.custom_state()
        );
        let debug = format!("{back:?}");
        for secret in [p.state(), p.code_verifier().expose(), p.nonce()] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("created_at: 1700000000"), "{debug}");
        // Without customState.
        let plain = pending();
        assert_eq!(
            PendingSignIn::parse(&plain.to_json()).unwrap().to_json(),
            plain.to_json()
        );
        assert_eq!(plain.custom_state(), None);
    }

    #[test]
    fn malformed_pending_records_are_refused() {
        let long_nonce = cat(&["\"", &"n".repeat(MAX_PARAMETER_BYTES + 1), "\""]);
        let bad_verifiers = [
            cat(&["\"", &verifier()[1..], "\""]),
            cat(&["\"", &verifier(), "x\""]),
            cat(&["\"", &verifier()[1..], "-\""]),
        ];
        let mut cases: Vec<String> = ["", "null", "[]", "{}", "{", "\"x\"", "7", "{\"v\":1}"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        for edit in [
            ("v", "2"),
            ("v", "\"1\""),
            ("v", "<absent>"),
            ("extra", "1"),
            ("state", "<absent>"),
            ("state", "7"),
            ("state", "\"short\""),
            ("state", "\"Abcdefghijklmnopqrstuvwxyz01234!\""),
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-\""),
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-6\""),
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-616263\""),
            ("customState", "\"abc\""),
            ("customState", "\"\""),
            ("customState", "null"),
            ("customState", "[\"abc\"]"),
            ("codeVerifier", "<absent>"),
            ("codeVerifier", "128"),
            ("nonce", "\"\""),
            ("nonce", "\"a\\u0000b\""),
            ("nonce", long_nonce.as_str()),
            ("nonce", "{\"n\":1}"),
            ("redirectUri", "\"/callback\""),
            ("redirectUri", "\"ftp://app.example.com/\""),
            ("redirectUri", "\"https://app.example.com/#f\""),
            ("redirectUri", "\"\""),
            ("createdAt", "-1"),
            ("createdAt", "1.5"),
            ("createdAt", "1e3"),
            ("createdAt", "\"1000\""),
            ("createdAt", "99999999999999999999"),
            ("createdAt", "<absent>"),
        ] {
            cases.push(record(&[edit]));
        }
        for verifier in &bad_verifiers {
            cases.push(record(&[("codeVerifier", verifier)]));
        }
        // A customState that does not match the state's, and a state with one the record lacks.
        cases.push(record(&[
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-616263\""),
            ("customState", "\"abd\""),
        ]));
        cases.push(cat(&[&record(&[]), " x"]));
        cases.push(record(&[(
            "pad",
            &cat(&["\"", &"p".repeat(MAX_PENDING_RECORD_BYTES), "\""]),
        )]));
        for text in &cases {
            let e = PendingSignIn::parse(text).unwrap_err();
            assert_eq!(e.code(), "StorageError", "{text}");
            assert!(
                e.message().contains("pending sign-in with redirect"),
                "{text}"
            );
        }
        // The matching pair is accepted.
        let ok = record(&[
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-616263\""),
            ("customState", "\"abc\""),
        ]);
        assert_eq!(
            PendingSignIn::parse(&ok).unwrap().custom_state(),
            Some("abc")
        );
    }

    #[test]
    fn hostile_pending_records_never_panic() {
        let valid = record(&[
            ("state", "\"Abcdefghijklmnopqrstuvwxyz012345-u20ac\""),
            ("customState", "\"€\""),
        ]);
        assert!(PendingSignIn::parse(&valid).is_ok());
        // Every truncation fails.
        for end in 0..valid.len() {
            if let Some(cut) = valid.get(..end) {
                assert!(PendingSignIn::parse(cut).is_err(), "{end}");
            }
        }
        // Byte mutations (xorshift): whatever they give, no panic; a change the format cannot absorb is refused.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut bytes = valid.clone().into_bytes();
            for _ in 0..1 + next() % 4 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = (next() % 256) as u8;
            }
            if let Ok(text) = String::from_utf8(bytes) {
                if let Ok(p) = PendingSignIn::parse(&text) {
                    // Whatever was accepted writes back to a record that reads the same.
                    assert_eq!(
                        PendingSignIn::parse(&p.to_json()).unwrap().to_json(),
                        p.to_json()
                    );
                }
            }
        }
        // Deep nesting and huge numbers.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(PendingSignIn::parse(&record(&[("nonce", &deep)])).is_err());
        assert!(PendingSignIn::parse(&record(&[("createdAt", &"9".repeat(5000))])).is_err());
    }

    #[test]
    fn pending_sign_ins_expire() {
        let p = pending(); // created at 1000
        for now in [1000, 1001, 1599, 940] {
            assert!(!p.is_expired(now), "{now}");
        }
        for now in [1600, 939, i64::MAX, i64::MIN, 0] {
            assert!(p.is_expired(now), "{now}");
        }
    }

    // --- the callback --------------------------------------------------------------------------------------

    fn callback(url: &str) -> Result<Callback> {
        read_callback(url, &pending(), 1100)
    }

    fn got_code(url: &str) -> String {
        match callback(url) {
            Ok(Callback::Code(code)) => code.expose().to_owned(),
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn the_callback_gives_the_code() {
        let s = STATE;
        assert_eq!(
            got_code(&format!("{APP_CALLBACK}?code=abc-123&state={s}")),
            "abc-123"
        );
        assert_eq!(
            got_code(&format!("{APP_CALLBACK}?state={s}&code=a%2Bb+c#frag")),
            "a+b c"
        );
        assert_eq!(
            got_code(&format!(
                "HTTPS://App.Example.com:443/callback?x=1&&code=c&state={s}&y"
            )),
            "c"
        );
        // A redirect URL with its own query: Cognito adds to it.
        let own = PendingSignIn::parse(&record(&[(
            "redirectUri",
            "\"http://localhost:5173/cb?tenant=a\"",
        )]))
        .unwrap();
        assert_eq!(
            read_callback(
                &format!("http://localhost:5173/cb?tenant=a&code=k&state={s}"),
                &own,
                1000
            )
            .unwrap(),
            Callback::Code(AuthorizationCode("k".into()))
        );
        assert_eq!(
            format!("{:?}", AuthorizationCode("k".into())),
            "AuthorizationCode(<redacted>)"
        );
    }

    #[test]
    fn other_pages_are_not_the_callback() {
        let s = STATE;
        for url in [
            format!("https://app.example.com/other?code=abc&state={s}"),
            format!("https://app.example.com/callback/?code=abc&state={s}"),
            format!("https://app.example.com/Callback?code=abc&state={s}"),
            format!("http://app.example.com/callback?code=abc&state={s}"),
            format!("https://app.example.com:8443/callback?code=abc&state={s}"),
            format!("https://evil.example/callback?code=abc&state={s}"),
            APP_CALLBACK.to_owned(),
            format!("{APP_CALLBACK}?page=2"),
            format!("{APP_CALLBACK}#code=abc&state={s}"),
            "not a url".to_owned(),
            "".to_owned(),
            format!("{APP_CALLBACK}?code=\\&state={s}"),
        ] {
            assert_eq!(callback(&url).unwrap(), Callback::NotOurs, "{url}");
        }
    }

    #[test]
    fn callback_errors() {
        let s = STATE;
        let e = callback(&format!(
            "{APP_CALLBACK}?error=access_denied&error_description=Google+Error+-+access_denied%21&state={s}"
        ))
        .unwrap_err();
        assert_eq!(
            (e.name(), e.code(), e.message().as_str()),
            (
                "OAuthError",
                "access_denied",
                "Google Error - access_denied!"
            )
        );
        // Cognito's error without a state is still its error.
        let e = callback(&format!("{APP_CALLBACK}?error=invalid_scope")).unwrap_err();
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("invalid_scope", "invalid_scope")
        );
        let long = "d".repeat(5000);
        let e = callback(&format!(
            "{APP_CALLBACK}?error=server_error&error_description={long}"
        ))
        .unwrap_err();
        assert_eq!(e.message().len(), MAX_ERROR_DESCRIPTION_CHARS);
        for (url, code) in [
            // Another sign-in's state, with an error or a code: refused before either is believed.
            (
                format!("{APP_CALLBACK}?error=access_denied&state=X{s}"),
                "ProtocolError",
            ),
            (
                format!("{APP_CALLBACK}?code=abc&state={s}x"),
                "ProtocolError",
            ),
            (format!("{APP_CALLBACK}?code=abc&state="), "ProtocolError"),
            (format!("{APP_CALLBACK}?code=abc"), "ProtocolError"),
            (format!("{APP_CALLBACK}?state={s}"), "ProtocolError"),
            (format!("{APP_CALLBACK}?state={s}&code="), "ProtocolError"),
            (
                format!("{APP_CALLBACK}?state={s}&code={}", "c".repeat(3000)),
                "ProtocolError",
            ),
            // Twice, even written differently.
            (
                format!("{APP_CALLBACK}?code=a&code=b&state={s}"),
                "ProtocolError",
            ),
            (
                format!("{APP_CALLBACK}?code=a&state={s}&state={s}"),
                "ProtocolError",
            ),
            (
                format!("{APP_CALLBACK}?%63ode=a&code=a&state={s}"),
                "ProtocolError",
            ),
            (format!("{APP_CALLBACK}?error=a&error=b"), "ProtocolError"),
            (
                format!("{APP_CALLBACK}?error=a&error_description=x&error_description=y"),
                "ProtocolError",
            ),
            // Bad percent-encoding.
            (
                format!("{APP_CALLBACK}?code=%zz&state={s}"),
                "ProtocolError",
            ),
            (
                format!("{APP_CALLBACK}?code=%E9&state={s}"),
                "ProtocolError",
            ),
            (format!("{APP_CALLBACK}?code=a&state={s}%"), "ProtocolError"),
            // Hostile error codes.
            (
                format!("{APP_CALLBACK}?error=%22quoted%22&state={s}"),
                "ProtocolError",
            ),
            (
                format!("{APP_CALLBACK}?error=a+b&state={s}"),
                "ProtocolError",
            ),
            (format!("{APP_CALLBACK}?error=&state={s}"), "ProtocolError"),
            (
                format!("{APP_CALLBACK}?error={}&state={s}", "e".repeat(65)),
                "ProtocolError",
            ),
            // Too long.
            (
                format!(
                    "{APP_CALLBACK}?code=a&state={s}&pad={}",
                    "p".repeat(MAX_CALLBACK_URL_BYTES)
                ),
                "ProtocolError",
            ),
        ] {
            assert_eq!(code_of(callback(&url).unwrap_err()), code, "{url}");
        }
        // Too old: the code would be dead anyway, and the record is stale.
        let e = read_callback(
            &format!("{APP_CALLBACK}?code=abc&state={s}"),
            &pending(),
            1600,
        )
        .unwrap_err();
        assert_eq!(e.code(), "NoSignInInProgress");
    }

    #[test]
    fn callback_queries_are_read_strictly() {
        let p = parse_callback_query("a=1&code=x%20y&&state=S&error_description=d+e&error=e&z")
            .unwrap();
        assert_eq!(
            p,
            CallbackParameters {
                code: Some("x y".into()),
                state: Some("S".into()),
                error: Some("e".into()),
                error_description: Some("d e".into()),
            }
        );
        assert_eq!(
            parse_callback_query("").unwrap(),
            CallbackParameters::default()
        );
        assert_eq!(
            parse_callback_query("code").unwrap().code.as_deref(),
            Some("")
        );
        assert_eq!(
            parse_callback_query("code=a=b").unwrap().code.as_deref(),
            Some("a=b")
        );
        // An undecodable name is not one of ours; an unrelated value is never decoded.
        assert_eq!(
            parse_callback_query("%zz=1&other=%zz&code=c")
                .unwrap()
                .code
                .as_deref(),
            Some("c")
        );
        let e = parse_callback_query("state=a&st%61te=b").unwrap_err();
        assert_eq!(
            e.message(),
            "unexpected response: the sign-in callback has more than one state parameter"
        );
        let debug = format!("{:?}", parse_callback_query("code=SECRET&state=S").unwrap());
        assert!(!debug.contains("SECRET"), "{debug}");
    }

    // --- the token endpoint --------------------------------------------------------------------------------

    #[test]
    fn the_token_request_is_amplifys() {
        let code = AuthorizationCode("abc-123".into());
        let r = token_request(&config(), &pool(), &code, &pending());
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.url,
            "https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/token"
        );
        assert_eq!(
            r.headers,
            [(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )]
        );
        assert_eq!(
            r.body,
            cat(&[
                "grant_type=authorization_code&code=abc-123&client_id=client1",
                "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&code_verifier=",
                &verifier(),
            ])
        );
        assert!(!format!("{r:?}").contains(&verifier()));
        // With a client secret (server-side use): HTTP Basic.
        let secret_pool = pool().with_client_secret(ClientSecret::new("s3cr3t"));
        let r = token_request(&config(), &secret_pool, &code, &pending());
        let basic = ::base64::engine::general_purpose::STANDARD.encode("client1:s3cr3t");
        assert_eq!(
            r.header("authorization"),
            Some(cat(&["Basic ", &basic]).as_str())
        );
        assert!(!r.body.contains("s3cr3t"));
    }

    fn tokens(status: u16, body: &str) -> Result<AuthenticationResult> {
        parse_token_response(&HttpResponse::json(status, body))
    }

    #[test]
    fn token_responses_become_authentication_results() {
        let t = tokens(
            200,
            r#"{"access_token":"AT","id_token":"IT","refresh_token":"RT","expires_in":3600,"token_type":"Bearer"}"#,
        )
        .unwrap();
        assert_eq!((t.access_token.as_str(), t.id_token.as_str()), ("AT", "IT"));
        assert_eq!(
            t.refresh_token.as_ref().map(RefreshToken::expose),
            Some("RT")
        );
        assert_eq!((t.expires_in, t.token_type.as_str()), (3600, "Bearer"));
        assert!(t.new_device_metadata.is_none());
        let t = tokens(
            200,
            r#"{"access_token":"AT","id_token":"IT","expires_in":60,"error":null,"x":[1]}"#,
        )
        .unwrap();
        assert!(t.refresh_token.is_none());
        assert_eq!(t.token_type, "Bearer");
        let e = tokens(200, r#"{"access_token":"AT","expires_in":3600}"#).unwrap_err();
        assert_eq!(
            e.message(),
            "unexpected response: token response has no id_token: the scopes must include 'openid'"
        );
        for body in [
            r#"{"access_token":"AT","id_token":"IT"}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":0}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":-5}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":1.5}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":"3600"}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":99999999999999999999}"#,
            r#"{"access_token":7,"id_token":"IT","expires_in":3600}"#,
            r#"{"id_token":"IT","expires_in":3600}"#,
            r#"{"access_token":"AT","id_token":["IT"],"expires_in":3600}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":3600,"refresh_token":1}"#,
            r#"{"access_token":"AT","id_token":"IT","expires_in":3600,"token_type":false}"#,
            r#"{"access_token":"AT","access_token":"AT2","id_token":"IT","expires_in":3600}"#,
            "",
            "[1]",
            "<html>ok</html>",
            "{\"access_token\":\"\u{0}\"",
        ] {
            assert_eq!(
                code_of(tokens(200, body).unwrap_err()),
                "ProtocolError",
                "{body}"
            );
        }
        let huge = format!(
            r#"{{"access_token":"{}","id_token":"IT","expires_in":1}}"#,
            "a".repeat(MAX_RESPONSE_BYTES)
        );
        assert_eq!(code_of(tokens(200, &huge).unwrap_err()), "ProtocolError");
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(code_of(tokens(200, &deep).unwrap_err()), "ProtocolError");
        let not_utf8 = HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: vec![b'{', 0xff, b'}'],
        };
        assert_eq!(
            code_of(parse_token_response(&not_utf8).unwrap_err()),
            "ProtocolError"
        );
    }

    #[test]
    fn token_errors_are_oauth_errors() {
        for (status, body, code, message) in [
            (
                400,
                r#"{"error":"invalid_grant"}"#,
                "invalid_grant",
                "invalid_grant",
            ),
            (
                400,
                r#"{"error":"invalid_grant","error_description":"Code expired"}"#,
                "invalid_grant",
                "Code expired",
            ),
            (
                400,
                r#"{"error":"invalid_request","error_message":"no verifier"}"#,
                "invalid_request",
                "no verifier",
            ),
            (
                400,
                r#"{"error":"invalid_request","error_description":"d","error_message":"m"}"#,
                "invalid_request",
                "d",
            ),
            (
                401,
                r#"{"error":"invalid_client"}"#,
                "invalid_client",
                "invalid_client",
            ),
            // Amplify reads `error` whatever the status.
            (
                200,
                r#"{"error":"server_error","access_token":"AT"}"#,
                "server_error",
                "server_error",
            ),
        ] {
            let e = tokens(status, body).unwrap_err();
            assert_eq!(
                (e.name(), e.code(), e.message().as_str()),
                ("OAuthError", code, message),
                "{body}"
            );
        }
        for (status, body, contains) in [
            (
                502,
                "<html>Bad gateway</html>",
                "HTTP 502 from the token endpoint without an OAuth error",
            ),
            (400, "", "HTTP 400"),
            (400, r#"{"message":"x"}"#, "HTTP 400"),
            (
                400,
                r#"{"error":5}"#,
                "the token endpoint's error is not a string",
            ),
            (400, r#"{"error":""}"#, "malformed OAuth error code"),
            (400, r#"{"error":"a\"b"}"#, "malformed OAuth error code"),
            (500, r#"{"error":null}"#, "HTTP 500"),
            (
                200,
                "<x/>",
                "HTTP 200 from the token endpoint is not a JSON object",
            ),
        ] {
            let e = tokens(status, body).unwrap_err();
            assert_eq!(e.code(), "ProtocolError", "{body}");
            assert!(e.message().contains(contains), "{body}: {}", e.message());
        }
    }

    #[test]
    fn the_nonce_must_be_the_sign_ins() {
        let claims =
            |json: &str| json::parse_object(json.as_bytes(), &json::Limits::default()).unwrap();
        let p = pending();
        assert_eq!(
            check_nonce(&claims(r#"{"nonce":"n0nce","sub":"u"}"#), &p),
            Ok(())
        );
        for (json, code) in [
            (r#"{"sub":"u"}"#, "JwtMissingClaim"),
            (r#"{"nonce":null}"#, "JwtMissingClaim"),
            (r#"{"nonce":"n0nc"}"#, "JwtInvalidClaim"),
            (r#"{"nonce":"N0NCE"}"#, "JwtInvalidClaim"),
            (r#"{"nonce":["n0nce"]}"#, "JwtInvalidClaim"),
            (r#"{"nonce":7}"#, "JwtInvalidClaim"),
        ] {
            assert_eq!(
                check_nonce(&claims(json), &p).unwrap_err().code(),
                code,
                "{json}"
            );
        }
    }

    // --- sign-out ------------------------------------------------------------------------------------------

    #[test]
    fn the_logout_url_names_the_pages_sign_out_url() {
        let c = read_config(&CONFIG.replace(
            r#"["https://app.example.com/"]"#,
            r#"["https://app.example.com/","http://localhost:5173/signed-out?a=1&b"]"#,
        ))
        .unwrap();
        let first = "https://mydomain.auth.us-east-1.amazoncognito.com/logout?client_id=client1\
                     &logout_uri=https%3A%2F%2Fapp.example.com%2F";
        assert_eq!(logout_url(&c, &pool(), None).as_deref(), Some(first));
        assert_eq!(
            logout_url(&c, &pool(), Some("https://other.example/")).as_deref(),
            Some(first)
        );
        assert_eq!(
            logout_url(&c, &pool(), Some("null")).as_deref(),
            Some(first)
        );
        assert_eq!(
            logout_url(&c, &pool(), Some("http://localhost:5173/app/page")).as_deref(),
            Some(
                "https://mydomain.auth.us-east-1.amazoncognito.com/logout?client_id=client1\
                 &logout_uri=http%3A%2F%2Flocalhost%3A5173%2Fsigned-out%3Fa%3D1%26b"
            )
        );
        let none = read_config(&CONFIG.replace(r#"["https://app.example.com/"]"#, "[]")).unwrap();
        assert_eq!(
            logout_url(&none, &pool(), Some("https://app.example.com/")),
            None
        );
    }
}
