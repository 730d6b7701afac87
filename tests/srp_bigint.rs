//! The fixed-size Montgomery arithmetic against `rsa::BigUint` on pseudo-random and edge inputs.

use cognito_wasm::srp::bigint::{self, BYTES, U3072};
use rsa::BigUint;

/// xorshift64*: deterministic test data from fixed seeds.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn n() -> BigUint {
    BigUint::parse_bytes(bigint::N_HEX.as_bytes(), 16).unwrap()
}

fn big(x: &U3072) -> BigUint {
    BigUint::from_bytes_be(&x.to_be_bytes())
}

fn u3072(x: &BigUint) -> U3072 {
    U3072::from_be_bytes(&x.to_bytes_be()).unwrap()
}

/// Random values below N, with a few hand-picked edge values first.
fn values_below_n(rng: &mut XorShift, count: usize) -> Vec<BigUint> {
    let n = n();
    let mut out = vec![
        BigUint::from(0u32),
        BigUint::from(1u32),
        BigUint::from(2u32),
        &n - 1u32,
        &n - 2u32,
        BigUint::from(1u32) << 3071,
        (BigUint::from(1u32) << 3072) - &n, // R mod N
        // Nearly every limb at its maximum (stresses the lazy-carry accumulator bound).
        (BigUint::from(1u32) << 3072) - (BigUint::from(1u32) << 3008) - 1u32,
        (BigUint::from(1u32) << 3008) - 1u32,
    ];
    while out.len() < count {
        // Mix full-size values with short ones (leading zero limbs).
        let len = match rng.next() % 4 {
            0 => (rng.next() % BYTES as u64) as usize + 1,
            _ => BYTES,
        };
        out.push(BigUint::from_bytes_be(&rng.bytes(len)) % &n);
    }
    out
}

#[test]
fn modulus_constants_are_consistent() {
    let n = n();
    assert_eq!(big(&bigint::N), n);
    assert_eq!(n.bits(), 3072);
    // to_mont(1) == R mod N, and from_mont undoes to_mont.
    let one = u3072(&BigUint::from(1u32));
    let r_mod_n = (BigUint::from(1u32) << bigint::R_BITS as usize) % &n;
    assert_eq!(big(&bigint::to_mont(&one)), r_mod_n);
    assert_eq!(bigint::from_mont(&bigint::to_mont(&one)), one);
    // R^2 mod N is right if mul_mod (which uses it) is right on 1*1 and 2*2.
    let two = u3072(&BigUint::from(2u32));
    assert_eq!(big(&bigint::mul_mod(&two, &two)), BigUint::from(4u32));
}

#[test]
fn mul_mod_matches_biguint() {
    let n = n();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let xs = values_below_n(&mut rng, 120);
    let ys = values_below_n(&mut rng, 120);
    for (x, y) in xs.iter().zip(ys.iter().rev()) {
        let expect = (x * y) % &n;
        assert_eq!(
            big(&bigint::mul_mod(&u3072(x), &u3072(y))),
            expect,
            "{x:x} * {y:x}"
        );
        // Montgomery product and squaring against their definitions.
        let r_inv_check = |v: &U3072, a: &BigUint, b: &BigUint| {
            // v == a*b*R^-1  <=>  v*R == a*b (mod N)
            assert_eq!((big(v) << bigint::R_BITS as usize) % &n, (a * b) % &n);
        };
        r_inv_check(&bigint::mont_mul(&u3072(x), &u3072(y)), x, y);
        r_inv_check(&bigint::mont_sqr(&u3072(x)), x, x);
    }
}

#[test]
fn sub_mod_matches_biguint() {
    let n = n();
    let mut rng = XorShift(7);
    let xs = values_below_n(&mut rng, 60);
    let ys = values_below_n(&mut rng, 60);
    for (x, y) in xs.iter().zip(ys.iter().rev()) {
        let expect = (x + &n - y) % &n;
        assert_eq!(big(&bigint::sub_mod(&u3072(x), &u3072(y))), expect);
    }
}

