//! PASSWORD_VERIFIER challenge parameters from nowhere into the password claim. The records of the input (see
//! src/lib.rs) are SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP and, optionally, the Unix time whose TIMESTAMP is
//! signed (decimal). `password_claim` must answer (a claim or a typed `SrpError`), never panic; a claim echoes
//! the secret block and the timestamp and carries a 32-byte signature.
#![no_main]

use std::sync::OnceLock;

use cognito_wasm::srp::{self, PasswordVerifierParams, SrpClient};
use cognito_wasm_fuzz::records;
use libfuzzer_sys::fuzz_target;

/// The default time signed: Tue Sep 3 11:42:07 UTC 2024.
const NOW: i64 = 1_725_363_727;

/// One client for every input: `A = g^a` is the costly part, and fixed inputs give the same one.
fn client() -> &'static SrpClient {
    static CLIENT: OnceLock<SrpClient> = OnceLock::new();
    CLIENT.get_or_init(|| match SrpClient::new(&[0x42; srp::EPHEMERAL_BYTES]) {
        Ok(client) => client,
        Err(e) => panic!("fixed ephemeral refused: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let mut fields = records(data).map(String::from_utf8_lossy);
    let (Some(salt), Some(srp_b), Some(secret_block), Some(user_id)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return;
    };
    let now = fields
        .next()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or(NOW);
    let timestamp = srp::format_timestamp(now);
    assert!(
        timestamp.is_ascii() && timestamp.contains(" UTC "),
        "{timestamp}"
    );
    let params = PasswordVerifierParams {
        pool_name: "AbCdEfGhI",
        user_id: &user_id,
        password: "Password123!",
        salt_hex: &salt,
        srp_b_hex: &srp_b,
        secret_block_b64: &secret_block,
    };
    match client().password_claim(&params, &timestamp) {
        Ok(claim) => {
            assert_eq!(claim.secret_block_b64, *secret_block);
            assert_eq!(claim.timestamp, timestamp);
            assert_eq!(claim.signature_b64.len(), 44, "{}", claim.signature_b64);
        }
        Err(e) => {
            let _ = (e.code(), e.message());
        }
    }
    let _ = srp::pad_hex(&salt);
});
