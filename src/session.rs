//! The signed-in session: verified tokens, the refresh policy and the stored format.
//!
//! **Stored format.** One storage key per app client, `{prefix}session`, holds one versioned JSON
//! document, so a write is atomic (there are never several keys that can be half-written):
//!
//! ```json
//! {"v":1,"userPoolId":"us-east-1_AbC","clientId":"abc","idToken":"eyJ..","accessToken":"eyJ..",
//!  "refreshToken":"eyJ..","deviceKey":"..","deviceGroupKey":"..","clockOffset":-95}
//! ```
//!
//! **Clock offset.** Browser clocks are often minutes off. `clockOffset` is Cognito's clock minus the
//! device's, in seconds, learned from the `iat` of tokens fresh from Cognito (as Amplify does); every
//! expiry decision uses the device clock plus this offset, so a slow or fast device neither rejects fresh
//! tokens nor hands out expired ones.
//!
//! [`StoredSession::parse`] is strict about what it reads and lenient about what it does not know: a wrong
//! type, an empty token or a document that is not JSON is [`StoredSessionError::Invalid`], which the client
//! treats as "signed out" and removes. Another format version, pool or client is
//! [`StoredSessionError::NotOurs`]: also "signed out", but the entry stays, because it is another build of the
//! library's (say, a tab still running the previous release while a new one loads) and removing it would sign
//! the user out there. Keys it does not know are ignored, so a later release can add some without older tabs
//! deleting its sessions. A stored document is never trusted: the client verifies both tokens against the
//! JWKS before use.
//!
//! **Refresh policy.** [`Session::needs_refresh`] is true once either token expires within
//! `clock_skew + REFRESH_MARGIN_SECS` seconds: refreshing a little early covers a browser clock that runs
//! behind Cognito's, and the margin leaves time for the request that will carry the token. The lead is
//! never more than half the tokens' lifetime: with 5-minute tokens and a 300 s skew, fresh tokens would
//! otherwise be due at once, and every call would refresh.

use core::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::cognito::NewDeviceMetadata;
use crate::config::PoolConfig;
use crate::error::{Error, Result};
use crate::json::{self, Object, Value};
use crate::jwt::{Expectations, TokenUse, VerifiedToken};
use crate::secret::RefreshToken;

/// The version of the stored session document.
pub const SESSION_FORMAT_VERSION: i64 = 1;

/// Seconds before expiry (beyond the clock skew) at which tokens are refreshed.
pub const REFRESH_MARGIN_SECS: i64 = 60;

/// Largest stored session document read (three tokens are a few kilobytes).
pub const MAX_STORED_SESSION_BYTES: usize = 64 * 1024;

/// The largest device clock error corrected: beyond a day, the clock is not trusted for anything.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 24 * 60 * 60;

/// What a token must satisfy to be accepted for this pool and client.
pub fn expectations(config: &PoolConfig, token_use: TokenUse) -> Expectations {
    Expectations {
        issuers: config.issuers().to_vec(),
        client_id: config.client_id().to_owned(),
        token_use,
        clock_skew_secs: config.clock_skew_secs(),
        required_groups: Vec::new(),
        required_scopes: Vec::new(),
    }
}

/// The session document as stored: **unverified** tokens.
#[derive(Clone)]
pub struct StoredSession {
    /// The id token, unverified.
    pub id_token: String,
    /// The access token, unverified.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: Option<RefreshToken>,
    /// The remembered device, if any.
    pub device: Option<NewDeviceMetadata>,
    /// Cognito's clock minus the device's, in seconds (see the module docs).
    pub clock_offset_secs: i64,
    /// Where the browser goes after a local sign-out to end the managed-login session too (`/logout`): set
    /// for a session that signed in through managed login.
    pub sign_out_url: Option<String>,
}

impl fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("device", &self.device)
            .field("clock_offset_secs", &self.clock_offset_secs)
            .finish_non_exhaustive()
    }
}

/// Why a stored document is not this client's session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredSessionError {
    /// Not a readable session document: the entry should be removed.
    Invalid,
    /// A session document of another format version, pool or client: not to be read, nor removed.
    NotOurs,
}

