//! RSASSA-PKCS1-v1_5 signature verification with SHA-256 ([RFC 8017 § 8.2.2]).
//!
//! The key policy ([`Jwks`](super::Jwks)) admits only e = 65537; other exponents exist for test vectors.
//!
//! Why not the `rsa` crate: verification is one exponentiation by the public exponent, 16 squarings and a
//! multiplication, yet `rsa`'s `BigUint` (num-bigint-dig) reduces by long division and took ~0.7 ms per
//! 2048-bit verification in Chromium, plus its own copy of big-integer code in the wasm beside the SRP one.
//! Here the key is imported once into Montgomery form (27-bit limbs, see [`LIMB_BITS`]) and a verification
//! is 18 Montgomery products. `rsa` stays as the reference in the tests.
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

/// Bits per limb. Wasm multiplies 64x64->64 natively but has no 64x64->128 product, so the limbs are small
/// enough for every partial product of a Montgomery multiplication to be summed in a `u64` with no carry
/// handling in the inner loop (the SRP core in `srp::bigint` does the same with 28 bits for its fixed modulus).
const LIMB_BITS: u32 = 27;
const MASK: u64 = (1 << LIMB_BITS) - 1;
/// The most limbs a key can have (an even count, see [`RsaPublicKey::mont_mul_into`]).
const MAX_LIMBS: usize = limb_count(super::MAX_MODULUS_BITS);
// Each accumulator collects at most 2 * MAX_LIMBS products below 2^54, plus a carry below 2^37: it must not
// overflow. This is why a limb is not 28 bits: 4096-bit keys would overflow.
const _: () = assert!(
    2 * MAX_LIMBS as u128 * (MASK as u128 * MASK as u128) + (u64::MAX >> LIMB_BITS) as u128
        <= u64::MAX as u128
);

/// Limbs for a modulus of `bits` bits: rounded up to an even count, for two rows per pass.
const fn limb_count(bits: usize) -> usize {
    bits.div_ceil(LIMB_BITS as usize).next_multiple_of(2)
}