#[test]
fn pow_mod_matches_biguint_modpow() {
    let n = n();
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let bases = values_below_n(&mut rng, 200);
    for (i, base) in bases.iter().enumerate() {
        // Full-size exponents (the SRP ones) now and then; short ones keep debug builds quick.
        let exp_bytes = match i % 8 {
            0 => vec![],
            1 => vec![0],
            2 => vec![1],
            3 => vec![0, 0, 2],
            4 => rng.bytes(32),
            5 if i % 40 == 5 => rng.bytes(129),
            6 if i % 40 == 6 => vec![0xff; 128],
            _ => {
                let len = (rng.next() % 12) as usize;
                rng.bytes(len)
            }
        };
        let exp = BigUint::from_bytes_be(&exp_bytes);
        let expect = base.modpow(&exp, &n);
        assert_eq!(
            big(&bigint::pow_mod(&u3072(base), &exp_bytes)),
            expect,
            "case {i}: base {base:x} exp {exp:x}"
        );
    }
}

#[test]
fn pow2_mod_matches_biguint_modpow() {
    let n = n();
    let two = BigUint::from(2u32);
    let mut rng = XorShift(42);
    let mut exps: Vec<Vec<u8>> = vec![vec![], vec![0], vec![1], vec![31], vec![0xff; 128]];
    // Exponents at and around the 3072-bit boundary, where 2^e first wraps.
    for e in [3071u32, 3072, 3073, 3104] {
        exps.push(BigUint::from(e).to_bytes_be());
    }
    // Lengths around the 16- and 64-byte split points of the base-2 path, and the SRP sizes.
    for i in 0..30 {
        exps.push(rng.bytes([32, 128, 129, 7, 16, 17, 64, 65, 3, 1][i % 10]));
    }
    for exp_bytes in &exps {
        let exp = BigUint::from_bytes_be(exp_bytes);
        assert_eq!(
            big(&bigint::pow2_mod(exp_bytes)),
            two.modpow(&exp, &n),
            "2^{exp:x}"
        );
    }
}

#[test]
fn reduce_be_bytes_matches_biguint() {
    let n = n();
    let mut rng = XorShift(99);
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        n.to_bytes_be(),
        (&n + 1u32).to_bytes_be(),
        vec![0xff; BYTES],
        vec![0xff; BYTES + 8],
        (&n * 5u32).to_bytes_be(),
        (BigUint::from(1u32) << 3072).to_bytes_be(),
    ];
    for i in 0..100 {
        let len = [BYTES, BYTES + 1, BYTES + 8, 17, BYTES + 3][i % 5];
        inputs.push(rng.bytes(len));
    }
    for bytes in &inputs {
        let expect = BigUint::from_bytes_be(bytes) % &n;
        assert_eq!(big(&bigint::reduce_be_bytes(bytes).unwrap()), expect);
    }
    assert!(bigint::reduce_be_bytes(&[1; BYTES + 9]).is_none());
    assert_eq!(
        big(&bigint::reduce_be_bytes(&n.to_bytes_be()).unwrap()),
        BigUint::from(0u32)
    );
}

#[test]
fn byte_conversions_round_trip_and_reject_oversize() {
    let mut rng = XorShift(5);
    for len in [0, 1, 7, 8, 9, 383, 384] {
        let bytes = rng.bytes(len);
        let x = U3072::from_be_bytes(&bytes).unwrap();
        assert_eq!(big(&x), BigUint::from_bytes_be(&bytes));
    }
    assert!(U3072::from_be_bytes(&[0; 385]).is_none());
    assert!(!bigint::N.is_reduced());
    assert!(U3072::from_be_bytes(&[1]).unwrap().is_reduced());
    let k = [0xabu8; 32];
    assert_eq!(U3072::from_be_32(&k), U3072::from_be_bytes(&k).unwrap());
}
