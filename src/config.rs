//! Pool configuration: where a user pool lives, how its tokens are checked, how sign-in runs.
//!
//! [`PoolConfig::new`] derives everything from the user-pool id and the app client id:
//!
//! | setting | default |
//! |---|---|
//! | region | the pool id's prefix before `_` (`us-east-1_AbC123` → `us-east-1`) |
//! | endpoint | `https://cognito-idp.{region}.amazonaws.com/` |
//! | issuers | `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` (also when the endpoint is overridden: the emulator and proxies keep AWS's `iss`) |
//! | JWKS URL | `{issuer}/.well-known/jwks.json`, or `{endpoint}/{userPoolId}/.well-known/jwks.json` with a custom endpoint; never taken from a token |
//! | clock skew | [`DEFAULT_CLOCK_SKEW_SECS`] (at most [`MAX_CLOCK_SKEW_SECS`]) |
//! | auth flow | [`AuthFlow::UserSrp`] |
//! | refresh | [`RefreshMethod::RefreshTokenAuth`] |
//! | storage prefix | `CognitoWasm.{clientId}.` |
//! | API origins | none: `auth.fetch` sends the token to the page's own origin only |
//!
//! Every builder method validates its input; misconfiguration is an [`Error::Usage`] with
//! [`UsageCode::InvalidConfig`] and a message that names the setting.

use crate::error::{Error, Result, UsageCode};
use crate::secret::ClientSecret;
use crate::text::cat;

/// Default tolerance, in seconds, between the browser's clock and Cognito's when checking `exp`/`iat`.
///
/// One minute, as aws-jwt-verify and Amplify allow; browsers' clocks are often off by a few seconds.
pub const DEFAULT_CLOCK_SKEW_SECS: u64 = 60;

/// The largest clock skew accepted: beyond five minutes an expired token would stay usable too long.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;

// `with_clock_skew_secs`'s message spells the limit out.
const _: () = assert!(MAX_CLOCK_SKEW_SECS == 300);

/// How `signIn` proves who the user is (Amplify's `authFlowType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the browser (Amplify's default).
    #[default]
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent over TLS (must be enabled on the app client).
    UserPassword,
    /// `CUSTOM_WITH_SRP`: the password by SRP, then the pool's custom challenges (`CUSTOM_AUTH`).
    CustomWithSrp,
    /// `CUSTOM_WITHOUT_SRP`: the pool's custom challenges only (`CUSTOM_AUTH`).
    CustomWithoutSrp,
    /// `USER_AUTH`: a first factor of the user's choice (password, email or SMS code, passkey).
    UserAuth,
}

impl AuthFlow {
    /// Amplify's name for the flow (`authFlowType`), as the options take it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
            AuthFlow::CustomWithSrp => "CUSTOM_WITH_SRP",
            AuthFlow::CustomWithoutSrp => "CUSTOM_WITHOUT_SRP",
            AuthFlow::UserAuth => "USER_AUTH",
        }
    }

    /// `InitiateAuth`'s `AuthFlow` for this flow.
    pub fn wire_name(self) -> &'static str {
        match self {
            AuthFlow::CustomWithSrp | AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
            other => other.as_str(),
        }
    }

    /// Parses one of Amplify's names ([`AuthFlow::as_str`]).
    pub fn from_wire(name: &str) -> Option<Self> {
        [
            AuthFlow::UserSrp,
            AuthFlow::UserPassword,
            AuthFlow::CustomWithSrp,
            AuthFlow::CustomWithoutSrp,
            AuthFlow::UserAuth,
        ]
        .into_iter()
        .find(|flow| flow.as_str() == name)
    }

    /// Whether a sign-in with this flow (and `preferred_challenge` for `USER_AUTH`) needs the password at once.
    pub fn needs_password(self, preferred_challenge: Option<&str>) -> bool {
        match self {
            AuthFlow::UserSrp | AuthFlow::UserPassword | AuthFlow::CustomWithSrp => true,
            AuthFlow::CustomWithoutSrp => false,
            AuthFlow::UserAuth => matches!(preferred_challenge, Some("PASSWORD" | "PASSWORD_SRP")),
        }
    }
}

