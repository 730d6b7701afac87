//! Fixed-size arithmetic modulo the 3072-bit SRP prime `N` (RFC 3526 / RFC 5054 group 3072).
//!
//! Why not `rsa::BigUint`: its `modpow` takes 150-200 ms per 3072-bit exponentiation in wasm, and SRP
//! needs three. This module does Montgomery multiplication on a fixed number of limbs with the
//! modulus constants baked in, and fixed-window exponentiation.
//!
//! Two cores, one interface (limbs are stored in `u64` either way):
//! * native: 48 saturated 64-bit limbs, CIOS Montgomery with `u128` products;
//! * wasm32: 110 limbs of 28 bits, row-wise Montgomery with lazy carries and plain `u64`
//!   accumulators. Wasm has a 64x64->64 multiply but no 64x64->128 one, so `u128` products cost
//!   four multiplies plus carry juggling; with 28-bit limbs every accumulator has room for all
//!   220 products that land on it, so the inner loop is just `t[i+j] += a[i]*b[j] + m[i]*N[j]`,
//!   two rows per pass and unrolled by hand because the crate ships at opt-level "z". Measured in
//!   Node (V8), whole client (A, then S): 32-bit-limb CIOS ~29 ms; this core one row per pass
//!   ~22 ms, with a dedicated square ~20 ms, two rows per pass ~17 ms, plus the split base-2
//!   exponentiation below ~14 ms, u64 (not u128) carries outside the products ~13.5 ms (same
//!   loaded 2-core machine, opt-level "z").
//!   `RUSTFLAGS="--cfg srp_radix28"` selects this core natively, so the tests can exercise it.
//!
//! `N ≡ -1 (mod 2^64)`, so `-N^-1` modulo the limb base is 1 and the Montgomery quotient digit is
//! just the low limb. `R mod N` and `R^2 mod N` are constants (checked against `BigUint` in tests).
//!
//! Side channels ("constant-time-ish"): the sequence of operations depends only on the exponent's
//! *length* in bytes (public: 128 bytes for `a`, 32 for `x`, 129 for `a + u*x`), never on its bits.
//! Every window does the same squarings and one multiplication, window-table entries are picked
//! by a masked scan over the whole table, the final Montgomery subtraction is a masked select, and
//! the base-2 path multiplies by `2^digit` with a shift by the secret digit (a data-independent
//! shift on the targets we care about). Not audited for timing; nothing here is zeroized on drop.
//!
//! Every index in this module is a loop counter or slice bound derived from the fixed array length,
//! so indexing cannot panic; clippy's `indexing_slicing` (and `needless_range_loop`: limb loops read
//! clearest with explicit indices) is allowed here.
#![allow(clippy::indexing_slicing, clippy::needless_range_loop)]
// `srp_radix28` is a manual switch (`RUSTFLAGS="--cfg srp_radix28"`), not a Cargo feature.
#![allow(unexpected_cfgs)]

/// Bits per limb.
#[cfg(not(any(target_arch = "wasm32", srp_radix28)))]
pub const LIMB_BITS: u32 = 64;
/// Bits per limb.
#[cfg(any(target_arch = "wasm32", srp_radix28))]
pub const LIMB_BITS: u32 = 28;
/// Number of limbs of a 3072-bit number.
pub const LIMBS: usize = 3072usize.div_ceil(LIMB_BITS as usize);
/// Bytes of a 3072-bit number (big-endian, fixed length).
pub const BYTES: usize = 384;
/// The Montgomery radix is `R = 2^R_BITS` (3072 natively, 3080 with 28-bit limbs).
pub const R_BITS: u32 = LIMBS as u32 * LIMB_BITS;
const MASK: u64 = u64::MAX >> (64 - LIMB_BITS);
/// Bits of the top limb that lie below 2^3072.
const TOP_BITS: u32 = 3072 - (LIMBS as u32 - 1) * LIMB_BITS;
const TOP_MASK: u64 = u64::MAX >> (64 - TOP_BITS);

type Limbs = [u64; LIMBS];

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

/// `2^3072 mod N = 2^3072 - N` (below 2^3006), big-endian hex.
const C_HEX: &str = concat!(
    "000000000000000036f0255dde973dcb3b399d747f23e32ed6fdb1f77598338bfdf44159c4ec64ddaeb5f78671cbfb22",
    "106ae64c32c5bce4cfd4f5920da0ebc8b01eca9292ae3dba1b7a4a899da181390bb3bd1659c81294f400a3490bf94812",
    "11c79404a576605a5160dbee83b4e019b6d799ae131ba4c23dff83475e9c40fa6725b7c9e3aa2c6596e9c05702db30a0",
    "7c9aa2dc235c5269e39d0ca9df7aad44612ad6f88f69699298f3cab1b54367fb0e8b93f735e7de83cd6fa1b9d1c931c4",
    "1c6188d3e7f179fc64d87c5d13f85d704a3aa20f90b3ad3621d434096aa7e8e7c66ab683156a951aea2dd9e76705faef",
    "ea8d71a575553bd252cce8f2fbaf85cc57aade5420e3459b13047afba72410f575158ea8a2f9f3824c68f07a591e1b38",
    "540a517324f6cc28e1736b1fb5da9e62311c2dd9e52d11940ed005f92675f79b2789fd8cc137959bade0d4e7e884dff3",
    "441ee8a8859ea29388f6773f4526b91df71db05f8b1a54cebc24a4031f02ef71b47d2edf56c52d350000000000000001",
);

