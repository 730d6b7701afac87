//! The remembered devices in storage: one per user of the app client (see [`crate::device`]), outliving
//! sign-outs. A document that is not a device reads as none and is left for the next write to replace.

use super::machine::Store;
use crate::config::PoolConfig;
use crate::device::RememberedDevice;

/// The remembered device of `username` (the pool's internal user name), if one is stored.
pub(crate) fn stored(
    config: &PoolConfig,
    store: &dyn Store,
    username: &str,
) -> Option<RememberedDevice> {
    let text = store.get(&config.device_storage_key(username)).ok()??;
    RememberedDevice::parse(&text)
}

/// Keeps `device` as `username`'s remembered device. A failed write only costs the device: the next sign-in
/// is a new device's.
pub(crate) fn keep(
    config: &PoolConfig,
    store: &mut dyn Store,
    username: &str,
    device: &RememberedDevice,
) {
    let _ = store.set(&config.device_storage_key(username), &device.to_json());
}

/// Removes `username`'s remembered device if it is `device_key` (a newer one stays).
#[cfg(feature = "flows")]
pub(crate) fn forget(config: &PoolConfig, store: &mut dyn Store, username: &str, device_key: &str) {
    let key = config.device_storage_key(username);
    let same = match store.get(&key) {
        Ok(Some(text)) => RememberedDevice::parse(&text).is_none_or(|d| d.key() == device_key),
        _ => false,
    };
    if same {
        let _ = store.remove(&key);
    }
}
