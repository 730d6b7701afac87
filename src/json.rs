//! A strict, bounded JSON parser and a small writer.
//!
//! PLACEHOLDER: replaced by the token-verification work (issue 3).
