//! Native timing of the SRP client computation (not a test; numbers only).
//!
//! `cargo run --release --example srp_bench` prints the median of 20 runs of the whole client side
//! (A = g^a, then u, x, S, HKDF and the signature), its parts, and `rsa::BigUint::modpow` for scale.

use std::time::{Duration, Instant};

use cognito_wasm::srp::{bigint, PasswordVerifierParams, SrpClient, EPHEMERAL_BYTES};
use rsa::BigUint;

const RUNS: usize = 20;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let samples = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn main() {
    // Fixed pseudo-random inputs (values from the shared vector U01 would do as well).
    let mut a = [0u8; EPHEMERAL_BYTES];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for byte in a.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *byte = state as u8;
    }
    let b_hex: String = (0..384)
        .map(|i| format!("{:02x}", (i * 37 + 11) % 251))
        .collect();
    let params = PasswordVerifierParams {
        pool_name: "AbCdEfGhI",
        user_id: "alice",
        password: "Password123!",
        salt_hex: "ec6edf3e7a622735bb748e94364b101d",
        srp_b_hex: &b_hex,
        secret_block_b64: "c2VjcmV0IGJsb2Nr",
    };
    let timestamp = "Tue Sep 3 11:42:07 UTC 2024";

    let total = time(|| {
        let client = SrpClient::new(&a).expect("nonzero a");
        client.password_claim(&params, timestamp).expect("valid")
    });
    let client = SrpClient::new(&a).expect("nonzero a");
    let new_only = time(|| SrpClient::new(&a).expect("nonzero a"));
    let claim_only = time(|| client.password_claim(&params, timestamp).expect("valid"));

    let base = bigint::reduce_be_bytes(&[0xa5; 384]).expect("384 bytes");
    let exp = [0x5a; 129];
    let mont_pow = time(|| bigint::pow_mod(&base, &exp));
    let mont_pow2 = time(|| bigint::pow2_mod(&a));

    let n = BigUint::parse_bytes(bigint::N_HEX.as_bytes(), 16).expect("N");
    let big_base = BigUint::from_bytes_be(&base.to_be_bytes());
    let big_exp = BigUint::from_bytes_be(&exp);
    let biguint_pow = time(|| big_base.modpow(&big_exp, &n));

    println!("SRP client, median of {RUNS} runs (native):");
    println!("  whole client (A, then S/HKDF/signature): {total:?}");
    println!("    SrpClient::new (A = 2^a, 1024-bit a):  {new_only:?}");
    println!("    password_claim (g^x, S, HKDF, HMAC):   {claim_only:?}");
    println!("  Montgomery pow_mod, 1032-bit exponent:   {mont_pow:?}");
    println!("  Montgomery pow2_mod, 1024-bit exponent:  {mont_pow2:?}");
    println!("  rsa::BigUint::modpow, 1032-bit exponent: {biguint_pow:?}");
    println!(
        "  speed-up of pow_mod over BigUint: {:.1}x",
        biguint_pow.as_secs_f64() / mont_pow.as_secs_f64()
    );
}