/// `R mod N` for the native `R = 2^3072` (equal to `C`).
#[cfg(not(any(target_arch = "wasm32", srp_radix28)))]
const R1_HEX: &str = C_HEX;
/// `R^2 mod N` for the native `R = 2^3072`.
#[cfg(not(any(target_arch = "wasm32", srp_radix28)))]
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

/// `R mod N` for the radix-2^28 `R = 2^3080`.
#[cfg(any(target_arch = "wasm32", srp_radix28))]
const R1_HEX: &str = concat!(
    "0000000000000036f0255dde973dcb3b399d747f23e32ed6fdb1f77598338bfdf44159c4ec64ddaeb5f78671cbfb2210",
    "6ae64c32c5bce4cfd4f5920da0ebc8b01eca9292ae3dba1b7a4a899da181390bb3bd1659c81294f400a3490bf9481211",
    "c79404a576605a5160dbee83b4e019b6d799ae131ba4c23dff83475e9c40fa6725b7c9e3aa2c6596e9c05702db30a07c",
    "9aa2dc235c5269e39d0ca9df7aad44612ad6f88f69699298f3cab1b54367fb0e8b93f735e7de83cd6fa1b9d1c931c41c",
    "6188d3e7f179fc64d87c5d13f85d704a3aa20f90b3ad3621d434096aa7e8e7c66ab683156a951aea2dd9e76705faefea",
    "8d71a575553bd252cce8f2fbaf85cc57aade5420e3459b13047afba72410f575158ea8a2f9f3824c68f07a591e1b3854",
    "0a517324f6cc28e1736b1fb5da9e62311c2dd9e52d11940ed005f92675f79b2789fd8cc137959bade0d4e7e884dff344",
    "1ee8a8859ea29388f6773f4526b91df71db05f8b1a54cebc24a4031f02ef71b47d2edf56c52d35000000000000000100",
);
/// `R^2 mod N` for the radix-2^28 `R = 2^3080`.
#[cfg(any(target_arch = "wasm32", srp_radix28))]
const R2_HEX: &str = concat!(
    "b4fb51df35da58403da4634414775ccb6f41d81c8ff778b681405dee5a73a77abfcb06c6509ab77e443f09968bfb2664",
    "8bb1a7ef1656607da5b5d2a48cdc5b2a400731ef58b051144fc45f6dcaceb1bd1942713fdb5d049da52796662a32f22b",
    "ab65a36e6730786571a8d15c60adc4399badff44042312294d63be024e5343899f5c681ebb11f2d8d171b0919b8b106c",
    "b713ccb5a3aa1aac51c4045555308157814a44631c270abfd6f63672ceabfc1abf3f42599afcc7994a05f08bb3992da8",
    "0c25d3e46311226f723337f3f1de2deca0b88d0a794d1a0869e92fb157ecbfe6fe0b02d8bf036baf96339f1122f0a2e3",
    "eb12b8445592c909bb22876946f27b258bbfcfa35486975cb108113c6a7d3a6de1b4014094a90b4daf068a6822f12f20",
    "500cc68775dcfe24db46bacf412ccca059b4187d9ace850c196d690ebb0d6548128ba795fe0098d26a25d77065362a12",
    "99f33f10ffba249f5144cc46f0ebbdcbb14912e793da3ed8976a21191ddf3fd0f4b083e50d2819ffca9138d241cd5ac8",
);

/// `2^(2^512) mod N`, big-endian hex: lets `2^a` for a 1024-bit `a` run as `2^lo * G^hi` over
/// 512-bit halves, half the squarings (checked against `BigUint` in the tests).
const G512_HEX: &str = concat!(
    "cedba5e798c6df14275244ff17332131382f10b3921b2f83e1df46efd383b408cda7a6d4c61b47d27d037a94106d752c",
    "2e4ed1caa8c782d24b0e5b025fced3dae6a711139562358910e6752d1bdb97bae370917174ed455dc232d6a6803323ed",
    "fd706c995918ae9a20521f1c0e5c5352e7ab5587305e981f000fd1e16b65d9660c4ed419333601e9bf98604a84e4a63e",
    "2f24922dbe454402d18edfec7be64e7e84839563c1b8ddb46b47d5e83796a71a36eddc598797889fdd3a5e356d95082b",
    "dec3bd28ffd44ace2238f73acd5ab9f4138f558c0e040631779f00b68c17e030b60f174340480092358e0ff64e91d8bd",
    "37f45b155e6a721b69752c2504a951f22436f47f593027c5c14ee2bb4a5b2af36e441000b44a9cc9779b0d3e14f9591c",
    "d3b0a333f75681e35d9a5786b0cb8aee1121393f06ab24e1bef679ac27bd927b1ccc63b29578ee29995e23450b042e0f",
    "ddb655c0e659bf199158198669ed794c3df8a248ece01371d3f16b443d37848b268bba3b7434e53f0fc13a7c4114aa1a",
);

