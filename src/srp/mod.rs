//! Cognito's SRP-6a client math (USER_SRP_AUTH / PASSWORD_VERIFIER and DEVICE_SRP_AUTH /
//! DEVICE_PASSWORD_VERIFIER), the ConfirmDevice verifier and SECRET_HASH.
//!
//! Sans-IO: the random ephemeral and the timestamp come in as arguments. The algorithm is the one in
//! `SRP.md` (shared docs): `PAD` is Java's `BigInteger.toByteArray()`, server hex values are parsed as
//! (possibly negative) integers, `x = H(PAD(salt) || H(pool || user || ":" || password))`,
//! `S = (B - k·g^x)^(a + u·x) mod N`, and the key is HKDF-SHA256 with info "Caldera Derived Key".
//!
//! Everything that comes from the server (SRP_B, SALT, SECRET_BLOCK) is validated before any
//! expensive arithmetic and rejected with a typed [`SrpError`]; nothing here panics on input.
//! The modular arithmetic is the fixed-size Montgomery code in [`bigint`].

pub mod bigint;

use crate::base64::{self, Form};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use bigint::U3072;

use crate::text::{cat, hex_digit, push_int, uint};

/// Size of the random ephemeral `a` in bytes (1024 bits).
pub const EPHEMERAL_BYTES: usize = 128;
/// Random bytes of a new device's password (base64 of them is the password, 56 characters).
pub const DEVICE_PASSWORD_BYTES: usize = 40;
/// Random bytes of a new device's salt.
pub const DEVICE_SALT_BYTES: usize = 16;

/// Longest SRP_B accepted, in hex digits (leading zeros included): 384 bytes plus some slack.
pub const MAX_SRP_B_HEX_DIGITS: usize = 2 * bigint::BYTES + 16;
/// Longest SALT accepted, in hex digits. Cognito's salts are 16 bytes.
pub const MAX_SALT_HEX_DIGITS: usize = 2 * bigint::BYTES;
/// Longest SECRET_BLOCK accepted, in base64 characters. Cognito's are about 1.5 KB.
pub const MAX_SECRET_BLOCK_CHARS: usize = 64 * 1024;

/// `k = H(PAD(N) || PAD(g))`, big-endian.
pub const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";
const K_BYTES: [u8; 32] = [
    0x53, 0x82, 0x82, 0xc4, 0x35, 0x47, 0x42, 0xd7, 0xcb, 0xbd, 0xe2, 0x35, 0x9f, 0xcf, 0x67, 0xf9,
    0xf5, 0xb3, 0xa6, 0xb0, 0x87, 0x91, 0xe5, 0x01, 0x1b, 0x43, 0xb8, 0xa5, 0xb6, 0x6d, 0x9e, 0xe6,
];
const HKDF_INFO: &[u8] = b"Caldera Derived Key";

/// Why the SRP computation refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SrpError {
    /// A server value that must be hex is empty, has a stray sign or a non-hex character.
    InvalidHex {
        /// The challenge parameter (`SRP_B`, `SALT`).
        field: &'static str,
    },
    /// A server value is longer than any legitimate one.
    TooLong {
        /// The challenge parameter.
        field: &'static str,
        /// The limit, in characters.
        max: usize,
    },
    /// A server value that must be standard padded base64 is not.
    InvalidBase64 {
        /// The challenge parameter (`SECRET_BLOCK`).
        field: &'static str,
    },
    /// SRP_B is negative or `B mod N == 0`: the exchange would be insecure, so it is aborted.
    InvalidServerValue,
    /// The scrambler `u = H(PAD(A) || PAD(B))` is zero: aborted as SRP-6a requires.
    ZeroScrambler,
    /// The random ephemeral is all zero bytes: the random source is broken.
    InvalidEphemeral,
}

