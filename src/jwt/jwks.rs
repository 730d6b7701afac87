//! JSON Web Key Sets ([RFC 7517]) restricted to what Cognito publishes: RSA keys for RS256.
//!
//! [RFC 7517]: https://www.rfc-editor.org/rfc/rfc7517

use sha2::{Digest as _, Sha256};

use super::compact::base64url;
use super::rsa::{ModulusError, RsaPublicKey};
use super::TokenError;
use crate::json::{self, Object, Value};
use crate::text::{cat, uint};
use std::borrow::Cow;

/// The smallest accepted RSA modulus, in bits (NIST SP 800-57: 2048 bits until 2030; Cognito uses 2048).
pub const MIN_MODULUS_BITS: usize = 2048;

/// The largest accepted RSA modulus, in bits (bounds the cost of one verification).
pub const MAX_MODULUS_BITS: usize = 4096;

/// The only accepted public exponent, F4. Cognito uses it; e = 3 and smaller invite signature forgery
/// against sloppy verifiers and are never needed.
pub const REQUIRED_PUBLIC_EXPONENT: u32 = 65_537;

/// The largest JWKS document accepted, in bytes (Cognito's is about 1 KB).
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// The most keys accepted in one JWKS (Cognito publishes two).
pub const MAX_JWKS_KEYS: usize = 32;

/// The deepest JSON nesting accepted in a JWKS (`{"keys":[{"key_ops":[..]}]}` is 4).
const MAX_JWKS_DEPTH: usize = 6;

// The messages below spell these limits out.
const _: () = assert!(
    MAX_JWKS_KEYS == 32
        && REQUIRED_PUBLIC_EXPONENT == 65_537
        && MIN_MODULUS_BITS == 2048
        && MAX_MODULUS_BITS == 4096
);

/// One key of the set: its `kid`, the JWK as received (for [`Jwks::to_json`]), and the imported key or
/// the reason it cannot be used.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    kid: String,
    jwk: Object,
    key: Result<RsaPublicKey, TokenError>,
}

/// A validated JSON Web Key Set: every key imported once, looked up by `kid`.
///
/// The *set* is rejected ([`TokenError::JwksInvalid`]) when its structure is wrong: not a JSON object
/// with a non-empty `keys` array (at most [`MAX_JWKS_KEYS`]), a key without a string `kid`, or two keys
/// with the same `kid` (which one would sign?). A single key that breaks the key policy (not RSA, wrong
/// `use`/`alg`/`key_ops`, `e` other than 65537, modulus outside
/// [`MIN_MODULUS_BITS`]..=[`MAX_MODULUS_BITS`]) does not spoil the others: it is kept, unusable, and a
/// token naming it fails with [`TokenError::JwkWeakKey`] or [`TokenError::JwkInvalid`].
#[derive(Clone, Debug, PartialEq)]
pub struct Jwks {
    entries: Vec<Entry>,
}

fn jwks_invalid(message: impl Into<Cow<'static, str>>) -> TokenError {
    TokenError::JwksInvalid(message.into())
}

impl Jwks {
    /// Parses and validates a JWKS document (`{"keys":[...]}`).
    pub fn parse(bytes: &[u8]) -> Result<Jwks, TokenError> {
        let limits = json::Limits {
            max_bytes: MAX_JWKS_BYTES,
            max_depth: MAX_JWKS_DEPTH,
        };
        let document = json::parse_object(bytes, &limits)
            .map_err(|e| jwks_invalid(cat(&["not a valid JSON object: ", &e.message()])))?;
        let keys = match document.get("keys") {
            Some(Value::Array(keys)) => keys,
            Some(_) => return Err(jwks_invalid("\"keys\" is not an array")),
            None => return Err(jwks_invalid("no \"keys\" member")),
        };
        if keys.is_empty() {
            return Err(jwks_invalid("\"keys\" is empty"));
        }
        if keys.len() > MAX_JWKS_KEYS {
            return Err(jwks_invalid("more than 32 keys"));
        }
        let mut entries: Vec<Entry> = Vec::with_capacity(keys.len());
        for key in keys {
            let jwk = key
                .as_object()
                .ok_or_else(|| jwks_invalid("a key is not an object"))?;
            let kid = jwk
                .get_str("kid")
                .ok_or_else(|| jwks_invalid("a key has no string \"kid\""))?;
            if entries.iter().any(|e| e.kid == kid) {
                return Err(jwks_invalid(cat(&[
                    "two keys have kid ",
                    &super::shown(kid),
                ])));
            }
            entries.push(Entry {
                kid: kid.to_owned(),
                jwk: jwk.clone(),
                key: import_rs256_key(kid, jwk),
            });
        }
        Ok(Jwks { entries })
    }