/// An RSA public key in Montgomery form, ready to verify RS256 signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// The modulus, little-endian limbs of [`LIMB_BITS`] bits, an even number of them.
    n: Vec<u64>,
    /// `-n^-1 mod 2^LIMB_BITS`.
    n0_inv: u64,
    /// `R^2 mod n`, with `R = 2^(LIMB_BITS * limbs)`.
    r_squared: Vec<u64>,
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
        let n = limbs_from_be(modulus, limb_count(bits));
        Ok(RsaPublicKey {
            n0_inv: n.first().map_or(0, |&n0| neg_inverse_mod_limb(n0)),
            r_squared: Vec::new(),
            n,
            size: modulus.len(),
            bits,
            exponent,
        }
        .with_r_squared())
    }

    /// The key with `R^2 mod n`, the constant that brings numbers into Montgomery form.
    ///
    /// In Montgomery form a squaring doubles the exponent of `2^e R` and a modular doubling adds one, so
    /// `R^2 = 2^r R` (`R = 2^r`) comes from `2^(r >> s) R` (by doublings) and the low `s` bits of `r`, one
    /// squaring each; `s` leaves 32..63 doublings. For 2048 bits: 37 doublings and 6 squarings.
    fn with_r_squared(mut self) -> Self {
        let len = self.n.len();
        let r_bits = LIMB_BITS as usize * len;
        let squarings = (usize::BITS - r_bits.leading_zeros()).saturating_sub(6);
        let mut x = power_of_two_mod(&self.n, self.bits, r_bits + (r_bits >> squarings));
        let mut scratch = vec![0; 2 * len];
        let mut next = vec![0; len];
        for bit in (0..squarings).rev() {
            self.mont_mul_into(&x, &x, &mut scratch, &mut next);
            core::mem::swap(&mut x, &mut next);
            if (r_bits >> bit) & 1 == 1 {
                double_mod(&mut x, &self.n);
            }
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
    fn public_operation(&self, s: &[u64]) -> Vec<u64> {
        let len = self.n.len();
        // One scratch product for every multiplication, and two buffers the running value alternates
        // between: no allocation per product.
        let mut scratch = vec![0; 2 * len];
        let mut s_mont = vec![0; len];
        self.mont_mul_into(s, &self.r_squared, &mut scratch, &mut s_mont);
        // s^e mod n, left to right, in Montgomery form (for 65537: 16 squarings and one multiplication).
        let mut x = s_mont.clone();
        let mut next = vec![0; len];
        for bit in (0..31 - self.exponent.leading_zeros()).rev() {
            self.mont_mul_into(&x, &x, &mut scratch, &mut next);
            core::mem::swap(&mut x, &mut next);
            if self.exponent >> bit & 1 == 1 {
                self.mont_mul_into(&x, &s_mont, &mut scratch, &mut next);
                core::mem::swap(&mut x, &mut next);
            }
        }
        // Out of Montgomery form: a product with 1.
        let mut one = vec![0; len];
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

    /// Montgomery product `a * b * R^-1 mod n` for `a, b < n`, into `out` (`n.len()` limbs); `t` is
    /// scratch space of `2 * n.len()` limbs.
    ///
    /// Row by row, two rows per pass: `t[i + j] += a[i] b[j] + m[i] n[j] + a[i+1] b[j-1] + m[i+1] n[j-1]`,
    /// with the quotient digits `m` of both rows worked out first from the two lowest accumulators. Carries
    /// wait until the end (see [`LIMB_BITS`]), so each accumulator is loaded and stored once per four products.
    fn mont_mul_into(&self, a: &[u64], b: &[u64], t: &mut [u64], out: &mut [u64]) {
        let n = self.n.as_slice();
        let len = n.len();
        t.fill(0);
        let (Some(&b_0), Some(&b_1), Some(&n_0), Some(&n_1)) =
            (b.first(), b.get(1), n.first(), n.get(1))
        else {
            return;
        };
        for (row, a_pair) in a.chunks_exact(2).enumerate() {
            let (a_0, a_1) = (a_pair[0], a_pair[1]);
            let w = &mut t[2 * row..2 * row + len + 1];
            let low = w[0] + a_0 * b_0;
            let m_0 = low.wrapping_mul(self.n0_inv) & MASK;
            let carry = (low + m_0 * n_0) >> LIMB_BITS;
            let m_1 =
                (w[1] + a_0 * b_1 + m_0 * n_1 + carry + a_1 * b_0).wrapping_mul(self.n0_inv) & MASK;
            w[0] += a_0 * b_0 + m_0 * n_0;
            // b[j-1], n[j-1] are the previous step's b[j], n[j]: kept, not loaded again.
            let (mut b_prev, mut n_prev) = (b_0, n_0);
            for ((w_j, &b_j), &n_j) in w[1..len].iter_mut().zip(&b[1..]).zip(&n[1..]) {
                *w_j += a_0 * b_j + m_0 * n_j + a_1 * b_prev + m_1 * n_prev;
                (b_prev, n_prev) = (b_j, n_j);
            }
            w[len] += a_1 * b_prev + m_1 * n_prev;
            // Both low limbs are multiples of 2^LIMB_BITS now: their carries move up and they are done.
            w[1] += w[0] >> LIMB_BITS;
            w[2] += w[1] >> LIMB_BITS;
        }
        // The upper half is the result, below 2n: normalize the limbs, then one conditional subtraction.
        let mut carry = 0;
        for (limb, &sum) in out.iter_mut().zip(&t[len..]) {
            let sum = sum + carry;
            *limb = sum & MASK;
            carry = sum >> LIMB_BITS;
        }
        if carry != 0 || compare(out, n) != Ordering::Less {
            subtract_in_place(out, n);
        }
    }
}

/// Big-endian bytes as `limbs` little-endian limbs of [`LIMB_BITS`] bits (the bytes must fit).
fn limbs_from_be(bytes: &[u8], limbs: usize) -> Vec<u64> {
    let mut out = vec![0; limbs];
    let mut slots = out.iter_mut();
    let (mut acc, mut acc_bits) = (0u64, 0);
    for &byte in bytes.iter().rev() {
        acc |= u64::from(byte) << acc_bits;
        acc_bits += 8;
        if acc_bits >= LIMB_BITS {
            if let Some(slot) = slots.next() {
                *slot = acc & MASK;
            }
            acc >>= LIMB_BITS;
            acc_bits -= LIMB_BITS;
        }
    }
    if let Some(slot) = slots.next() {
        *slot = acc;
    }
    out
}

/// Little-endian limbs of [`LIMB_BITS`] bits as exactly `size` big-endian bytes (the value must fit).
fn limbs_to_be(limbs: &[u64], size: usize) -> Vec<u8> {
    let mut out = vec![0; size];
    let mut bytes = out.iter_mut().rev();
    let (mut acc, mut acc_bits) = (0u64, 0);
    for &limb in limbs {
        acc |= limb << acc_bits;
        acc_bits += LIMB_BITS;
        while acc_bits >= 8 {
            if let Some(byte) = bytes.next() {
                *byte = acc as u8;
            }
            acc >>= 8;
            acc_bits -= 8;
        }
    }
    if let Some(byte) = bytes.next() {
        *byte = acc as u8;
    }
    out
}

/// Compares two numbers of the same number of (normalized) limbs.
fn compare(a: &[u64], b: &[u64]) -> Ordering {
    a.iter().rev().cmp(b.iter().rev())
}

/// `a -= b` modulo `2^(LIMB_BITS * limbs)`.
fn subtract_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0;
    for (x, &y) in a.iter_mut().zip(b) {
        let diff = x.wrapping_sub(y).wrapping_sub(borrow);
        *x = diff & MASK;
        borrow = diff >> 63;
    }
}

/// `x = 2x mod n` for `x < n`: `2x < 2n` needs at most one subtraction.
fn double_mod(x: &mut [u64], n: &[u64]) {
    let mut carry = 0;
    for limb in x.iter_mut() {
        let doubled = (*limb << 1) | carry;
        *limb = doubled & MASK;
        carry = doubled >> LIMB_BITS;
    }
    if carry != 0 || compare(x, n) != Ordering::Less {
        subtract_in_place(x, n);
    }
}

/// `-n0^-1 mod 2^LIMB_BITS` for odd `n0`, by Newton's iteration (each step doubles the correct low bits).
fn neg_inverse_mod_limb(n0: u64) -> u64 {
    let mut inverse: u64 = 1; // correct to 1 bit for any odd n0
    for _ in 0..5 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inverse)));
    }
    inverse.wrapping_neg() & MASK
}