impl SrpError {
    /// A stable machine-readable name for the error.
    pub fn code(&self) -> &'static str {
        match self {
            SrpError::InvalidHex { .. } => "InvalidHex",
            SrpError::TooLong { .. } => "TooLong",
            SrpError::InvalidBase64 { .. } => "InvalidBase64",
            SrpError::InvalidServerValue => "InvalidServerValue",
            SrpError::ZeroScrambler => "ZeroScrambler",
            SrpError::InvalidEphemeral => "InvalidEphemeral",
        }
    }
}

impl SrpError {
    /// The message, for people (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            SrpError::InvalidHex { field } => cat(&[field, " is not a hex integer"]),
            SrpError::TooLong { field, max } => {
                cat(&[field, " is longer than ", &uint(*max as u64), " characters"])
            }
            SrpError::InvalidBase64 { field } => cat(&[field, " is not valid base64"]),
            SrpError::InvalidServerValue => String::from("SRP_B is zero modulo N or negative"),
            SrpError::ZeroScrambler => String::from("the SRP scrambler u is zero"),
            SrpError::InvalidEphemeral => String::from("the random SRP ephemeral is zero"),
        }
    }
}

impl core::fmt::Display for SrpError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SrpError {}

/// The client side of one SRP exchange: the secret ephemeral `a` and the public `A = g^a mod N`.
///
/// Use one per challenge (user SRP, then a fresh one for device SRP).
#[derive(Clone)]
pub struct SrpClient {
    a: [u8; EPHEMERAL_BYTES],
    a_public: U3072,
}

impl Drop for SrpClient {
    fn drop(&mut self) {
        // Best effort: overwrite the secret ephemeral (black_box keeps the write from being
        // optimised away; copies made by moves are not covered).
        self.a.fill(0);
        core::hint::black_box(&self.a);
    }
}

impl core::fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SrpClient")
            .field("a", &"<redacted>")
            .field("A", &self.srp_a_hex())
            .finish()
    }
}

/// The PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) challenge values and the credentials.
#[derive(Clone, Copy)]
pub struct PasswordVerifierParams<'a> {
    /// The part of the user-pool id after `_` (see [`pool_name`]), or the DeviceGroupKey for device SRP.
    pub pool_name: &'a str,
    /// USER_ID_FOR_SRP from the challenge (not what the user typed), or the DeviceKey for device SRP.
    pub user_id: &'a str,
    /// The user's password, or the device's random password.
    pub password: &'a str,
    /// SALT from the challenge (hex, possibly negative).
    pub salt_hex: &'a str,
    /// SRP_B from the challenge (hex).
    pub srp_b_hex: &'a str,
    /// SECRET_BLOCK from the challenge (base64), signed and sent back verbatim.
    pub secret_block_b64: &'a str,
}

impl core::fmt::Debug for PasswordVerifierParams<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PasswordVerifierParams")
            .field("pool_name", &self.pool_name)
            .field("user_id", &self.user_id)
            .field("password", &"<redacted>")
            .field("salt_hex", &self.salt_hex)
            .field("srp_b_hex", &self.srp_b_hex)
            .field("secret_block_b64", &self.secret_block_b64)
            .finish()
    }
}

impl<'a> PasswordVerifierParams<'a> {
    /// DEVICE_PASSWORD_VERIFIER's: the remembered device stands in for the user, its DeviceGroupKey for the
    /// pool name (whole, no `_` split), its DeviceKey for the user id and its random password for the password.
    pub fn for_device(
        device: &'a crate::device::RememberedDevice,
        salt_hex: &'a str,
        srp_b_hex: &'a str,
        secret_block_b64: &'a str,
    ) -> Self {
        PasswordVerifierParams {
            pool_name: device.group_key(),
            user_id: device.key(),
            password: device.password.expose(),
            salt_hex,
            srp_b_hex,
            secret_block_b64,
        }
    }
}

/// The ChallengeResponses values that prove knowledge of the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    /// PASSWORD_CLAIM_SIGNATURE: standard padded base64 of the HMAC (44 characters).
    pub signature_b64: String,
    /// PASSWORD_CLAIM_SECRET_BLOCK: the challenge's SECRET_BLOCK, verbatim.
    pub secret_block_b64: String,
    /// TIMESTAMP: exactly the string that was signed.
    pub timestamp: String,
}