/// `2^(2^128) mod N`, big-endian hex: the same split for the 256-bit `x` of `g^x`.
const G128_HEX: &str = concat!(
    "8c91af84249658896165e3e190488d84241d642b509d63551e46eb58c5d315bc3c8886c34fcdbd10882dd3d7dfda5d40",
    "7cc80cf6c9fc8fb6cb36c9e366b3c2ae3704ee863a08d0d82b5bce7d2e6efe1667dd7a68cb5328855c156d8e35984ded",
    "8ec26c97cf92adba6c1c5718cd07cbbb7d099337e9304777e11f37a36c2851eeb66a3f6bd44d67b93a3a6937ec493ea1",
    "731c25c7132cbb3bf82217c356d51e0920c7429d710876de0dabc1bcd4c0b12136379df592b6aadd3488dd384aae221e",
    "49d4dde76db6c02a24f6e636fe6c53f2ae84e252731dec6f2716d511f1fc49f937fd3b99326b123667d61a3f215b70c8",
    "a1a0b46128e58c0b0bb171831fa772901bba3874faf37f31ba5887f8facb8bd3ce99c20cf52160c226dfa867b942473b",
    "52d884922940a49ca0e2ed2e09a786f73f2dc7d6163d3e2ae0b94ebc038f0327705377c48cfc21817950c9847526707a",
    "7d737601b2195e10db219bd9c0e3771f2fd832038c8f9245e855efaf433c487a1f2eea103873d7684f9088e07806734a",
);

/// A number below `2^3072`, as little-endian limbs. Whether it is in Montgomery form is up to the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct U3072(Limbs);

impl core::fmt::Debug for U3072 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Values here are often secret-derived (S, g^x): never print them.
        f.write_str("U3072(<redacted>)")
    }
}

const fn hex_digit(c: u8) -> u128 {
    match c {
        b'0'..=b'9' => (c - b'0') as u128,
        b'a'..=b'f' => (c - b'a' + 10) as u128,
        b'A'..=b'F' => (c - b'A' + 10) as u128,
        _ => 0,
    }
}

/// Parses exactly 768 hex digits at compile time (the constants above; a wrong length is a build error).
const fn limbs_from_hex(hex: &str) -> Limbs {
    let digits = hex.as_bytes();
    assert!(digits.len() == 2 * BYTES);
    let mut out = [0u64; LIMBS];
    let mut buf: u128 = 0;
    let mut nbits = 0u32;
    let mut k = 0;
    let mut i = digits.len();
    while i > 0 {
        i -= 1;
        buf |= hex_digit(digits[i]) << nbits;
        nbits += 4;
        if nbits >= LIMB_BITS {
            out[k] = (buf as u64) & MASK;
            buf >>= LIMB_BITS;
            nbits -= LIMB_BITS;
            k += 1;
        }
    }
    if nbits > 0 && k < LIMBS {
        out[k] = buf as u64;
    }
    out
}

/// The modulus `N`.
pub const N: U3072 = U3072(limbs_from_hex(N_HEX));
/// `2^3072 mod N`.
const C: Limbs = limbs_from_hex(C_HEX);
/// `R mod N` (Montgomery form of 1).
const R1: U3072 = U3072(limbs_from_hex(R1_HEX));
const R2: U3072 = U3072(limbs_from_hex(R2_HEX));
// Parsed at compile time like the others, not from hex at run time: the wasm then holds no hex parser.
const G512: U3072 = U3072(limbs_from_hex(G512_HEX));
const G128: U3072 = U3072(limbs_from_hex(G128_HEX));
const ONE: U3072 = {
    let mut one = [0u64; LIMBS];
    one[0] = 1;
    U3072(one)
};

/// `out = a - b`, returning the borrow (0 or 1).
#[inline(always)]
fn sub_into(out: &mut Limbs, a: &Limbs, b: &Limbs) -> u64 {
    if LIMB_BITS < 63 {
        // Small limbs: a negative difference shows in the sign bit of a plain u64.
        let mut borrow = 0u64;
        for i in 0..LIMBS {
            let d = a[i].wrapping_sub(b[i]).wrapping_sub(borrow);
            out[i] = d & MASK;
            borrow = d >> 63;
        }
        return borrow;
    }
    let mut borrow: u128 = 0;
    for i in 0..LIMBS {
        let d = u128::from(a[i]).wrapping_sub(u128::from(b[i]) + borrow);
        out[i] = (d as u64) & MASK;
        borrow = d >> 127;
    }
    borrow as u64
}

/// `a += b`, returning the carry out of the top limb.
#[inline(always)]
fn add_assign(a: &mut Limbs, b: &Limbs) -> u64 {
    if LIMB_BITS < 63 {
        let mut carry = 0u64;
        for i in 0..LIMBS {
            let s = a[i] + b[i] + carry;
            a[i] = s & MASK;
            carry = s >> LIMB_BITS;
        }
        return carry;
    }
    let mut carry: u128 = 0;
    for i in 0..LIMBS {
        let s = u128::from(a[i]) + u128::from(b[i]) + carry;
        a[i] = (s as u64) & MASK;
        carry = s >> LIMB_BITS;
    }
    carry as u64
}

