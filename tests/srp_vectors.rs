//! Known-answer tests for the SRP client: the shared vectors (skipped when `../shared` is absent)
//! and inline values that need nothing outside the crate.

#[path = "support/vectors.rs"]
mod vectors;

use cognito_wasm::srp::{
    self, device_verifier, format_timestamp, pad_hex, pad_unsigned, pool_name, secret_hash,
    PasswordVerifierParams, SrpClient, EPHEMERAL_BYTES,
};
use sha2::{Digest, Sha256};
use vectors::{
    be_bytes, device_srp_cases, has, hex, i64_at, load_srp_vectors, str_at, trim_hex, unhex,
};

fn a_bytes(a_hex: &str) -> [u8; EPHEMERAL_BYTES] {
    let raw = unhex(a_hex);
    let mut out = [0u8; EPHEMERAL_BYTES];
    out[EPHEMERAL_BYTES - raw.len()..].copy_from_slice(&raw);
    out
}

#[test]
fn every_vector_case_reproduces_all_intermediates_and_the_signature() {
    let Some(cases) = load_srp_vectors("vectors.json") else {
        return;
    };
    assert!(cases.len() >= 12, "expected at least 12 cases");
    let mut checked = 0;
    for case in &cases {
        let id = str_at(case, "id");
        let client = SrpClient::new(&a_bytes(str_at(case, "inputs/a_hex"))).expect(id);
        assert_eq!(
            client.srp_a_hex(),
            str_at(case, "outputs/A_hex"),
            "{id}: A_hex"
        );

        let params = PasswordVerifierParams {
            pool_name: str_at(case, "inputs/poolName"),
            user_id: str_at(case, "inputs/username"),
            password: str_at(case, "inputs/password"),
            salt_hex: str_at(case, "inputs/salt_hex"),
            srp_b_hex: str_at(case, "inputs/B_hex"),
            secret_block_b64: str_at(case, "inputs/secretBlock_b64"),
        };
        let timestamp = str_at(case, "inputs/timestamp");
        let (claim, trace) = client.password_claim_traced(&params, timestamp).expect(id);
        let out = |k: &str| str_at(case, &format!("outputs/{k}")).to_ascii_lowercase();
        assert_eq!(hex(&trace.a_padded), out("A_padded_hex"), "{id}: PAD(A)");
        assert_eq!(hex(&trace.b_padded), out("B_padded_hex"), "{id}: PAD(B)");
        assert_eq!(trim_hex(&hex(&trace.u)), trim_hex(&out("u_hex")), "{id}: u");
        assert_eq!(
            hex(&pad_unsigned(&trace.u)),
            out("u_padded_hex"),
            "{id}: PAD(u)"
        );
        assert_eq!(
            hex(&trace.salt_padded),
            out("salt_padded_hex"),
            "{id}: PAD(salt)"
        );
        assert_eq!(hex(&trace.inner_hash), out("inner_hash_hex"), "{id}: inner");
        assert_eq!(trim_hex(&hex(&trace.x)), trim_hex(&out("x_hex")), "{id}: x");
        assert_eq!(trim_hex(&hex(&trace.s)), trim_hex(&out("S_hex")), "{id}: S");
        assert_eq!(
            hex(&pad_unsigned(&trace.s)),
            out("S_padded_hex"),
            "{id}: PAD(S)"
        );
        assert_eq!(hex(&trace.hkdf_key), out("hkdf_key_hex"), "{id}: HKDF key");
        assert_eq!(
            claim.signature_b64,
            str_at(case, "outputs/signature_b64"),
            "{id}: signature"
        );
        assert_eq!(
            claim.secret_block_b64, params.secret_block_b64,
            "{id}: secret block"
        );
        assert_eq!(claim.timestamp, timestamp, "{id}: timestamp");

        // The public entry point gives the same claim as the traced one.
        assert_eq!(client.password_claim(&params, timestamp).expect(id), claim);

        let epoch_ms = i64_at(case, "inputs/timestamp_epoch_ms");
        assert_eq!(
            format_timestamp(epoch_ms.div_euclid(1000)),
            timestamp,
            "{id}: timestamp"
        );

        if let Some(pool_id) = case
            .as_object()
            .and_then(|o| o.get_object("inputs"))
            .and_then(|o| o.get_str("poolId"))
        {
            if !id.starts_with('D') {
                assert_eq!(
                    pool_name(pool_id),
                    Some(params.pool_name),
                    "{id}: pool name"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}

#[test]
fn device_cases_reproduce_the_confirm_device_verifier() {
    let Some(cases) = load_srp_vectors("vectors.json") else {
        return;
    };
    let mut devices = 0;
    for case in cases.iter().filter(|c| has(c, "confirmDevice")) {
        let id = str_at(case, "id");
        let random40: [u8; 40] = unhex(str_at(case, "confirmDevice/inputs/random40_hex"))
            .try_into()
            .expect("40 bytes");
        let random16: [u8; 16] = unhex(str_at(case, "confirmDevice/inputs/random16_hex"))
            .try_into()
            .expect("16 bytes");
        let dv = device_verifier(
            str_at(case, "confirmDevice/inputs/deviceGroupKey"),
            str_at(case, "confirmDevice/inputs/deviceKey"),
            &random40,
            &random16,
        )
        .expect(id);
        assert_eq!(
            dv.device_password.expose(),
            str_at(case, "confirmDevice/outputs/randomPassword"),
            "{id}: device password"
        );
        assert_eq!(
            dv.salt_b64,
            str_at(case, "confirmDevice/outputs/Salt_b64"),
            "{id}"
        );
        assert_eq!(
            dv.verifier_b64,
            str_at(case, "confirmDevice/outputs/PasswordVerifier_b64"),
            "{id}: verifier"
        );
        // The later DEVICE_SRP_AUTH uses the same password.
        assert_eq!(
            dv.device_password.expose(),
            str_at(case, "inputs/password"),
            "{id}"
        );
        devices += 1;
    }
    assert!(devices >= 1, "no device case with confirmDevice data");
}

#[test]
fn device_srp_vectors_confirm_device_and_device_password_verifier() {
    use base64::Engine as _;
    let cases = device_srp_cases();
    assert_eq!(cases.len(), 3);
    for case in &cases {
        let id = str_at(case, "name");
        let group = str_at(case, "deviceGroupKey");
        let key = str_at(case, "deviceKey");
        let password = str_at(case, "randomPassword");

        // ConfirmDevice: the password is base64 of the 40 random bytes, the salt the 16 random bytes' integer.
        let random40: [u8; 40] = base64::engine::general_purpose::STANDARD
            .decode(password)
            .expect(id)
            .try_into()
            .expect("40 bytes");
        let random16: [u8; 16] = be_bytes(str_at(case, "saltHex"));
        let dv = device_verifier(group, key, &random40, &random16).expect(id);
        assert_eq!(dv.device_password.expose(), password, "{id}: password");
        assert_eq!(
            dv.salt_b64,
            str_at(case, "confirmDevice/Salt"),
            "{id}: Salt"
        );
        assert_eq!(
            dv.verifier_b64,
            str_at(case, "confirmDevice/PasswordVerifier"),
            "{id}: PasswordVerifier"
        );

        // DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, with the device standing in for pool and user.
        let client = SrpClient::new(&be_bytes(str_at(case, "a"))).expect(id);
        assert_eq!(client.srp_a_hex(), str_at(case, "SRP_A"), "{id}: SRP_A");
        let device = cognito_wasm::device::RememberedDevice {
            metadata: cognito_wasm::cognito::NewDeviceMetadata {
                device_key: key.into(),
                device_group_key: group.into(),
            },
            password: dv.device_password.clone(),
        };
        let params = PasswordVerifierParams::for_device(
            &device,
            str_at(case, "SALT"),
            str_at(case, "SRP_B"),
            str_at(case, "secretBlock"),
        );
        let timestamp = str_at(case, "timestamp");
        let (claim, trace) = client.password_claim_traced(&params, timestamp).expect(id);
        assert_eq!(
            trim_hex(&hex(&trace.u)),
            trim_hex(str_at(case, "u")),
            "{id}: u"
        );
        assert_eq!(hex(&trace.hkdf_key), str_at(case, "hkdf"), "{id}: HKDF");
        assert_eq!(
            claim.signature_b64,
            str_at(case, "signature"),
            "{id}: signature"
        );
    }
}

#[test]
fn secret_hash_vectors() {
    let Some(cases) = load_srp_vectors("secret_hash_vectors.json") else {
        return;
    };
    assert!(!cases.is_empty());
    for case in &cases {
        assert_eq!(
            secret_hash(
                str_at(case, "inputs/clientSecret"),
                str_at(case, "inputs/username"),
                str_at(case, "inputs/clientId"),
            ),
            str_at(case, "secret_hash"),
        );
    }
}

// ---- Inline known answers (no ../shared needed) ----

#[test]
fn k_is_hash_of_pad_n_and_pad_g() {
    let n = unhex(&srp::bigint::N_HEX.to_ascii_lowercase());
    let mut h = Sha256::new();
    h.update(pad_unsigned(&n));
    h.update(pad_unsigned(&[2]));
    assert_eq!(hex(&h.finalize()), srp::K_HEX);
    assert_eq!(pad_unsigned(&n).len(), 385);
}

#[test]
fn pad_matches_java_to_byte_array() {
    let table: &[(&str, &str)] = &[
        ("0", "00"),
        ("00", "00"),
        ("-0", "00"),
        ("7f", "7f"),
        ("80", "0080"),
        ("ff", "00ff"),
        ("100", "0100"),
        ("0000ff", "00ff"),
        ("FF", "00ff"),
        ("-1", "ff"),
        ("-7f", "81"),
        ("-80", "80"),
        ("-81", "ff7f"),
        ("-ff", "ff01"),
        ("-100", "ff00"),
        ("-101", "feff"),
        ("-8000", "8000"),
        ("-8001", "ff7fff"),
        (
            "cdcc06686a8c8469563e1156b1f67c1",
            "0cdcc06686a8c8469563e1156b1f67c1",
        ),
        (
            "-16e462a84f2df159eee0c14642974ee7",
            "e91b9d57b0d20ea6111f3eb9bd68b119",
        ),
    ];
    for (input, expected) in table {
        assert_eq!(
            hex(&pad_hex(input).expect(input)),
            *expected,
            "PAD({input})"
        );
    }
    assert_eq!(hex(&pad_unsigned(&[])), "00");
    assert_eq!(hex(&pad_unsigned(&[0, 0, 0x80])), "0080");
}

#[test]
fn timestamps_known_answers() {
    let table: &[(i64, &str)] = &[
        (0, "Thu Jan 1 00:00:00 UTC 1970"),
        (-1, "Wed Dec 31 23:59:59 UTC 1969"),
        (1_736_035_200, "Sun Jan 5 00:00:00 UTC 2025"),
        (1_725_363_727, "Tue Sep 3 11:42:07 UTC 2024"),
        (1_735_117_503, "Wed Dec 25 09:05:03 UTC 2024"),
        (951_782_400, "Tue Feb 29 00:00:00 UTC 2000"),
        (1_709_164_799, "Wed Feb 28 23:59:59 UTC 2024"),
        (1_709_164_800, "Thu Feb 29 00:00:00 UTC 2024"),
        (1_709_251_200, "Fri Mar 1 00:00:00 UTC 2024"),
        (4_107_542_400, "Mon Mar 1 00:00:00 UTC 2100"),
        (4_107_456_000, "Sun Feb 28 00:00:00 UTC 2100"),
        (253_402_300_799, "Fri Dec 31 23:59:59 UTC 9999"),
        (-62_135_596_800, "Mon Jan 1 00:00:00 UTC 0001"),
    ];
    for (secs, expected) in table {
        assert_eq!(format_timestamp(*secs), *expected, "{secs}");
    }
    // Extremes do not panic.
    let _ = format_timestamp(i64::MAX);
    let _ = format_timestamp(i64::MIN);
}

#[test]
fn pool_name_takes_the_part_after_the_underscore() {
    assert_eq!(pool_name("us-east-1_AbCdEfGhI"), Some("AbCdEfGhI"));
    assert_eq!(pool_name("eu-west-2_Zx9_Yw"), Some("Zx9_Yw"));
    assert_eq!(pool_name("nounderscore"), None);
    assert_eq!(pool_name("us-east-1_"), None);
    assert_eq!(pool_name(""), None);
}

#[test]
fn secret_hash_inline_answer() {
    assert_eq!(
        secret_hash("s3cr3t", "alice", "4abcdefghijklmnopqrstuv123"),
        "dd//zSGS0Zb5RtfGbASiHcp6AN8xy8Tvu9U68CLAmL4="
    );
    // A key longer than the HMAC block size is hashed first.
    let long_key = "k".repeat(100);
    let h = secret_hash(&long_key, "u", "c");
    assert_eq!(h.len(), 44);
    assert_ne!(h, secret_hash(&"k".repeat(99), "u", "c"));
}

#[test]
fn a_of_one_is_two_and_wire_hex_is_minimal() {
    let mut a = [0u8; EPHEMERAL_BYTES];
    a[EPHEMERAL_BYTES - 1] = 1;
    assert_eq!(SrpClient::new(&a).unwrap().srp_a_hex(), "2");
    a[EPHEMERAL_BYTES - 1] = 12;
    assert_eq!(SrpClient::new(&a).unwrap().srp_a_hex(), "1000");
    a[EPHEMERAL_BYTES - 1] = 8;
    assert_eq!(SrpClient::new(&a).unwrap().srp_a_hex(), "100");
}

#[test]
fn debug_output_redacts_the_secret_ephemeral_and_password() {
    let a = [0x5au8; EPHEMERAL_BYTES];
    let client = SrpClient::new(&a).unwrap();
    let dbg = format!("{client:?}");
    assert!(dbg.contains("<redacted>"));
    assert!(!dbg.contains("5a5a5a"));
    let params = PasswordVerifierParams {
        pool_name: "p",
        user_id: "u",
        password: "hunter2",
        salt_hex: "01",
        srp_b_hex: "02",
        secret_block_b64: "",
    };
    assert!(!format!("{params:?}").contains("hunter2"));
}

#[test]
fn negative_and_zero_led_salts_end_to_end() {
    // Expected signatures from an independent Python implementation of SRP.md (Java PAD
    // semantics: negative SALT in two's complement, leading zeros irrelevant). The shared vector
    // subset has no negative salt, so this is the only end-to-end check of that path.
    let a: [u8; EPHEMERAL_BYTES] = core::array::from_fn(|i| ((i * 7 + 3) % 256) as u8);
    let n = rsa::BigUint::parse_bytes(srp::bigint::N_HEX.as_bytes(), 16).unwrap();
    let b = rsa::BigUint::from(3u32).modpow(&rsa::BigUint::from(0x123_4567u32), &n);
    let b_hex = format!("0000{}", b.to_str_radix(16));
    let client = SrpClient::new(&a).unwrap();
    assert!(client
        .srp_a_hex()
        .starts_with("af965eeeacb97c2f08bae05e49ecdd94"));
    let cases = [
        (
            "-16e462a84f2df159eee0c14642974ee7",
            "Ba+bBQPEGtOQKtHbi5PIQXYd9rUGPRFdzBEgxdeIf9k=",
        ),
        ("00007a0f", "xEGe9N8CF/09oa3gPQckDBlivFclcNl+ehUU8cZBmu8="),
        ("-80", "wXP2VsnNHnu7biUf4ROJkdZ2tM/cIuUF+eC4QRluLk0="),
    ];
    for (salt_hex, expected) in cases {
        let params = PasswordVerifierParams {
            pool_name: "AbCdEfGhI",
            user_id: "alice",
            password: "Password123!",
            salt_hex,
            srp_b_hex: &b_hex,
            secret_block_b64: "c2VjcmV0IGJsb2Nr",
        };
        let claim = client
            .password_claim(&params, "Sun Jan 5 00:00:00 UTC 2025")
            .unwrap();
        assert_eq!(claim.signature_b64, expected, "salt {salt_hex}");
    }
}