/// Every intermediate value of a claim, for known-answer tests. Holds secrets: test use only.
#[doc(hidden)]
#[derive(Clone)]
pub struct ClaimTrace {
    /// PAD(A).
    pub a_padded: Vec<u8>,
    /// PAD(B) of the parsed, unreduced B.
    pub b_padded: Vec<u8>,
    /// u, 32 bytes big-endian.
    pub u: [u8; 32],
    /// PAD(salt).
    pub salt_padded: Vec<u8>,
    /// H(pool || user || ":" || password).
    pub inner_hash: [u8; 32],
    /// x, 32 bytes big-endian.
    pub x: [u8; 32],
    /// S, 384 bytes big-endian.
    pub s: [u8; 384],
    /// The 16-byte HKDF key.
    pub hkdf_key: [u8; 16],
}

impl core::fmt::Debug for ClaimTrace {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ClaimTrace(<redacted>)")
    }
}

impl SrpClient {
    /// Starts an exchange from 128 random bytes (`a`, big-endian): computes `A = 2^a mod N`.
    pub fn new(a_random: &[u8; EPHEMERAL_BYTES]) -> Result<Self, SrpError> {
        if a_random.iter().all(|&b| b == 0) {
            return Err(SrpError::InvalidEphemeral);
        }
        let a_public = bigint::from_mont(&bigint::pow2_mont(a_random));
        if a_public.is_zero() {
            // Impossible for a prime N; checked because every reference client checks it.
            return Err(SrpError::InvalidEphemeral);
        }
        Ok(SrpClient {
            a: *a_random,
            a_public,
        })
    }

    /// SRP_A as sent on the wire: lowercase hex of `A` without leading zeros.
    pub fn srp_a_hex(&self) -> String {
        let bytes = self.a_public.to_be_bytes();
        let hex = to_hex(strip_leading_zeros(&bytes));
        match hex.strip_prefix('0') {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => hex,
        }
    }

    /// Answers a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER challenge, signing `timestamp`
    /// (see [`format_timestamp`]).
    pub fn password_claim(
        &self,
        params: &PasswordVerifierParams<'_>,
        timestamp: &str,
    ) -> Result<PasswordClaim, SrpError> {
        self.password_claim_traced(params, timestamp)
            .map(|(claim, _)| claim)
    }

