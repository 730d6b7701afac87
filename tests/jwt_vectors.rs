//! Public test vectors through the crate's own RS256 path:
//!
//! * Wycheproof `rsa_signature_2048_sha256_test.json` (259 RSASSA-PKCS1-v1_5 SHA-256 cases) through
//!   [`verify_rs256_signature`], the primitive [`verify`] uses. `valid` must verify, `invalid` must not.
//!   The one `acceptable` case (tc 8, a DigestInfo without the NULL parameter) is expected to be
//!   REJECTED: RFC 8017 § 9.2 fixes the encoding with NULL and a strict verifier needs no leniency.
//!   These keys include e = 3 ones, which the JWKS key policy would refuse; the primitive is tested alone.
//! * Wycheproof `json_web_signature_test.json`, every compact case of every RSA key group, through
//!   [`verify_jws_signature_only`] with the group's JWK as the key set. Only RS256 can verify; RS384/512
//!   and PS* cases, `use: enc` / `key_ops: [encrypt]` keys, and empty payloads (our compact parser wants
//!   three non-empty segments) must be rejected.
//! * `cognito-real/cases.json`: a real Cognito id token, accepted as an id token at the frozen clock and
//!   rejected as an access token.
//!
//! The vectors live in `../shared/vectors`; without them the tests print a message and pass.

use std::path::PathBuf;

use cognito_wasm::json::{self, Object, Value};
use cognito_wasm::jwt::{
    verify, verify_jws_signature_only, verify_rs256_signature, Expectations, Jwks, RsaPublicKey,
    TokenUse,
};

fn vectors_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors"))
}

