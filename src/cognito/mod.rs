//! Cognito's user-pool JSON API: operations, request bodies and response parsing, as pure values.
//!
//! PLACEHOLDER: replaced by the auth-client work (issue 4).
