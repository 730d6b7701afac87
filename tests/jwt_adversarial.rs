//! Adversarial tokens, generated fresh on every run by `tests/jwt/gen-adversarial.mjs` (Node's built-in
//! `crypto`, no packages), each checked for its exact outcome: accepted, or rejected with one specific
//! [`TokenError`](cognito_wasm::jwt::TokenError) code. Without `node` on the PATH the test prints a
//! message and passes.

use std::path::PathBuf;
use std::process::Command;

use cognito_wasm::json::{self, Value};
use cognito_wasm::jwt::{verify, Expectations, Jwks, TokenUse};

/// The fewest cases the generator must produce (guards against a generator that silently emits less).
const MIN_CASES: usize = 60;

fn strings(case: &json::Object, key: &str) -> Vec<String> {
    case.get_array(key)
        .unwrap_or_else(|| panic!("case has no {key} array"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn adversarial_tokens_get_their_exact_outcome() {
    if Command::new("node").arg("--version").output().is_err() {
        println!("SKIP: node not found; adversarial token cases not generated");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jwt/gen-adversarial.mjs");
    let outfile = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jwt-adversarial-cases.json");
    let run = Command::new("node")
        .arg(script)
        .arg(&outfile)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "generator failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&outfile).unwrap();
    let limits = json::Limits {
        max_bytes: 64 * 1024 * 1024,
        max_depth: 16,
    };
    let Value::Array(cases) = json::parse(&bytes, &limits).unwrap() else {
        panic!("generator output is not an array");
    };

    let mut failures = Vec::new();
    let mut accepted = 0;
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for case in &cases {
        let case = case.as_object().unwrap();
        let name = case.get_str("name").unwrap();
        let token = case.get_str("token").unwrap();
        let expected = case.get_str("expect").unwrap();
        let token_use = TokenUse::from_wire(case.get_str("token_use").unwrap()).unwrap();
        let expect = Expectations {
            issuers: strings(case, "issuers"),
            client_id: case.get_str("client_id").unwrap().to_owned(),
            token_use,
            clock_skew_secs: u64::try_from(case.get_i64("skew").unwrap()).unwrap(),
            required_groups: strings(case, "required_groups"),
            required_scopes: strings(case, "required_scopes"),
        };
        let now = case.get_i64("now").unwrap();
        let outcome = Jwks::parse(case.get_str("jwks").unwrap().as_bytes())
            .and_then(|jwks| verify(token, &jwks, &expect, now));
        let actual = match &outcome {
            Ok(verified) => {
                assert_eq!(verified.token_use(), token_use, "{name}");
                assert_eq!(verified.as_str(), token, "{name}");
                assert_eq!(
                    verified.sub(),
                    Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
                    "{name}"
                );
                assert_eq!(verified.username(), Some("alice"), "{name}");
                assert!(verified.groups().contains(&"admins"), "{name}");
                assert_eq!(
                    verified.origin_jti(),
                    Some("11111111-2222-3333-4444-555555555555"),
                    "{name}"
                );
                match token_use {
                    TokenUse::Id => {
                        assert_eq!(verified.email(), Some("alice@example.com"), "{name}");
                        assert!(verified.scopes().is_empty(), "{name}");
                    }
                    TokenUse::Access => {
                        assert_eq!(
                            verified.scopes(),
                            ["openid", "profile", "aws.cognito.signin.user.admin"],
                            "{name}"
                        );
                        assert_eq!(verified.email(), None, "{name}");
                    }
                }
                assert!(
                    verified.exp() > now - 60 && verified.iat() <= now + 60,
                    "{name}"
                );
                assert!(
                    !format!("{verified:?}").contains(token),
                    "{name}: Debug shows the token"
                );
                accepted += 1;
                "accept"
            }
            Err(e) => {
                // Messages say what was expected and found, never the token or its signature.
                let message = e.to_string();
                for segment in token.split('.').filter(|s| s.len() > 24) {
                    let probe = &segment[..24.min(segment.len())];
                    assert!(
                        !message.contains(probe),
                        "{name}: message repeats the token: {message}"
                    );
                }
                assert!(message.len() < 600, "{name}: message too long: {message}");
                *codes.entry(e.code().to_owned()).or_default() += 1;
                e.code()
            }
        };
        if actual != expected {
            let detail = outcome.err().map(|e| e.to_string()).unwrap_or_default();
            failures.push(format!(
                "{name}: expected {expected}, got {actual} {detail}"
            ));
        }
    }
    println!(
        "adversarial token cases: {} ({accepted} accepted)",
        cases.len()
    );
    for (code, count) in &codes {
        println!("  {code}: {count}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(cases.len() >= MIN_CASES, "only {} cases", cases.len());
}
