//! Where `auth.fetch` may send the access token, and when a 401 may force a refresh: pure functions of their
//! inputs, tested here case by case.
//!
//! * **Where**: only to the page's own origin and to the configured `apiOrigins`, and only over `https:`, or
//!   over `http:` to a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`). Without a page (Node, or an opaque
//!   origin such as a sandboxed frame's `"null"`), only `apiOrigins` count.
//! * **How URLs are read**: by hand and strictly, `scheme://host[:port]` then a path, query or fragment. What
//!   the WHATWG parser would reinterpret (credentials, backslashes, spaces, control or non-ASCII characters,
//!   percent-encoded hosts, an IPv4 address not written as four decimal octets) is refused, never guessed at.
//!   The browser hands in `Request.url`, already in WHATWG's form, so no real URL trips on this; the strictness
//!   only means that a URL read differently here and in the browser can never carry the token.
//! * **After a 401**: one forced refresh per [`FETCH_401_REFRESH_SECS`]; see [`after_401`].

use crate::error::{Error, Result, UsageCode};
use crate::text::cat;

/// After a 401 forced a refresh, further 401s within this many seconds force none: the response is the answer
/// (unless the token has changed since that request went out; then it is retried once with the new one).
pub const FETCH_401_REFRESH_SECS: i64 = 10;

/// An `http:` or `https:` origin: lower-case host (an IPv6 address in brackets), the port only when it is not
/// the scheme's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    host: String,
    port: Option<u16>,
}

/// Why a URL cannot be read; the text follows what the URL is called ("fetch URL", "apiOrigins entry").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Neither `http:` nor `https:` (`data:`, `blob:`, `ftp:`...).
    Scheme,
    /// Unreadable, with the reason.
    Malformed(&'static str),
}

const NOT_ABSOLUTE: Problem = Problem::Malformed(" must be an absolute URL");
const BAD_CHARACTERS: Problem = Problem::Malformed(
    " must not contain spaces, control characters, backslashes or non-ASCII characters",
);
const CREDENTIALS: Problem = Problem::Malformed(" must not contain credentials");
const BAD_HOST: Problem = Problem::Malformed(" has no valid host");
const BAD_PORT: Problem = Problem::Malformed(" has an invalid port");

/// Only `https:`, or `http:` to a loopback host.
const INSECURE: &str = "auth.fetch sends the token over https only (http only to a loopback host)";
/// Neither the page's origin nor one of `apiOrigins`.
const NOT_LISTED: &str =
    "auth.fetch sends the token only to the page's origin and to the origins in apiOrigins";

impl Origin {
    /// Whether the host is a loopback one: `localhost`, `[::1]`, or an IPv4 address in `127.0.0.0/8`.
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host == "[::1]"
            || ipv4(&self.host).is_some_and(|octets| octets.first() == Some(&127))
    }

    /// Whether a token may travel to this origin at all: over https, or over http to a loopback host.
    pub fn may_carry_token(&self) -> bool {
        self.https || self.is_loopback()
    }

    /// `scheme://host[:port]`, as `URL.origin` writes it.
    pub fn serialize(&self) -> String {
        let scheme = if self.https { "https://" } else { "http://" };
        let mut out = cat(&[scheme, &self.host]);
        if let Some(port) = self.port {
            out.push(':');
            crate::text::push_uint(&mut out, u64::from(port), 1);
        }
        out
    }
}

/// Splits an absolute http(s) URL into its origin and what follows the authority (path, query, fragment).
fn parse_url(url: &str) -> core::result::Result<(Origin, &str), Problem> {
    if !url.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return Err(BAD_CHARACTERS);
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err(NOT_ABSOLUTE);
    };
    let mut bytes = scheme.bytes();
    let scheme_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(NOT_ABSOLUTE);
    }
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return Err(Problem::Scheme);
    };
    let rest = rest.strip_prefix("//").ok_or(NOT_ABSOLUTE)?;
    // `get`, not `split_at`: no panicking path (and the formatting it would bring into the wasm).
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let tail = rest.get(authority.len()..).unwrap_or_default();
    Ok((origin(https, authority)?, tail))
}

