//! A fixed 2048-bit RSA test key (generated once with `openssl genrsa 2048`; test data only, never
//! used anywhere else) and a signer for Cognito-shaped test tokens.
//!
//! The signature is computed by hand as EMSA-PKCS1-v1_5 (RFC 8017 § 9.2) then `m^d mod n`, because the
//! crate's `rsa` dependency is built without the features its signing API needs.

#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_wasm::json::{Object, Value};
use rsa::BigUint;
use sha2::{Digest, Sha256};

/// The modulus, hex.
const N_HEX: &[&str] = &[
    "ac3b25cbfea5c665fdf4e2efe1928b4fc964bf1bc983280cf1a959e9b96750c74bc9109ee1cb05da1b56480501b14c08",
    "92b7e9e66596e69c7a855fd5f46cc8a3bb388c8f1d7540068e8a60266272c0ab46d89b3a39cfa936008d1de0423402c4",
    "2eb94c178700c46c5795b258a8a35968e9df168793d9adecd41eb3ccd0133a28bdf5c9f2cfac04bb8a667d159ac41034",
    "6f2a891e40f95cf9b307ea592bf72c2bf3218db8c95914ed975858446f4ed2985b345619ee5386f5017cc8317ff16972",
    "999d539a3d04594b9d752fe839899a411a2b238714ec755bbc1f20a7c70cd6320b62ac2a6326df1d1f3f812cec601bc4",
    "a3101e1a70834d9031052472dc0e492d",
];

/// The private exponent, hex.
const D_HEX: &[&str] = &[
    "22be26bc7d20ab423145c84e9c0a0ffcb71351e2d4d6568aafe819e9663b6365e491897f076cc9402b620f12a57a02ac",
    "bb0e0b0aad4510bd91909c99c01dfea65ab2c855e95b18e089b9fbb5da87abfa9106ca5f67408ef18410736da4e53186",
    "aa273a648798fdc69e2f6623f0d6ccc73760477eef720a9dfad73bad6deee6fcf2b47f1054ea8e4dab62e486b8ae67e3",
    "db5d2eedeffd85ccb77a250fb0c66f5af837ba1181c57b498c2789754ccef9ad0d0d2bebae2130769e4ac8862c502dc2",
    "28aa508b49860a14f4ef3892b406f2c8e8f5aeef559879615ebc34140e6d7853c55b1f1893452227186b139c4b2db1f5",
    "618aec0b7158e15de598691c83ecfeb9",
];

/// The first prime factor, hex.
const P_HEX: &[&str] = &[
    "dafabe0479148c4b4a6a78280cba01a77c91f89e438787c43b5e90ee8ba2a7168aee3e62f72d614f614066e70d80e8e8",
    "9fe109b5df828779cfb5883db6e41fbb06c59e65595ae199076f3f8c79e5db49ff944f356527612125a247d05b1b5e83",
    "5091e453e2d182ea309eeb39985ac87562e4ca27359ba794c4946071fb8a3a19",
];

/// The second prime factor, hex.
const Q_HEX: &[&str] = &[
    "c9592bc26ba98242ef1810b083c7538910a601d9db2bb59794a48d11a69b48aeff749afb5fae0e40722b5f667cdd8905",
    "0a92f43a76686b6d1033e0857733c0ed2ba1bb1762f73f2ee3ba79f15716d6091f54e4300f5d76232f160a852e8000b0",
    "833696c8d3f1b420a428a71e915a35f273d008978c21af05150dae00937e9235",
];

/// The `kid` of the test key.
pub const KID: &str = "test-kid-1+/=";
/// The user pool of the tests.
pub const POOL_ID: &str = "us-east-1_TestPool1";
/// The app client of the tests.
pub const CLIENT_ID: &str = "testclient123";
/// The issuer of the tests' tokens.
pub const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1";

fn big(parts: &[&str]) -> BigUint {
    BigUint::parse_bytes(parts.concat().as_bytes(), 16).expect("hex")
}

/// The JWKS holding the test key under [`KID`].
pub fn jwks_json() -> String {
    jwks_json_with_kid(KID)
}

/// The JWKS holding the test key under `kid`.
pub fn jwks_json_with_kid(kid: &str) -> String {
    let n = URL_SAFE_NO_PAD.encode(big(N_HEX).to_bytes_be());
    Object::new()
        .with(
            "keys",
            Value::Array(vec![Value::Object(
                Object::new()
                    .with("kty", "RSA")
                    .with("kid", kid)
                    .with("use", "sig")
                    .with("alg", "RS256")
                    .with("n", n)
                    .with("e", "AQAB"),
            )]),
        )
        .to_json()
}