/// `a = if mask == all-ones { b } else { a }`, branch-free.
#[inline(always)]
fn select_assign(a: &mut Limbs, b: &Limbs, mask: u64) {
    for i in 0..LIMBS {
        a[i] ^= (a[i] ^ b[i]) & mask;
    }
}

/// Brings `lo + hi * 2^(LIMBS * LIMB_BITS)` below `N`, given that it is below `2N`: subtracts `N`
/// unless that borrows, without branching.
#[inline(always)]
fn reduce_once(lo: &mut Limbs, hi: u64) {
    let mut diff = [0u64; LIMBS];
    let borrow = sub_into(&mut diff, lo, &N.0);
    // Keep `lo` only when hi == 0 and the subtraction borrowed.
    let keep = (borrow & !hi & 1).wrapping_neg();
    select_assign(&mut diff, lo, keep);
    *lo = diff;
}

/// Replaces the part of `out + carry * 2^(LIMBS * LIMB_BITS)` at and above bit 3072 (call it `hi`)
/// by `hi * C`, which is congruent mod `N`; returns the new carry out of the top limb.
/// `hi` must be below `2^32` (the only caller, [`mul_pow2`], folds values below `2^3104`).
fn fold_above_3072(out: &mut Limbs, carry: u128) -> u128 {
    let hi = (u128::from(out[LIMBS - 1]) >> TOP_BITS) | (carry << (LIMB_BITS - TOP_BITS));
    out[LIMBS - 1] &= TOP_MASK;
    if LIMB_BITS < 63 {
        // hi < 2^32 and C's limbs < 2^28: every step fits a u64.
        let hi = hi as u64;
        let mut carry = 0u64;
        for i in 0..LIMBS {
            let s = out[i] + hi * C[i] + carry;
            out[i] = s & MASK;
            carry = s >> LIMB_BITS;
        }
        return u128::from(carry);
    }
    let mut carry: u128 = 0;
    for i in 0..LIMBS {
        let s = u128::from(out[i]) + hi * u128::from(C[i]) + carry;
        out[i] = (s as u64) & MASK;
        carry = s >> LIMB_BITS;
    }
    carry
}

impl U3072 {
    /// Zero.
    pub const ZERO: U3072 = U3072([0; LIMBS]);

    /// Parses a big-endian unsigned number of at most 384 bytes (leading zero bytes allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Option<U3072> {
        if bytes.len() > BYTES {
            return None;
        }
        let mut out = [0u64; LIMBS];
        let mut buf: u128 = 0;
        let mut nbits = 0u32;
        let mut k = 0;
        for &b in bytes.iter().rev() {
            buf |= u128::from(b) << nbits;
            nbits += 8;
            if nbits >= LIMB_BITS {
                *out.get_mut(k)? = (buf as u64) & MASK;
                buf >>= LIMB_BITS;
                nbits -= LIMB_BITS;
                k += 1;
            }
        }
        if nbits > 0 {
            *out.get_mut(k)? = buf as u64;
        }
        Some(U3072(out))
    }

    /// A 256-bit big-endian number (hash outputs such as `k`).
    pub fn from_be_32(bytes: &[u8; 32]) -> U3072 {
        // 32 bytes always fit.
        U3072::from_be_bytes(bytes).unwrap_or(U3072::ZERO)
    }

    /// The fixed-length (384-byte) big-endian encoding.
    pub fn to_be_bytes(&self) -> [u8; BYTES] {
        let mut out = [0u8; BYTES];
        let mut buf: u128 = 0;
        let mut nbits = 0u32;
        let mut pos = BYTES;
        for &limb in self.0.iter() {
            buf |= u128::from(limb) << nbits;
            nbits += LIMB_BITS;
            while nbits >= 8 && pos > 0 {
                pos -= 1;
                out[pos] = buf as u8;
                buf >>= 8;
                nbits -= 8;
            }
        }
        out
    }

    /// Whether the value is zero (not constant-time).
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    /// Whether the value is below `N`.
    pub fn is_reduced(&self) -> bool {
        let mut diff = [0u64; LIMBS];
        sub_into(&mut diff, &self.0, &N.0) == 1
    }
}

/// Reduces a big-endian number of at most 392 bytes (3136 bits) modulo `N`.
///
/// Splits it as `hi * 2^3072 + lo` with `hi < 2^64`; `2^3072 ≡ C (mod N)`, so the result is
/// `(lo mod N) + hi * C mod N`.
pub fn reduce_be_bytes(bytes: &[u8]) -> Option<U3072> {
    if bytes.len() > BYTES + 8 {
        return None;
    }
    let split = bytes.len().saturating_sub(BYTES);
    let (hi_bytes, lo_bytes) = bytes.split_at(split);
    let mut lo = U3072::from_be_bytes(lo_bytes)?.0;
    // lo < 2^3072 < 2N.
    reduce_once(&mut lo, 0);
    let hi = U3072::from_be_bytes(hi_bytes)?;
    let hi_c = mul_mod(&hi, &U3072(C));
    let carry = add_assign(&mut lo, &hi_c.0);
    reduce_once(&mut lo, carry);
    Some(U3072(lo))
}