/// Reads a vector file as a JSON object, or `None` (with a message) when the shared folder is absent.
fn load(relative: &str) -> Option<Object> {
    let path = vectors_dir().join(relative);
    let Ok(bytes) = std::fs::read(&path) else {
        println!("SKIP: {} not found", path.display());
        return None;
    };
    let limits = json::Limits {
        max_bytes: 64 * 1024 * 1024,
        max_depth: 32,
    };
    match json::parse(&bytes, &limits).unwrap() {
        Value::Object(o) => Some(o),
        Value::Array(items) => Some(Object::new().with("cases", items)),
        other => panic!("unexpected top level in {relative}: {other:?}"),
    }
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn wycheproof_rsa_pkcs1v15_sha256() {
    let Some(file) = load("wycheproof/rsa_signature_2048_sha256_test.json") else {
        return;
    };
    let mut total = 0;
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for group in file.get_array("testGroups").unwrap() {
        let group = group.as_object().unwrap();
        let public = group.get_object("publicKey").unwrap();
        let modulus = hex(public.get_str("modulus").unwrap());
        // Wycheproof writes the modulus as a positive DER integer: a leading zero octet when the top bit is set.
        let minimal: Vec<u8> = modulus.iter().copied().skip_while(|&b| b == 0).collect();
        let exponent = u32::from_str_radix(public.get_str("publicExponent").unwrap(), 16).unwrap();
        let key = RsaPublicKey::new(&minimal, exponent).unwrap();
        for case in group.get_array("tests").unwrap() {
            let case = case.as_object().unwrap();
            let tc = case.get_i64("tcId").unwrap();
            let result = case.get_str("result").unwrap();
            let msg = hex(case.get_str("msg").unwrap());
            let sig = hex(case.get_str("sig").unwrap());
            let accepted = verify_rs256_signature(&key, &msg, &sig).is_ok();
            let expected = match result {
                "valid" => true,
                "invalid" => false,
                // Deliberately strict: see the module comment.
                "acceptable" => false,
                other => panic!("tc {tc}: unknown result {other}"),
            };
            total += 1;
            if accepted == expected {
                agree += 1;
            } else {
                disagreements.push((tc, result.to_owned(), accepted));
            }
        }
    }
    println!("Wycheproof RSA PKCS#1 v1.5 SHA-256: {agree}/{total} agree");
    assert_eq!(
        Some(total),
        file.get_i64("numberOfTests")
            .and_then(|n| usize::try_from(n).ok())
    );
    assert_eq!(total, 259);
    assert!(disagreements.is_empty(), "disagreements: {disagreements:?}");
}

#[test]
fn wycheproof_json_web_signature_rsa_groups() {
    let Some(file) = load("wycheproof/json_web_signature_test.json") else {
        return;
    };
    let mut checked = 0;
    let mut accepted_count = 0;
    let mut mismatches = Vec::new();
    for group in file.get_array("testGroups").unwrap() {
        let group = group.as_object().unwrap();
        let Some(public) = group.get_object("public") else {
            continue;
        };
        if public.get_str("kty") != Some("RSA") {
            continue;
        }
        let jwks_text = Object::new()
            .with("keys", vec![Value::Object(public.clone())])
            .to_json();
        let jwks = Jwks::parse(jwks_text.as_bytes()).unwrap();
        let key_is_rs256 = public.get_str("alg") == Some("RS256")
            && public
                .get("key_ops")
                .is_none_or(|ops| ops.to_json().contains("\"verify\""))
            && public.get_str("use").is_none_or(|u| u == "sig");
        for case in group.get_array("tests").unwrap() {
            let case = case.as_object().unwrap();
            let tc = case.get_i64("tcId").unwrap();
            // Only the compact serialization is a token; the JSON serializations are objects.
            let Some(jws) = case.get_str("jws") else {
                continue;
            };
            let valid = case.get_str("result") == Some("valid");
            let header_is_rs256 = jws.starts_with("eyJhbGciOiJSUzI1NiIs");
            let empty_payload = jws.split('.').nth(1) == Some("");
            let expected = valid && key_is_rs256 && header_is_rs256 && !empty_payload;
            let result = verify_jws_signature_only(jws, &jwks);
            checked += 1;
            if result.is_ok() {
                accepted_count += 1;
            }
            if result.is_ok() != expected {
                mismatches.push((tc, expected, result.err()));
            }
        }
    }
    println!("Wycheproof JWS (RSA groups): {checked} compact cases, {accepted_count} accepted, {} mismatches", mismatches.len());
    assert!(checked >= 300, "only {checked} cases");
    // RS256 valid cases: tc 33, 260-263, 345, 349 (259 has an empty payload).
    assert_eq!(accepted_count, 7);
    assert!(mismatches.is_empty(), "mismatches: {mismatches:?}");
}

#[test]
fn cognito_real_id_token() {
    let (Some(config), Some(cases)) = (
        load("cognito-real/config.json"),
        load("cognito-real/cases.json"),
    ) else {
        return;
    };
    let now = config.get_i64("now").unwrap();
    let issuer = config.get_str("issuer").unwrap();
    let client_id = config.get_str("clientId").unwrap();
    let cases = cases.get_array("cases").unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let case = case.as_object().unwrap();
        let name = case.get_str("name").unwrap();
        let token = case.get_str("token").unwrap();
        let token_use = TokenUse::from_wire(case.get_str("token_use").unwrap()).unwrap();
        let jwks = Jwks::parse(case.get_object("jwks").unwrap().to_json().as_bytes()).unwrap();
        let expect = Expectations::new(vec![issuer.to_owned()], client_id, token_use);
        let result = verify(token, &jwks, &expect, now);
        match case.get_str("expect").unwrap() {
            "accept" => {
                let verified = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(verified.token_use(), TokenUse::Id);
                assert_eq!(
                    verified.kid(),
                    "4PQh+BZTLdEQdyC6oEayRCrEcnQCIxjlVEm1UwdagfM="
                );
                assert_eq!(verified.sub(), Some("24e26910-e7b9-4aad-a994-387942f164e7"));
                assert_eq!(verified.username(), verified.sub());
                assert_eq!(verified.email(), Some("max@southlane.com"));
                assert_eq!(verified.claims().get_str("iss"), Some(issuer));
                assert_eq!(verified.as_str(), token);
                let debug = format!("{verified:?}");
                assert!(!debug.contains(token.split('.').next().unwrap()), "{debug}");
                // One second after expiry it is rejected.
                let late = verify(token, &jwks, &expect, verified.exp()).unwrap_err();
                assert_eq!(late.code(), "JwtExpired");
                // Tampering with one signature bit breaks it.
                let mut bytes = token.as_bytes().to_vec();
                let last = bytes.len() - 2;
                bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
                let tampered = String::from_utf8(bytes).unwrap();
                let err = verify(&tampered, &jwks, &expect, now).unwrap_err();
                assert!(
                    matches!(err.code(), "JwtInvalidSignature" | "JwtMalformed"),
                    "{err}"
                );
                println!("{name}: accepted");
            }
            "reject" => {
                let err = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
                assert_eq!(err.code(), "JwtInvalidTokenUse", "{name}: {err}");
                println!("{name}: rejected ({err})");
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}