/// `2^until mod n`, by doubling from `2^(bits - 1)` (below the odd `n` of `bits` bits).
fn power_of_two_mod(n: &[u64], bits: usize, until: usize) -> Vec<u64> {
    let mut x = vec![0; n.len()];
    let top = bits - 1;
    if let Some(limb) = x.get_mut(top / LIMB_BITS as usize) {
        *limb = 1 << (top % LIMB_BITS as usize);
    }
    for _ in top..until {
        double_mod(&mut x, n);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_inverse_modulo_the_limb_base() {
        for n0 in [1u64, 3, MASK, 0x0234_5679, 0x0400_0001] {
            assert_eq!((n0 * neg_inverse_mod_limb(n0)) & MASK, MASK, "{n0:#x}");
        }
    }

    #[test]
    fn limb_conversions_round_trip() {
        let bytes: Vec<u8> = (1..=13).collect();
        let limbs = limbs_from_be(&bytes, 4);
        let mut padded = [0u8; 16];
        padded[3..].copy_from_slice(&bytes);
        let value = u128::from_be_bytes(padded);
        for (k, &limb) in limbs.iter().enumerate() {
            assert_eq!(
                u128::from(limb),
                (value >> (27 * k)) & u128::from(MASK),
                "limb {k}"
            );
        }
        assert_eq!(limbs_to_be(&limbs, 13), bytes);
        assert!(limbs.iter().all(|&limb| limb <= MASK));
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
        // The last two: all-ones moduli (2^k - 1), whose limbs and n - 1's are all at their largest, so the
        // accumulators come closest to overflowing (run in a debug build, overflow checks would trip).
        for (case, bytes) in [62, 64, 65, 255, 256, 257, 384, 511, 512, 256, 512]
            .into_iter()
            .enumerate()
        {
            for exponent in [3u32, 65_537, 0xffff_ffff] {
                let mut modulus = random_bytes(&mut state, bytes);
                modulus[0] |= 0x80;
                modulus[bytes - 1] |= 1;
                if case >= 9 {
                    modulus.fill(0xff);
                }
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
    fn r_squared_is_r_squared_modulo_n() {
        use rsa::BigUint;
        let mut state = 0x5bd1_e995_5bd1_e995;
        // Limb counts with many, one and no factors of two.
        for bytes in [62, 64, 128, 192, 252, 256, 384, 508, 512] {
            let mut modulus = random_bytes(&mut state, bytes);
            modulus[0] |= 0x80;
            modulus[bytes - 1] |= 1;
            let key = RsaPublicKey::new(&modulus, 65_537).unwrap();
            let n = BigUint::from_bytes_be(&modulus);
            let expected = (BigUint::from(1u32) << (2 * LIMB_BITS as usize * key.n.len())) % &n;
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