    /// [`password_claim`](Self::password_claim) plus every intermediate value (tests only).
    #[doc(hidden)]
    pub fn password_claim_traced(
        &self,
        params: &PasswordVerifierParams<'_>,
        timestamp: &str,
    ) -> Result<(PasswordClaim, ClaimTrace), SrpError> {
        // Validate every server value before the expensive part.
        let b = parse_hex_int(params.srp_b_hex, "SRP_B", MAX_SRP_B_HEX_DIGITS)?;
        if b.negative {
            return Err(SrpError::InvalidServerValue);
        }
        let salt = parse_hex_int(params.salt_hex, "SALT", MAX_SALT_HEX_DIGITS)?;
        if params.secret_block_b64.len() > MAX_SECRET_BLOCK_CHARS {
            return Err(SrpError::TooLong {
                field: "SECRET_BLOCK",
                max: MAX_SECRET_BLOCK_CHARS,
            });
        }
        let secret_block = base64::decode(params.secret_block_b64, Form::StandardPadded).ok_or(
            SrpError::InvalidBase64 {
                field: "SECRET_BLOCK",
            },
        )?;

        let b_reduced = bigint::reduce_be_bytes(&b.magnitude).ok_or(SrpError::TooLong {
            field: "SRP_B",
            max: MAX_SRP_B_HEX_DIGITS,
        })?;
        if b_reduced.is_zero() {
            return Err(SrpError::InvalidServerValue);
        }

        let a_padded = pad_unsigned(&self.a_public.to_be_bytes());
        let b_padded = pad_unsigned(&b.magnitude);
        let u: [u8; 32] = Sha256::new()
            .chain_update(&a_padded)
            .chain_update(&b_padded)
            .finalize()
            .into();
        if u.iter().all(|&byte| byte == 0) {
            return Err(SrpError::ZeroScrambler);
        }

        let salt_padded = salt.pad();
        let inner_hash = password_hash(params.pool_name, params.user_id, params.password);
        let x: [u8; 32] = Sha256::new()
            .chain_update(&salt_padded)
            .chain_update(inner_hash)
            .finalize()
            .into();

        // base = (B - k * g^x) mod N, all in Montgomery form.
        let k = U3072::from_be_32(&K_BYTES);
        let gx_mont = bigint::pow2_mont(&x);
        let kgx_mont = bigint::mont_mul(&bigint::to_mont(&k), &gx_mont);
        let base_mont = bigint::sub_mod(&bigint::to_mont(&b_reduced), &kgx_mont);
        let exponent = exponent_a_plus_ux(&self.a, &u, &x);
        let s = bigint::from_mont(&bigint::pow_mont(&base_mont, &exponent)).to_be_bytes();

        let s_padded = pad_unsigned(&s);
        let u_padded = pad_unsigned(&u);
        let prk = hmac_sha256(&u_padded, &[&s_padded]);
        let okm = hmac_sha256(&prk, &[HKDF_INFO, &[1u8]]);
        let mut hkdf_key = [0u8; 16];
        for (dst, src) in hkdf_key.iter_mut().zip(okm.iter()) {
            *dst = *src;
        }

        let signature = hmac_sha256(
            &hkdf_key,
            &[
                params.pool_name.as_bytes(),
                params.user_id.as_bytes(),
                &secret_block,
                timestamp.as_bytes(),
            ],
        );
        let claim = PasswordClaim {
            signature_b64: base64(&signature),
            secret_block_b64: params.secret_block_b64.to_owned(),
            timestamp: timestamp.to_owned(),
        };
        let trace = ClaimTrace {
            a_padded,
            b_padded,
            u,
            salt_padded,
            inner_hash,
            x,
            s,
            hkdf_key,
        };
        Ok((claim, trace))
    }
}

/// `a + u * x` as a fixed 129-byte big-endian number (a < 2^1024, u·x < 2^512, so it fits;
/// the fixed length keeps the exponentiation's work independent of the value).
fn exponent_a_plus_ux(a: &[u8; EPHEMERAL_BYTES], u: &[u8; 32], x: &[u8; 32]) -> [u8; 129] {
    // Little-endian 32-bit digits.
    fn digits<const D: usize>(be: &[u8]) -> [u64; D] {
        let mut out = [0u64; D];
        for (digit, chunk) in out.iter_mut().zip(be.rchunks(4)) {
            *digit = chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        }
        out
    }
    let u_d: [u64; 8] = digits(u);
    let x_d: [u64; 8] = digits(x);
    // 33 digits: 1024 bits of a plus one carry digit.
    let mut acc: [u64; 33] = digits(a);
    for (i, &ud) in u_d.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &xd) in x_d.iter().enumerate() {
            if let Some(slot) = acc.get_mut(i + j) {
                let t = *slot + ud * xd + carry;
                *slot = t & 0xffff_ffff;
                carry = t >> 32;
            }
        }
        let mut k = i + x_d.len();
        while carry != 0 {
            match acc.get_mut(k) {
                Some(slot) => {
                    let t = *slot + carry;
                    *slot = t & 0xffff_ffff;
                    carry = t >> 32;
                    k += 1;
                }
                None => break,
            }
        }
    }
    let mut out = [0u8; 129];
    for (chunk, digit) in out.rchunks_mut(4).zip(acc.iter()) {
        let bytes = (*digit as u32).to_be_bytes();
        let skip = 4 - chunk.len();
        for (dst, src) in chunk.iter_mut().zip(bytes.iter().skip(skip)) {
            *dst = *src;
        }
    }
    out
}

