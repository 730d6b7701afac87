//! Fixed-size arithmetic modulo the 3072-bit SRP prime `N` (RFC 3526 / RFC 5054 group 3072).
//!
//! Why not `rsa::BigUint`: its `modpow` takes 150-200 ms per 3072-bit exponentiation in wasm, and SRP
//! needs three. This module does Montgomery multiplication (CIOS) on a fixed number of limbs with the
//! modulus constants baked in, and fixed-window exponentiation.
//!
//! Limbs are `u64` (products in `u128`) natively; on wasm32 they are `u32` (products in `u64`),
//! because wasm has a native 64x64->64 multiply but no 64x64->128 one, so `u128` products become
//! four multiplies plus carry juggling. `--cfg srp_limb32` selects the 32-bit limbs natively, to test them.
//!
//! Side channels ("constant-time-ish"): the sequence of operations depends only on the exponent's
//! *length* in bytes (public: 128 bytes for `a`, 32 for `x`, 129 for `a + u*x`), never on its bits.
//! Every window does the same squarings and one multiplication, window-table entries are picked
//! by a masked scan over the whole table, the final Montgomery subtraction is a masked select, and
//! the base-2 path shifts by the secret window digit (a data-independent shift on the targets
//! we care about). Not audited for timing; nothing here is zeroized on drop.
//!
//! Every index in this module is a loop counter bounded by the length of a fixed-size array, so the
//! indexing cannot panic; clippy's `indexing_slicing` (and `needless_range_loop`: limb loops read
//! clearest with explicit indices) is allowed here.
#![allow(clippy::indexing_slicing, clippy::needless_range_loop)]
// `srp_limb32` is a manual switch (`RUSTFLAGS="--cfg srp_limb32"`), not a Cargo feature.
#![allow(unexpected_cfgs)]

/// One limb of a number.
#[cfg(not(any(target_arch = "wasm32", srp_limb32)))]
pub type Limb = u64;
#[cfg(not(any(target_arch = "wasm32", srp_limb32)))]
type Wide = u128;
/// One limb of a number.
#[cfg(any(target_arch = "wasm32", srp_limb32))]
pub type Limb = u32;
#[cfg(any(target_arch = "wasm32", srp_limb32))]
type Wide = u64;

const LIMB_BITS: u32 = Limb::BITS;
const LIMB_BYTES: usize = (Limb::BITS / 8) as usize;
/// Number of limbs in a 3072-bit number.
pub const LIMBS: usize = 3072 / Limb::BITS as usize;
/// Bytes of a 3072-bit number (big-endian, fixed length).
pub const BYTES: usize = 384;

/// The 3072-bit SRP group prime `N`, big-endian hex.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// `R^2 mod N` with `R = 2^3072`, big-endian hex (checked against `BigUint` in the tests).
const R2_HEX: &str = concat!(
    "5ac8b4fb51df35da44c4e4e431ad0295a332e8e3e0669e0f84895a7c5542f96c2ad479fe69695c75fae1cd10648bee54",
    "fa022336f28de7725caa69009fbf543f9875d4c167db7edcaa05da05c27fdd33af0ec45cdc3960862276cb40571f2c1c",
    "49cd9d705da184d57139d0ab24b7e495a5daf736bc8d5e9e109d099e16fd756877a5c747d85b0a838c6cbd34d5965134",
    "a73d01032c4b8e907ded489e670d9c6f19c2883eefc802af0672a33d61e37f747cda502ec043f99c9a678bf4439f12eb",
    "5a7795d86ecc498719cc8d59563706fbb41a05f078024208bfd961d538d6fcdd4f12768256e88b53785483c608108c0c",
    "3efef29dc3c0b3f41b9d01271d18f0c81caefc188a59bc7fb186424b83df2859af80d4b5443561c6fea5187fa77dedda",
    "1d93075aa993d1471ef22571e41a52b28aa61391abb0b76abc2b64cf26e335d7682aab9a15b17ffafc1187a5fa8406ab",
    "ae1284023c6ed6a34335aacb64894d9695823215b15ba5774f30b920e5c1db663587f06960e7f1382697ca9138d241cd",
);

/// A number below `2^3072`, as little-endian limbs. Whether it is in Montgomery form is up to the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct U3072(pub(crate) [Limb; LIMBS]);

impl core::fmt::Debug for U3072 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Values here are often secret-derived (S, g^x): never print them.
        f.write_str("U3072(<redacted>)")
    }
}

const fn hex_digit(c: u8) -> Limb {
    match c {
        b'0'..=b'9' => (c - b'0') as Limb,
        b'a'..=b'f' => (c - b'a' + 10) as Limb,
        b'A'..=b'F' => (c - b'A' + 10) as Limb,
        _ => 0,
    }
}

