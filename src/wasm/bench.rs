//! Benchmark-only exports (`--features bench`, built into `pkg-bench/` by `scripts/build.sh --bench`).

use wasm_bindgen::prelude::*;

use crate::srp::{self, PasswordVerifierParams, SrpClient, EPHEMERAL_BYTES};

/// The client side of one USER_SRP_AUTH sign-in from fixed inputs: A from `a`, then S, the HKDF key and
/// the signature for the server's challenge. Returns the signature (base64), so callers can check it.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = srpBench)]
pub fn srp_bench(
    pool_id: &str,
    user_id_for_srp: &str,
    password: &str,
    a_hex: &str,
    srp_b_hex: &str,
    salt_hex: &str,
    secret_block_b64: &str,
    timestamp: &str,
) -> Result<String, JsValue> {
    let fail = |message: String| JsValue::from(js_sys::Error::new(&message));
    let a_bytes = srp::pad_hex(a_hex).map_err(|e| fail(e.to_string()))?;
    // pad_hex may add a sign byte; `a` is the last EPHEMERAL_BYTES bytes, left-padded with zeros.
    let mut a = [0u8; EPHEMERAL_BYTES];
    let tail = a_bytes.len().saturating_sub(EPHEMERAL_BYTES);
    let digits = a_bytes.get(tail..).unwrap_or_default();
    let start = EPHEMERAL_BYTES - digits.len();
    if let Some(slot) = a.get_mut(start..) {
        slot.copy_from_slice(digits);
    }
    let client = SrpClient::new(&a).map_err(|e| fail(e.to_string()))?;
    let pool_name = srp::pool_name(pool_id).ok_or_else(|| fail("bad pool id".into()))?;
    let claim = client
        .password_claim(
            &PasswordVerifierParams {
                pool_name,
                user_id: user_id_for_srp,
                password,
                salt_hex,
                srp_b_hex,
                secret_block_b64,
            },
            timestamp,
        )
        .map_err(|e| fail(e.to_string()))?;
    Ok(claim.signature_b64)
}
