//! What the flows hand back, shaped like Amplify's outputs so JavaScript sees the objects it knows.
//!
//! The JSON JavaScript gets is written by [`to_json`](super::to_json) (camelCase keys, absent options left out);
//! the `serde::Serialize` derives give Rust users the same JSON, and a test keeps the two equal. `js/index.d.ts`
//! declares the same shapes, and a type-check of sample results keeps it in step.

use serde::Serialize;

pub use crate::cognito::CodeDeliveryDetails;

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)*
        }

        impl $name {
            /// The exact string JavaScript sees.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }
        }
    };
}

wire_enum! {
    /// Amplify's `signInStep`.
    SignInStep {
        /// Signed in.
        Done => "DONE",
        /// The user must confirm the sign-up first (`UserNotConfirmedException`).
        ConfirmSignUp => "CONFIRM_SIGN_UP",
        /// The user must reset the password first (`PasswordResetRequiredException`).
        ResetPassword => "RESET_PASSWORD",
        /// An admin-created user must choose a password (and maybe fill `missingAttributes`).
        ConfirmSignInWithNewPasswordRequired => "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED",
        /// A code from the authenticator app.
        ConfirmSignInWithTotpCode => "CONFIRM_SIGN_IN_WITH_TOTP_CODE",
        /// A code sent by SMS.
        ConfirmSignInWithSmsCode => "CONFIRM_SIGN_IN_WITH_SMS_CODE",
        /// A code sent by email.
        ConfirmSignInWithEmailCode => "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        /// Choose one of `allowedMFATypes`.
        ContinueSignInWithMfaSelection => "CONTINUE_SIGN_IN_WITH_MFA_SELECTION",
        /// Add `totpSetupDetails.sharedSecret` to an authenticator, then answer with its code.
        ContinueSignInWithTotpSetup => "CONTINUE_SIGN_IN_WITH_TOTP_SETUP",
        /// MFA must be set up: choose one of `allowedMFATypes` (`EMAIL`, `TOTP`).
        ContinueSignInWithMfaSetupSelection => "CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION",
        /// Email MFA must be set up: answer with the email address the codes go to.
        ContinueSignInWithEmailSetup => "CONTINUE_SIGN_IN_WITH_EMAIL_SETUP",
        /// `USER_AUTH`: choose the first factor among `availableChallenges`.
        ContinueSignInWithFirstFactorSelection => "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
        /// `USER_AUTH`: answer with the password.
        ConfirmSignInWithPassword => "CONFIRM_SIGN_IN_WITH_PASSWORD",
        /// Answer the custom challenge (`additionalInfo` has its parameters).
        ConfirmSignInWithCustomChallenge => "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE",
        /// `WEB_AUTHN`: answer with the passkey assertion for `credentialRequestOptions`. The JS entry runs the
        /// browser's ceremony and answers this step itself, as Amplify does: its callers never see it.
        ConfirmSignInWithPasskey => "CONFIRM_SIGN_IN_WITH_PASSKEY",
    }
}

wire_enum! {
    /// Amplify's `signUpStep`.
    SignUpStep {
        /// Confirm with the code that was sent.
        ConfirmSignUp => "CONFIRM_SIGN_UP",
        /// Confirmed, and `signUp` asked for `autoSignIn`: call `autoSignIn()` to sign in.
        CompleteAutoSignIn => "COMPLETE_AUTO_SIGN_IN",
        /// Nothing left to do.
        Done => "DONE",
    }
}

wire_enum! {
    /// Amplify's `resetPasswordStep`.
    ResetPasswordStep {
        /// Call `confirmResetPassword` with the code that was sent.
        ConfirmResetPasswordWithCode => "CONFIRM_RESET_PASSWORD_WITH_CODE",
        /// Nothing left to do.
        Done => "DONE",
    }
}

/// The TOTP secret to enrol in an authenticator app.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpSetupDetails {
    /// The base32 shared secret.
    pub shared_secret: String,
}

impl TotpSetupDetails {
    /// The `otpauth://` URI authenticator apps read from a QR code.
    pub fn setup_uri(&self, app_name: &str, account_name: &str) -> String {
        let app = percent_encode(app_name);
        crate::text::cat(&[
            "otpauth://totp/",
            &app,
            ":",
            &percent_encode(account_name),
            "?secret=",
            &percent_encode(&self.shared_secret),
            "&issuer=",
            &app,
        ])
    }
}

