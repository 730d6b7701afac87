//! The verification policy: header, key, signature, then claims.

use core::fmt;

use super::compact::{base64url, json_object, split};
use super::jwks::{describe, verify_rs256_signature, Jwks};
use super::{shown, TokenError, TokenUse};
use crate::json::{Object, Value};
use crate::text::{cat, int};

/// The longest accepted token lifetime `exp - iat`, in seconds: Cognito's maximum for id and access
/// tokens is one day.
pub const MAX_LIFETIME_SECS: i64 = 24 * 60 * 60;

/// Header parameters that make a token rejected: `crit` names extensions we do not implement
/// ([RFC 7515 § 4.1.11] says to reject then), and the others point at keys chosen by the token's author.
///
/// [RFC 7515 § 4.1.11]: https://www.rfc-editor.org/rfc/rfc7515#section-4.1.11
const REFUSED_HEADER_PARAMETERS: [&str; 5] = ["crit", "jku", "x5u", "jwk", "x5c"];

/// What a token must satisfy besides its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectations {
    /// Accepted `iss` values, compared byte for byte (no normalisation: no trailing `/`, no case folding).
    pub issuers: Vec<String>,
    /// The app client id: `aud` of id tokens, `client_id` of access tokens.
    pub client_id: String,
    /// The kind of token expected.
    pub token_use: TokenUse,
    /// Tolerance for clock differences, applied to `exp`, `nbf` and `iat`.
    pub clock_skew_secs: u64,
    /// Groups that must all be in `cognito:groups`.
    pub required_groups: Vec<String>,
    /// Scopes that must all be in `scope` (space-separated).
    pub required_scopes: Vec<String>,
}

impl Expectations {
    /// Expectations with no clock skew and no required groups or scopes.
    pub fn new(issuers: Vec<String>, client_id: impl Into<String>, token_use: TokenUse) -> Self {
        Expectations {
            issuers,
            client_id: client_id.into(),
            token_use,
            clock_skew_secs: 0,
            required_groups: Vec::new(),
            required_scopes: Vec::new(),
        }
    }
}

/// A token that passed [`verify`]: its claims can be trusted (until `exp`, and short of revocation).
#[derive(Clone)]
pub struct VerifiedToken {
    raw: String,
    kid: String,
    header: Object,
    claims: Object,
    exp: i64,
    iat: i64,
    token_use: TokenUse,
}

impl fmt::Debug for VerifiedToken {
    /// Shows what identifies the token, never the token itself (it is a bearer credential).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedToken")
            .field("token_use", &self.token_use)
            .field("kid", &self.kid)
            .field("sub", &self.sub())
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .finish_non_exhaustive()
    }
}

impl VerifiedToken {
    /// All claims.
    pub fn claims(&self) -> &Object {
        &self.claims
    }

    /// The JOSE header.
    pub fn header(&self) -> &Object {
        &self.header
    }

    /// The token exactly as received (a bearer credential: do not log it).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The `kid` of the key that signed it.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// `sub`, the user's stable id.
    pub fn sub(&self) -> Option<&str> {
        self.claims.get_str("sub")
    }

    /// The user name: `cognito:username` in id tokens, `username` in access tokens.
    pub fn username(&self) -> Option<&str> {
        match self.token_use {
            TokenUse::Id => self.claims.get_str("cognito:username"),
            TokenUse::Access => self.claims.get_str("username"),
        }
    }

    /// `exp`, Unix seconds.
    pub fn exp(&self) -> i64 {
        self.exp
    }

    /// `iat`, Unix seconds.
    pub fn iat(&self) -> i64 {
        self.iat
    }

    /// The kind of token.
    pub fn token_use(&self) -> TokenUse {
        self.token_use
    }