/// Parses exactly 768 hex digits at compile time (the constants above; a wrong length is a build error).
const fn limbs_from_hex(hex: &str) -> [Limb; LIMBS] {
    let bytes = hex.as_bytes();
    assert!(bytes.len() == 2 * BYTES);
    let mut out = [0 as Limb; LIMBS];
    let mut i = 0;
    while i < bytes.len() {
        // Digit i (from the left) has weight 16^(767 - i).
        let pos = bytes.len() - 1 - i;
        let limb = pos / (2 * LIMB_BYTES);
        let shift = (pos % (2 * LIMB_BYTES)) * 4;
        out[limb] |= hex_digit(bytes[i]) << shift;
        i += 1;
    }
    out
}

/// `-N^-1 mod 2^LIMB_BITS` by Newton iteration (it is 1: the low limb of `N` is all ones).
const fn neg_inverse(n0: Limb) -> Limb {
    let mut inv: Limb = 1;
    let mut i = 0;
    while i < 7 {
        inv = inv.wrapping_mul((2 as Limb).wrapping_sub(n0.wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg()
}

/// The modulus `N`.
pub const N: U3072 = U3072(limbs_from_hex(N_HEX));
const N0_INV: Limb = neg_inverse(N.0[0]);
/// `R mod N = 2^3072 - N` (Montgomery form of 1).
const R1: U3072 = U3072(neg(&N.0));
const R2: U3072 = U3072(limbs_from_hex(R2_HEX));

const fn neg(a: &[Limb; LIMBS]) -> [Limb; LIMBS] {
    let mut out = [0 as Limb; LIMBS];
    let mut borrow: Limb = 0;
    let mut i = 0;
    while i < LIMBS {
        let (d, b1) = (0 as Limb).overflowing_sub(a[i]);
        let (d, b2) = d.overflowing_sub(borrow);
        out[i] = d;
        borrow = (b1 | b2) as Limb;
        i += 1;
    }
    out
}

/// `out = a - b`, returning the borrow (0 or 1).
#[inline(always)]
fn sub_into(out: &mut [Limb; LIMBS], a: &[Limb; LIMBS], b: &[Limb; LIMBS]) -> Limb {
    let mut borrow: Limb = 0;
    for i in 0..LIMBS {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(borrow);
        out[i] = d;
        borrow = (b1 | b2) as Limb;
    }
    borrow
}

/// `a + b` in place, returning the carry (0 or 1).
#[inline(always)]
fn add_assign(a: &mut [Limb; LIMBS], b: &[Limb; LIMBS]) -> Limb {
    let mut carry: Limb = 0;
    for i in 0..LIMBS {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(carry);
        a[i] = s;
        carry = (c1 | c2) as Limb;
    }
    carry
}

/// `a = if mask == all-ones { b } else { a }`, branch-free.
#[inline(always)]
fn select_assign(a: &mut [Limb; LIMBS], b: &[Limb; LIMBS], mask: Limb) {
    for i in 0..LIMBS {
        a[i] ^= (a[i] ^ b[i]) & mask;
    }
}

/// Reduces `hi * 2^3072 + lo` (with `hi` a carry out of the top limb, here at most 1) below `N`,
/// assuming the value is below `2N`: subtract `N` when it is not smaller, without branching.
#[inline(always)]
fn reduce_once(lo: &mut [Limb; LIMBS], hi: Limb) {
    let mut diff = [0 as Limb; LIMBS];
    let borrow = sub_into(&mut diff, lo, &N.0);
    // Keep `lo` only when hi == 0 and the subtraction borrowed.
    let keep = (borrow & !hi & 1).wrapping_neg();
    select_assign(&mut diff, lo, keep);
    *lo = diff;
}

impl U3072 {
    /// Zero.
    pub const ZERO: U3072 = U3072([0; LIMBS]);

    /// Parses a big-endian unsigned number of at most 384 bytes (leading zero bytes allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Option<U3072> {
        if bytes.len() > BYTES {
            return None;
        }
        let mut out = [0 as Limb; LIMBS];
        for (pos, &b) in bytes.iter().rev().enumerate() {
            let limb = out.get_mut(pos / LIMB_BYTES)?;
            *limb |= Limb::from(b) << ((pos % LIMB_BYTES) * 8);
        }
        Some(U3072(out))
    }

    /// A 256-bit big-endian number (hash outputs such as `k`).
    pub fn from_be_32(bytes: &[u8; 32]) -> U3072 {
        let mut out = [0 as Limb; LIMBS];
        for (limb, chunk) in out.iter_mut().zip(bytes.rchunks_exact(LIMB_BYTES)) {
            *limb = chunk.iter().fold(0, |acc, &b| (acc << 8) | Limb::from(b));
        }
        U3072(out)
    }

    /// The fixed-length (384-byte) big-endian encoding.
    pub fn to_be_bytes(&self) -> [u8; BYTES] {
        let mut out = [0u8; BYTES];
        for (chunk, limb) in out.rchunks_exact_mut(LIMB_BYTES).zip(self.0.iter()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// Whether the value is zero (not constant-time).
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    /// Whether the value is below `N`.
    pub fn is_reduced(&self) -> bool {
        let mut diff = [0 as Limb; LIMBS];
        sub_into(&mut diff, &self.0, &N.0) == 1
    }
}

/// Reduces a big-endian number of at most 392 bytes (3136 bits) modulo `N`.
///
/// Splits it as `hi * 2^3072 + lo` with `hi < 2^64`; since `2^3072 ≡ R1 (mod N)` and `R1 < 2^3006`,
/// `lo mod N + hi * R1` is small enough to finish with two conditional subtractions.
pub fn reduce_be_bytes(bytes: &[u8]) -> Option<U3072> {
    const MAX: usize = BYTES + 8;
    if bytes.len() > MAX {
        return None;
    }
    let split = bytes.len().saturating_sub(BYTES);
    let (hi_bytes, lo_bytes) = bytes.split_at(split);
    let mut lo = U3072::from_be_bytes(lo_bytes)?.0;
    reduce_once(&mut lo, 0);
    let mut hi = 0u64;
    for &b in hi_bytes {
        hi = (hi << 8) | u64::from(b);
    }
    // hi * R1 as a 3072-bit number: R1 < 2^3006 and hi < 2^64, so no overflow.
    let mut hi_limbs = U3072::ZERO;
    for (i, limb) in hi_limbs
        .0
        .iter_mut()
        .enumerate()
        .take(64 / LIMB_BITS as usize)
    {
        *limb = (hi >> (i as u32 * LIMB_BITS)) as Limb;
    }
    let prod = mul_wide_truncated(&hi_limbs.0, &R1.0);
    let carry = add_assign(&mut lo, &prod);
    reduce_once(&mut lo, carry);
    Some(U3072(lo))
}

/// `a * b mod 2^3072` where the caller knows the product fits (used only with a 64-bit `a`).
fn mul_wide_truncated(a: &[Limb; LIMBS], b: &[Limb; LIMBS]) -> [Limb; LIMBS] {
    let mut out = [0 as Limb; LIMBS];
    for i in 0..LIMBS {
        if a[i] == 0 {
            continue;
        }
        let mut carry: Wide = 0;
        for j in 0..(LIMBS - i) {
            let s = Wide::from(out[i + j]) + Wide::from(a[i]) * Wide::from(b[j]) + carry;
            out[i + j] = s as Limb;
            carry = s >> LIMB_BITS;
        }
    }
    out
}

/// Montgomery product `a * b * R^-1 mod N` (CIOS). Inputs below `N`, output below `N`.
#[inline(never)]
pub fn mont_mul(a: &U3072, b: &U3072) -> U3072 {
    let a = &a.0;
    let b = &b.0;
    let n = &N.0;
    let mut t = [0 as Limb; LIMBS];
    let mut t_hi: Limb = 0;
    for i in 0..LIMBS {
        // t += a[i] * b
        let ai = Wide::from(a[i]);
        let mut carry: Wide = 0;
        for j in 0..LIMBS {
            let s = Wide::from(t[j]) + ai * Wide::from(b[j]) + carry;
            t[j] = s as Limb;
            carry = s >> LIMB_BITS;
        }
        let s = Wide::from(t_hi) + carry;
        let t_top = s as Limb;
        let t_top2 = (s >> LIMB_BITS) as Limb;
        // t = (t + m * N) / 2^LIMB_BITS
        let m = Wide::from(t[0].wrapping_mul(N0_INV));
        let s = Wide::from(t[0]) + m * Wide::from(n[0]);
        let mut carry = s >> LIMB_BITS;
        for j in 1..LIMBS {
            let s = Wide::from(t[j]) + m * Wide::from(n[j]) + carry;
            t[j - 1] = s as Limb;
            carry = s >> LIMB_BITS;
        }
        let s = Wide::from(t_top) + carry;
        t[LIMBS - 1] = s as Limb;
        t_hi = t_top2 + (s >> LIMB_BITS) as Limb;
    }
    reduce_once(&mut t, t_hi);
    U3072(t)
}

/// Montgomery squaring `a^2 * R^-1 mod N`: the full square using the symmetry of the cross
/// products (about half the multiplies of a product), then a separate Montgomery reduction.
#[inline(never)]
pub fn mont_sqr(a: &U3072) -> U3072 {
    let a = &a.0;
    let n = &N.0;
    let mut t = [0 as Limb; 2 * LIMBS + 1];
    // Cross products a[i] * a[j], i < j.
    for i in 0..LIMBS {
        let ai = Wide::from(a[i]);
        let mut carry: Wide = 0;
        for j in (i + 1)..LIMBS {
            let s = Wide::from(t[i + j]) + ai * Wide::from(a[j]) + carry;
            t[i + j] = s as Limb;
            carry = s >> LIMB_BITS;
        }
        t[i + LIMBS] = carry as Limb;
    }
    // Double them and add the squares a[i]^2.
    let mut shift_carry: Limb = 0;
    for limb in t.iter_mut().take(2 * LIMBS) {
        let v = *limb;
        *limb = (v << 1) | shift_carry;
        shift_carry = v >> (LIMB_BITS - 1);
    }
    let mut carry: Wide = 0;
    for i in 0..LIMBS {
        let sq = Wide::from(a[i]) * Wide::from(a[i]);
        let s = Wide::from(t[2 * i]) + (sq & Wide::from(Limb::MAX)) + carry;
        t[2 * i] = s as Limb;
        let s = Wide::from(t[2 * i + 1]) + (sq >> LIMB_BITS) + (s >> LIMB_BITS);
        t[2 * i + 1] = s as Limb;
        carry = s >> LIMB_BITS;
    }
    // Montgomery reduction of the 2*LIMBS-limb square, one limb at a time.
    let mut top_carry: Limb = 0;
    for i in 0..LIMBS {
        let m = Wide::from(t[i].wrapping_mul(N0_INV));
        let mut carry: Wide = 0;
        for j in 0..LIMBS {
            let s = Wide::from(t[i + j]) + m * Wide::from(n[j]) + carry;
            t[i + j] = s as Limb;
            carry = s >> LIMB_BITS;
        }
        let s = Wide::from(t[i + LIMBS]) + carry + Wide::from(top_carry);
        t[i + LIMBS] = s as Limb;
        top_carry = (s >> LIMB_BITS) as Limb;
    }
    let mut out = [0 as Limb; LIMBS];
    out.copy_from_slice(&t[LIMBS..2 * LIMBS]);
    reduce_once(&mut out, top_carry);
    U3072(out)
}

/// Into Montgomery form: `a * R mod N` (input below `N`).
pub fn to_mont(a: &U3072) -> U3072 {
    mont_mul(a, &R2)
}

/// Out of Montgomery form: `a * R^-1 mod N`.
pub fn from_mont(a: &U3072) -> U3072 {
    let mut one = U3072::ZERO;
    one.0[0] = 1;
    mont_mul(a, &one)
}

/// `a * b mod N` for inputs below `N`.
pub fn mul_mod(a: &U3072, b: &U3072) -> U3072 {
    // (a*b/R) * R^2 / R = a*b
    mont_mul(&mont_mul(a, b), &R2)
}

/// `a - b mod N` for inputs below `N` (the same in Montgomery form).
pub fn sub_mod(a: &U3072, b: &U3072) -> U3072 {
    let mut out = [0 as Limb; LIMBS];
    let borrow = sub_into(&mut out, &a.0, &b.0);
    let mut plus_n = out;
    add_assign(&mut plus_n, &N.0);
    select_assign(&mut out, &plus_n, borrow.wrapping_neg());
    U3072(out)
}

/// Window width of the exponentiation: 2^5 table entries, one multiplication per 5 exponent bits.
const WINDOW: usize = 5;
const TABLE: usize = 1 << WINDOW;

/// The `WINDOW`-bit digit of a big-endian exponent starting `bit` bits from its least significant end.
fn window_digit(exp_be: &[u8], bit: usize) -> usize {
    let mut digit = 0usize;
    for k in 0..WINDOW {
        let pos = bit + k;
        let byte = exp_be
            .len()
            .checked_sub(1 + pos / 8)
            .and_then(|i| exp_be.get(i))
            .copied()
            .unwrap_or(0);
        digit |= usize::from((byte >> (pos % 8)) & 1) << k;
    }
    digit
}

/// Number of windows covering an exponent of `len` bytes.
fn window_count(len: usize) -> usize {
    (len * 8).div_ceil(WINDOW)
}

/// `base^exp mod N` with the base in Montgomery form and the result in Montgomery form.
///
/// The exponent is big-endian; its length (not its value) fixes the amount of work.
pub fn pow_mont(base_mont: &U3072, exp_be: &[u8]) -> U3072 {
    let mut table = [R1; TABLE];
    table[1] = *base_mont;
    for i in 2..TABLE {
        table[i] = if i % 2 == 0 {
            mont_sqr(&table[i / 2])
        } else {
            mont_mul(&table[i - 1], base_mont)
        };
    }
    let mut acc = R1;
    for w in (0..window_count(exp_be.len())).rev() {
        for _ in 0..WINDOW {
            acc = mont_sqr(&acc);
        }
        let digit = window_digit(exp_be, w * WINDOW);
        let mut entry = U3072::ZERO;
        for (i, candidate) in table.iter().enumerate() {
            let mask = ((i ^ digit) == 0) as Limb;
            select_assign(&mut entry.0, &candidate.0, mask.wrapping_neg());
        }
        acc = mont_mul(&acc, &entry);
    }
    acc
}

/// `a * 2^d mod N` for `a < N` and `d < WINDOW`-bit digit (works in and out of Montgomery form).
///
/// A shift by `d` bits leaves a top part `hi < 2^d`; `hi * 2^3072 ≡ hi * R1 (mod N)` with
/// `R1 < 2^3006`, so adding `hi * R1` keeps the value below `2^3072 + 2^3037`, which two masked
/// corrections bring below `N`.
fn mul_pow2(a: &U3072, d: u32) -> U3072 {
    let mut out = [0 as Limb; LIMBS];
    let mut prev: Limb = 0;
    for i in 0..LIMBS {
        let v = a.0[i];
        // `prev >> (LIMB_BITS - d)` without an out-of-range shift when d == 0.
        out[i] = (v << d) | ((prev >> 1) >> (LIMB_BITS - 1 - d));
        prev = v;
    }
    let hi = (prev >> 1) >> (LIMB_BITS - 1 - d);
    // out += hi * R1
    let hi = Wide::from(hi);
    let mut carry: Wide = 0;
    for i in 0..LIMBS {
        let s = Wide::from(out[i]) + hi * Wide::from(R1.0[i]) + carry;
        out[i] = s as Limb;
        carry = s >> LIMB_BITS;
    }
    // A carry out of the top is another 2^3072 ≡ R1; the sum cannot carry again.
    let mut fold = R1.0;
    let mask = (carry as Limb).wrapping_neg();
    for limb in fold.iter_mut() {
        *limb &= mask;
    }
    add_assign(&mut out, &fold);
    reduce_once(&mut out, 0);
    U3072(out)
}

/// `2^exp mod N` in Montgomery form: each window is `WINDOW` squarings and a shift by its digit.
pub fn pow2_mont(exp_be: &[u8]) -> U3072 {
    let mut acc = R1;
    for w in (0..window_count(exp_be.len())).rev() {
        for _ in 0..WINDOW {
            acc = mont_sqr(&acc);
        }
        let digit = window_digit(exp_be, w * WINDOW) as u32;
        acc = mul_pow2(&acc, digit);
    }
    acc
}

/// `base^exp mod N` for a base below `N` (a plain, non-Montgomery interface for tests and benchmarks).
pub fn pow_mod(base: &U3072, exp_be: &[u8]) -> U3072 {
    from_mont(&pow_mont(&to_mont(base), exp_be))
}

/// `2^exp mod N` (a plain interface for tests and benchmarks).
pub fn pow2_mod(exp_be: &[u8]) -> U3072 {
    from_mont(&pow2_mont(exp_be))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n0_inverse_is_one_because_n_ends_in_ones() {
        assert_eq!(N0_INV, 1);
        assert_eq!(N.0[0].wrapping_mul(N0_INV).wrapping_add(1), 0);
    }

    #[test]
    fn r1_plus_n_wraps_to_zero() {
        let mut sum = R1.0;
        assert_eq!(add_assign(&mut sum, &N.0), 1);
        assert!(U3072(sum).is_zero());
    }

    #[test]
    fn mul_pow2_matches_repeated_doubling() {
        let mut a = N;
        a.0[0] -= 5; // N - 5
        for d in 0..TABLE as u32 {
            let mut expect = a;
            for _ in 0..d {
                let t = expect;
                let mut doubled = t.0;
                let carry = add_assign(&mut doubled, &t.0);
                reduce_once(&mut doubled, carry);
                expect = U3072(doubled);
            }
            assert_eq!(mul_pow2(&a, d), expect, "d = {d}");
        }
    }
}
