//! Values that must never be printed: passwords, refresh tokens, one-time codes, device secrets.
//!
//! Each wrapper has a redacted `Debug`, no `Display` and no `PartialEq` (so they are not compared in
//! ways that leak timing); reading the value takes an explicit [`expose`](Password::expose) call.

macro_rules! secret_string {
    ($($(#[$doc:meta])* $name:ident,)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Default)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself: call only where it is sent or hashed.
            pub fn expose(&self) -> &str {
                &self.0
            }

            /// Whether the secret is the empty string.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    )*};
}

secret_string! {
    /// A user's password.
    Password,
    /// A Cognito refresh token: long-lived, grants new access tokens.
    RefreshToken,
    /// A confirmation, MFA or reset code.
    OneTimeCode,
    /// An app client secret (server-side use only; browsers cannot keep one).
    ClientSecret,
    /// A remembered device's random password.
    DevicePassword,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let p = Password::new("hunter2");
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
        assert_eq!(p.expose(), "hunter2");
        let r = RefreshToken::from("eyJ.secret");
        assert!(!format!("{r:?}").contains("eyJ"));
    }
}