/// An absolute http(s) URL read as [`check_fetch_url`] reads it: its origin and what follows the authority (path,
/// query, fragment). On failure, why, as text to follow what the URL is called (`" must be an http(s) URL"`). For
/// managed login's URLs (`flow::oauth`), so that one reader decides what a URL's origin is.
#[cfg(feature = "flows")]
pub(crate) fn read_http_url(url: &str) -> core::result::Result<(Origin, &str), &'static str> {
    parse_url(url).map_err(|problem| match problem {
        Problem::Scheme => " must be an http(s) URL",
        Problem::Malformed(what) => what,
    })
}

/// The origin of an authority (`host[:port]`, no userinfo).
fn origin(https: bool, authority: &str) -> core::result::Result<Origin, Problem> {
    if authority.contains('@') {
        return Err(CREDENTIALS);
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']').ok_or(BAD_HOST)?;
        let address_ok = address.contains(':')
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !address_ok {
            return Err(BAD_HOST);
        }
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':').ok_or(BAD_PORT)?),
        };
        (cat(&["[", &address.to_ascii_lowercase(), "]"]), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let host = host.to_ascii_lowercase();
        if !is_host_name(&host) {
            return Err(BAD_HOST);
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(digits) => Some(parse_port(digits).ok_or(BAD_PORT)?),
    };
    let default = if https { 443 } else { 80 };
    Ok(Origin {
        https,
        host,
        port: port.filter(|p| *p != default),
    })
}

/// A lower-case DNS name or IPv4 address: letters, digits, `-` and `_` in non-empty dot-separated labels. A
/// name whose last label is a number (`127.1`, `0x7f.1`, `2130706433`) is one the browser reads as an IPv4
/// address: it must then be one, written as four decimal octets.
fn is_host_name(host: &str) -> bool {
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    });
    labels_ok && (!ends_in_number(host) || ipv4(host).is_some())
}