/// Signs `header` and `claims` (JSON texts) as a compact RS256 JWS.
pub fn sign(header: &str, claims: &str) -> String {
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let digest = Sha256::digest(signing_input.as_bytes());
    // EM = 00 01 FF..FF 00 || DigestInfo(SHA-256) || H, 256 bytes.
    let digest_info: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let mut em = vec![0x00, 0x01];
    em.resize(256 - 19 - 32 - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&digest_info);
    em.extend_from_slice(&digest);
    assert_eq!(em.len(), 256);
    let s = private_op(&BigUint::from_bytes_be(&em));
    let mut sig = s.to_bytes_be();
    while sig.len() < 256 {
        sig.insert(0, 0);
    }
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

/// `m^d mod n` through the CRT (about 3x faster than the plain power in debug builds).
fn private_op(m: &BigUint) -> BigUint {
    let (n, d, p, q) = (big(N_HEX), big(D_HEX), big(P_HEX), big(Q_HEX));
    let one = BigUint::from(1u8);
    let dp = &d % (&p - &one);
    let dq = &d % (&q - &one);
    let m1 = m.modpow(&dp, &p);
    let m2 = m.modpow(&dq, &q);
    // q_inv = q^(p-2) mod p (Fermat: p is prime).
    let q_inv = (&q % &p).modpow(&(&p - BigUint::from(2u8)), &p);
    let h = (&q_inv * ((&m1 + &p) - (&m2 % &p))) % &p;
    let s = &m2 + h * &q;
    debug_assert_eq!(s.modpow(&BigUint::from(65537u32), &n), *m);
    s
}

/// What varies between test tokens.
#[derive(Clone, Debug)]
pub struct TokenSpec {
    pub sub: String,
    pub username: String,
    pub email: Option<String>,
    pub groups: Vec<String>,
    pub iat: i64,
    pub exp: i64,
    pub origin_jti: Option<String>,
    pub issuer: String,
    pub client_id: String,
    pub kid: String,
}

impl TokenSpec {
    /// A user `alice` whose tokens are issued at `iat` and last an hour.
    pub fn new(iat: i64) -> Self {
        TokenSpec {
            sub: "11111111-2222-3333-4444-555555555555".into(),
            username: "alice".into(),
            email: Some("alice@example.com".into()),
            groups: vec!["admins".into()],
            iat,
            exp: iat + 3600,
            origin_jti: Some("origin-1".into()),
            issuer: ISSUER.into(),
            client_id: CLIENT_ID.into(),
            kid: KID.into(),
        }
    }

    fn header(&self) -> String {
        Object::new()
            .with("kid", self.kid.as_str())
            .with("alg", "RS256")
            .to_json()
    }

    fn common(&self, token_use: &str) -> Object {
        let mut claims = Object::new()
            .with("sub", self.sub.as_str())
            .with("iss", self.issuer.as_str())
            .with("token_use", token_use)
            .with("auth_time", self.iat)
            .with("iat", self.iat)
            .with("exp", self.exp)
            .with("jti", format!("jti-{token_use}-{}", self.iat));
        if !self.groups.is_empty() {
            claims.insert(
                "cognito:groups",
                Value::Array(
                    self.groups
                        .iter()
                        .map(|g| Value::from(g.as_str()))
                        .collect(),
                ),
            );
        }
        if let Some(origin) = &self.origin_jti {
            claims.insert("origin_jti", origin.as_str());
        }
        claims
    }

    /// A signed id token.
    pub fn id_token(&self) -> String {
        let mut claims = self
            .common("id")
            .with("aud", self.client_id.as_str())
            .with("cognito:username", self.username.as_str());
        if let Some(email) = &self.email {
            claims.insert("email", email.as_str());
            claims.insert("email_verified", true);
        }
        sign(&self.header(), &claims.to_json())
    }

    /// A signed access token.
    pub fn access_token(&self) -> String {
        let claims = self
            .common("access")
            .with("client_id", self.client_id.as_str())
            .with("username", self.username.as_str())
            .with("scope", "aws.cognito.signin.user.admin");
        sign(&self.header(), &claims.to_json())
    }

    /// An `AuthenticationResult` reply body, with a refresh token when given.
    pub fn auth_result(&self, refresh_token: Option<&str>) -> String {
        let mut result = Object::new()
            .with("AccessToken", self.access_token())
            .with("IdToken", self.id_token())
            .with("ExpiresIn", self.exp - self.iat)
            .with("TokenType", "Bearer");
        if let Some(refresh) = refresh_token {
            result.insert("RefreshToken", refresh);
        }
        Object::new()
            .with("AuthenticationResult", result)
            .with("ChallengeParameters", Object::new())
            .to_json()
    }
}
