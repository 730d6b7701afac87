//! Compact JWS serialization: `base64url(header) '.' base64url(payload) '.' base64url(signature)`.

use crate::base64::{self, Form};

use super::TokenError;
use crate::json::{self, Object};
use crate::text::{cat, uint};

/// The longest token accepted, checked before anything is decoded. Cognito tokens are 1-4 KB; many
/// groups or custom attributes stay well under this.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The deepest JSON nesting accepted in a token's header or claims (Cognito's deepest is 3:
/// `identities`, an array of objects).
pub const MAX_TOKEN_JSON_DEPTH: usize = 8;

/// The three segments of a compact JWS, still encoded, borrowed from the token.
#[derive(Clone, Copy)]
pub(crate) struct Segments<'a> {
    pub(crate) header: &'a str,
    pub(crate) payload: &'a str,
    pub(crate) signature: &'a str,
    /// `header '.' payload`: exactly the bytes the signature covers.
    pub(crate) signing_input: &'a str,
}

/// Applies the length cap and splits into exactly three non-empty segments.
pub(crate) fn split(token: &str) -> Result<Segments<'_>, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::TooLarge {
            len: token.len(),
            max: MAX_TOKEN_BYTES,
        });
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        let count = token.split('.').count();
        return Err(TokenError::Malformed(
            cat(&[
                "expected 3 dot-separated segments, found ",
                &uint(count as u64),
            ])
            .into(),
        ));
    };
    for (name, segment) in [
        ("header", header),
        ("payload", payload),
        ("signature", signature),
    ] {
        if segment.is_empty() {
            return Err(TokenError::Malformed(
                cat(&["the ", name, " segment is empty"]).into(),
            ));
        }
    }
    let signing_input = token
        .get(..header.len() + 1 + payload.len())
        .ok_or_else(|| TokenError::Malformed("cannot delimit the signing input".into()))?;
    Ok(Segments {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// Strict base64url ([RFC 7515 § 2]): URL-safe alphabet, no padding, no whitespace, and the unused
/// trailing bits of the last character must be zero, so every byte string has exactly one encoding.
///
/// [RFC 7515 § 2]: https://www.rfc-editor.org/rfc/rfc7515#section-2
pub(crate) fn base64url(segment: &str, what: &str) -> Result<Vec<u8>, TokenError> {
    base64::decode(segment, Form::UrlUnpadded).ok_or_else(|| {
        TokenError::Malformed(cat(&["the ", what, " is not canonical base64url"]).into())
    })
}

/// A segment's decoded bytes as a strict JSON object.
pub(crate) fn json_object(bytes: &[u8], what: &str) -> Result<Object, TokenError> {
    let limits = json::Limits {
        max_bytes: MAX_TOKEN_BYTES,
        max_depth: MAX_TOKEN_JSON_DEPTH,
    };
    json::parse_object(bytes, &limits).map_err(|e| {
        TokenError::Malformed(
            cat(&["the ", what, " is not a valid JSON object: ", &e.message()]).into(),
        )
    })
}

/// A token's header and claims, decoded WITHOUT any verification.
///
/// Nothing in here can be trusted: anyone can write any claims. Use it to pick a key or to show a
/// token in a debugger, never to make a decision; [`verify`](super::verify) is for that.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedToken {
    header: Object,
    claims: Object,
}

impl UnverifiedToken {
    /// The JOSE header, unverified.
    pub fn header(&self) -> &Object {
        &self.header
    }

    /// The claims, unverified.
    pub fn claims(&self) -> &Object {
        &self.claims
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get_str("kid")
    }
}

/// Decodes a token's header and claims **without verifying anything** but its shape.
///
/// The shape rules are the same as [`verify`](super::verify)'s: the length cap, three non-empty
/// canonical base64url segments, header and claims strict JSON objects.
pub fn decode_unverified(token: &str) -> Result<UnverifiedToken, TokenError> {
    let segments = split(token)?;
    let header = json_object(&base64url(segments.header, "header")?, "header")?;
    let claims = json_object(&base64url(segments.payload, "payload")?, "payload")?;
    base64url(segments.signature, "signature")?;
    Ok(UnverifiedToken { header, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> String {
        base64::encode(s, Form::UrlUnpadded)
    }

    #[test]
    fn splits_exactly_three_non_empty_segments() {
        let s = split("aa.bb.cc").unwrap();
        assert_eq!(
            (s.header, s.payload, s.signature, s.signing_input),
            ("aa", "bb", "cc", "aa.bb")
        );
        for bad in [
            "aa.bb",
            "aa.bb.cc.dd",
            "aa..cc",
            ".bb.cc",
            "aa.bb.",
            "",
            "..",
            "aabbcc",
        ] {
            assert_eq!(
                split(bad).err().map(|e| e.code()),
                Some("JwtMalformed"),
                "{bad}"
            );
        }
    }

    #[test]
    fn caps_length_before_decoding() {
        let big = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            split(&big).err(),
            Some(TokenError::TooLarge {
                len: MAX_TOKEN_BYTES + 1,
                max: MAX_TOKEN_BYTES
            })
        );
    }

    #[test]
    fn base64url_is_strict() {
        assert_eq!(base64url("AQAB", "x").unwrap(), vec![1, 0, 1]);
        assert_eq!(base64url("-_8", "x").unwrap(), vec![0xfb, 0xff]);
        for bad in ["AQAB=", "AQ==", "+/8", "AQ B", "A", "AR", "AQB", "AQF"] {
            // "AR", "AQB" and "AQF": non-zero unused trailing bits (non-canonical).
            assert!(base64url(bad, "x").is_err(), "{bad}");
        }
        assert!(base64url("AQ", "x").is_ok());
        assert!(base64url("AQE=", "x").is_err());
        assert!(base64url("AQE", "x").is_ok());
        assert!(base64url("AQI", "x").is_ok());
    }

    #[test]
    fn decode_unverified_reads_header_and_claims() {
        let token = format!(
            "{}.{}.{}",
            b64(br#"{"kid":"k+/=","alg":"RS256"}"#),
            b64(br#"{"sub":"u","iss":"https:\/\/x"}"#),
            b64(b"sig")
        );
        let t = decode_unverified(&token).unwrap();
        assert_eq!(t.kid(), Some("k+/="));
        assert_eq!(t.header().get_str("alg"), Some("RS256"));
        assert_eq!(t.claims().get_str("iss"), Some("https://x"));
    }

    #[test]
    fn decode_unverified_rejects_bad_json() {
        let cases: [&[u8]; 5] = [
            br#"{"a":1,"a":2}"#,
            b"[1]",
            b"{\"a\":\"\xff\"}",
            br#"{"a":"\ud800"}"#,
            b"\xef\xbb\xbf{}",
        ];
        for payload in cases {
            let token = format!("{}.{}.{}", b64(b"{}"), b64(payload), b64(b"s"));
            let err = decode_unverified(&token).unwrap_err();
            assert_eq!(err.code(), "JwtMalformed", "{payload:?}");
        }
        let deep = format!("{}{}", "[".repeat(20), "]".repeat(20));
        let payload = format!("{{\"a\":{deep}}}");
        let token = format!("{}.{}.{}", b64(b"{}"), b64(payload.as_bytes()), b64(b"s"));
        let err = decode_unverified(&token).unwrap_err();
        assert!(err.to_string().contains("deeper"), "{err}");
    }
}
