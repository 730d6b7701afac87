//! Hostile server values must give typed errors, never panics or wrong-but-accepted results.

use cognito_wasm::srp::{
    bigint, PasswordVerifierParams, SrpClient, SrpError, EPHEMERAL_BYTES, MAX_SALT_HEX_DIGITS,
    MAX_SECRET_BLOCK_CHARS, MAX_SRP_B_HEX_DIGITS,
};

const GOOD_B: &str = "ff03c091a481afffd56c6b1664ebd0dd3350b3437a15bd7dcd3cc008c4042472";
const GOOD_SALT: &str = "ec6edf3e7a622735bb748e94364b101d";
const GOOD_BLOCK: &str = "c2VjcmV0IGJsb2Nr";

fn client() -> SrpClient {
    SrpClient::new(&[0x42; EPHEMERAL_BYTES]).unwrap()
}

fn claim(b: &str, salt: &str, block: &str) -> Result<String, SrpError> {
    let params = PasswordVerifierParams {
        pool_name: "AbCdEfGhI",
        user_id: "alice",
        password: "pw",
        salt_hex: salt,
        srp_b_hex: b,
        secret_block_b64: block,
    };
    client()
        .password_claim(&params, "Tue Sep 3 11:42:07 UTC 2024")
        .map(|c| c.signature_b64)
}

#[test]
fn well_formed_input_is_accepted() {
    let sig = claim(GOOD_B, GOOD_SALT, GOOD_BLOCK).unwrap();
    assert_eq!(sig.len(), 44);
    // Case, leading zeros and a negative salt are all legitimate encodings.
    assert_eq!(
        claim(&GOOD_B.to_uppercase(), GOOD_SALT, GOOD_BLOCK).unwrap(),
        sig
    );
    assert_eq!(
        claim(&format!("0000{GOOD_B}"), GOOD_SALT, GOOD_BLOCK).unwrap(),
        sig
    );
    assert!(claim(GOOD_B, "-16e462a84f2df159eee0c14642974ee7", GOOD_BLOCK).is_ok());
    // An empty SECRET_BLOCK is valid base64 (of nothing).
    assert!(claim(GOOD_B, GOOD_SALT, "").is_ok());
    // Every input changes the signature.
    assert_ne!(
        claim(GOOD_B, "ec6edf3e7a622735bb748e94364b101e", GOOD_BLOCK).unwrap(),
        sig
    );
    assert_ne!(claim(GOOD_B, GOOD_SALT, "c2VjcmV0IGJsb2Nl").unwrap(), sig);
}

#[test]
fn malformed_srp_b_is_invalid_hex() {
    for b in [
        "", "-", "0x12", "12g4", " 12", "12 ", "+12", "--12", "１２", "ab\u{0}",
    ] {
        assert_eq!(
            claim(b, GOOD_SALT, GOOD_BLOCK),
            Err(SrpError::InvalidHex { field: "SRP_B" }),
            "{b:?}"
        );
    }
}

#[test]
fn malformed_salt_is_invalid_hex() {
    for salt in ["", "-", "zz", "0x1", "-+1", "1-2"] {
        assert_eq!(
            claim(GOOD_B, salt, GOOD_BLOCK),
            Err(SrpError::InvalidHex { field: "SALT" }),
            "{salt:?}"
        );
    }
}

#[test]
fn b_that_is_zero_mod_n_or_negative_is_rejected() {
    let n = bigint::N_HEX;
    let n_lower = n.to_ascii_lowercase();
    for b in ["0", "00", "-0", n, &n_lower, &format!("000{n}")] {
        assert_eq!(
            claim(b, GOOD_SALT, GOOD_BLOCK),
            Err(SrpError::InvalidServerValue),
            "{b:?}"
        );
    }
    // Multiples of N (the largest still within the SRP_B length cap).
    let n_bytes = unhex(&n_lower);
    for multiple in [2u32, 5, 255] {
        let b = multiply_be(&n_bytes, multiple);
        assert_eq!(
            claim(&hex(&b), GOOD_SALT, GOOD_BLOCK),
            Err(SrpError::InvalidServerValue),
            "{multiple}N"
        );
    }
    assert_eq!(
        claim(&format!("-{GOOD_B}"), GOOD_SALT, GOOD_BLOCK),
        Err(SrpError::InvalidServerValue)
    );
    // B = N + 1 is accepted (it is 1 mod N; SRP only requires B mod N != 0).
    let n_plus_1 = add_one(&n_bytes);
    assert!(claim(&hex(&n_plus_1), GOOD_SALT, GOOD_BLOCK).is_ok());
}