    /// Whether the set has a key with this `kid` (usable or not).
    pub fn contains(&self, kid: &str) -> bool {
        self.entries.iter().any(|e| e.kid == kid)
    }

    /// The number of keys in the set (usable or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set has no keys (never true for a parsed set).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `kid`s in the set, in document order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.kid.as_str())
    }

    /// The set as a JWKS document that [`Jwks::parse`] accepts again (each key exactly as received).
    pub fn to_json(&self) -> String {
        self.to_object().to_json()
    }

    /// The set as a JWKS JSON object (each key exactly as received).
    pub(crate) fn to_object(&self) -> Object {
        let keys: Vec<Value> = self
            .entries
            .iter()
            .map(|e| Value::Object(e.jwk.clone()))
            .collect();
        Object::new().with("keys", keys)
    }

    /// The usable key for `kid`, or why there is none.
    pub(crate) fn key(&self, kid: &str) -> Result<&RsaPublicKey, TokenError> {
        let entry =
            self.entries
                .iter()
                .find(|e| e.kid == kid)
                .ok_or_else(|| TokenError::KidNotFound {
                    kid: kid.to_owned(),
                })?;
        entry.key.as_ref().map_err(Clone::clone)
    }
}

/// Applies the key policy to one JWK and imports it.
fn import_rs256_key(kid: &str, jwk: &Object) -> Result<RsaPublicKey, TokenError> {
    let invalid = |reason: Cow<'static, str>| TokenError::JwkInvalid {
        kid: kid.to_owned(),
        reason,
    };
    let weak = |reason: String| TokenError::JwkWeakKey {
        kid: kid.to_owned(),
        reason: reason.into(),
    };
    let found = |must: &str, value: &Value| cat(&[must, ", found ", &describe(value)]).into();
    match jwk.get("kty") {
        Some(Value::String(kty)) if kty == "RSA" => {}
        Some(other) => return Err(invalid(found("kty must be \"RSA\"", other))),
        None => return Err(invalid("kty must be \"RSA\", found none".into())),
    }
    match jwk.get("use") {
        None => {}
        Some(Value::String(u)) if u == "sig" => {}
        Some(other) => return Err(invalid(found("use must be \"sig\" or absent", other))),
    }
    match jwk.get("alg") {
        None => {}
        Some(Value::String(a)) if a == "RS256" => {}
        Some(other) => return Err(invalid(found("alg must be \"RS256\" or absent", other))),
    }
    if let Some(ops) = jwk.get("key_ops") {
        let allows_verify = ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify")));
        if !allows_verify {
            return Err(invalid(found("key_ops must include \"verify\"", ops)));
        }
    }
    let n = big_endian_member(jwk, "n").map_err(|m| invalid(m.into()))?;
    let e = big_endian_member(jwk, "e").map_err(|m| invalid(m.into()))?;
    // `e` is minimal (no leading zero octet), so it equals 65537 only as these bytes.
    if e != [0x01, 0x00, 0x01] {
        let shown = match e.len() {
            ..=8 => uint(
                e.iter()
                    .fold(0u64, |value, &byte| value << 8 | u64::from(byte)),
            ),
            len => cat(&["a ", &uint(len as u64), "-byte number"]),
        };
        return Err(weak(cat(&[
            "public exponent must be 65537, found ",
            &shown,
        ])));
    }
    // Minimal, so the first octet is not zero.
    let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
    if !(MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&bits) {
        return Err(weak(cat(&[
            "modulus must have 2048 to 4096 bits, found ",
            &uint(bits as u64),
        ])));
    }
    RsaPublicKey::new(&n, REQUIRED_PUBLIC_EXPONENT).map_err(|err| {
        invalid(match err {
            ModulusError::Even => "not a valid RSA public key (the modulus is even)".into(),
            ModulusError::NotMinimal
            | ModulusError::TooShort
            | ModulusError::TooLong
            | ModulusError::BadExponent => "not a valid RSA public key".into(),
        })
    })
}