    /// `cognito:groups` (empty when absent).
    pub fn groups(&self) -> Vec<&str> {
        self.claims
            .get_array("cognito:groups")
            .map(|groups| groups.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The space-separated `scope` claim, split (empty when absent).
    pub fn scopes(&self) -> Vec<&str> {
        self.claims
            .get_str("scope")
            .map(|s| s.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    /// `email` (id tokens).
    pub fn email(&self) -> Option<&str> {
        self.claims.get_str("email")
    }

    /// `origin_jti`: present when the pool has token revocation enabled.
    pub fn origin_jti(&self) -> Option<&str> {
        self.claims.get_str("origin_jti")
    }
}

/// Checks the header policy and returns the `kid`.
fn check_header(header: &Object) -> Result<&str, TokenError> {
    match header.get("alg") {
        Some(Value::String(alg)) if alg == "RS256" => {}
        Some(other) => {
            return Err(TokenError::InvalidAlgorithm {
                found: describe(other).into(),
            })
        }
        None => {
            return Err(TokenError::InvalidAlgorithm {
                found: "no alg".into(),
            })
        }
    }
    let kid = match header.get("kid") {
        Some(Value::String(kid)) => kid.as_str(),
        Some(other) => {
            return Err(TokenError::MissingKid {
                found: describe(other).into(),
            })
        }
        None => {
            return Err(TokenError::MissingKid {
                found: "no kid".into(),
            })
        }
    };
    if let Some(name) = REFUSED_HEADER_PARAMETERS
        .iter()
        .find(|name| header.get(name).is_some())
    {
        return Err(TokenError::UnsupportedHeader {
            name: (*name).into(),
        });
    }
    Ok(kid)
}

/// The decoded parts of a token whose header, key and signature passed.
struct SignedParts {
    header: Object,
    kid: String,
    payload: Vec<u8>,
}

fn check_signed(token: &str, jwks: &Jwks) -> Result<SignedParts, TokenError> {
    let segments = split(token)?;
    let header = json_object(&base64url(segments.header, "header")?, "header")?;
    let payload = base64url(segments.payload, "payload")?;
    let signature = base64url(segments.signature, "signature")?;
    let kid = check_header(&header)?.to_owned();
    let key = jwks.key(&kid)?;
    verify_rs256_signature(key, segments.signing_input.as_bytes(), &signature)?;
    Ok(SignedParts {
        header,
        kid,
        payload,
    })
}

/// Checks a compact JWS's shape, header policy, key and RS256 signature, and NOTHING about its payload:
/// no expiry, no issuer, no audience. This is not token verification (use [`verify`]); it exists for
/// JWS test vectors whose payloads are not claims.
pub fn verify_jws_signature_only(token: &str, jwks: &Jwks) -> Result<(), TokenError> {
    check_signed(token, jwks).map(|_| ())
}

/// Verifies a Cognito token against a key set and expectations at the Unix time `now_unix`.
///
/// See the [module documentation](super) for the checks and their order.
pub fn verify(
    token: &str,
    jwks: &Jwks,
    expect: &Expectations,
    now_unix: i64,
) -> Result<VerifiedToken, TokenError> {
    let signed = check_signed(token, jwks)?;
    let claims = json_object(&signed.payload, "payload")?;
    let (exp, iat) = check_times(&claims, expect.clock_skew_secs, now_unix)?;
    check_identity(&claims, expect)?;
    check_groups_and_scopes(&claims, expect)?;
    Ok(VerifiedToken {
        raw: token.to_owned(),
        kid: signed.kid,
        header: signed.header,
        claims,
        exp,
        iat,
        token_use: expect.token_use,
    })
}

fn invalid_claim(claim: &'static str, reason: String) -> TokenError {
    TokenError::InvalidClaim {
        claim: claim.into(),
        reason: reason.into(),
    }
}

/// `{must}, found {describe(value)}`.
fn found(must: &str, value: &Value) -> String {
    cat(&[must, ", found ", &describe(value)])
}

/// An integer NumericDate claim; `None` when absent. Floats (`1.0`, `1e9`) and strings are rejected.
fn seconds_claim(claims: &Object, name: &'static str) -> Result<Option<i64>, TokenError> {
    match claims.get(name) {
        None => Ok(None),
        Some(value) => match value {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
        .map(Some)
        .ok_or_else(|| invalid_claim(name, found("must be an integer number of seconds", value))),
    }
}

fn required_seconds_claim(claims: &Object, name: &'static str) -> Result<i64, TokenError> {
    seconds_claim(claims, name)?.ok_or_else(|| TokenError::MissingClaim { claim: name.into() })
}

/// `exp`, `iat`, `nbf` against the clock; returns `(exp, iat)`.
fn check_times(claims: &Object, skew_secs: u64, now: i64) -> Result<(i64, i64), TokenError> {
    let exp = required_seconds_claim(claims, "exp")?;
    let iat = required_seconds_claim(claims, "iat")?;
    let nbf = seconds_claim(claims, "nbf")?;
    // i128 so that no claim value can overflow the comparisons.
    let skew = i128::from(skew_secs);
    let now_wide = i128::from(now);
    if now_wide >= i128::from(exp) + skew {
        return Err(TokenError::Expired {
            exp,
            now,
            skew_secs,
        });
    }
    if let Some(nbf) = nbf {
        if i128::from(nbf) > now_wide + skew {
            return Err(TokenError::NotYetValid {
                nbf,
                now,
                skew_secs,
            });
        }
    }
    if i128::from(iat) > now_wide + skew {
        return Err(TokenError::IssuedInFuture {
            iat,
            now,
            skew_secs,
        });
    }
    let lifetime = i128::from(exp) - i128::from(iat);
    if lifetime <= 0 {
        return Err(invalid_claim(
            "exp",
            cat(&["must be after iat ", &int(iat), ", found ", &int(exp)]),
        ));
    }
    if lifetime > i128::from(MAX_LIFETIME_SECS) {
        return Err(TokenError::LifetimeTooLong {
            lifetime_secs: i64::try_from(lifetime).unwrap_or(i64::MAX),
            max_secs: MAX_LIFETIME_SECS,
        });
    }
    Ok((exp, iat))
}

/// A required string claim.
fn string_claim<'a>(claims: &'a Object, name: &'static str) -> Result<&'a str, TokenError> {
    match claims.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(invalid_claim(name, found("must be a string", other))),
        None => Err(TokenError::MissingClaim { claim: name.into() }),
    }
}

/// `iss`, `token_use`, and `aud` or `client_id`.
fn check_identity(claims: &Object, expect: &Expectations) -> Result<(), TokenError> {
    let iss = string_claim(claims, "iss")?;
    if !expect.issuers.iter().any(|issuer| issuer == iss) {
        return Err(TokenError::InvalidIssuer {
            expected: expect.issuers.clone(),
            found: iss.to_owned(),
        });
    }
    let token_use = string_claim(claims, "token_use")?;
    if TokenUse::from_wire(token_use) != Some(expect.token_use) {
        return Err(TokenError::InvalidTokenUse {
            expected: expect.token_use,
            found: shown(token_use),
        });
    }
    match expect.token_use {
        TokenUse::Id => match claims.get("aud") {
            Some(Value::String(aud)) if *aud == expect.client_id => Ok(()),
            Some(Value::String(aud)) => Err(TokenError::InvalidAudience {
                expected: expect.client_id.clone(),
                found: shown(aud),
            }),
            Some(Value::Array(_)) => Err(TokenError::InvalidAudience {
                expected: expect.client_id.clone(),
                found: "an array (aud must be one string)".into(),
            }),
            Some(other) => Err(invalid_claim("aud", found("must be a string", other))),
            None => Err(TokenError::MissingClaim {
                claim: "aud".into(),
            }),
        },
        TokenUse::Access => {
            let client_id = string_claim(claims, "client_id")?;
            if client_id == expect.client_id {
                Ok(())
            } else {
                Err(TokenError::InvalidClientId {
                    expected: expect.client_id.clone(),
                    found: shown(client_id),
                })
            }
        }
    }
}

/// `cognito:groups` (an array of strings when present) and `scope` (a string when present), then the
/// required ones.
fn check_groups_and_scopes(claims: &Object, expect: &Expectations) -> Result<(), TokenError> {
    let groups: Vec<&str> = match claims.get("cognito:groups") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            // A loop rather than `collect::<Result<_, _>>()`: less wasm.
            let mut groups = Vec::new();
            for item in items {
                groups.push(item.as_str().ok_or_else(|| {
                    invalid_claim("cognito:groups", found("must hold only strings", item))
                })?);
            }
            groups
        }
        Some(other) => {
            return Err(invalid_claim(
                "cognito:groups",
                found("must be an array of strings", other),
            ))
        }
    };
    if let Some(group) = expect
        .required_groups
        .iter()
        .find(|g| !groups.contains(&g.as_str()))
    {
        return Err(TokenError::MissingGroup {
            group: group.clone(),
        });
    }
    let scopes: Vec<&str> = match claims.get("scope") {
        None => Vec::new(),
        Some(Value::String(s)) => s.split(' ').filter(|s| !s.is_empty()).collect(),
        Some(other) => {
            return Err(invalid_claim(
                "scope",
                found("must be a space-separated string", other),
            ))
        }
    };
    if let Some(scope) = expect
        .required_scopes
        .iter()
        .find(|s| !scopes.contains(&s.as_str()))
    {
        return Err(TokenError::MissingScope {
            scope: scope.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> Object {
        crate::json::parse_object(json.as_bytes(), &crate::json::Limits::default()).unwrap()
    }

    fn code<T>(r: Result<T, TokenError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code(),
        }
    }

    #[test]
    fn header_policy() {
        let h = |s: &str| code(check_header(&claims(s)));
        assert_eq!(h(r#"{"alg":"RS256","kid":"k"}"#), "ok");
        assert_eq!(h(r#"{"alg":"RS256","kid":"k","typ":"JWT"}"#), "ok");
        assert_eq!(h(r#"{"alg":"none","kid":"k"}"#), "JwtInvalidAlgorithm");
        assert_eq!(h(r#"{"alg":"rs256","kid":"k"}"#), "JwtInvalidAlgorithm");
        assert_eq!(h(r#"{"alg":["RS256"],"kid":"k"}"#), "JwtInvalidAlgorithm");
        assert_eq!(h(r#"{"kid":"k"}"#), "JwtInvalidAlgorithm");
        assert_eq!(h(r#"{"alg":"RS256"}"#), "JwtMissingKid");
        assert_eq!(h(r#"{"alg":"RS256","kid":7}"#), "JwtMissingKid");
        for p in REFUSED_HEADER_PARAMETERS {
            let header = format!(r#"{{"alg":"RS256","kid":"k","{p}":null}}"#);
            assert_eq!(h(&header), "JwtUnsupportedHeader", "{p}");
        }
    }

    #[test]
    fn time_checks_with_skew() {
        let t = |json: &str, skew: u64, now: i64| code(check_times(&claims(json), skew, now));
        let c = r#"{"exp":2000,"iat":1000}"#;
        assert_eq!(t(c, 0, 1000), "ok");
        assert_eq!(t(c, 0, 1999), "ok");
        assert_eq!(t(c, 0, 2000), "JwtExpired");
        assert_eq!(t(c, 60, 2059), "ok");
        assert_eq!(t(c, 60, 2060), "JwtExpired");
        assert_eq!(t(c, 0, 999), "JwtIssuedInFuture");
        assert_eq!(t(c, 60, 940), "ok");
        assert_eq!(t(c, 60, 939), "JwtIssuedInFuture");
        let nbf = r#"{"exp":2000,"iat":1000,"nbf":1500}"#;
        assert_eq!(t(nbf, 0, 1499), "JwtNotYetValid");
        assert_eq!(t(nbf, 0, 1500), "ok");
        assert_eq!(t(nbf, 10, 1490), "ok");
        assert_eq!(t(r#"{"iat":1000}"#, 0, 1000), "JwtMissingClaim");
        assert_eq!(t(r#"{"exp":2000}"#, 0, 1000), "JwtMissingClaim");
        assert_eq!(
            t(r#"{"exp":2000.0,"iat":1000}"#, 0, 1000),
            "JwtInvalidClaim"
        );
        assert_eq!(t(r#"{"exp":2e3,"iat":1000}"#, 0, 1000), "JwtInvalidClaim");
        assert_eq!(
            t(r#"{"exp":"2000","iat":1000}"#, 0, 1000),
            "JwtInvalidClaim"
        );
        assert_eq!(
            t(r#"{"exp":2000,"iat":1000,"nbf":"x"}"#, 0, 1000),
            "JwtInvalidClaim"
        );
        assert_eq!(t(r#"{"exp":2000,"iat":2000}"#, 10, 2000), "JwtInvalidClaim");
        assert_eq!(t(r#"{"exp":87400,"iat":1000}"#, 0, 1000), "ok");
        assert_eq!(t(r#"{"exp":87401,"iat":1001}"#, 0, 1001), "ok");
        assert_eq!(
            t(r#"{"exp":87401,"iat":1000}"#, 0, 1000),
            "JwtLifetimeTooLong"
        );
        // Extreme values do not overflow.
        let extreme = r#"{"exp":9223372036854775807,"iat":-9223372036854775808}"#;
        assert_eq!(t(extreme, 0, i64::MAX), "JwtExpired");
        assert_eq!(t(extreme, u64::MAX, 0), "JwtLifetimeTooLong");
    }

    #[test]
    fn identity_checks() {
        let mut e = Expectations::new(vec!["https://iss/p".into()], "cid", TokenUse::Id);
        let i = |json: &str, e: &Expectations| code(check_identity(&claims(json), e));
        let id = r#"{"iss":"https://iss/p","token_use":"id","aud":"cid"}"#;
        assert_eq!(i(id, &e), "ok");
        assert_eq!(i(&id.replace("/p", "/p/"), &e), "JwtInvalidIssuer");
        assert_eq!(
            i(&id.replace("\"aud\":\"cid\"", "\"aud\":[\"cid\"]"), &e),
            "JwtInvalidAudience"
        );
        assert_eq!(
            i(&id.replace("\"aud\":\"cid\"", "\"aud\":\"cid2\""), &e),
            "JwtInvalidAudience"
        );
        assert_eq!(
            i(&id.replace("\"aud\":\"cid\"", "\"aud\":1"), &e),
            "JwtInvalidClaim"
        );
        assert_eq!(
            i(&id.replace(",\"aud\":\"cid\"", ""), &e),
            "JwtMissingClaim"
        );
        assert_eq!(
            i(&id.replace("\"id\"", "\"access\""), &e),
            "JwtInvalidTokenUse"
        );
        assert_eq!(i(&id.replace("\"iss\"", "\"isss\""), &e), "JwtMissingClaim");
        e.token_use = TokenUse::Access;
        let access = r#"{"iss":"https://iss/p","token_use":"access","client_id":"cid"}"#;
        assert_eq!(i(access, &e), "ok");
        assert_eq!(i(id, &e), "JwtInvalidTokenUse");
        assert_eq!(
            i(&access.replace(":\"cid\"", ":\"x\""), &e),
            "JwtInvalidClientId"
        );
        assert_eq!(
            i(&access.replace("client_id", "aud"), &e),
            "JwtMissingClaim"
        );
    }

    #[test]
    fn groups_and_scopes() {
        let mut e = Expectations::new(vec![], "cid", TokenUse::Access);
        let g = |json: &str, e: &Expectations| code(check_groups_and_scopes(&claims(json), e));
        let c =
            r#"{"cognito:groups":["admin","dev"],"scope":"openid  aws.cognito.signin.user.admin"}"#;
        assert_eq!(g(c, &e), "ok");
        assert_eq!(g(r#"{"cognito:groups":"admin"}"#, &e), "JwtInvalidClaim");
        assert_eq!(
            g(r#"{"cognito:groups":["admin",1]}"#, &e),
            "JwtInvalidClaim"
        );
        assert_eq!(g(r#"{"scope":["openid"]}"#, &e), "JwtInvalidClaim");
        e.required_groups = vec!["dev".into()];
        e.required_scopes = vec!["openid".into()];
        assert_eq!(g(c, &e), "ok");
        assert_eq!(g("{}", &e), "JwtMissingGroup");
        assert_eq!(g(r#"{"cognito:groups":["dev"]}"#, &e), "JwtMissingScope");
        e.required_groups = vec!["Dev".into()];
        assert_eq!(g(c, &e), "JwtMissingGroup");
        e.required_groups = vec![];
        e.required_scopes = vec!["open".into()];
        assert_eq!(g(c, &e), "JwtMissingScope");
    }
}