impl StoredSession {
    /// Reads a stored document (see the module docs for what each error means).
    pub fn parse(
        text: &str,
        config: &PoolConfig,
    ) -> core::result::Result<StoredSession, StoredSessionError> {
        use StoredSessionError::{Invalid, NotOurs};
        let limits = json::Limits {
            max_bytes: MAX_STORED_SESSION_BYTES,
            // Two levels are used; the rest is room for what a later release may add.
            max_depth: 4,
        };
        let doc = json::parse_object(text.as_bytes(), &limits).map_err(|_| Invalid)?;
        let (Some(version), Some(pool), Some(client)) = (
            doc.get_i64("v"),
            doc.get_str("userPoolId"),
            doc.get_str("clientId"),
        ) else {
            return Err(Invalid);
        };
        if version != SESSION_FORMAT_VERSION
            || pool != config.user_pool_id()
            || client != config.client_id()
        {
            return Err(NotOurs);
        }
        let non_empty = |key: &str| -> core::result::Result<Option<String>, StoredSessionError> {
            match doc.get(key) {
                None => Ok(None),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(Invalid),
            }
        };
        let device = match (non_empty("deviceKey")?, non_empty("deviceGroupKey")?) {
            (Some(device_key), Some(device_group_key)) => Some(NewDeviceMetadata {
                device_key,
                device_group_key,
            }),
            (None, None) => None,
            _ => return Err(Invalid),
        };
        let clock_offset_secs = match doc.get("clockOffset") {
            None => 0,
            Some(value) => value
                .as_i64()
                .filter(|offset| offset.abs() <= MAX_CLOCK_OFFSET_SECS)
                .ok_or(Invalid)?,
        };
        Ok(StoredSession {
            id_token: non_empty("idToken")?.ok_or(Invalid)?,
            access_token: non_empty("accessToken")?.ok_or(Invalid)?,
            refresh_token: non_empty("refreshToken")?.map(RefreshToken::from),
            device,
            clock_offset_secs,
            sign_out_url: non_empty("signOutUrl")?,
        })
    }

    /// The document to store.
    pub fn to_json(&self, config: &PoolConfig) -> String {
        let mut doc = Object::new()
            .with("v", SESSION_FORMAT_VERSION)
            .with("userPoolId", config.user_pool_id())
            .with("clientId", config.client_id())
            .with("idToken", self.id_token.as_str())
            .with("accessToken", self.access_token.as_str());
        if let Some(refresh) = &self.refresh_token {
            doc.insert("refreshToken", refresh.expose());
        }
        if let Some(device) = &self.device {
            doc.insert("deviceKey", device.device_key.as_str());
            doc.insert("deviceGroupKey", device.device_group_key.as_str());
        }
        if self.clock_offset_secs != 0 {
            doc.insert("clockOffset", self.clock_offset_secs);
        }
        if let Some(url) = &self.sign_out_url {
            doc.insert("signOutUrl", url.as_str());
        }
        doc.to_json()
    }
}