/// A JWK member holding an unsigned big-endian integer: canonical base64url, minimal length
/// ([RFC 7518 § 6.3.1.1]: no leading zero octets).
///
/// [RFC 7518 § 6.3.1.1]: https://www.rfc-editor.org/rfc/rfc7518#section-6.3.1.1
fn big_endian_member(jwk: &Object, name: &str) -> Result<Vec<u8>, String> {
    let problem = |what: &str| cat(&[name, what]);
    let text = jwk
        .get_str(name)
        .ok_or_else(|| problem(" must be a base64url string"))?;
    let bytes = base64url(text, name).map_err(|_| problem(" is not canonical base64url"))?;
    match bytes.first() {
        None => Err(problem(" is empty")),
        Some(0) => Err(problem(" has a leading zero octet")),
        Some(_) => Ok(bytes),
    }
}

/// A short description of a JSON value from outside, for messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => super::shown(s),
        Value::Null => "null".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Number(n) => super::shown(n.as_str()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// RSASSA-PKCS1-v1_5 verification with SHA-256 ([RFC 8017 § 8.2.2]) of `signature` over `message`.
///
/// The signature must be exactly as long as the modulus. This is the primitive [`verify`](super::verify)
/// uses; it applies no key policy (the caller's key may be weak), so use it only on keys from a
/// [`Jwks`] or in tests.
///
/// [RFC 8017 § 8.2.2]: https://www.rfc-editor.org/rfc/rfc8017#section-8.2.2
pub fn verify_rs256_signature(
    key: &RsaPublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), TokenError> {
    if signature.len() != key.size() {
        return Err(TokenError::InvalidSignature(
            cat(&[
                "signature is ",
                &uint(signature.len() as u64),
                " bytes, expected ",
                &uint(key.size() as u64),
                " (the modulus length)",
            ])
            .into(),
        ));
    }
    let digest: [u8; 32] = Sha256::digest(message).into();
    if key.verify_pkcs1v15_sha256(&digest, signature) {
        Ok(())
    } else {
        Err(TokenError::InvalidSignature(
            "RS256 signature does not match the key".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    /// A 2048-bit odd modulus with the top bit set (not a real RSA modulus, but import does not factor).
    fn modulus(bits: usize) -> Vec<u8> {
        let mut n = vec![0xc5u8; bits / 8];
        if let Some(last) = n.last_mut() {
            *last |= 1;
        }
        n
    }

    fn jwk(kid: &str, n: &[u8], e: &[u8]) -> String {
        format!(
            r#"{{"kty":"RSA","kid":"{kid}","use":"sig","alg":"RS256","n":"{}","e":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(n),
            URL_SAFE_NO_PAD.encode(e)
        )
    }

    fn set(keys: &[String]) -> String {
        format!(r#"{{"keys":[{}]}}"#, keys.join(","))
    }

    #[test]
    fn imports_a_valid_key_and_round_trips() {
        let text = set(&[jwk("a+/=", &modulus(2048), &[1, 0, 1])]);
        let jwks = Jwks::parse(text.as_bytes()).unwrap();
        assert_eq!(jwks.len(), 1);
        assert!(jwks.contains("a+/="));
        assert!(!jwks.contains("b"));
        assert!(jwks.key("a+/=").is_ok());
        assert_eq!(
            jwks.key("b").unwrap_err(),
            TokenError::KidNotFound { kid: "b".into() }
        );
        let again = Jwks::parse(jwks.to_json().as_bytes()).unwrap();
        assert_eq!(again, jwks);
    }

    #[test]
    fn rejects_bad_sets() {
        let good = jwk("a", &modulus(2048), &[1, 0, 1]);
        for bad in [
            "".to_owned(),
            "[]".to_owned(),
            "{}".to_owned(),
            r#"{"keys":{}}"#.to_owned(),
            r#"{"keys":[]}"#.to_owned(),
            r#"{"keys":[1]}"#.to_owned(),
            r#"{"keys":[{"kty":"RSA"}]}"#.to_owned(),
            set(&[good.clone(), good.clone()]),
            format!(r#"{{"keys":[{good}],"keys":[]}}"#),
            set(&vec![good.clone(); MAX_JWKS_KEYS + 1]),
        ] {
            let err = Jwks::parse(bad.as_bytes()).unwrap_err();
            assert_eq!(err.code(), "JwksInvalid", "{bad}");
        }
    }

    #[test]
    fn key_policy() {
        let cases: Vec<(String, &str)> = vec![
            (jwk("k", &modulus(1024), &[1, 0, 1]), "JwkWeakKey"),
            (jwk("k", &modulus(2040), &[1, 0, 1]), "JwkWeakKey"),
            (jwk("k", &modulus(4104), &[1, 0, 1]), "JwkWeakKey"),
            (jwk("k", &modulus(2048), &[3]), "JwkWeakKey"),
            (jwk("k", &modulus(2048), &[1]), "JwkWeakKey"),
            (jwk("k", &modulus(2048), &[1, 0, 0, 1]), "JwkWeakKey"),
            (jwk("k", &modulus(2048), &[0, 1, 0, 1]), "JwkInvalid"),
            (
                jwk("k", &[&[0u8][..], &modulus(2048)].concat(), &[1, 0, 1]),
                "JwkInvalid",
            ),
            (jwk("k", &[0xc4; 256], &[1, 0, 1]), "JwkInvalid"), // even modulus
            (
                jwk("k", &modulus(2048), &[1, 0, 1]).replace("\"sig\"", "\"enc\""),
                "JwkInvalid",
            ),
            (
                jwk("k", &modulus(2048), &[1, 0, 1]).replace("RS256", "RS384"),
                "JwkInvalid",
            ),
            (
                jwk("k", &modulus(2048), &[1, 0, 1]).replace("\"RSA\"", "\"EC\""),
                "JwkInvalid",
            ),
            (
                jwk("k", &modulus(2048), &[1, 0, 1])
                    .replace("\"use\"", "\"key_ops\":[\"encrypt\"],\"x\""),
                "JwkInvalid",
            ),
            (
                jwk("k", &modulus(2048), &[1, 0, 1]).replace("\"e\":\"AQAB\"", "\"e\":\"AQAB=\""),
                "JwkInvalid",
            ),
        ];
        for (key, code) in cases {
            // A bad key spoils only itself.
            let text = set(&[key.clone(), jwk("ok", &modulus(4096), &[1, 0, 1])]);
            let jwks = Jwks::parse(text.as_bytes()).unwrap();
            assert_eq!(jwks.key("k").unwrap_err().code(), code, "{key}");
            assert!(jwks.key("ok").is_ok());
        }
        let with_verify = jwk("k", &modulus(2048), &[1, 0, 1])
            .replace("\"use\":\"sig\"", "\"key_ops\":[\"verify\"]");
        let jwks = Jwks::parse(set(&[with_verify]).as_bytes()).unwrap();
        assert!(jwks.key("k").is_ok());
    }

    #[test]
    fn weak_key_messages_say_what_was_found() {
        let text = set(&[jwk("k", &modulus(2048), &[3])]);
        let err = Jwks::parse(text.as_bytes()).unwrap().key("k").unwrap_err();
        assert_eq!(
            err.to_string(),
            "key \"k\" is too weak: public exponent must be 65537, found 3"
        );
    }
}
