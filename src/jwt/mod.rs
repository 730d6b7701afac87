//! JSON Web Tokens: strict parsing and RS256 verification of Cognito tokens.
//!
//! [`verify`] is the one way to trust a token. It checks, in this order, and stops at the first failure:
//!
//! 1. **Shape** ([`MAX_TOKEN_BYTES`] first, then exactly three non-empty base64url segments, unpadded and
//!    canonical, a header that is a strict JSON object; see [`json`](crate::json)).
//! 2. **Header**: `alg` exactly `RS256`; `kid` a string; no `crit`; no `jku`, `x5u`, `jwk` or `x5c`. A
//!    token carrying a key or a key URL is *rejected*, not merely ignored: Cognito never sends them, so
//!    their presence means someone is trying something.
//! 3. **Key**: exactly one JWK with that `kid` in the caller's [`Jwks`], and that key passes the key policy
//!    (`kty` RSA, `use` absent or `sig`, `alg` absent or RS256, `e` = 65537, a modulus of
//!    [`MIN_MODULUS_BITS`]..=[`MAX_MODULUS_BITS`] bits). The JWKS always comes from configuration, never
//!    from the token.
//! 4. **Signature**: RSASSA-PKCS1-v1_5 with SHA-256 ([RFC 8017 § 8.2.2]) over the exact received bytes
//!    `header_b64 '.' payload_b64`; the signature must be exactly as long as the modulus.
//! 5. **Claims**, only now parsed: integer `exp` and `iat`, expiry / `nbf` / `iat` against the caller's
//!    clock with the configured skew, lifetime at most [`MAX_LIFETIME_SECS`], `iss` byte-equal to a
//!    configured issuer, `token_use`, `aud` (id) or `client_id` (access), then required groups and scopes.
//!
//! Every rejection is a [`TokenError`] with a stable [`code`](TokenError::code) whose message says what was
//! expected and what was found, without repeating the token or its signature.
//!
//! [`decode_unverified`] reads a token without checking anything but its shape; its name is the warning.
//! Offline verification cannot see revocation: a revoked access token verifies until its `exp`.
//!
//! [RFC 8017 § 8.2.2]: https://www.rfc-editor.org/rfc/rfc8017#section-8.2.2

use core::fmt;
use std::borrow::Cow;

use crate::text::{cat, int, push_hex, uint};

mod cache;
mod compact;
mod jwks;
mod rsa;
mod verify;

pub use cache::{JwksCache, MAX_JWKS_CACHE_TTL_SECS, MIN_REFETCH_INTERVAL_SECS};
pub use compact::{decode_unverified, UnverifiedToken, MAX_TOKEN_BYTES, MAX_TOKEN_JSON_DEPTH};
pub use jwks::{
    verify_rs256_signature, Jwks, MAX_JWKS_BYTES, MAX_JWKS_KEYS, MAX_MODULUS_BITS,
    MIN_MODULUS_BITS, REQUIRED_PUBLIC_EXPONENT,
};
pub use rsa::{ModulusError, RsaPublicKey};
pub use verify::{
    verify, verify_jws_signature_only, Expectations, VerifiedToken, MAX_LIFETIME_SECS,
};

/// Which kind of Cognito token is expected (`token_use`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// An ID token (`token_use: "id"`, `aud` = the app client id).
    Id,
    /// An access token (`token_use: "access"`, `client_id` = the app client id).
    Access,
}

impl TokenUse {
    /// The claim value: `"id"` or `"access"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }

    /// Reads the claim value; anything but `"id"` or `"access"` is `None`.
    pub fn from_wire(value: &str) -> Option<Self> {
        match value {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a token (or a key set) was rejected: one variant per check, each with a stable [`code`](Self::code).
///
/// Values that came from the token (a `kid`, an `iss`) are shown shortened and quoted; the token and its
/// signature are never part of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a well-formed compact JWS: segments, base64url, UTF-8 or JSON.
    Malformed(Cow<'static, str>),
    /// Longer than [`MAX_TOKEN_BYTES`]; nothing was decoded.
    TooLarge {
        /// The token's length in bytes.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// The header's `alg` is not `RS256` (`found` is its value, or a description when absent or not a string).
    InvalidAlgorithm {
        /// What the header has.
        found: Cow<'static, str>,
    },
    /// The header has no string `kid`.
    MissingKid {
        /// What the header has instead.
        found: Cow<'static, str>,
    },
    /// The header carries a parameter this verifier refuses (`crit`, `jku`, `x5u`, `jwk`, `x5c`).
    UnsupportedHeader {
        /// The parameter's name.
        name: Cow<'static, str>,
    },
    /// No key in the JWKS has the token's `kid`.
    KidNotFound {
        /// The token's `kid`.
        kid: String,
    },
    /// The key set as a whole is unusable (not JSON, no `keys`, duplicate kids, ...).
    JwksInvalid(Cow<'static, str>),
    /// The key the token names is not a usable RS256 verification key.
    JwkInvalid {
        /// The key's `kid`.
        kid: String,
        /// What is wrong with it.
        reason: Cow<'static, str>,
    },
    /// The key the token names is too weak: modulus size or public exponent outside the policy.
    JwkWeakKey {
        /// The key's `kid`.
        kid: String,
        /// What is weak about it.
        reason: Cow<'static, str>,
    },
    /// The signature does not verify (or has the wrong length).
    InvalidSignature(Cow<'static, str>),
    /// `exp` has passed (even allowing for the skew).
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The verifier's clock.
        now: i64,
        /// The allowed clock skew.
        skew_secs: u64,
    },
    /// `nbf` is still in the future (even allowing for the skew).
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The verifier's clock.
        now: i64,
        /// The allowed clock skew.
        skew_secs: u64,
    },
    /// `iat` is in the future (beyond the skew).
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// The verifier's clock.
        now: i64,
        /// The allowed clock skew.
        skew_secs: u64,
    },
    /// `exp - iat` is longer than [`MAX_LIFETIME_SECS`].
    LifetimeTooLong {
        /// `exp - iat` in seconds.
        lifetime_secs: i64,
        /// The maximum.
        max_secs: i64,
    },
    /// A required claim is absent.
    MissingClaim {
        /// The claim's name.
        claim: Cow<'static, str>,
    },
    /// A claim has the wrong type or an impossible value.
    InvalidClaim {
        /// The claim's name.
        claim: Cow<'static, str>,
        /// What is wrong.
        reason: Cow<'static, str>,
    },
    /// `iss` is none of the configured issuers.
    InvalidIssuer {
        /// The configured issuers.
        expected: Vec<String>,
        /// The token's `iss`.
        found: String,
    },
    /// `aud` (id tokens) is not the single string equal to the app client id.
    InvalidAudience {
        /// The app client id.
        expected: String,
        /// What the token has.
        found: String,
    },
    /// `client_id` (access tokens) is not the app client id.
    InvalidClientId {
        /// The app client id.
        expected: String,
        /// What the token has.
        found: String,
    },
    /// `token_use` is not the expected kind.
    InvalidTokenUse {
        /// The expected kind.
        expected: TokenUse,
        /// What the token has.
        found: String,
    },
    /// A required group is not in `cognito:groups`.
    MissingGroup {
        /// The missing group.
        group: String,
    },
    /// A required scope is not in `scope`.
    MissingScope {
        /// The missing scope.
        scope: String,
    },
}

/// Every code [`TokenError::code`] can return, for documentation and the TypeScript union.
pub const TOKEN_ERROR_CODES: &[&str] = &[
    "JwtMalformed",
    "JwtTooLarge",
    "JwtInvalidAlgorithm",
    "JwtMissingKid",
    "JwtUnsupportedHeader",
    "KidNotFound",
    "JwksInvalid",
    "JwkInvalid",
    "JwkWeakKey",
    "JwtInvalidSignature",
    "JwtExpired",
    "JwtNotYetValid",
    "JwtIssuedInFuture",
    "JwtLifetimeTooLong",
    "JwtMissingClaim",
    "JwtInvalidClaim",
    "JwtInvalidIssuer",
    "JwtInvalidAudience",
    "JwtInvalidClientId",
    "JwtInvalidTokenUse",
    "JwtMissingGroup",
    "JwtMissingScope",
];

impl TokenError {
    /// The stable code JavaScript sees (one of [`TOKEN_ERROR_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Malformed(_) => "JwtMalformed",
            TokenError::TooLarge { .. } => "JwtTooLarge",
            TokenError::InvalidAlgorithm { .. } => "JwtInvalidAlgorithm",
            TokenError::MissingKid { .. } => "JwtMissingKid",
            TokenError::UnsupportedHeader { .. } => "JwtUnsupportedHeader",
            TokenError::KidNotFound { .. } => "KidNotFound",
            TokenError::JwksInvalid(_) => "JwksInvalid",
            TokenError::JwkInvalid { .. } => "JwkInvalid",
            TokenError::JwkWeakKey { .. } => "JwkWeakKey",
            TokenError::InvalidSignature(_) => "JwtInvalidSignature",
            TokenError::Expired { .. } => "JwtExpired",
            TokenError::NotYetValid { .. } => "JwtNotYetValid",
            TokenError::IssuedInFuture { .. } => "JwtIssuedInFuture",
            TokenError::LifetimeTooLong { .. } => "JwtLifetimeTooLong",
            TokenError::MissingClaim { .. } => "JwtMissingClaim",
            TokenError::InvalidClaim { .. } => "JwtInvalidClaim",
            TokenError::InvalidIssuer { .. } => "JwtInvalidIssuer",
            TokenError::InvalidAudience { .. } => "JwtInvalidAudience",
            TokenError::InvalidClientId { .. } => "JwtInvalidClientId",
            TokenError::InvalidTokenUse { .. } => "JwtInvalidTokenUse",
            TokenError::MissingGroup { .. } => "JwtMissingGroup",
            TokenError::MissingScope { .. } => "JwtMissingScope",
        }
    }
}

/// The longest piece of outside text repeated in a message.
const SHOWN_CHARS: usize = 80;

/// Quotes (and escapes) a value that came from outside, shortened to [`SHOWN_CHARS`] characters.
///
/// Not `{:?}`: its escaping brings `char`'s Debug and Unicode tables into the wasm (about 7 KB). Quotes,
/// backslashes, control characters and the invisible or bidirectional ones that could disguise a message
/// are escaped.
pub(crate) fn shown(value: &str) -> String {
    let mut out = String::from('"');
    let mut chars = value.chars();
    for c in chars.by_ref().take(SHOWN_CHARS) {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}') =>
            {
                out.push_str("\\u{");
                push_hex(&mut out, u32::from(c), 1, false);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    if chars.next().is_some() {
        out.push_str("...");
    }
    out
}

/// [`shown`] for each of a list, in brackets.
pub(crate) fn shown_list<S: AsRef<str>>(values: &[S]) -> String {
    let mut out = String::from('[');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&shown(value.as_ref()));
    }
    out.push(']');
    out
}