/// `H(UTF8(pool_name || user_id || ":" || password))`.
fn password_hash(pool_name: &str, user_id: &str, password: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(pool_name.as_bytes())
        .chain_update(user_id.as_bytes())
        .chain_update(b":")
        .chain_update(password.as_bytes())
        .finalize()
        .into()
}

/// HMAC-SHA256 over the concatenation of `parts`.
///
/// The key is brought to the block size first (hashed when longer, zero-padded), exactly as HMAC
/// itself does, so the infallible fixed-size constructor can be used.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        let digest = Sha256::digest(key);
        for (dst, src) in block.iter_mut().zip(digest.iter()) {
            *dst = *src;
        }
    } else {
        for (dst, src) in block.iter_mut().zip(key.iter()) {
            *dst = *src;
        }
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// A hex integer as the server meant it: Java `new BigInteger(s, 16)`.
struct HexInt {
    negative: bool,
    /// Big-endian magnitude without leading zero bytes (empty for zero).
    magnitude: Vec<u8>,
}

impl HexInt {
    /// PAD: Java `BigInteger.toByteArray()`.
    fn pad(&self) -> Vec<u8> {
        if !self.negative {
            return pad_unsigned(&self.magnitude);
        }
        // -m in two's complement is !(m - 1), in the shortest length whose top bit is the sign.
        let mut m_minus_1 = self.magnitude.clone();
        for byte in m_minus_1.iter_mut().rev() {
            let (d, borrow) = byte.overflowing_sub(1);
            *byte = d;
            if !borrow {
                break;
            }
        }
        let trimmed = strip_leading_zeros(&m_minus_1);
        let mut out = Vec::with_capacity(trimmed.len() + 1);
        if top_bit_set_or_empty(trimmed) {
            out.push(0);
        }
        out.extend_from_slice(trimmed);
        for byte in out.iter_mut() {
            *byte = !*byte;
        }
        out
    }
}

/// Parses a server hex integer: an optional `-`, then at least one hex digit (either case).
fn parse_hex_int(s: &str, field: &'static str, max_digits: usize) -> Result<HexInt, SrpError> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if digits.len() > max_digits {
        return Err(SrpError::TooLong {
            field,
            max: max_digits,
        });
    }
    if digits.is_empty() {
        return Err(SrpError::InvalidHex { field });
    }
    let digits = digits.as_bytes();
    let mut magnitude = Vec::with_capacity(digits.len().div_ceil(2));
    // An odd count means an implied leading zero nibble.
    let (head, rest) = digits.split_at(digits.len() % 2);
    for &c in head {
        magnitude.push(hex_digit(c).ok_or(SrpError::InvalidHex { field })?);
    }
    for pair in rest.chunks_exact(2) {
        let (hi, lo) = match pair {
            [hi, lo] => (hex_digit(*hi), hex_digit(*lo)),
            _ => (None, None),
        };
        match (hi, lo) {
            (Some(hi), Some(lo)) => magnitude.push((hi << 4) | lo),
            _ => return Err(SrpError::InvalidHex { field }),
        }
    }
    let magnitude = strip_leading_zeros(&magnitude).to_vec();
    // "-0" is zero, which is not negative.
    let negative = negative && !magnitude.is_empty();
    Ok(HexInt {
        negative,
        magnitude,
    })
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default()
}

/// Whether PAD must prepend a 00 byte: for zero (empty) and when the top bit is set.
fn top_bit_set_or_empty(bytes: &[u8]) -> bool {
    match bytes.first() {
        None => true,
        Some(&b) => b & 0x80 != 0,
    }
}

