//! The random bytes of a sign-in call, drawn by the driver.

use core::fmt;

use crate::error::Result;
use crate::srp::{DEVICE_PASSWORD_BYTES, DEVICE_SALT_BYTES, EPHEMERAL_BYTES};

/// The random bytes one sign-in call may need, drawn by the driver from the platform's CSPRNG (the machine has
/// no randomness of its own), zeroed when dropped: SRP's secret `a`, a fresh `a` for the remembered device's SRP
/// (`DEVICE_SRP_AUTH`), and for a new device's `ConfirmDevice` its random password (40 bytes) and salt (16).
pub struct SignInSecrets(Box<SecretBytes>);

struct SecretBytes {
    srp_a: [u8; EPHEMERAL_BYTES],
    device_srp_a: [u8; EPHEMERAL_BYTES],
    device_password: [u8; DEVICE_PASSWORD_BYTES],
    device_salt: [u8; DEVICE_SALT_BYTES],
}

impl SignInSecrets {
    /// All zeros, for the driver to [`fill`](Self::fill).
    pub fn zeroed() -> Self {
        SignInSecrets(Box::new(SecretBytes {
            srp_a: [0; EPHEMERAL_BYTES],
            device_srp_a: [0; EPHEMERAL_BYTES],
            device_password: [0; DEVICE_PASSWORD_BYTES],
            device_salt: [0; DEVICE_SALT_BYTES],
        }))
    }

    /// Fills every part with `random` (the platform's CSPRNG).
    pub fn fill(&mut self, mut random: impl FnMut(&mut [u8]) -> Result<()>) -> Result<()> {
        let bytes = &mut *self.0;
        random(&mut bytes.srp_a)?;
        random(&mut bytes.device_srp_a)?;
        random(&mut bytes.device_password)?;
        random(&mut bytes.device_salt)
    }

    /// SRP's secret `a` for the user's password.
    pub fn srp_a(&self) -> &[u8; EPHEMERAL_BYTES] {
        &self.0.srp_a
    }

    /// A fresh `a` for the remembered device's SRP.
    pub fn device_srp_a(&self) -> &[u8; EPHEMERAL_BYTES] {
        &self.0.device_srp_a
    }

    /// A new device's random password bytes (`ConfirmDevice`).
    pub fn device_password(&self) -> &[u8; DEVICE_PASSWORD_BYTES] {
        &self.0.device_password
    }

    /// A new device's salt bytes (`ConfirmDevice`).
    pub fn device_salt(&self) -> &[u8; DEVICE_SALT_BYTES] {
        &self.0.device_salt
    }

    /// For a sign-in started over after Cognito forgot the device it named: that attempt used `a` and not the
    /// device's, so the device's becomes the new `a` (no `a` serves two exchanges), and none is left for a
    /// device (the new attempt names none).
    pub(crate) fn for_retry(mut self) -> Self {
        let bytes = &mut *self.0;
        bytes.srp_a = bytes.device_srp_a;
        bytes.device_srp_a.fill(0);
        self
    }
}

impl Drop for SignInSecrets {
    fn drop(&mut self) {
        let bytes = &mut *self.0;
        bytes.srp_a.fill(0);
        bytes.device_srp_a.fill(0);
        bytes.device_password.fill(0);
        bytes.device_salt.fill(0);
        core::hint::black_box(&bytes.srp_a);
    }
}

impl fmt::Debug for SignInSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SignInSecrets(<redacted>)")
    }
}