/// A signed-in session whose id and access tokens have been verified.
#[derive(Clone)]
pub struct Session {
    username: String,
    id_token: VerifiedToken,
    access_token: VerifiedToken,
    refresh_token: Option<RefreshToken>,
    device: Option<NewDeviceMetadata>,
    clock_offset_secs: i64,
    sign_out_url: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.username())
            .field("expires_at", &self.expires_at())
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Pairs verified tokens; they must be an id and an access token of the same user.
    pub fn new(
        id_token: VerifiedToken,
        access_token: VerifiedToken,
        refresh_token: Option<RefreshToken>,
        device: Option<NewDeviceMetadata>,
    ) -> Result<Self> {
        if id_token.token_use() != TokenUse::Id || access_token.token_use() != TokenUse::Access {
            return Err(Error::protocol("the id and access tokens are swapped"));
        }
        let sub = id_token
            .sub()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::protocol("the id token has no sub"))?;
        if access_token.sub() != Some(sub) {
            return Err(Error::protocol(
                "the id and access tokens belong to different users",
            ));
        }
        let username = access_token
            .username()
            .or_else(|| id_token.username())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::protocol("the tokens name no username"))?
            .to_owned();
        Ok(Session {
            username,
            id_token,
            access_token,
            refresh_token,
            device,
            clock_offset_secs: 0,
            sign_out_url: None,
        })
    }

    /// The same session with the URL a sign-out sends the browser to (managed login's `/logout`).
    pub fn with_sign_out_url(mut self, url: Option<String>) -> Self {
        self.sign_out_url = url;
        self
    }

    /// Where a sign-out sends the browser after the local sign-out, for a managed-login session.
    pub fn sign_out_url(&self) -> Option<&str> {
        self.sign_out_url.as_deref()
    }

    /// The same session with Cognito's clock minus the device's, in seconds (clamped to
    /// ±[`MAX_CLOCK_OFFSET_SECS`]).
    pub fn with_clock_offset(mut self, offset_secs: i64) -> Self {
        self.clock_offset_secs = offset_secs.clamp(-MAX_CLOCK_OFFSET_SECS, MAX_CLOCK_OFFSET_SECS);
        self
    }

    /// The same session bound to `device` (the remembered device its sign-in proved, or the one it confirmed).
    pub fn with_device(mut self, device: Option<NewDeviceMetadata>) -> Self {
        self.device = device;
        self
    }

    /// Cognito's clock minus the device's, in seconds.
    pub fn clock_offset_secs(&self) -> i64 {
        self.clock_offset_secs
    }

    /// The session after a refresh: new tokens of the same user; the old refresh token is kept when
    /// none came back (no rotation).
    pub fn refreshed(
        &self,
        id_token: VerifiedToken,
        access_token: VerifiedToken,
        refresh_token: Option<RefreshToken>,
    ) -> Result<Self> {
        if access_token.sub() != self.access_token.sub() {
            return Err(Error::protocol(
                "the refresh returned another user's tokens",
            ));
        }
        Session::new(
            id_token,
            access_token,
            refresh_token.or_else(|| self.refresh_token.clone()),
            self.device.clone(),
        )
        .map(|session| {
            session
                .with_clock_offset(self.clock_offset_secs)
                .with_sign_out_url(self.sign_out_url.clone())
        })
    }

    /// The verified id token.
    pub fn id_token(&self) -> &VerifiedToken {
        &self.id_token
    }

    /// The verified access token.
    pub fn access_token(&self) -> &VerifiedToken {
        &self.access_token
    }

    /// The refresh token, if any.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// The device the session is bound to (its refresh token needs the device's key), if any.
    pub fn device(&self) -> Option<&NewDeviceMetadata> {
        self.device.as_ref()
    }

    /// The user name (the access token's `username`, else the id token's `cognito:username`).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The user's `sub`.
    pub fn user_id(&self) -> &str {
        self.id_token.sub().unwrap_or_default()
    }

    /// When the first of the two tokens expires (Unix seconds).
    pub fn expires_at(&self) -> i64 {
        self.id_token.exp().min(self.access_token.exp())
    }

    /// Whether to refresh before handing out a token at `now` (Unix seconds). See the module docs.
    pub fn needs_refresh(&self, now: i64, clock_skew_secs: u64) -> bool {
        let skew = i64::try_from(clock_skew_secs).unwrap_or(i64::MAX);
        let lifetime = [&self.id_token, &self.access_token]
            .iter()
            .map(|token| token.exp().saturating_sub(token.iat()))
            .min()
            .unwrap_or(0);
        let lead = skew.saturating_add(REFRESH_MARGIN_SECS).min(lifetime / 2);
        now.saturating_add(lead) >= self.expires_at()
    }

    /// Whether the tokens are past `exp` at `now` (no skew): then they must not be handed out.
    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at()
    }

    /// The document to store.
    pub fn to_stored(&self) -> StoredSession {
        StoredSession {
            id_token: self.id_token.as_str().to_owned(),
            access_token: self.access_token.as_str().to_owned(),
            refresh_token: self.refresh_token.clone(),
            device: self.device.clone(),
            clock_offset_secs: self.clock_offset_secs,
            sign_out_url: self.sign_out_url.clone(),
        }
    }

    /// The user as applications see it.
    pub fn current_user(&self) -> CurrentUser {
        let id = &self.id_token;
        CurrentUser {
            username: id.username().unwrap_or(&self.username).to_owned(),
            user_id: self.user_id().to_owned(),
            email: id.email().map(str::to_owned),
            groups: id.groups().into_iter().map(str::to_owned).collect(),
            claims: Claims(id.claims().clone()),
            // In the device's clock, so that JavaScript can compare it with Date.now().
            expires_at: self
                .expires_at()
                .saturating_sub(self.clock_offset_secs)
                .saturating_mul(1000),
        }
    }
}

/// The signed-in user (JavaScript's `currentUser()`), from the verified id token.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    /// `cognito:username`.
    pub username: String,
    /// `sub`.
    pub user_id: String,
    /// `email`, when the token has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `cognito:groups` (empty when none).
    pub groups: Vec<String>,
    /// When the session's tokens expire, in milliseconds since the epoch (as `Date.now()`).
    pub expires_at: i64,
    /// Every claim of the id token (last: the largest member).
    pub claims: Claims,
}

/// A JSON object (the claims) that serialises as a serde map of plain values.
///
/// Integers within ±2^53 serialise as `i64`, other numbers as `f64`.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims(pub Object);

struct JsonValue<'a>(&'a Value);

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => {
                    serializer.serialize_i64(i)
                }
                _ => match n.as_f64() {
                    Some(f) => serializer.serialize_f64(f),
                    None => serializer.serialize_str(n.as_str()),
                },
            },
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&JsonValue(item))?;
                }
                seq.end()
            }
            Value::Object(object) => Claims::serialize_object(object, serializer),
        }
    }
}