/// PAD of a non-negative big-endian number: minimal bytes, plus a 00 when the top bit is set
/// (zero is a single 00).
pub fn pad_unsigned(be: &[u8]) -> Vec<u8> {
    let trimmed = strip_leading_zeros(be);
    let mut out = Vec::with_capacity(trimmed.len() + 1);
    if top_bit_set_or_empty(trimmed) {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
    out
}

/// PAD of a server hex integer (as [`PasswordVerifierParams::salt_hex`] is read), e.g. `"-80"` → `[0x80]`.
pub fn pad_hex(hex: &str) -> Result<Vec<u8>, SrpError> {
    Ok(parse_hex_int(hex, "hex", MAX_SRP_B_HEX_DIGITS)?.pad())
}

fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0xf] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// The pool name used in SRP: the part of the user-pool id after the first `_`
/// (`us-east-1_AbCdEfGhI` → `AbCdEfGhI`), or `None` when there is no `_` or nothing after it.
pub fn pool_name(user_pool_id: &str) -> Option<&str> {
    match user_pool_id.split_once('_') {
        Some((_, name)) if !name.is_empty() => Some(name),
        _ => None,
    }
}

/// The TIMESTAMP Cognito expects: `EEE MMM d HH:mm:ss UTC yyyy` in English, day not zero-padded,
/// e.g. `Tue Sep 3 11:42:07 UTC 2024`. Years are printed with at least four digits (as Java's `yyyy`).
pub fn format_timestamp(unix_seconds: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds.div_euclid(86_400);
    let secs_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS
        .get((days + 4).rem_euclid(7) as usize)
        .copied()
        .unwrap_or("Sun");
    let month_name = MONTHS
        .get((month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("Jan");
    let mut out = crate::text::cat(&[weekday, " ", month_name, " "]);
    push_int(&mut out, day.into(), 1);
    for (i, part) in [secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60]
        .into_iter()
        .enumerate()
    {
        out.push(if i == 0 { ' ' } else { ':' });
        push_int(&mut out, part, 2);
    }
    out.push_str(" UTC ");
    push_int(&mut out, year, 4);
    out
}

/// Proleptic Gregorian (year, month 1-12, day 1-31) from days since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Standard padded base64 of `bytes`, as Cognito's SRP parameters are written.
fn base64(bytes: &[u8]) -> String {
    base64::encode(bytes, Form::StandardPadded)
}

/// SECRET_HASH for app clients with a secret: `base64(HMAC-SHA256(client_secret, username || client_id))`.
///
/// `username` is the USERNAME sent in the same request (typed name for InitiateAuth, the internal
/// username in challenge responses).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    base64(&hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    ))
}

/// A new remembered device's secrets for ConfirmDevice.
#[derive(Debug, Clone)]
pub struct DeviceVerifier {
    /// The device's random password: keep it with the DeviceKey and DeviceGroupKey.
    pub device_password: crate::secret::DevicePassword,
    /// DeviceSecretVerifierConfig.Salt: base64 of PAD(salt).
    pub salt_b64: String,
    /// DeviceSecretVerifierConfig.PasswordVerifier: base64 of PAD(g^x mod N).
    pub verifier_b64: String,
}

/// Creates the device password and verifier for ConfirmDevice from 40 then 16 random bytes.
pub fn device_verifier(
    device_group_key: &str,
    device_key: &str,
    random40: &[u8; DEVICE_PASSWORD_BYTES],
    random16: &[u8; DEVICE_SALT_BYTES],
) -> Result<DeviceVerifier, SrpError> {
    let password = base64(random40);
    let salt_padded = pad_unsigned(random16);
    let x: [u8; 32] = Sha256::new()
        .chain_update(&salt_padded)
        .chain_update(password_hash(device_group_key, device_key, &password))
        .finalize()
        .into();
    let verifier = bigint::pow2_mod(&x).to_be_bytes();
    if verifier.iter().all(|&b| b == 0) {
        // Unreachable for a prime N (2^x is never 0 mod N); kept so a broken bigint core fails loudly.
        return Err(SrpError::InvalidServerValue);
    }
    Ok(DeviceVerifier {
        device_password: crate::secret::DevicePassword::new(password),
        salt_b64: base64(&salt_padded),
        verifier_b64: base64(&pad_unsigned(&verifier)),
    })
}
