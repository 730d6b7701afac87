//! JSON Web Tokens: strict parsing and RS256 verification of Cognito tokens.
//!
//! PLACEHOLDER: replaced by the token-verification work (issue 3).

use core::fmt;

/// Why a token was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The token is not a well-formed compact JWS.
    Malformed(String),
}

impl TokenError {
    /// The stable code JavaScript sees.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Malformed(_) => "JwtMalformed",
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed(m) => write!(f, "malformed token: {m}"),
        }
    }
}
