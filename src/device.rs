//! A remembered device: the keys Cognito gave it (`NewDeviceMetadata`) and the random password whose SRP
//! verifier `ConfirmDevice` registered, and how it is stored.
//!
//! **Stored format.** One storage key per user of the app client, `{prefix}device.{username}` (the pool's
//! internal user name, as `USER_ID_FOR_SRP` and the access token's `username` name it), holding
//! `{"v":1,"deviceKey":"..","deviceGroupKey":"..","randomPassword":".."}`. It is not part of the session
//! document: a device outlives sign-outs (as Amplify's `deviceKey` / `deviceGroupKey` / `randomPasswordKey`
//! do), so the next sign-in of that user on this browser can prove the device and skip MFA.

use core::fmt;

use crate::cognito::NewDeviceMetadata;
use crate::json::{self, Object, Value};
use crate::secret::DevicePassword;

/// The version of the stored device document.
pub const DEVICE_FORMAT_VERSION: i64 = 1;

/// A device confirmed with `ConfirmDevice`: its keys and its secret.
#[derive(Clone)]
pub struct RememberedDevice {
    /// `DeviceKey` and `DeviceGroupKey`.
    pub metadata: NewDeviceMetadata,
    /// The random password whose verifier Cognito keeps (device SRP signs with it).
    pub password: DevicePassword,
}

impl fmt::Debug for RememberedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("metadata", &self.metadata)
            .field("password", &self.password)
            .finish()
    }
}

impl RememberedDevice {
    /// The device's `DeviceKey`.
    pub fn key(&self) -> &str {
        &self.metadata.device_key
    }

    /// The device's `DeviceGroupKey`.
    pub fn group_key(&self) -> &str {
        &self.metadata.device_group_key
    }

    /// Reads a stored device document; `None` for anything that is not one (it is then to be removed).
    pub fn parse(text: &str) -> Option<Self> {
        let limits = json::Limits {
            max_bytes: 4096,
            max_depth: 2,
        };
        let doc = json::parse_object(text.as_bytes(), &limits).ok()?;
        let field = |key: &str| match doc.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        if doc.get_i64("v") != Some(DEVICE_FORMAT_VERSION) {
            return None;
        }
        Some(RememberedDevice {
            metadata: NewDeviceMetadata {
                device_key: field("deviceKey")?,
                device_group_key: field("deviceGroupKey")?,
            },
            password: DevicePassword::new(field("randomPassword")?),
        })
    }

    /// The document to store.
    pub fn to_json(&self) -> String {
        Object::new()
            .with("v", DEVICE_FORMAT_VERSION)
            .with("deviceKey", self.key())
            .with("deviceGroupKey", self.group_key())
            .with("randomPassword", self.password.expose())
            .to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_is_not_a_device() {
        let device = RememberedDevice {
            metadata: NewDeviceMetadata {
                device_key: "us-east-1_k".into(),
                device_group_key: "-g".into(),
            },
            password: DevicePassword::new("pw=="),
        };
        let text = device.to_json();
        assert_eq!(
            text,
            r#"{"v":1,"deviceKey":"us-east-1_k","deviceGroupKey":"-g","randomPassword":"pw=="}"#
        );
        let back = RememberedDevice::parse(&text).unwrap();
        assert_eq!(back.metadata, device.metadata);
        assert_eq!(back.password.expose(), "pw==");
        assert!(!format!("{device:?}").contains("pw=="));
        for bad in [
            "",
            "{}",
            &text.replace(r#""v":1"#, r#""v":2"#),
            &text.replace(r#""randomPassword":"pw==""#, r#""randomPassword":"""#),
            &text.replace(r#","deviceGroupKey":"-g""#, ""),
        ] {
            assert!(RememberedDevice::parse(bad).is_none(), "{bad}");
        }
    }
}