/// Montgomery product `a * b * R^-1 mod N`. Inputs below `N`, output below `N`.
#[inline(never)]
pub fn mont_mul(a: &U3072, b: &U3072) -> U3072 {
    U3072(core_impl::mont_mul(&a.0, &b.0))
}

/// Montgomery square `a^2 * R^-1 mod N` (cheaper than [`mont_mul`]: cross products are computed once).
#[inline(never)]
pub fn mont_sqr(a: &U3072) -> U3072 {
    U3072(core_impl::mont_sqr(&a.0))
}

/// Native core: 64-bit limbs, CIOS with `u128` products (`R = 2^3072`).
#[cfg(not(any(target_arch = "wasm32", srp_radix28)))]
mod core_impl {
    use super::{reduce_once, Limbs, LIMBS, N};

    pub(super) fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
        let n = &N.0;
        let mut t = [0u64; LIMBS];
        let mut t_hi: u64 = 0;
        for i in 0..LIMBS {
            // t += a[i] * b
            let ai = u128::from(a[i]);
            let mut carry: u128 = 0;
            for j in 0..LIMBS {
                let s = u128::from(t[j]) + ai * u128::from(b[j]) + carry;
                t[j] = s as u64;
                carry = s >> 64;
            }
            let s = u128::from(t_hi) + carry;
            let t_top = s as u64;
            let t_top2 = (s >> 64) as u64;
            // t = (t + m * N) / 2^64 with m = t[0] * (-N^-1) = t[0].
            let m = u128::from(t[0]);
            let s = u128::from(t[0]) + m * u128::from(n[0]);
            let mut carry = s >> 64;
            for j in 1..LIMBS {
                let s = u128::from(t[j]) + m * u128::from(n[j]) + carry;
                t[j - 1] = s as u64;
                carry = s >> 64;
            }
            let s = u128::from(t_top) + carry;
            t[LIMBS - 1] = s as u64;
            t_hi = t_top2 + (s >> 64) as u64;
        }
        reduce_once(&mut t, t_hi);
        t
    }

    pub(super) fn mont_sqr(a: &Limbs) -> Limbs {
        let n = &N.0;
        let mut t = [0u64; 2 * LIMBS];
        // Cross products a[i] * a[j], i < j.
        for i in 0..LIMBS {
            let ai = u128::from(a[i]);
            let mut carry: u128 = 0;
            for j in (i + 1)..LIMBS {
                let s = u128::from(t[i + j]) + ai * u128::from(a[j]) + carry;
                t[i + j] = s as u64;
                carry = s >> 64;
            }
            t[i + LIMBS] = carry as u64;
        }
        // Double them (the sum of cross products is below a^2 / 2, so no bit is lost) and add a[i]^2.
        let mut shift_carry = 0u64;
        for limb in t.iter_mut() {
            let v = *limb;
            *limb = (v << 1) | shift_carry;
            shift_carry = v >> 63;
        }
        let mut carry: u128 = 0;
        for i in 0..LIMBS {
            let sq = u128::from(a[i]) * u128::from(a[i]);
            let s = u128::from(t[2 * i]) + (sq & u128::from(u64::MAX)) + carry;
            t[2 * i] = s as u64;
            let s = u128::from(t[2 * i + 1]) + (sq >> 64) + (s >> 64);
            t[2 * i + 1] = s as u64;
            carry = s >> 64;
        }
        // Montgomery reduction of the 2*LIMBS-limb square, one limb at a time.
        let mut top_carry = 0u64;
        for i in 0..LIMBS {
            let m = u128::from(t[i]);
            let mut carry: u128 = 0;
            for j in 0..LIMBS {
                let s = u128::from(t[i + j]) + m * u128::from(n[j]) + carry;
                t[i + j] = s as u64;
                carry = s >> 64;
            }
            let s = u128::from(t[i + LIMBS]) + carry + u128::from(top_carry);
            t[i + LIMBS] = s as u64;
            top_carry = (s >> 64) as u64;
        }
        let mut out = [0u64; LIMBS];
        out.copy_from_slice(&t[LIMBS..]);
        reduce_once(&mut out, top_carry);
        out
    }
}

/// Wasm core: 28-bit limbs, row-wise Montgomery with lazy carries, two rows per pass (`R = 2^3080`).
///
/// Each accumulator `t[k]` collects at most `2 * LIMBS = 220` products below `2^56` plus a carry
/// below `2^37`: `220 * 2^56 < 2^63.8`, so there is no carry handling in the inner loops.
#[cfg(any(target_arch = "wasm32", srp_radix28))]
mod core_impl {
    use super::{reduce_once, Limbs, LIMBS, LIMB_BITS, MASK, N};

    // Two rows per pass: an odd LIMBS would leave the last row out.
    const _: () = assert!(LIMBS % 2 == 0);

