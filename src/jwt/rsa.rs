//! RSASSA-PKCS1-v1_5 signature verification with SHA-256 ([RFC 8017 § 8.2.2]).
//!
//! The key policy ([`Jwks`](super::Jwks)) admits only e = 65537; other exponents exist for test vectors.
//!
//! Why not the `rsa` crate: verification is one exponentiation by the public exponent, 16 squarings and a
//! multiplication, yet `rsa`'s `BigUint` (num-bigint-dig) reduces by long division and took ~0.7 ms per
//! 2048-bit verification in Chromium, plus its own copy of big-integer code in the wasm beside the SRP one.
//! Here the key is imported once into Montgomery form (32-bit limbs: wasm multiplies 32x32->64 natively)
//! and a verification is 19 Montgomery products. `rsa` stays as the reference in the tests.
//!
//! Nothing here is secret (public key, public signature), so the code is plain, not constant-time.
//! The encoded message is *rebuilt and compared* (RFC 8017 § 8.2.2 step 3-4), never parsed, so the
//! padding and DigestInfo tricks of Bleichenbacher's 2006 forgery have nothing to work on.
//!
//! Every index is a loop counter bounded by a length checked or derived in this module, so indexing
//! cannot panic; clippy's `indexing_slicing` is allowed here.
//!
//! [RFC 8017 § 8.2.2]: https://www.rfc-editor.org/rfc/rfc8017#section-8.2.2
#![allow(clippy::indexing_slicing)]

use core::cmp::Ordering;

/// The ASN.1 DER `DigestInfo` prefix for SHA-256 ([RFC 8017 § 9.2] note 1), followed by the 32-byte hash.
///
/// [RFC 8017 § 9.2]: https://www.rfc-editor.org/rfc/rfc8017#section-9.2
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Why a modulus cannot be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModulusError {
    /// Empty, or with a leading zero octet (not minimal).
    NotMinimal,
    /// Even: not an RSA modulus (and Montgomery arithmetic needs an odd one).
    Even,
    /// Too short to hold a PKCS#1 v1.5 SHA-256 encoding (RFC 8017 § 9.2 step 3: at least 62 bytes).
    TooShort,
    /// Longer than [`MAX_MODULUS_BITS`](super::MAX_MODULUS_BITS): the cost of a verification must stay bounded.
    TooLong,
    /// The public exponent is even or below 3.
    BadExponent,
}

/// An RSA public key in Montgomery form, ready to verify RS256 signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus, little-endian 32-bit limbs.
    n: Vec<u32>,
    /// `-n^-1 mod 2^32`.
    n0_inv: u32,
    /// `R^2 mod n`, with `R = 2^(32 * limbs)`.
    r_squared: Vec<u32>,
    /// The modulus length in bytes (`k` in RFC 8017).
    size: usize,
    /// The modulus length in bits.
    bits: usize,
    /// The public exponent.
    exponent: u32,
}

impl core::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl RsaPublicKey {
    /// Imports a key from its modulus, as minimal big-endian bytes, and its odd public exponent (at least 3).
    pub fn new(modulus: &[u8], exponent: u32) -> Result<Self, ModulusError> {
        if exponent < 3 || exponent % 2 == 0 {
            return Err(ModulusError::BadExponent);
        }
        let (&first, _) = modulus.split_first().ok_or(ModulusError::NotMinimal)?;
        if first == 0 {
            return Err(ModulusError::NotMinimal);
        }
        if modulus.last().is_some_and(|last| last & 1 == 0) {
            return Err(ModulusError::Even);
        }
        if modulus.len() < SHA256_DIGEST_INFO_PREFIX.len() + 32 + 11 {
            return Err(ModulusError::TooShort);
        }
        let bits = modulus.len() * 8 - first.leading_zeros() as usize;
        if bits > super::MAX_MODULUS_BITS {
            return Err(ModulusError::TooLong);
        }
        let n = limbs_from_be(modulus, modulus.len().div_ceil(4));
        Ok(RsaPublicKey {
            n0_inv: neg_inverse_mod_2_32(n[0]),
            r_squared: Vec::new(),
            n,
            size: modulus.len(),
            bits,
            exponent,
        }
        .with_r_squared())
    }