impl core::fmt::Debug for TotpSetupDetails {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("TotpSetupDetails(<redacted>)")
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            crate::text::push_hex(&mut out, byte.into(), 2, true);
        }
    }
    out
}

/// Amplify's `nextStep` of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInNextStep {
    /// What the user must do next.
    pub sign_in_step: SignInStep,
    /// For `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`: required attributes the user has no value for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_attributes: Option<Vec<String>>,
    /// For SMS and email codes: where the code went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    /// For `CONTINUE_SIGN_IN_WITH_MFA_SELECTION`: `TOTP`, `SMS`, `EMAIL`.
    #[serde(rename = "allowedMFATypes", skip_serializing_if = "Option::is_none")]
    pub allowed_mfa_types: Option<Vec<String>>,
    /// For `CONTINUE_SIGN_IN_WITH_TOTP_SETUP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totp_setup_details: Option<TotpSetupDetails>,
    /// For `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION`: `PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`,
    /// `WEB_AUTHN`, as Cognito offers them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<String>>,
    /// For `CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE`: the challenge parameters, in Cognito's order (their names
    /// are unique: the JSON parser refuses duplicates). JavaScript sees an object.
    #[serde(
        serialize_with = "pairs_as_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_info: Option<Vec<(String, String)>>,
    /// For `CONFIRM_SIGN_IN_WITH_PASSKEY`: Cognito's `PublicKeyCredentialRequestOptionsJSON`, checked.
    #[serde(
        serialize_with = "object_as_map",
        skip_serializing_if = "Option::is_none"
    )]
    pub credential_request_options: Option<crate::json::Object>,
}

fn object_as_map<S: serde::Serializer>(
    object: &Option<crate::json::Object>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match object {
        Some(object) => crate::session::serialize_object(object, serializer),
        None => serializer.serialize_none(),
    }
}

/// `(name, value)` pairs as a map. A list rather than a `BTreeMap`: a map's code would weigh more in the wasm.
fn pairs_as_map<S: serde::Serializer>(
    pairs: &Option<Vec<(String, String)>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match pairs {
        Some(pairs) => serializer.collect_map(pairs.iter().map(|(name, value)| (name, value))),
        None => serializer.serialize_none(),
    }
}

impl SignInNextStep {
    /// A step with no details.
    pub fn new(sign_in_step: SignInStep) -> Self {
        SignInNextStep {
            sign_in_step,
            missing_attributes: None,
            code_delivery_details: None,
            allowed_mfa_types: None,
            totp_setup_details: None,
            available_challenges: None,
            additional_info: None,
            credential_request_options: None,
        }
    }
}

/// Amplify's `SignInOutput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInOutput {
    /// Whether tokens were obtained.
    pub is_signed_in: bool,
    /// What comes next.
    pub next_step: SignInNextStep,
}

impl SignInOutput {
    /// `{ isSignedIn: true, nextStep: { signInStep: 'DONE' } }`.
    pub fn done() -> Self {
        SignInOutput {
            is_signed_in: true,
            next_step: SignInNextStep::new(SignInStep::Done),
        }
    }

    /// Not signed in (yet); `next_step` says why.
    pub fn pending(next_step: SignInNextStep) -> Self {
        SignInOutput {
            is_signed_in: false,
            next_step,
        }
    }
}

/// Amplify's `nextStep` of a sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpNextStep {
    /// What the user must do next.
    pub sign_up_step: SignUpStep,
    /// Where the confirmation code went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// Amplify's `SignUpOutput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpOutput {
    /// Whether the user can sign in now.
    pub is_sign_up_complete: bool,
    /// The new user's `sub` (absent after `confirmSignUp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// What comes next.
    pub next_step: SignUpNextStep,
}

/// Amplify's `nextStep` of a password reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordNextStep {
    /// What the user must do next.
    pub reset_password_step: ResetPasswordStep,
    /// Where the code went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// Amplify's `ResetPasswordOutput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordOutput {
    /// Whether the password is already reset (never, until `confirmResetPassword`).
    pub is_password_reset: bool,
    /// What comes next.
    pub next_step: ResetPasswordNextStep,
}