    /// Two rows `i`, `i + 1` per pass: `w[j] += a0*b[j] + m0*N[j] + a1*b[j-1] + m1*N[j-1]`, so each
    /// accumulator is loaded and stored once per four products. Unrolled ten ways by hand: the
    /// crate ships at opt-level "z", which does not unroll.
    #[inline(always)]
    fn double_row(
        w: &mut [u64; LIMBS + 1],
        a0: u64,
        a1: u64,
        m0: u64,
        m1: u64,
        b: &Limbs,
        n: &Limbs,
    ) {
        w[0] += a0 * b[0] + m0 * n[0];
        let mut j = 1;
        while j < LIMBS && (LIMBS - j) % 10 != 0 {
            w[j] += a0 * b[j] + m0 * n[j] + a1 * b[j - 1] + m1 * n[j - 1];
            j += 1;
        }
        while j + 10 <= LIMBS {
            w[j] += a0 * b[j] + m0 * n[j] + a1 * b[j - 1] + m1 * n[j - 1];
            w[j + 1] += a0 * b[j + 1] + m0 * n[j + 1] + a1 * b[j] + m1 * n[j];
            w[j + 2] += a0 * b[j + 2] + m0 * n[j + 2] + a1 * b[j + 1] + m1 * n[j + 1];
            w[j + 3] += a0 * b[j + 3] + m0 * n[j + 3] + a1 * b[j + 2] + m1 * n[j + 2];
            w[j + 4] += a0 * b[j + 4] + m0 * n[j + 4] + a1 * b[j + 3] + m1 * n[j + 3];
            w[j + 5] += a0 * b[j + 5] + m0 * n[j + 5] + a1 * b[j + 4] + m1 * n[j + 4];
            w[j + 6] += a0 * b[j + 6] + m0 * n[j + 6] + a1 * b[j + 5] + m1 * n[j + 5];
            w[j + 7] += a0 * b[j + 7] + m0 * n[j + 7] + a1 * b[j + 6] + m1 * n[j + 6];
            w[j + 8] += a0 * b[j + 8] + m0 * n[j + 8] + a1 * b[j + 7] + m1 * n[j + 7];
            w[j + 9] += a0 * b[j + 9] + m0 * n[j + 9] + a1 * b[j + 8] + m1 * n[j + 8];
            j += 10;
        }
        w[LIMBS] += a1 * b[LIMBS - 1] + m1 * n[LIMBS - 1];
    }

    /// The accumulators `t[i..=i + LIMBS]` that rows `i` and `i + 1` add to.
    ///
    /// `get_mut` + `first_chunk_mut`, not `try_from(&mut t[i..i + LIMBS + 1])`: at opt-level "z" LLVM
    /// sometimes keeps the array's range `index_mut` out of line, a call per double row, and SRP then took
    /// 8% longer (seen after an unrelated change elsewhere in the crate).
    #[inline(always)]
    fn window(t: &mut [u64; 2 * LIMBS], i: usize) -> Option<&mut [u64; LIMBS + 1]> {
        t.get_mut(i..)
            .and_then(|rest| rest.first_chunk_mut::<{ LIMBS + 1 }>())
    }

    pub(super) fn mont_mul(a: &Limbs, b: &Limbs) -> Limbs {
        let n = &N.0;
        let mut t = [0u64; 2 * LIMBS];
        let mut i = 0;
        while i + 1 < LIMBS {
            let (a0, a1) = (a[i], a[i + 1]);
            // The quotient digits of both rows, from the two lowest accumulators as they will be.
            let low = t[i] + a0 * b[0];
            let m0 = low & MASK;
            let carry0 = (low + m0 * n[0]) >> LIMB_BITS;
            let m1 = (t[i + 1] + a0 * b[1] + m0 * n[1] + carry0 + a1 * b[0]) & MASK;
            let Some(w) = window(&mut t, i) else {
                break;
            };
            double_row(w, a0, a1, m0, m1, b, n);
            let carry = w[0] >> LIMB_BITS;
            w[1] += carry;
            let carry = w[1] >> LIMB_BITS;
            w[2] += carry;
            i += 2;
        }
        normalize_top(&t)
    }

    /// The upper half of `t` (after the reduction rows) as normalized limbs, reduced below `N`.
    #[inline(always)]
    fn normalize_top(t: &[u64; 2 * LIMBS]) -> Limbs {
        let mut out = [0u64; LIMBS];
        let mut carry = 0u64;
        for k in 0..LIMBS {
            let v = t[LIMBS + k] + carry;
            out[k] = v & MASK;
            carry = v >> LIMB_BITS;
        }
        // The value is below 2N < 2^3080, so `carry` is 0 here.
        reduce_once(&mut out, carry);
        out
    }

