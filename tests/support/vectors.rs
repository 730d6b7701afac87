//! Loads the shared SRP vectors (`../shared/vectors/srp/*.json`) with the crate's own JSON parser.
#![allow(dead_code)]

use cognito_wasm::json::{self, Limits, Value};

/// Path of a file under `../shared/vectors/srp`.
pub fn srp_vector_path(name: &str) -> String {
    format!(
        "{}/../shared/vectors/srp/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The parsed top-level array of a shared SRP vector file, or `None` (with a printed message)
/// when `../shared` is not there.
pub fn load_srp_vectors(name: &str) -> Option<Vec<Value>> {
    let path = srp_vector_path(name);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("SKIP: {path} not readable ({err}); shared vectors absent");
            return None;
        }
    };
    let limits = Limits {
        max_bytes: 16 * 1024 * 1024,
        max_depth: 32,
    };
    let value = json::parse(&bytes, &limits).expect("vector file is valid JSON");
    Some(value.as_array().expect("top level is an array").to_vec())
}

/// A required string field at a `/`-separated path, e.g. `"inputs/a_hex"`.
pub fn str_at<'a>(case: &'a Value, path: &str) -> &'a str {
    let mut cur = case;
    for key in path.split('/') {
        cur = cur
            .as_object()
            .and_then(|o| o.get(key))
            .unwrap_or_else(|| panic!("missing field {path}"));
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("field {path} is not a string"))
}

/// A required integer field at a `/`-separated path.
pub fn i64_at(case: &Value, path: &str) -> i64 {
    let mut cur = case;
    for key in path.split('/') {
        cur = cur
            .as_object()
            .and_then(|o| o.get(key))
            .unwrap_or_else(|| panic!("missing field {path}"));
    }
    cur.as_i64()
        .unwrap_or_else(|| panic!("field {path} is not an integer"))
}

/// Whether a field exists at a `/`-separated path.
pub fn has(case: &Value, path: &str) -> bool {
    let mut cur = case;
    for key in path.split('/') {
        match cur.as_object().and_then(|o| o.get(key)) {
            Some(next) => cur = next,
            None => return false,
        }
    }
    true
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of an even-length hex string (test data only).
pub fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd-length hex in test data: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex test data"))
        .collect()
}

/// Hex with leading zeros removed ("0" for zero), for comparing integers given as hex.
pub fn trim_hex(s: &str) -> String {
    let t = s.trim_start_matches('0').to_ascii_lowercase();
    if t.is_empty() {
        "0".to_owned()
    } else {
        t
    }
}

/// The cases of `tests/emulator/vectors/device_srp.json` (in this repository, so never skipped): remembered-device
/// SRP derived with amazon-cognito-identity-js's own AuthenticationHelper from fixed inputs.
pub fn device_srp_cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/emulator/vectors/device_srp.json"
    );
    let bytes = std::fs::read(path).expect("device_srp.json is in the repository");
    let limits = Limits {
        max_bytes: 1 << 20,
        max_depth: 16,
    };
    let doc = json::parse(&bytes, &limits).expect("device_srp.json is JSON");
    doc.as_object()
        .and_then(|o| o.get_array("cases"))
        .expect("device_srp.json has cases")
        .to_vec()
}

/// Hex digits (any length) as an `N`-byte big-endian integer, left-padded with zeros.
pub fn be_bytes<const N: usize>(hex_digits: &str) -> [u8; N] {
    let even = if hex_digits.len() % 2 == 1 {
        format!("0{hex_digits}")
    } else {
        hex_digits.to_owned()
    };
    let raw = unhex(&even);
    let first = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
    let raw = &raw[first..];
    assert!(raw.len() <= N, "{hex_digits} is longer than {N} bytes");
    let mut out = [0u8; N];
    out[N - raw.len()..].copy_from_slice(raw);
    out
}
