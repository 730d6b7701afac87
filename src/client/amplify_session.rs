//! Taking over the session aws-amplify v6 keeps for this app client, so that users stay signed in when an app
//! switches from Amplify to this library.
//!
//! Amplify v6 keeps `CognitoIdentityServiceProvider.{clientId}.LastAuthUser` and, under
//! `CognitoIdentityServiceProvider.{clientId}.{that user}.`, the keys `accessToken`, `idToken`, `refreshToken`,
//! `clockDrift` (Cognito's clock minus the device's, in milliseconds), `signInDetails` and the device's
//! `deviceKey` / `deviceGroupKey` / `randomPasswordKey` (amazon-cognito-identity-js uses the same names). The
//! tokens are moved into this client's session document, which is then loaded, and verified, like any stored
//! session; Amplify's token keys are removed only once the document is written. The remembered device (all three
//! of its keys) becomes this client's remembered device of that user, which outlives sessions as Amplify's does,
//! and Amplify's device keys are removed once it is written; a device without its secret is left alone (it
//! cannot prove itself), though the session stays bound to it for refreshes.

use super::devices;
use super::machine::Store;
use crate::cognito::NewDeviceMetadata;
use crate::config::PoolConfig;
use crate::device::RememberedDevice;
use crate::error::Result;
use crate::secret::{DevicePassword, RefreshToken};
use crate::session::StoredSession;
use crate::text::cat;

const PREFIX: &str = "CognitoIdentityServiceProvider.";

/// The per-user keys Amplify clears when its user signs out.
const SESSION_KEYS: [&str; 6] = [
    "accessToken",
    "idToken",
    "refreshToken",
    "clockDrift",
    "signInDetails",
    "oauthMetadata",
];

/// The per-user keys of Amplify's remembered device.
const DEVICE_KEYS: [&str; 3] = ["deviceKey", "deviceGroupKey", "randomPasswordKey"];

/// Moves Amplify's session for this app client, if there is a complete one, into this client's session
/// document, and returns the document. `Ok(None)`, touching nothing, when there is none (or only part of one:
/// an ID token is needed here, and Amplify may keep a session without one).
pub(crate) fn take_over(config: &PoolConfig, store: &mut dyn Store) -> Result<Option<String>> {
    let client = cat(&[PREFIX, config.client_id(), "."]);
    let last_user_key = cat(&[&client, "LastAuthUser"]);
    let Some(user) = store.get(&last_user_key)? else {
        return Ok(None);
    };
    let user_prefix = cat(&[&client, &user, "."]);
    let get = |name: &str| store.get(&cat(&[&user_prefix, name]));
    let (Some(access_token), Some(id_token)) = (get("accessToken")?, get("idToken")?) else {
        return Ok(None);
    };
    let device = match (get("deviceKey")?, get("deviceGroupKey")?) {
        (Some(device_key), Some(device_group_key)) => Some(NewDeviceMetadata {
            device_key,
            device_group_key,
        }),
        _ => None,
    };
    let device_password = get("randomPasswordKey")?;
    let stored = StoredSession {
        id_token,
        access_token,
        refresh_token: get("refreshToken")?.map(RefreshToken::new),
        device,
        clock_offset_secs: get("clockDrift")?.as_deref().map_or(0, clock_drift_secs),
        sign_out_url: None,
    };
    let document = stored.to_json(config);
    store.set(&config.session_storage_key(), &document)?;
    // The session now lives in this client's document: a key left behind by a failed removal is only
    // Amplify's, and is never read again while the document exists.
    for name in SESSION_KEYS {
        let _ = store.remove(&cat(&[&user_prefix, name]));
    }
    let _ = store.remove(&last_user_key);
    if let (Some(metadata), Some(password)) = (stored.device, device_password) {
        let device = RememberedDevice {
            metadata,
            password: DevicePassword::new(password),
        };
        devices::keep(config, store, &user, &device);
        if devices::stored(config, &*store, &user).is_some() {
            for name in DEVICE_KEYS {
                let _ = store.remove(&cat(&[&user_prefix, name]));
            }
        }
    }
    Ok(Some(document))
}

/// Amplify's `clockDrift` (whole milliseconds as text) in seconds; anything else reads as no drift, which a
/// refresh corrects.
fn clock_drift_secs(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let ms = digits
        .bytes()
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let secs = ms / 1000;
    if negative {
        -secs
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_drift_is_read_in_whole_seconds() {
        assert_eq!(clock_drift_secs("0"), 0);
        assert_eq!(clock_drift_secs("-1999"), -1);
        assert_eq!(clock_drift_secs("120500"), 120);
        for junk in ["", "-", "1.5", "1e3", "+5", "9999999999999999", "12a"] {
            assert_eq!(clock_drift_secs(junk), 0, "{junk}");
        }
    }
}