/// A JSON object as a serde map (as [`Claims`] serialise).
pub(crate) fn serialize_object<S: Serializer>(
    object: &Object,
    serializer: S,
) -> core::result::Result<S::Ok, S::Error> {
    Claims::serialize_object(object, serializer)
}

impl Claims {
    fn serialize_object<S: Serializer>(
        object: &Object,
        serializer: S,
    ) -> core::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(object.len()))?;
        for (key, value) in object.iter() {
            map.serialize_entry(key, &JsonValue(value))?;
        }
        map.end()
    }
}

impl Serialize for Claims {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        Claims::serialize_object(&self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PoolConfig {
        PoolConfig::new("us-east-1_AbC123", "client1").unwrap()
    }

    fn stored() -> StoredSession {
        StoredSession {
            id_token: "id.x.y".into(),
            access_token: "access.x.y".into(),
            refresh_token: Some(RefreshToken::from("refresh")),
            device: None,
            clock_offset_secs: 0,
            sign_out_url: None,
        }
    }

    #[test]
    fn stored_round_trip() {
        let text = stored().to_json(&config());
        assert!(text.starts_with(r#"{"v":1,"userPoolId":"us-east-1_AbC123","clientId":"client1""#));
        let back = StoredSession::parse(&text, &config()).unwrap();
        assert_eq!(back.id_token, "id.x.y");
        assert_eq!(back.refresh_token.as_ref().unwrap().expose(), "refresh");
        assert!(!format!("{back:?}").contains("refresh\""));
    }

    #[test]
    fn stored_parse_is_strict() {
        let good = stored().to_json(&config());
        for bad in [
            "",
            "null",
            "{}",
            "not json",
            &good.replace(r#""v":1"#, r#""v":"1""#),
            &good.replace(r#""v":1,"#, ""),
            &good.replace(r#""clientId":"client1""#, r#""clientId":null"#),
            &good.replace(r#""idToken":"id.x.y""#, r#""idToken":"""#),
            &good.replace(r#""idToken":"id.x.y""#, r#""idToken":7"#),
            &good.replace(r#""idToken":"id.x.y","#, ""),
            &good.replace(r#""refreshToken":"refresh""#, r#""deviceKey":"k""#),
            &good[..good.len() - 1],
            &good.replace(r#""v":1"#, r#""v":1,"clockOffset":1.5"#),
            &good.replace(r#""v":1"#, r#""v":1,"clockOffset":"60""#),
            &good.replace(r#""v":1"#, r#""v":1,"clockOffset":86401"#),
        ] {
            assert_eq!(
                StoredSession::parse(bad, &config()).err(),
                Some(StoredSessionError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn another_version_pool_or_client_is_not_ours_and_unknown_keys_are_ignored() {
        let good = stored().to_json(&config());
        let other_client = PoolConfig::new("us-east-1_AbC123", "client2").unwrap();
        let other_pool = PoolConfig::new("us-east-1_Other", "client1").unwrap();
        let newer = good.replace(r#""v":1"#, r#""v":2"#);
        for (text, config) in [
            (&good, &other_client),
            (&good, &other_pool),
            (&newer, &config()),
        ] {
            assert_eq!(
                StoredSession::parse(text, config).err(),
                Some(StoredSessionError::NotOurs),
                "{text}"
            );
        }
        // A key a later release adds does not make the document unreadable.
        let extended = good.replace(r#""v":1"#, r#""v":1,"addedLater":{"x":[1]}"#);
        let read = StoredSession::parse(&extended, &config()).unwrap();
        assert_eq!(read.access_token, "access.x.y");
    }

    #[test]
    fn clock_offset_round_trips_and_is_bounded() {
        let mut slow_device = stored();
        slow_device.clock_offset_secs = -95;
        let text = slow_device.to_json(&config());
        assert!(text.ends_with(r#","clockOffset":-95}"#), "{text}");
        assert_eq!(
            StoredSession::parse(&text, &config())
                .unwrap()
                .clock_offset_secs,
            -95
        );
        // No offset learned: the key is left out, and an old document without it reads as 0.
        let text = stored().to_json(&config());
        assert!(!text.contains("clockOffset"));
        assert_eq!(
            StoredSession::parse(&text, &config())
                .unwrap()
                .clock_offset_secs,
            0
        );
        let edge = text.replace(
            r#""v":1"#,
            &format!(r#""v":1,"clockOffset":{MAX_CLOCK_OFFSET_SECS}"#),
        );
        assert_eq!(
            StoredSession::parse(&edge, &config())
                .unwrap()
                .clock_offset_secs,
            MAX_CLOCK_OFFSET_SECS
        );
    }
}