#[test]
fn oversized_values_are_too_long_not_slow() {
    let long_b = "1".repeat(MAX_SRP_B_HEX_DIGITS + 1);
    assert_eq!(
        claim(&long_b, GOOD_SALT, GOOD_BLOCK),
        Err(SrpError::TooLong {
            field: "SRP_B",
            max: MAX_SRP_B_HEX_DIGITS
        })
    );
    // The cap counts leading zeros too (bounded work on any input).
    let zeros_b = format!("{}{}", "0".repeat(MAX_SRP_B_HEX_DIGITS), "1");
    assert!(matches!(
        claim(&zeros_b, GOOD_SALT, GOOD_BLOCK),
        Err(SrpError::TooLong { .. })
    ));
    // The longest accepted B (above N, reduced mod N) works.
    let max_b = "f".repeat(MAX_SRP_B_HEX_DIGITS);
    assert!(claim(&max_b, GOOD_SALT, GOOD_BLOCK).is_ok());
    let long_salt = "a".repeat(MAX_SALT_HEX_DIGITS + 1);
    assert!(matches!(
        claim(GOOD_B, &long_salt, GOOD_BLOCK),
        Err(SrpError::TooLong { field: "SALT", .. })
    ));
    let long_block = "A".repeat(MAX_SECRET_BLOCK_CHARS + 4);
    assert!(matches!(
        claim(GOOD_B, GOOD_SALT, &long_block),
        Err(SrpError::TooLong {
            field: "SECRET_BLOCK",
            ..
        })
    ));
}

#[test]
fn malformed_secret_block_is_invalid_base64() {
    for block in [
        "c2VjcmV0IGJsb2Nr=",  // wrong padding
        "c2VjcmV0IGJsb2N",    // missing padding
        "c2VjcmV0-GJsb2Nr",   // url-safe alphabet
        "c2VjcmV0 IGJsb2Nr",  // whitespace
        "c2VjcmV0IGJsb2Nr\n", // trailing newline
        "YQ=",
        "YR==", // non-canonical trailing bits
        "é",
    ] {
        assert_eq!(
            claim(GOOD_B, GOOD_SALT, block),
            Err(SrpError::InvalidBase64 {
                field: "SECRET_BLOCK"
            }),
            "{block:?}"
        );
    }
}

#[test]
fn zero_ephemeral_is_rejected() {
    assert_eq!(
        SrpClient::new(&[0; EPHEMERAL_BYTES]).unwrap_err(),
        SrpError::InvalidEphemeral
    );
}

#[test]
fn errors_have_codes_and_messages() {
    let errors = [
        SrpError::InvalidHex { field: "SRP_B" },
        SrpError::TooLong {
            field: "SALT",
            max: 768,
        },
        SrpError::InvalidBase64 {
            field: "SECRET_BLOCK",
        },
        SrpError::InvalidServerValue,
        SrpError::ZeroScrambler,
        SrpError::InvalidEphemeral,
    ];
    let codes: Vec<&str> = errors.iter().map(|e| e.code()).collect();
    assert_eq!(
        codes,
        [
            "InvalidHex",
            "TooLong",
            "InvalidBase64",
            "InvalidServerValue",
            "ZeroScrambler",
            "InvalidEphemeral"
        ]
    );
    assert!(errors[0].to_string().contains("SRP_B"));
    assert!(errors[1].to_string().contains("768"));
}

#[test]
fn fuzzish_inputs_never_panic() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let alphabet = b"0123456789abcdefABCDEF-+ xz=/\x00";
    for _ in 0..60 {
        let mut s = String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 40) as usize;
        for i in 0..len {
            let idx = ((state >> (i % 50)) as usize + i * 7) % alphabet.len();
            s.push(char::from(alphabet[idx]));
        }
        let _ = claim(&s, GOOD_SALT, GOOD_BLOCK);
        let _ = claim(GOOD_B, &s, GOOD_BLOCK);
        let _ = claim(GOOD_B, GOOD_SALT, &s);
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn multiply_be(bytes: &[u8], m: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 4);
    let mut carry = 0u32;
    for &b in bytes.iter().rev() {
        let t = u32::from(b) * m + carry;
        out.push(t as u8);
        carry = t >> 8;
    }
    while carry != 0 {
        out.push(carry as u8);
        carry >>= 8;
    }
    out.reverse();
    out
}

fn add_one(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for b in out.iter_mut().rev() {
        let (v, overflow) = b.overflowing_add(1);
        *b = v;
        if !overflow {
            return out;
        }
    }
    out.insert(0, 1);
    out
}
