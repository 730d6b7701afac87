//! Pool configuration.
//!
//! PLACEHOLDER: replaced by the auth-client work (issue 4).

/// Where a user pool lives and how its tokens are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolConfig {
    /// The user-pool id, e.g. `us-east-1_AbC123`.
    pub user_pool_id: String,
    /// The app client id.
    pub client_id: String,
}