    /// The key with `R^2 mod n` (`R = 2^(32 len)`), the constant that brings numbers into Montgomery form.
    ///
    /// `2^c R mod n` by doubling, then `j` Montgomery squarings, each doubling the power of two:
    /// `2^(c 2^j) R = R^2` when `c 2^j = 32 len`. For 2048 bits that is 33 doublings and 6 squarings
    /// rather than 2049 doublings.
    fn with_r_squared(mut self) -> Self {
        let len = self.n.len();
        let squarings = len.trailing_zeros();
        let c = (32 * len) >> squarings;
        let mut x = power_of_two_mod(&self.n, self.bits, 32 * len + c);
        let mut scratch = vec![0u32; len + 1];
        let mut next = vec![0u32; len];
        for _ in 0..squarings {
            self.mont_mul_into(&x, &x, &mut scratch, &mut next);
            core::mem::swap(&mut x, &mut next);
        }
        self.r_squared = x;
        self
    }

    /// The modulus length in bytes: every signature must be exactly this long.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 signature of a message whose SHA-256 hash is
    /// `digest`. The signature must be exactly [`Self::size`] bytes and, as a number, below the modulus.
    pub fn verify_pkcs1v15_sha256(&self, digest: &[u8; 32], signature: &[u8]) -> bool {
        if signature.len() != self.size {
            return false;
        }
        let s = limbs_from_be(signature, self.n.len());
        if compare(&s, &self.n) != Ordering::Less {
            return false;
        }
        limbs_to_be(&self.public_operation(&s), self.size) == self.expected_encoding(digest)
    }

    /// `s^e mod n` for `s < n` (RSAVP1, [RFC 8017 § 5.2.2]).
    ///
    /// [RFC 8017 § 5.2.2]: https://www.rfc-editor.org/rfc/rfc8017#section-5.2.2
    fn public_operation(&self, s: &[u32]) -> Vec<u32> {
        let len = self.n.len();
        // One scratch row for every product, and two buffers the running value alternates between: no
        // allocation per product.
        let mut scratch = vec![0u32; len + 1];
        let mut s_mont = vec![0u32; len];
        self.mont_mul_into(s, &self.r_squared, &mut scratch, &mut s_mont);
        // s^e mod n, left to right, in Montgomery form (for 65537: 16 squarings and one multiplication).
        let mut x = s_mont.clone();
        let mut next = vec![0u32; len];
        for bit in (0..31 - self.exponent.leading_zeros()).rev() {
            self.mont_mul_into(&x, &x, &mut scratch, &mut next);
            core::mem::swap(&mut x, &mut next);
            if self.exponent >> bit & 1 == 1 {
                self.mont_mul_into(&x, &s_mont, &mut scratch, &mut next);
                core::mem::swap(&mut x, &mut next);
            }
        }
        // Out of Montgomery form: a product with 1.
        let mut one = vec![0u32; len];
        one[0] = 1;
        self.mont_mul_into(&x, &one, &mut scratch, &mut next);
        next
    }

    /// EMSA-PKCS1-v1_5 encoding of a SHA-256 digest for this modulus ([RFC 8017 § 9.2]):
    /// `00 01 FF..FF 00 || DigestInfo || digest`.
    ///
    /// [RFC 8017 § 9.2]: https://www.rfc-editor.org/rfc/rfc8017#section-9.2
    fn expected_encoding(&self, digest: &[u8; 32]) -> Vec<u8> {
        let t_len = SHA256_DIGEST_INFO_PREFIX.len() + digest.len();
        let mut em = Vec::with_capacity(self.size);
        em.extend_from_slice(&[0x00, 0x01]);
        em.resize(self.size - t_len - 1, 0xff);
        em.push(0x00);
        em.extend_from_slice(&SHA256_DIGEST_INFO_PREFIX);
        em.extend_from_slice(digest);
        em
    }