/// WHATWG's "ends in a number": the last label is decimal digits, or `0x` and hex digits.
fn ends_in_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or_default();
    match last.strip_prefix("0x") {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// The octets of an IPv4 address written as four decimal numbers 0..=255 without leading zeros.
fn ipv4(host: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = host.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// A port: 1 to 5 decimal digits, at most 65535.
fn parse_port(digits: &str) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// An origin as written in configuration or as `location.origin`: `scheme://host[:port]`, optionally a lone
/// `/`, and nothing else.
fn parse_origin(text: &str) -> core::result::Result<Origin, Problem> {
    let (origin, tail) = parse_url(text)?;
    if tail.is_empty() || tail == "/" {
        Ok(origin)
    } else {
        Err(Problem::Malformed(
            " must be an origin, without a path, query or fragment",
        ))
    }
}

/// An `apiOrigins` entry, normalised (`HTTPS://API.Example.com:443/` → `https://api.example.com`). Refused
/// (`InvalidConfig`) unless it is an https origin, or an http one of a loopback host.
pub fn api_origin(text: &str) -> Result<String> {
    let invalid = |what: &str| {
        Error::usage(
            UsageCode::InvalidConfig,
            cat(&["apiOrigins entry ", &crate::jwt::shown(text), what]),
        )
    };
    match parse_origin(text) {
        Ok(origin) if origin.may_carry_token() => Ok(origin.serialize()),
        Ok(_) | Err(Problem::Scheme) => Err(invalid(
            " must be an https origin (http only for a loopback host)",
        )),
        Err(Problem::Malformed(what)) => Err(invalid(what)),
    }
}

/// Whether `auth.fetch` may attach the access token to a request for `url`: its origin must be `page_origin`
/// (`location.origin`; `None`, or anything but an origin such as `"null"`, means there is no page) or one of
/// `api_origins` (normalised by [`api_origin`]), and be https or loopback http. `InvalidArgument` when `url`
/// cannot be read; `OriginNotAllowed` when it may not have the token.
pub fn check_fetch_url(url: &str, page_origin: Option<&str>, api_origins: &[String]) -> Result<()> {
    let refused = |message: &'static str| Error::usage(UsageCode::OriginNotAllowed, message);
    let target = match parse_url(url) {
        Ok((origin, _)) => origin,
        Err(Problem::Scheme) => return Err(refused(INSECURE)),
        Err(Problem::Malformed(what)) => {
            return Err(Error::usage(
                UsageCode::InvalidArgument,
                cat(&["the fetch URL", what]),
            ))
        }
    };
    if !target.may_carry_token() {
        return Err(refused(INSECURE));
    }
    let page = page_origin.and_then(|page| parse_origin(page).ok());
    let listed = || {
        let text = target.serialize();
        api_origins.contains(&text)
    };
    if page.as_ref() == Some(&target) || listed() {
        Ok(())
    } else {
        Err(refused(NOT_LISTED))
    }
}

/// What a 401 leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After401 {
    /// The token has changed since the request went out: retry once with the current one, no refresh.
    Retry,
    /// Wait for the refresh under way, and retry if it gives another token.
    Join,
    /// Force a refresh (and remember when), then retry with its token.
    Refresh,
    /// No retry: the 401 response is the answer.
    GiveUp,
}

/// The 401 policy. `rejected_is_current`: the token the 401 answered is still the session's;
/// `refreshing`: a refresh is under way; `last_forced`: when (device seconds) a 401 last forced a refresh.
/// At most one forced refresh per [`FETCH_401_REFRESH_SECS`] (a clock set back counts as time passed).
pub fn after_401(
    rejected_is_current: bool,
    refreshing: bool,
    last_forced: Option<i64>,
    now: i64,
) -> After401 {
    if !rejected_is_current {
        return After401::Retry;
    }
    if refreshing {
        return After401::Join;
    }
    match last_forced {
        Some(at) if (0..FETCH_401_REFRESH_SECS).contains(&now.saturating_sub(at)) => {
            After401::GiveUp
        }
        _ => After401::Refresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.example.com";

    fn check(url: &str, page: Option<&str>, api: &[&str]) -> core::result::Result<(), String> {
        let api: Vec<String> = api.iter().map(|o| api_origin(o).unwrap()).collect();
        check_fetch_url(url, page, &api).map_err(|e| e.code().to_owned())
    }

    fn allowed(url: &str, page: Option<&str>, api: &[&str]) -> bool {
        match check(url, page, api) {
            Ok(()) => true,
            Err(code) if code == "OriginNotAllowed" => false,
            Err(code) => panic!("{url}: {code}"),
        }
    }

    #[test]
    fn same_origin_is_allowed() {
        let page = Some("https://app.example.com");
        for url in [
            "https://app.example.com/api/orders",
            "https://app.example.com",
            "https://app.example.com/",
            "https://app.example.com:443/x",
            "https://APP.Example.COM/x",
            "HTTPS://app.example.com/x?q=1#f",
            "https://app.example.com?q",
            "https://app.example.com#f",
        ] {
            assert!(allowed(url, page, &[]), "{url}");
        }
        for url in [
            "https://app.example.com:8443/x",
            "http://app.example.com/x",
            "https://example.com/x",
            "https://app.example.com.evil.com/x",
            "https://evil.com/app.example.com",
            "https://evil.com?https://app.example.com",
        ] {
            assert!(!allowed(url, page, &[]), "{url}");
        }
    }

    #[test]
    fn listed_origins_are_allowed_and_others_not() {
        for url in [
            "https://api.example.com/v1",
            "https://API.EXAMPLE.COM/v1",
            "https://api.example.com:443/v1",
        ] {
            assert!(allowed(url, None, &[API]), "{url}");
            assert!(
                allowed(url, Some("https://app.example.com"), &[API]),
                "{url}"
            );
        }
        for url in [
            "https://api.example.com.evil.com/",
            "https://evil.api.example.com/",
            "https://api.example.com:444/",
            "https://other.example.com/",
            "https://evil.com/https://api.example.com",
        ] {
            assert!(!allowed(url, None, &[API]), "{url}");
        }
        // Listed with a port: that port only.
        let api = ["https://api.example.com:8443"];
        assert!(allowed("https://api.example.com:8443/x", None, &api));
        assert!(!allowed("https://api.example.com/x", None, &api));
        // Nothing listed and no page: nothing is allowed.
        assert!(!allowed("https://api.example.com/x", None, &[]));
    }

    #[test]
    fn plain_http_only_to_loopback_hosts() {
        for host in [
            "127.0.0.1",
            "127.0.0.2",
            "127.255.255.254",
            "[::1]",
            "localhost",
            "LOCALHOST",
        ] {
            let origin = cat(&["http://", host, ":8080"]);
            let url = cat(&[&origin, "/x"]);
            assert!(allowed(&url, None, &[&origin]), "{url}");
            assert!(allowed(&url, Some(&origin), &[]), "{url}");
        }
        // Even as the page's origin, plain http to another host never carries the token.
        for (url, page) in [
            ("http://app.example.com/x", "http://app.example.com"),
            ("http://192.168.1.5:5173/x", "http://192.168.1.5:5173"),
            ("http://10.0.0.1/x", "http://10.0.0.1"),
            ("http://128.0.0.1/x", "http://128.0.0.1"),
            ("http://localhost.evil.com/x", "http://localhost.evil.com"),
            ("http://127.0.0.1.evil.com/x", "http://127.0.0.1.evil.com"),
            ("http://[::2]/x", "http://[::2]"),
            ("http://[::ffff:127.0.0.1]/x", "http://[::ffff:127.0.0.1]"),
            ("http://0.0.0.0/x", "http://0.0.0.0"),
        ] {
            assert_eq!(
                check(url, Some(page), &[]),
                Err("OriginNotAllowed".into()),
                "{url}"
            );
        }
        // And such an origin cannot be listed.
        for origin in [
            "http://api.example.com",
            "http://localhost.evil.com",
            "http://192.168.1.5",
        ] {
            assert_eq!(
                api_origin(origin).unwrap_err().code(),
                "InvalidConfig",
                "{origin}"
            );
        }
        // https to any of them is fine when listed.
        assert!(allowed(
            "https://192.168.1.5/x",
            None,
            &["https://192.168.1.5"]
        ));
        assert!(allowed(
            "https://[2001:db8::1]/x",
            None,
            &["https://[2001:DB8::1]"]
        ));
    }

    #[test]
    fn another_port_or_loopback_address_is_another_origin() {
        let page = Some("http://127.0.0.1:5173");
        assert!(allowed("http://127.0.0.1:5173/api", page, &[]));
        assert!(!allowed("http://127.0.0.1:8787/api", page, &[]));
        assert!(!allowed("http://127.0.0.2:5173/api", page, &[]));
        assert!(!allowed("http://localhost:5173/api", page, &[]));
        assert!(!allowed("https://127.0.0.1:5173/api", page, &[]));
        assert!(allowed(
            "http://127.0.0.1:8787/api",
            page,
            &["http://127.0.0.1:8787"]
        ));
        // Odd ports: default ports are dropped, leading zeros read as the browser reads them.
        assert!(allowed(
            "http://127.0.0.1:80/x",
            Some("http://127.0.0.1"),
            &[]
        ));
        assert!(allowed(
            "http://127.0.0.1:00080/x",
            Some("http://127.0.0.1"),
            &[]
        ));
        assert!(allowed(
            "http://127.0.0.1:443/x",
            None,
            &["http://127.0.0.1:443"]
        ));
        assert!(!allowed(
            "http://127.0.0.1:443/x",
            Some("http://127.0.0.1"),
            &[]
        ));
        assert!(allowed(
            "https://api.example.com:0/x",
            None,
            &["https://api.example.com:0"]
        ));
        for url in [
            "https://api.example.com:65536/",
            "https://api.example.com:/",
            "https://api.example.com:-1/",
            "https://api.example.com:1a/",
            "https://api.example.com:443:443/",
            "https://api.example.com:123456/",
            "https://[::1]x/",
            "https://[::1]:/",
        ] {
            assert_eq!(
                check(url, None, &[API]),
                Err("InvalidArgument".into()),
                "{url}"
            );
        }
    }

    #[test]
    fn credentials_and_lookalike_urls_are_refused() {
        for url in [
            // The host is evil.com in all of these.
            "https://api.example.com@evil.com/",
            "https://user:pass@api.example.com/",
            "https://api.example.com:443@evil.com/",
            "https://@api.example.com/",
            // WHATWG reads `\` as `/` in http(s) URLs: the host would be evil.com.
            "https://evil.com\\@api.example.com/",
            "https://api.example.com\\.evil.com/",
            // Spaces, controls, non-ASCII, percent-encoding: not what the browser hands in.
            "https://api.example.com /",
            "https://api.example.com\t/",
            " https://api.example.com/",
            "https://api.exämple.com/",
            "https://api%2eexample.com/",
            "https://api.example.com%00/",
            // Hosts the browser would read as another IPv4 address, and broken names.
            "https://127.1/",
            "https://0x7f.0.0.1/",
            "https://2130706433/",
            "https://127.0.0.01/",
            "https://127.0.0.256/",
            "https://1.2.3.4.5/",
            "https://api..example.com/",
            "https://.api.example.com/",
            "https://api.example.com./",
            "https:///api.example.com/",
            "https://[api.example.com]/",
            "https://[::1/",
            "https://[]/",
        ] {
            assert_eq!(
                check(url, None, &[API]),
                Err("InvalidArgument".into()),
                "{url}"
            );
        }
    }

    #[test]
    fn relative_malformed_and_other_schemes() {
        for url in [
            "",
            "/api/orders",
            "api/orders",
            "//api.example.com/x",
            "?q=1",
            "https:api.example.com",
            "https:/api.example.com",
            "1https://api.example.com/",
            "ht tp://api.example.com/",
        ] {
            assert_eq!(
                check(url, None, &[API]),
                Err("InvalidArgument".into()),
                "{url}"
            );
        }
        for url in [
            "ftp://api.example.com/",
            "ws://127.0.0.1/",
            "wss://api.example.com/",
            "data:text/plain,hi",
            "blob:https://api.example.com/0d0c",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                check(url, None, &[API]),
                Err("OriginNotAllowed".into()),
                "{url}"
            );
        }
    }

    #[test]
    fn the_page_origin_counts_only_when_it_is_an_origin() {
        for page in [
            "null",
            "",
            "file://",
            "https://app.example.com/path",
            "about:blank",
        ] {
            assert!(
                !allowed("https://app.example.com/x", Some(page), &[]),
                "{page}"
            );
        }
        assert!(allowed(
            "https://app.example.com/x",
            Some("https://app.example.com/"),
            &[]
        ));
    }

    #[test]
    fn api_origins_are_validated_and_normalised() {
        for (given, normal) in [
            ("https://api.example.com", "https://api.example.com"),
            ("HTTPS://API.Example.COM/", "https://api.example.com"),
            ("https://api.example.com:443", "https://api.example.com"),
            (
                "https://api.example.com:8443",
                "https://api.example.com:8443",
            ),
            ("http://127.0.0.1:80", "http://127.0.0.1"),
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("http://LOCALHOST:3000", "http://localhost:3000"),
            ("http://[::1]:3000", "http://[::1]:3000"),
            ("https://[2001:DB8::1]", "https://[2001:db8::1]"),
        ] {
            assert_eq!(api_origin(given).unwrap(), normal, "{given}");
        }
        for bad in [
            "api.example.com",
            "https://api.example.com/v1",
            "https://api.example.com/?q",
            "https://api.example.com#f",
            "https://api.example.com//",
            "https://user@api.example.com",
            "ftp://api.example.com",
            "http://api.example.com",
            "https://",
            "https://api.example.com:99999",
            "https://127.1",
            "*",
            "https://*.example.com",
            "null",
        ] {
            let e = api_origin(bad).unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{bad}");
            assert!(
                e.message().starts_with("apiOrigins entry "),
                "{}",
                e.message()
            );
        }
    }

    #[test]
    fn a_401_forces_at_most_one_refresh_per_interval() {
        let t = 1_000;
        // First 401: refresh.
        assert_eq!(after_401(true, false, None, t), After401::Refresh);
        // While it runs, other 401s wait for it.
        assert_eq!(after_401(true, true, Some(t), t), After401::Join);
        // Requests that went out with the old token retry with the new one, without a refresh.
        assert_eq!(after_401(false, false, Some(t), t + 1), After401::Retry);
        assert_eq!(after_401(false, true, Some(t), t + 1), After401::Retry);
        // The new token is refused too: the 401 is the answer until the interval has passed.
        for now in t..t + FETCH_401_REFRESH_SECS {
            assert_eq!(
                after_401(true, false, Some(t), now),
                After401::GiveUp,
                "{now}"
            );
        }
        assert_eq!(
            after_401(true, false, Some(t), t + FETCH_401_REFRESH_SECS),
            After401::Refresh
        );
        // A clock set back does not hold refreshes back forever.
        assert_eq!(after_401(true, false, Some(t), t - 1), After401::Refresh);
    }
}