    /// One double row of the square (rows `i`, `i + 1`, window `w = t[i..=i + LIMBS]`): both rows'
    /// reduction terms `m0*N[p] + m1*N[p-1]` everywhere, plus the cross products `x0*a[p]`
    /// (`p > i`) and `x1*a[p-1]` (`p - 1 > i + 1`), with `x0 = 2*a[i]`, `x1 = 2*a[i+1]`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn double_row_sqr(
        w: &mut [u64; LIMBS + 1],
        i: usize,
        m0: u64,
        m1: u64,
        x0: u64,
        x1: u64,
        a: &Limbs,
        n: &Limbs,
    ) {
        w[0] += m0 * n[0];
        let split = (i + 3).min(LIMBS);
        // p in 1..split: reduction terms only.
        let mut p = 1;
        while p + 10 <= split {
            w[p] += m0 * n[p] + m1 * n[p - 1];
            w[p + 1] += m0 * n[p + 1] + m1 * n[p];
            w[p + 2] += m0 * n[p + 2] + m1 * n[p + 1];
            w[p + 3] += m0 * n[p + 3] + m1 * n[p + 2];
            w[p + 4] += m0 * n[p + 4] + m1 * n[p + 3];
            w[p + 5] += m0 * n[p + 5] + m1 * n[p + 4];
            w[p + 6] += m0 * n[p + 6] + m1 * n[p + 5];
            w[p + 7] += m0 * n[p + 7] + m1 * n[p + 6];
            w[p + 8] += m0 * n[p + 8] + m1 * n[p + 7];
            w[p + 9] += m0 * n[p + 9] + m1 * n[p + 8];
            p += 10;
        }
        while p < split {
            w[p] += m0 * n[p] + m1 * n[p - 1];
            p += 1;
        }
        // p in split..LIMBS: reduction and cross terms of both rows.
        while p < LIMBS && (LIMBS - p) % 10 != 0 {
            w[p] += m0 * n[p] + m1 * n[p - 1] + x0 * a[p] + x1 * a[p - 1];
            p += 1;
        }
        while p + 10 <= LIMBS {
            w[p] += m0 * n[p] + m1 * n[p - 1] + x0 * a[p] + x1 * a[p - 1];
            w[p + 1] += m0 * n[p + 1] + m1 * n[p] + x0 * a[p + 1] + x1 * a[p];
            w[p + 2] += m0 * n[p + 2] + m1 * n[p + 1] + x0 * a[p + 2] + x1 * a[p + 1];
            w[p + 3] += m0 * n[p + 3] + m1 * n[p + 2] + x0 * a[p + 3] + x1 * a[p + 2];
            w[p + 4] += m0 * n[p + 4] + m1 * n[p + 3] + x0 * a[p + 4] + x1 * a[p + 3];
            w[p + 5] += m0 * n[p + 5] + m1 * n[p + 4] + x0 * a[p + 5] + x1 * a[p + 4];
            w[p + 6] += m0 * n[p + 6] + m1 * n[p + 5] + x0 * a[p + 6] + x1 * a[p + 5];
            w[p + 7] += m0 * n[p + 7] + m1 * n[p + 6] + x0 * a[p + 7] + x1 * a[p + 6];
            w[p + 8] += m0 * n[p + 8] + m1 * n[p + 7] + x0 * a[p + 8] + x1 * a[p + 7];
            w[p + 9] += m0 * n[p + 9] + m1 * n[p + 8] + x0 * a[p + 9] + x1 * a[p + 8];
            p += 10;
        }
        w[LIMBS] += m1 * n[LIMBS - 1];
        // The cross terms left out above: row i at p = i+1, i+2; row i+1 at p = LIMBS.
        if i + 1 < LIMBS {
            w[i + 1] += x0 * a[i + 1];
        }
        if i + 2 < LIMBS {
            w[i + 2] += x0 * a[i + 2];
            w[LIMBS] += x1 * a[LIMBS - 1];
        }
    }

    /// Montgomery square: the reduction rows and the cross products `2 * a[i] * a[j]` (`j > i`)
    /// land on the same accumulators, so they share passes (two rows per pass); cross products
    /// are computed once, 25% fewer products than [`mont_mul`]. Each `t[k]` still collects at
    /// most 221 products below `2^56` (`2 * a[i] < 2^29`).
    pub(super) fn mont_sqr(a: &Limbs) -> Limbs {
        let n = &N.0;
        let mut t = [0u64; 2 * LIMBS];
        for i in 0..LIMBS {
            t[2 * i] = a[i] * a[i];
        }
        let mut i = 0;
        while i + 1 < LIMBS {
            let (x0, x1) = (2 * a[i], 2 * a[i + 1]);
            // t[i] is complete; t[i + 1] is complete once row i's terms at p = 1 are in.
            let m0 = t[i] & MASK;
            let carry0 = (t[i] + m0 * n[0]) >> LIMB_BITS;
            let mut low1 = t[i + 1] + m0 * n[1] + carry0;
            if i == 0 {
                low1 += x0 * a[1];
            }
            let m1 = low1 & MASK;
            let Some(w) = window(&mut t, i) else {
                break;
            };
            double_row_sqr(w, i, m0, m1, x0, x1, a, n);
            let carry = w[0] >> LIMB_BITS;
            w[1] += carry;
            let carry = w[1] >> LIMB_BITS;
            w[2] += carry;
            i += 2;
        }
        normalize_top(&t)
    }
}

/// Into Montgomery form: `a * R mod N` (input below `N`).
pub fn to_mont(a: &U3072) -> U3072 {
    mont_mul(a, &R2)
}

/// Out of Montgomery form: `a * R^-1 mod N`.
pub fn from_mont(a: &U3072) -> U3072 {
    mont_mul(a, &ONE)
}