    /// Montgomery product `a * b * R^-1 mod n` for `a, b < n`: the multiplication and the reduction of
    /// each row in one pass with two carries (FIOS, [Koç, Acar, Kaliski 1996]). `t` is scratch space of
    /// `n.len() + 1` limbs; the result goes to `out` (`n.len()` limbs).
    ///
    /// [Koç, Acar, Kaliski 1996]: https://doi.org/10.1109/40.502403
    fn mont_mul_into(&self, a: &[u32], b: &[u32], t: &mut [u32], out: &mut [u32]) {
        let len = self.n.len();
        // One limb above the number. The loops zip slices, rather than index, so that no bounds check
        // is left in them at opt-level "z".
        t.fill(0);
        let (Some((&a_0, a_rest)), Some((&n_0, n_rest))) = (a.split_first(), self.n.split_first())
        else {
            return;
        };
        for &b_i in b {
            let b_i = u64::from(b_i);
            // m makes the row's low limb zero: (t_0 + a_0 b_i + m n_0) = 0 mod 2^32.
            let first = u64::from(t[0]) + u64::from(a_0) * b_i;
            let m = u64::from((first as u32).wrapping_mul(self.n0_inv));
            let mut carry_product = first >> 32;
            let mut carry_reduction = (u64::from(first as u32) + m * u64::from(n_0)) >> 32;
            // Each sum is at most (2^32-1)^2 + 2(2^32-1) = 2^64 - 1: no overflow.
            let mut limbs = t.iter_mut();
            let Some(mut previous) = limbs.next() else {
                return;
            };
            // The limbs come last in the zip: it stops at the shorter `a`, `n` without taking the top limb.
            for ((&a_j, &n_j), t_j) in a_rest.iter().zip(n_rest).zip(limbs.by_ref()) {
                let product = u64::from(*t_j) + u64::from(a_j) * b_i + carry_product;
                carry_product = product >> 32;
                let reduced = u64::from(product as u32) + m * u64::from(n_j) + carry_reduction;
                carry_reduction = reduced >> 32;
                // The row is shifted down one limb as it goes: its low limb is the zero just made.
                *previous = reduced as u32;
                previous = t_j;
            }
            // `previous` is t[len - 1] now, and the top limb t[len] is what the iterator has left.
            let top = limbs.next().map_or(0, |top| *top);
            let sum = u64::from(top) + carry_product + carry_reduction;
            *previous = sum as u32;
            t[len] = (sum >> 32) as u32;
        }
        // t < 2n: one conditional subtraction.
        out.copy_from_slice(&t[..len]);
        if t[len] != 0 || compare(out, &self.n) != Ordering::Less {
            subtract_in_place(out, &self.n);
        }
    }
}

/// Big-endian bytes as `limbs` little-endian 32-bit limbs (the bytes must fit).
fn limbs_from_be(bytes: &[u8], limbs: usize) -> Vec<u32> {
    let mut out = vec![0u32; limbs];
    for (i, &byte) in bytes.iter().rev().enumerate() {
        out[i / 4] |= u32::from(byte) << (8 * (i % 4));
    }
    out
}

/// Little-endian 32-bit limbs as exactly `size` big-endian bytes (the value must fit).
fn limbs_to_be(limbs: &[u32], size: usize) -> Vec<u8> {
    (0..size)
        .rev()
        .map(|i| (limbs[i / 4] >> (8 * (i % 4))) as u8)
        .collect()
}

/// Compares two numbers of the same number of limbs.
fn compare(a: &[u32], b: &[u32]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

/// `a -= b` modulo `2^(32 * limbs)`.
fn subtract_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let diff = u64::from(*x)
            .wrapping_sub(u64::from(y))
            .wrapping_sub(borrow);
        *x = diff as u32;
        borrow = (diff >> 63) & 1;
    }
}

/// `-n0^-1 mod 2^32` for odd `n0`, by Newton's iteration (each step doubles the correct low bits).
fn neg_inverse_mod_2_32(n0: u32) -> u32 {
    let mut inverse: u32 = 1; // correct to 1 bit for any odd n0
    for _ in 0..5 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inverse)));
    }
    inverse.wrapping_neg()
}