impl TokenError {
    /// The message, for people (what `Display` writes): which check failed, expected and found.
    pub fn message(&self) -> String {
        // `{what}{value}{relation}{now} (clock skew {skew} s)`
        let clock = |what: &str, value: i64, relation: &str, now: i64, skew: u64| {
            cat(&[
                what,
                &int(value),
                relation,
                &int(now),
                " (clock skew ",
                &uint(skew),
                " s)",
            ])
        };
        match self {
            TokenError::Malformed(m) => cat(&["malformed token: ", m]),
            TokenError::TooLarge { len, max } => cat(&[
                "token is ",
                &uint(*len as u64),
                " bytes, more than the maximum of ",
                &uint(*max as u64),
            ]),
            TokenError::InvalidAlgorithm { found } => {
                cat(&["token algorithm must be \"RS256\", found ", found])
            }
            TokenError::MissingKid { found } => {
                cat(&["token header must have a string \"kid\", found ", found])
            }
            TokenError::UnsupportedHeader { name } => cat(&[
                "token header parameter ",
                &shown(name),
                " is refused (crit, jku, x5u, jwk and x5c are never accepted)",
            ]),
            TokenError::KidNotFound { kid } => {
                cat(&["no key with kid ", &shown(kid), " in the JWKS"])
            }
            TokenError::JwksInvalid(m) => cat(&["invalid JWKS: ", m]),
            TokenError::JwkInvalid { kid, reason } => {
                cat(&["key ", &shown(kid), " is not a usable RS256 key: ", reason])
            }
            TokenError::JwkWeakKey { kid, reason } => {
                cat(&["key ", &shown(kid), " is too weak: ", reason])
            }
            TokenError::InvalidSignature(m) => cat(&["invalid token signature: ", m]),
            TokenError::Expired {
                exp,
                now,
                skew_secs,
            } => clock(
                "token expired: exp ",
                *exp,
                " is not after now ",
                *now,
                *skew_secs,
            ),
            TokenError::NotYetValid {
                nbf,
                now,
                skew_secs,
            } => clock(
                "token not yet valid: nbf ",
                *nbf,
                " is after now ",
                *now,
                *skew_secs,
            ),
            TokenError::IssuedInFuture {
                iat,
                now,
                skew_secs,
            } => clock(
                "token issued in the future: iat ",
                *iat,
                " is after now ",
                *now,
                *skew_secs,
            ),
            TokenError::LifetimeTooLong {
                lifetime_secs,
                max_secs,
            } => cat(&[
                "token lifetime exp - iat is ",
                &int(*lifetime_secs),
                " s, more than the maximum of ",
                &int(*max_secs),
                " s",
            ]),
            TokenError::MissingClaim { claim } => cat(&["token has no ", &shown(claim), " claim"]),
            TokenError::InvalidClaim { claim, reason } => {
                cat(&["token claim ", &shown(claim), " is invalid: ", reason])
            }
            TokenError::InvalidIssuer { expected, found } => cat(&[
                "token issuer must be one of ",
                &shown_list(expected),
                ", found ",
                &shown(found),
            ]),
            TokenError::InvalidAudience { expected, found } => {
                cat(&["token aud must be ", &shown(expected), ", found ", found])
            }
            TokenError::InvalidClientId { expected, found } => cat(&[
                "token client_id must be ",
                &shown(expected),
                ", found ",
                found,
            ]),
            TokenError::InvalidTokenUse { expected, found } => cat(&[
                "token_use must be \"",
                expected.as_str(),
                "\", found ",
                found,
            ]),
            TokenError::MissingGroup { group } => cat(&[
                "token's cognito:groups lacks the required group ",
                &shown(group),
            ]),
            TokenError::MissingScope { scope } => {
                cat(&["token's scope lacks the required scope ", &shown(scope)])
            }
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for TokenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_and_unique() {
        let mut codes = TOKEN_ERROR_CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TOKEN_ERROR_CODES.len());
        let samples = [
            TokenError::Malformed("x".into()),
            TokenError::KidNotFound { kid: "k".into() },
            TokenError::MissingScope { scope: "s".into() },
        ];
        for e in samples {
            assert!(TOKEN_ERROR_CODES.contains(&e.code()));
        }
    }

    #[test]
    fn shown_quotes_and_shortens() {
        assert_eq!(shown("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(shown("\u{1b}[2J\u{202e}x"), "\"\\u{1b}[2J\\u{202e}x\"");
        assert_eq!(shown_list(&["a", "b"]), "[\"a\", \"b\"]");
        let long = "x".repeat(200);
        let s = shown(&long);
        assert!(s.ends_with("\"..."));
        assert_eq!(s.len(), SHOWN_CHARS + 2 + 3);
    }

    #[test]
    fn messages_say_what_was_expected_and_found() {
        let cases = [
            (
                TokenError::Expired {
                    exp: 100,
                    now: 200,
                    skew_secs: 60,
                },
                "token expired: exp 100 is not after now 200 (clock skew 60 s)",
            ),
            (
                TokenError::NotYetValid {
                    nbf: 300,
                    now: -5,
                    skew_secs: 0,
                },
                "token not yet valid: nbf 300 is after now -5 (clock skew 0 s)",
            ),
            (
                TokenError::IssuedInFuture {
                    iat: 900,
                    now: 100,
                    skew_secs: 60,
                },
                "token issued in the future: iat 900 is after now 100 (clock skew 60 s)",
            ),
            (
                TokenError::LifetimeTooLong {
                    lifetime_secs: 90_000,
                    max_secs: 86_400,
                },
                "token lifetime exp - iat is 90000 s, more than the maximum of 86400 s",
            ),
            (
                TokenError::TooLarge {
                    len: 20_000,
                    max: 16_384,
                },
                "token is 20000 bytes, more than the maximum of 16384",
            ),
            (
                TokenError::InvalidClaim {
                    claim: "exp".into(),
                    reason: "must be after iat 5, found 4".into(),
                },
                "token claim \"exp\" is invalid: must be after iat 5, found 4",
            ),
            (
                TokenError::InvalidIssuer {
                    expected: vec!["https://a".into()],
                    found: "https://b".into(),
                },
                "token issuer must be one of [\"https://a\"], found \"https://b\"",
            ),
            (
                TokenError::InvalidTokenUse {
                    expected: TokenUse::Access,
                    found: "\"id\"".into(),
                },
                "token_use must be \"access\", found \"id\"",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn token_use_wire_names() {
        assert_eq!(TokenUse::Id.as_str(), "id");
        assert_eq!(TokenUse::Access.as_str(), "access");
        assert_eq!(TokenUse::from_wire("access"), Some(TokenUse::Access));
        assert_eq!(TokenUse::from_wire("Access"), None);
    }
}