/// Which operation renews tokens with the refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshMethod {
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`: works on every pool.
    #[default]
    RefreshTokenAuth,
    /// `GetTokensFromRefreshToken`: needed for refresh-token rotation.
    GetTokensFromRefreshToken,
}

/// Where a user pool lives and how its tokens are checked. Build with [`PoolConfig::new`].
#[derive(Debug, Clone)]
pub struct PoolConfig {
    user_pool_id: String,
    client_id: String,
    region: String,
    endpoint: String,
    custom_endpoint: bool,
    issuers: Vec<String>,
    jwks_url: Option<String>,
    clock_skew_secs: u64,
    client_secret: Option<ClientSecret>,
    auth_flow: AuthFlow,
    refresh_method: RefreshMethod,
    storage_prefix: String,
    api_origins: Vec<String>,
    device_name: Option<String>,
    /// Managed login, when configured (`oauth`).
    #[cfg(feature = "flows")]
    oauth: Option<Box<crate::flow::oauth::OAuthConfig>>,
}

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::usage(UsageCode::InvalidConfig, message)
}

/// Whether `region` looks like an AWS region: `us-east-1`, `us-gov-west-1`, `ap-southeast-2`...
fn is_plausible_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    parts.len() >= 3
        && first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && parts
            .get(1..parts.len() - 1)
            .unwrap_or_default()
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Checks an http(s) URL with a host and no query, fragment, whitespace or control characters.
fn check_url(setting: &'static str, url: &str) -> Result<()> {
    let problem = |what: &str| invalid(cat(&[setting, what]));
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| problem(" must be an http(s) URL"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Err(problem(" has no valid host"));
    }
    if url.contains(['?', '#']) {
        return Err(problem(" must not have a query or fragment"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(problem(" must not contain spaces or control characters"));
    }
    Ok(())
}

impl PoolConfig {
    /// A configuration for the pool `user_pool_id` (`{region}_{id}`) and the app client `client_id`.
    ///
    /// The id part is not length-checked (emulators use longer ids than AWS), only its characters.
    pub fn new(user_pool_id: impl Into<String>, client_id: impl Into<String>) -> Result<Self> {
        let user_pool_id = user_pool_id.into();
        let client_id = client_id.into();
        let (region, id) = user_pool_id.split_once('_').unwrap_or_default();
        if !is_plausible_region(region)
            || id.is_empty()
            || !id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(invalid(
                "userPoolId must be a region, '_' and letters and digits (\"us-east-1_AbC123\")",
            ));
        }
        if client_id.is_empty() || !client_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(invalid("clientId must be non-empty letters and digits"));
        }
        let region = region.to_owned();
        let endpoint = cat(&["https://cognito-idp.", &region, ".amazonaws.com/"]);
        Ok(PoolConfig {
            issuers: vec![cat(&[&endpoint, &user_pool_id])],
            endpoint,
            storage_prefix: cat(&["CognitoWasm.", &client_id, "."]),
            region,
            custom_endpoint: false,
            jwks_url: None,
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            client_secret: None,
            auth_flow: AuthFlow::default(),
            refresh_method: RefreshMethod::default(),
            api_origins: Vec::new(),
            device_name: None,
            #[cfg(feature = "flows")]
            oauth: None,
            user_pool_id,
            client_id,
        })
    }

    /// Sends requests to `endpoint` instead of AWS (an emulator, a proxy, a FIPS or VPC endpoint).
    ///
    /// A trailing `/` is added when missing. The issuers stay AWS's unless set with [`Self::with_issuers`].
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Result<Self> {
        let mut endpoint = endpoint.into();
        check_url("endpoint", &endpoint)?;
        if !endpoint.ends_with('/') {
            endpoint.push('/');
        }
        self.endpoint = endpoint;
        self.custom_endpoint = true;
        Ok(self)
    }

    /// Accepts tokens whose `iss` is one of `issuers` (e.g. the `issuer-cognito-idp` form), replacing the default.
    pub fn with_issuers<I, S>(mut self, issuers: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let issuers: Vec<String> = issuers.into_iter().map(Into::into).collect();
        if issuers.is_empty() {
            return Err(invalid("issuer must name at least one issuer"));
        }
        for issuer in &issuers {
            check_url("issuer", issuer)?;
        }
        self.issuers = issuers;
        Ok(self)
    }

    /// Fetches the signing keys from `url` instead of the derived JWKS URL.
    pub fn with_jwks_url(mut self, url: impl Into<String>) -> Result<Self> {
        let url = url.into();
        check_url("jwksUrl", &url)?;
        self.jwks_url = Some(url);
        Ok(self)
    }

    /// Sets the tolerated clock difference, at most [`MAX_CLOCK_SKEW_SECS`].
    pub fn with_clock_skew_secs(mut self, secs: u64) -> Result<Self> {
        if secs > MAX_CLOCK_SKEW_SECS {
            return Err(invalid("clockSkewSeconds must be at most 300"));
        }
        self.clock_skew_secs = secs;
        Ok(self)
    }

    /// Sends `SECRET_HASH` computed with this app-client secret (server-side apps only).
    pub fn with_client_secret(mut self, secret: ClientSecret) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// Chooses how `signIn` proves the password.
    pub fn with_auth_flow(mut self, flow: AuthFlow) -> Self {
        self.auth_flow = flow;
        self
    }

    /// Chooses how tokens are refreshed.
    pub fn with_refresh_method(mut self, method: RefreshMethod) -> Self {
        self.refresh_method = method;
        self
    }

    /// Lets `auth.fetch` send the access token to these origins too (besides the page's own), e.g.
    /// `https://api.example.com`. Each must be an https origin, or an http one of a loopback host, with no
    /// path, query or fragment; it is kept normalised (lower case, the default port dropped).
    pub fn with_api_origins<I, S>(mut self, origins: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut normalised = Vec::new();
        for origin in origins {
            normalised.push(crate::client::fetch_policy::api_origin(origin.as_ref())?);
        }
        self.api_origins = normalised;
        Ok(self)
    }

    /// The `DeviceName` a new remembered device is confirmed with (the browser's user agent, say).
    pub fn with_device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = Some(name.into()).filter(|name| !name.is_empty());
        self
    }

    /// Prefixes every storage key with `prefix` instead of `CognitoWasm.{clientId}.`.
    pub fn with_storage_prefix(mut self, prefix: impl Into<String>) -> Result<Self> {
        let prefix = prefix.into();
        if prefix.is_empty() || prefix.chars().any(char::is_control) {
            return Err(invalid(
                "storage prefix must be non-empty, without control characters",
            ));
        }
        self.storage_prefix = prefix;
        Ok(self)
    }

    /// The user-pool id, e.g. `us-east-1_AbC123`.
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The region, from the pool id.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Where requests go; always ends with `/`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The accepted `iss` values.
    pub fn issuers(&self) -> &[String] {
        &self.issuers
    }

    /// Where the pool's signing keys are fetched.
    pub fn jwks_url(&self) -> String {
        if let Some(url) = &self.jwks_url {
            return url.clone();
        }
        let base: &[&str] = if self.custom_endpoint {
            &[&self.endpoint, &self.user_pool_id]
        } else {
            &[self.issuers.first().map(String::as_str).unwrap_or_default()]
        };
        cat(&[&cat(base), "/.well-known/jwks.json"])
    }

    /// The tolerated clock difference in seconds.
    pub fn clock_skew_secs(&self) -> u64 {
        self.clock_skew_secs
    }

    /// The app-client secret, if one is configured.
    pub fn client_secret(&self) -> Option<&ClientSecret> {
        self.client_secret.as_ref()
    }

    /// How `signIn` proves the password.
    pub fn auth_flow(&self) -> AuthFlow {
        self.auth_flow
    }

    /// How tokens are refreshed.
    pub fn refresh_method(&self) -> RefreshMethod {
        self.refresh_method
    }

    /// The origins besides the page's own that `auth.fetch` may send the token to, normalised.
    pub fn api_origins(&self) -> &[String] {
        &self.api_origins
    }

    /// The prefix of every storage key.
    pub fn storage_prefix(&self) -> &str {
        &self.storage_prefix
    }

    /// The one storage key that holds the session document.
    pub fn session_storage_key(&self) -> String {
        cat(&[&self.storage_prefix, "session"])
    }

    /// The `DeviceName` new devices are confirmed with, if one was given.
    pub fn device_name(&self) -> Option<&str> {
        self.device_name.as_deref()
    }

    /// Signs in through managed login with these settings (`signInWithRedirect`).
    #[cfg(feature = "flows")]
    pub fn with_oauth(mut self, oauth: crate::flow::oauth::OAuthConfig) -> Self {
        self.oauth = Some(Box::new(oauth));
        self
    }

    /// The managed-login settings, if configured.
    #[cfg(feature = "flows")]
    pub fn oauth(&self) -> Option<&crate::flow::oauth::OAuthConfig> {
        self.oauth.as_deref()
    }

    /// The storage key of a managed-login sign-in between its redirect and its callback.
    #[cfg(feature = "flows")]
    pub fn pending_redirect_storage_key(&self) -> String {
        cat(&[&self.storage_prefix, "oauth"])
    }

    /// The storage key of the remembered device of `username` (the pool's internal user name), which outlives
    /// sign-outs.
    pub fn device_storage_key(&self, username: &str) -> String {
        cat(&[&self.storage_prefix, "device.", username])
    }

    /// The storage key of the cached JWKS.
    pub fn jwks_storage_key(&self) -> String {
        cat(&[&self.storage_prefix, "jwks"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PoolConfig {
        PoolConfig::new("us-east-1_AbC123", "client1").unwrap()
    }

    #[test]
    fn defaults_derive_from_pool_id() {
        let c = config();
        assert_eq!(c.region(), "us-east-1");
        assert_eq!(c.endpoint(), "https://cognito-idp.us-east-1.amazonaws.com/");
        assert_eq!(
            c.issuers(),
            ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"]
        );
        assert_eq!(
            c.jwks_url(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json"
        );
        assert_eq!(c.clock_skew_secs(), 60);
        assert_eq!(c.auth_flow(), AuthFlow::UserSrp);
        assert_eq!(c.session_storage_key(), "CognitoWasm.client1.session");
        assert_eq!(c.jwks_storage_key(), "CognitoWasm.client1.jwks");
        assert!(c.client_secret().is_none());
    }

    #[test]
    fn custom_endpoint_moves_jwks_but_not_issuer() {
        let c = config().with_endpoint("http://127.0.0.1:5000").unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:5000/");
        assert_eq!(
            c.jwks_url(),
            "http://127.0.0.1:5000/us-east-1_AbC123/.well-known/jwks.json"
        );
        assert_eq!(
            c.issuers(),
            ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"]
        );
        let c = c.with_jwks_url("https://keys.example/jwks.json").unwrap();
        assert_eq!(c.jwks_url(), "https://keys.example/jwks.json");
    }

    #[test]
    fn several_issuers() {
        let c = config()
            .with_issuers([
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
                "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
            ])
            .unwrap();
        assert_eq!(c.issuers().len(), 2);
        assert!(config().with_issuers(Vec::<String>::new()).is_err());
    }

    #[test]
    fn rejects_bad_pool_ids_and_client_ids() {
        for pool in [
            "",
            "us-east-1",
            "useast1_abc",
            "US-EAST-1_abc",
            "us-east-1_",
            "us-east-1_a-b",
            "us-east_abc",
            "us-east-x_abc",
        ] {
            let e = PoolConfig::new(pool, "client1").unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{pool}");
        }
        // Long ids (the emulator's) are fine.
        assert!(PoolConfig::new("us-gov-west-1_0123456789abcdef0123456789abcdef", "c").is_ok());
        for client in ["", "a b", "abc/", "é"] {
            assert!(
                PoolConfig::new("us-east-1_abc", client).is_err(),
                "{client}"
            );
        }
    }

    #[test]
    fn storage_prefix_auth_flow_and_refresh_method() {
        let c = config().with_storage_prefix("app.auth.").unwrap();
        assert_eq!(c.session_storage_key(), "app.auth.session");
        assert_eq!(c.jwks_storage_key(), "app.auth.jwks");
        assert!(config().with_storage_prefix("").is_err());
        assert!(config().with_storage_prefix("a\nb").is_err());
        for flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
            assert_eq!(AuthFlow::from_wire(flow.as_str()), Some(flow));
        }
        assert_eq!(AuthFlow::from_wire("CUSTOM_AUTH"), None);
        let c = config().with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
        assert_eq!(c.refresh_method(), RefreshMethod::GetTokensFromRefreshToken);
        let c = config().with_client_secret(ClientSecret::from("s3cr3t"));
        assert_eq!(c.client_secret().map(ClientSecret::expose), Some("s3cr3t"));
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn api_origins_are_normalised_or_refused() {
        assert!(config().api_origins().is_empty());
        let c = config()
            .with_api_origins(["HTTPS://Api.Example.com:443/", "http://127.0.0.1:8787"])
            .unwrap();
        assert_eq!(
            c.api_origins(),
            ["https://api.example.com", "http://127.0.0.1:8787"]
        );
        for bad in ["http://api.example.com", "https://api.example.com/v1", ""] {
            let e = config().with_api_origins([bad]).unwrap_err();
            assert_eq!(e.code(), "InvalidConfig", "{bad}");
        }
    }

    #[test]
    fn rejects_bad_urls_and_skew() {
        for url in [
            "ftp://x/",
            "cognito.example",
            "https://",
            "https://x/?a=1",
            "https://x/#f",
            "https://x y/",
            "https://user@x/",
        ] {
            assert!(config().with_endpoint(url).is_err(), "{url}");
        }
        assert!(config().with_clock_skew_secs(300).is_ok());
        let e = config().with_clock_skew_secs(301).unwrap_err();
        assert!(e.to_string().contains("clockSkewSeconds"));
    }
}