/// `x = 2^k mod n` for `k` from `bits - 1` (below the odd `n` of `bits` bits) up to `until`, by doubling.
fn power_of_two_mod(n: &[u32], bits: usize, until: usize) -> Vec<u32> {
    let mut x = vec![0u32; n.len()];
    x[(bits - 1) / 32] = 1 << ((bits - 1) % 32);
    for _ in (bits - 1)..until {
        // x = 2x mod n; x < n, so 2x < 2n needs at most one subtraction.
        let mut carry = 0u32;
        for limb in x.iter_mut() {
            let next_carry = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next_carry;
        }
        if carry != 0 || compare(&x, n) != Ordering::Less {
            subtract_in_place(&mut x, n);
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_inverse_modulo_2_32() {
        for n0 in [1u32, 3, 0xffff_ffff, 0x1234_5679, 0x8000_0001] {
            assert_eq!(
                n0.wrapping_mul(neg_inverse_mod_2_32(n0)),
                u32::MAX,
                "{n0:#x}"
            );
        }
    }

    #[test]
    fn limb_conversions_round_trip() {
        let bytes: Vec<u8> = (1..=13).collect();
        let limbs = limbs_from_be(&bytes, 4);
        assert_eq!(limbs[0], 0x0a0b_0c0d);
        assert_eq!(limbs[3], 0x01);
        assert_eq!(limbs_to_be(&limbs, 13), bytes);
    }

    #[test]
    fn import_rejects_non_minimal_even_and_short_moduli() {
        let mut n = vec![0xc5u8; 256];
        n[255] |= 1;
        assert!(RsaPublicKey::new(&n, 65_537).is_ok());
        let mut padded = vec![0];
        padded.extend_from_slice(&n);
        assert_eq!(
            RsaPublicKey::new(&padded, 65_537),
            Err(ModulusError::NotMinimal)
        );
        assert_eq!(
            RsaPublicKey::new(&[], 65_537),
            Err(ModulusError::NotMinimal)
        );
        n[255] &= !1;
        assert_eq!(RsaPublicKey::new(&n, 65_537), Err(ModulusError::Even));
        assert_eq!(
            RsaPublicKey::new(&[0xc5; 61], 65_537),
            Err(ModulusError::TooShort)
        );
        let mut long = vec![0xc5u8; 513];
        long[512] |= 1;
        assert_eq!(RsaPublicKey::new(&long, 65_537), Err(ModulusError::TooLong));
        n[255] |= 1;
        for exponent in [0, 1, 2, 65_536] {
            assert_eq!(
                RsaPublicKey::new(&n, exponent),
                Err(ModulusError::BadExponent)
            );
        }
    }

    /// xorshift64*: deterministic test inputs without a dependency.
    fn random_bytes(state: &mut u64, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *state ^= *state >> 12;
                *state ^= *state << 25;
                *state ^= *state >> 27;
                (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
            })
            .collect()
    }

    #[test]
    fn public_operation_matches_biguint_modpow() {
        use rsa::BigUint;
        let mut state = 0x9e37_79b9_7f4a_7c15;
        for bytes in [62, 64, 65, 255, 256, 257, 384, 511, 512] {
            for exponent in [3u32, 65_537, 0xffff_ffff] {
                let mut modulus = random_bytes(&mut state, bytes);
                modulus[0] |= 0x80;
                modulus[bytes - 1] |= 1;
                let key = RsaPublicKey::new(&modulus, exponent).unwrap();
                let n = BigUint::from_bytes_be(&modulus);
                let e = BigUint::from(exponent);
                // Random values below n, and the edges 0, 1 and n - 1.
                let mut values: Vec<Vec<u8>> = (0..4)
                    .map(|_| {
                        let mut v = random_bytes(&mut state, bytes);
                        v[0] &= 0x7f;
                        v
                    })
                    .collect();
                values.push(vec![0; bytes]);
                values.push(vec![1]);
                values.push((&n - 1u32).to_bytes_be());
                for value in values {
                    let limbs = limbs_from_be(&value, key.n.len());
                    let ours = limbs_to_be(&key.public_operation(&limbs), bytes);
                    let reference = BigUint::from_bytes_be(&value).modpow(&e, &n);
                    assert_eq!(
                        BigUint::from_bytes_be(&ours),
                        reference,
                        "{bytes} bytes, e = {exponent}"
                    );
                }
            }
        }
    }

    #[test]
    fn r_squared_is_two_to_the_64_len_modulo_n() {
        use rsa::BigUint;
        let mut state = 0x5bd1_e995_5bd1_e995;
        // Limb counts with many, one and no factors of two.
        for bytes in [62, 64, 128, 192, 252, 256, 384, 508, 512] {
            let mut modulus = random_bytes(&mut state, bytes);
            modulus[0] |= 0x80;
            modulus[bytes - 1] |= 1;
            let key = RsaPublicKey::new(&modulus, 65_537).unwrap();
            let n = BigUint::from_bytes_be(&modulus);
            let expected = (BigUint::from(1u32) << (64 * key.n.len())) % &n;
            let ours = BigUint::from_bytes_be(&limbs_to_be(&key.r_squared, bytes));
            assert_eq!(ours, expected, "{bytes} bytes");
        }
    }

    #[test]
    fn a_signature_not_below_the_modulus_is_refused_before_any_arithmetic() {
        let mut n = vec![0xc5u8; 256];
        n[255] |= 1;
        let key = RsaPublicKey::new(&n, 65_537).unwrap();
        assert_eq!(key.bits(), 2048);
        assert!(!key.verify_pkcs1v15_sha256(&[0; 32], &n));
        assert!(!key.verify_pkcs1v15_sha256(&[0; 32], &[0xff; 256]));
        assert!(!key.verify_pkcs1v15_sha256(&[0; 32], &[0x01; 255]));
    }
}