/// `a * b mod N` for inputs below `N`.
pub fn mul_mod(a: &U3072, b: &U3072) -> U3072 {
    // (a*b/R) * R^2 / R = a*b
    mont_mul(&mont_mul(a, b), &R2)
}

/// `a - b mod N` for inputs below `N` (the same in Montgomery form).
pub fn sub_mod(a: &U3072, b: &U3072) -> U3072 {
    let mut out = [0u64; LIMBS];
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
    let table = power_table(base_mont);
    let mut acc = R1;
    for w in (0..window_count(exp_be.len())).rev() {
        for _ in 0..WINDOW {
            acc = mont_sqr(&acc);
        }
        let entry = table_entry(&table, window_digit(exp_be, w * WINDOW));
        acc = mont_mul(&acc, &entry);
    }
    acc
}

/// `base^0 .. base^(TABLE-1)` in Montgomery form.
fn power_table(base_mont: &U3072) -> [U3072; TABLE] {
    let mut table = [R1; TABLE];
    table[1] = *base_mont;
    for i in 2..TABLE {
        table[i] = if i % 2 == 0 {
            mont_sqr(&table[i / 2])
        } else {
            mont_mul(&table[i - 1], base_mont)
        };
    }
    table
}

/// `table[digit]` by a masked scan over every entry (no secret-dependent memory access).
fn table_entry(table: &[U3072; TABLE], digit: usize) -> U3072 {
    let mut entry = U3072::ZERO;
    for (i, candidate) in table.iter().enumerate() {
        let mask = u64::from(i == digit).wrapping_neg();
        select_assign(&mut entry.0, &candidate.0, mask);
    }
    entry
}

/// `a * 2^d mod N` for `a < N` and a window digit `d < 32` (in or out of Montgomery form alike).
///
/// The shifted value is below `2^3103`; its part above bit 3072 (`hi < 2^31`) is folded back as
/// `hi * C` with `C = 2^3072 mod N < 2^3006`, leaving less than `2^3072 + 2^3037`; a second fold
/// and one masked subtraction bring it below `N`.
fn mul_pow2(a: &U3072, d: u32) -> U3072 {
    let mut out = [0u64; LIMBS];
    let mut carry: u128 = 0;
    for i in 0..LIMBS {
        let s = (u128::from(a.0[i]) << d) + carry;
        out[i] = (s as u64) & MASK;
        carry = s >> LIMB_BITS;
    }
    let carry = fold_above_3072(&mut out, carry);
    // Now below 2^3072 + 2^3037: at most bit 3072 is set, and folding it cannot carry again.
    fold_above_3072(&mut out, carry);
    reduce_once(&mut out, 0);
    U3072(out)
}

/// `2^exp mod N` in Montgomery form: each window is `WINDOW` squarings and a shift by its digit.
///
/// Exponents longer than 512 bits (the 1024-bit `a`) are split as `hi * 2^512 + lo` and computed
/// as `2^lo * G^hi` with `G = 2^(2^512)`; one pass of windows serves both halves, so a 1024-bit
/// exponent costs about 515 squarings, 103 shifts and 103 + 31 multiplications instead of 1025
/// squarings. Exponents of 129 to 512 bits (the 256-bit `x`) split the same way at 128 bits.
/// The work depends only on the exponent's length.
pub fn pow2_mont(exp_be: &[u8]) -> U3072 {
    let (half, g) = if exp_be.len() > 64 {
        (64, &G512)
    } else if exp_be.len() > 16 {
        (16, &G128)
    } else {
        (exp_be.len(), &G128)
    };
    let split = exp_be.len().saturating_sub(half);
    let (hi, lo) = exp_be.split_at(split);
    if hi.is_empty() {
        let mut acc = R1;
        for w in (0..window_count(lo.len())).rev() {
            for _ in 0..WINDOW {
                acc = mont_sqr(&acc);
            }
            acc = mul_pow2(&acc, window_digit(lo, w * WINDOW) as u32);
        }
        return acc;
    }
    let g = to_mont(g);
    let table = power_table(&g);
    let mut acc = R1;
    for w in (0..window_count(hi.len().max(lo.len()))).rev() {
        for _ in 0..WINDOW {
            acc = mont_sqr(&acc);
        }
        acc = mul_pow2(&acc, window_digit(lo, w * WINDOW) as u32);
        acc = mont_mul(&acc, &table_entry(&table, window_digit(hi, w * WINDOW)));
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
    fn c_plus_n_is_two_to_the_3072() {
        let mut sum = C;
        add_assign(&mut sum, &N.0);
        // Bit 3072 is the only one set: the top limb holds it just above TOP_BITS (or it carried out).
        let mut expect = [0u64; LIMBS];
        if TOP_BITS < LIMB_BITS {
            expect[LIMBS - 1] = 1 << TOP_BITS;
        }
        assert_eq!(sum, expect);
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

    #[test]
    fn montgomery_one_round_trips() {
        assert_eq!(from_mont(&R1), ONE);
        assert_eq!(to_mont(&ONE), R1);
        assert_eq!(mont_sqr(&R1), R1);
    }
}
