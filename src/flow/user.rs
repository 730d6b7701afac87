//! Calls on the signed-in user: one request authorised by the access token, and how its answer reads.
//!
//! A [`UserCall`] is built from the caller's input without the token; the client adds a fresh access token when
//! it sends it. Every such operation (password, attributes and their verification, MFA settings, TOTP setup,
//! deleting the user) is one value of this type, so the client has one path for all of them.

use core::fmt;

use super::outputs::CodeDeliveryDetails;
use super::passkey;
use crate::cognito::{self, HttpRequest, HttpResponse, Operation, UserInfo};
use crate::config::PoolConfig;
use crate::error::{CognitoErrorCode, Error, Result, UsageCode};
use crate::json::{Object, Value};
use crate::secret::Password;
use crate::text::cat;

/// One request on the signed-in user.
pub struct UserCall {
    operation: Operation,
    /// The request body without `AccessToken`; it may hold passwords, so it is never shown.
    body: Object,
    answer: Answer,
    device: DeviceTarget,
}

impl fmt::Debug for UserCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserCall")
            .field("operation", &self.operation.name())
            .finish_non_exhaustive()
    }
}

/// How the answer of a [`UserCall`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Empty,
    Attributes,
    /// `UpdateUserAttributes`: the names asked for, in order; `one` for `updateUserAttribute`'s single result.
    AttributeUpdates {
        names: Vec<String>,
        one: bool,
    },
    CodeDelivery,
    TotpSecret,
    TotpVerified,
    MfaPreference,
    UserDeleted,
    CredentialCreationOptions,
    WebAuthnCredentials,
    Devices,
}

/// Where a device call's `DeviceKey` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DeviceTarget {
    /// The call names no device.
    None,
    /// The session's device, filled in when the call is sent.
    Current,
    /// The device the caller named.
    Given(String),
}

/// A device as `fetchDevices` gives it (Amplify's `AWSAuthDevice`; dates in milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceOutput {
    /// `DeviceKey`.
    pub id: String,
    /// The `device_name` attribute.
    pub name: Option<String>,
    /// `DeviceAttributes` as `(Name, Value)` pairs.
    pub attributes: Vec<(String, String)>,
    /// `DeviceCreateDate`.
    pub create_date: Option<i64>,
    /// `DeviceLastAuthenticatedDate`.
    pub last_authenticated_date: Option<i64>,
    /// `DeviceLastModifiedDate`.
    pub last_modified_date: Option<i64>,
}

/// What a [`UserCall`] gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserOutput {
    /// Nothing (`undefined`).
    Done,
    /// `fetchUserAttributes`: `(name, value)` in the server's order.
    Attributes(Vec<(String, String)>),
    /// `updateUserAttributes`: per attribute, where its verification code went if one is needed.
    AttributeUpdates(Vec<(String, Option<CodeDeliveryDetails>)>),
    /// `updateUserAttribute`: the one attribute's outcome.
    AttributeUpdate(Option<CodeDeliveryDetails>),
    /// Where a verification code went.
    CodeDelivery(CodeDeliveryDetails),
    /// `setUpTOTP`: the shared secret (base32) for the authenticator app.
    TotpSetup {
        /// `SecretCode`.
        shared_secret: String,
    },
    /// `fetchMFAPreference`, in Amplify's names (`SMS`, `TOTP`, `EMAIL`).
    MfaPreference {
        /// The preferred factor, if any.
        preferred: Option<&'static str>,
        /// The enabled factors; `None` when Cognito sent no list.
        enabled: Option<Vec<&'static str>>,
    },
    /// `deleteUser`: the user is gone, and so must the local session be.
    UserDeleted,
    /// `fetchDevices`: the user's remembered devices.
    Devices(Vec<DeviceOutput>),
    /// `StartWebAuthnRegistration`: the options for `navigator.credentials.create`, checked.
    CredentialCreationOptions(Object),
    /// `listWebAuthnCredentials`: one page of the user's passkeys.
    WebAuthnCredentials {
        /// The passkeys, in Cognito's order.
        credentials: Vec<WebAuthnCredential>,
        /// The token for the next page, if there is one.
        next_token: Option<String>,
    },
}

/// One passkey of `listWebAuthnCredentials`, in Amplify's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAuthnCredential {
    /// `CredentialId`.
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub friendly_credential_name: Option<String>,
    /// `RelyingPartyId`.
    pub relying_party_id: Option<String>,
    /// `AuthenticatorAttachment` (`platform`, `cross-platform`).
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub authenticator_transports: Vec<String>,
    /// `CreatedAt`: epoch seconds as Cognito wrote them (the JS shell makes a `Date` of them, as Amplify does).
    pub created_at: Option<crate::json::Number>,
}

impl WebAuthnCredential {
    fn from_object(item: &Object) -> Result<Self> {
        let bad = || Error::protocol("ListWebAuthnCredentials sent a malformed credential");
        let text = |key: &str| item.get_str(key).map(str::to_owned);
        let mut transports = Vec::new();
        for transport in item
            .get_array("AuthenticatorTransports")
            .unwrap_or_default()
        {
            transports.push(transport.as_str().ok_or_else(bad)?.to_owned());
        }
        Ok(WebAuthnCredential {
            credential_id: text("CredentialId").ok_or_else(bad)?,
            friendly_credential_name: text("FriendlyCredentialName"),
            relying_party_id: text("RelyingPartyId"),
            authenticator_attachment: text("AuthenticatorAttachment"),
            authenticator_transports: transports,
            created_at: item.get("CreatedAt").and_then(Value::as_number).cloned(),
        })
    }
}

/// An MFA setting of `updateMFAPreference`, as Amplify names them.
fn mfa_settings(value: &str) -> Option<Object> {
    let (enabled, preferred) = match value {
        "DISABLED" => (false, None),
        "ENABLED" => (true, None),
        "PREFERRED" => (true, Some(true)),
        "NOT_PREFERRED" => (true, Some(false)),
        _ => return None,
    };
    let mut settings = Object::new().with("Enabled", enabled);
    if let Some(preferred) = preferred {
        settings.insert("PreferredMfa", preferred);
    }
    Some(settings)
}

/// Cognito's MFA names in Amplify's words.
fn amplify_mfa_name(cognito: &str) -> Option<&'static str> {
    match cognito {
        "SMS_MFA" => Some("SMS"),
        "SOFTWARE_TOKEN_MFA" => Some("TOTP"),
        "EMAIL_OTP" => Some("EMAIL"),
        _ => None,
    }
}

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::usage(UsageCode::InvalidArgument, message)
}

fn required(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid(cat(&[name, " is required"])));
    }
    Ok(())
}

pub(crate) fn attribute_list(attributes: &[(String, String)]) -> Value {
    Value::Array(
        attributes
            .iter()
            .map(|(name, value)| {
                Value::Object(
                    Object::new()
                        .with("Name", name.as_str())
                        .with("Value", value.as_str()),
                )
            })
            .collect(),
    )
}

/// Adds `ClientMetadata` when the caller gave some (Lambda triggers read it).
pub(crate) fn with_client_metadata(mut body: Object, metadata: Option<&Object>) -> Object {
    if let Some(metadata) = metadata {
        body.insert("ClientMetadata", metadata.clone());
    }
    body
}

impl UserCall {
    fn new(operation: Operation, body: Object, answer: Answer) -> Self {
        UserCall {
            operation,
            body,
            answer,
            device: DeviceTarget::None,
        }
    }

    /// `ConfirmDevice` for a new device, with the verifier of its random password (see
    /// [`srp::device_verifier`](crate::srp::device_verifier)); `name` is the `DeviceName` shown in device lists.
    pub fn confirm_device(
        device_key: &str,
        verifier: &crate::srp::DeviceVerifier,
        name: Option<&str>,
    ) -> Self {
        let mut body = Object::new().with("DeviceKey", device_key).with(
            "DeviceSecretVerifierConfig",
            Object::new()
                .with("PasswordVerifier", verifier.verifier_b64.as_str())
                .with("Salt", verifier.salt_b64.as_str()),
        );
        if let Some(name) = name {
            body.insert("DeviceName", name);
        }
        Self::new(Operation::ConfirmDevice, body, Answer::Empty)
    }

    /// `rememberDevice`: `UpdateDeviceStatus` `remembered` for the session's device.
    pub fn remember_device() -> Self {
        let body = Object::new().with("DeviceRememberedStatus", "remembered");
        let mut call = Self::new(Operation::UpdateDeviceStatus, body, Answer::Empty);
        call.device = DeviceTarget::Current;
        call
    }

    /// `forgetDevice`: `ForgetDevice` for the device `id`, or the session's device when none is given.
    pub fn forget_device(id: Option<&str>) -> Result<Self> {
        let mut call = Self::new(Operation::ForgetDevice, Object::new(), Answer::Empty);
        call.device = match id {
            None => DeviceTarget::Current,
            Some(id) => {
                required("device.id", id)?;
                call.body.insert("DeviceKey", id);
                DeviceTarget::Given(id.to_owned())
            }
        };
        Ok(call)
    }

    /// `fetchDevices`: `ListDevices`, one page of 60 (as Amplify asks).
    pub fn fetch_devices() -> Self {
        Self::new(
            Operation::ListDevices,
            Object::new().with("Limit", 60),
            Answer::Devices,
        )
    }

    /// Whether the request names the session's device, which the client fills in ([`Self::request_on_device`]).
    pub fn needs_current_device(&self) -> bool {
        self.device == DeviceTarget::Current
    }

    /// The device this call forgets once it succeeds: the one given, else `current` (the session's).
    pub fn forgets<'a>(&'a self, current: Option<&'a str>) -> Option<&'a str> {
        if self.operation != Operation::ForgetDevice {
            return None;
        }
        match &self.device {
            DeviceTarget::Given(id) => Some(id),
            _ => current,
        }
    }

    /// `updatePassword`: `ChangePassword`.
    pub fn update_password(old: &Password, new: &Password) -> Result<Self> {
        required("oldPassword", old.expose())?;
        required("newPassword", new.expose())?;
        let body = Object::new()
            .with("PreviousPassword", old.expose())
            .with("ProposedPassword", new.expose());
        Ok(Self::new(Operation::ChangePassword, body, Answer::Empty))
    }

    /// `fetchUserAttributes`: `GetUser`.
    pub fn fetch_user_attributes() -> Self {
        Self::new(Operation::GetUser, Object::new(), Answer::Attributes)
    }

    /// `updateUserAttributes` (or, with `one`, `updateUserAttribute`): `UpdateUserAttributes`.
    pub fn update_user_attributes(
        attributes: &[(String, String)],
        client_metadata: Option<&Object>,
        one: bool,
    ) -> Result<Self> {
        if attributes.is_empty() {
            return Err(invalid("userAttributes must name at least one attribute"));
        }
        let body = Object::new().with("UserAttributes", attribute_list(attributes));
        let names = attributes.iter().map(|(name, _)| name.clone()).collect();
        Ok(Self::new(
            Operation::UpdateUserAttributes,
            with_client_metadata(body, client_metadata),
            Answer::AttributeUpdates { names, one },
        ))
    }

    /// `sendUserAttributeVerificationCode`: `GetUserAttributeVerificationCode`.
    pub fn send_user_attribute_verification_code(
        attribute: &str,
        client_metadata: Option<&Object>,
    ) -> Result<Self> {
        required("userAttributeKey", attribute)?;
        let body = Object::new().with("AttributeName", attribute);
        Ok(Self::new(
            Operation::GetUserAttributeVerificationCode,
            with_client_metadata(body, client_metadata),
            Answer::CodeDelivery,
        ))
    }

    /// `confirmUserAttribute`: `VerifyUserAttribute`.
    pub fn confirm_user_attribute(attribute: &str, code: &str) -> Result<Self> {
        required("userAttributeKey", attribute)?;
        required("confirmationCode", code.trim())?;
        let body = Object::new()
            .with("AttributeName", attribute)
            .with("Code", code.trim());
        Ok(Self::new(
            Operation::VerifyUserAttribute,
            body,
            Answer::Empty,
        ))
    }

    /// `deleteUserAttributes`: `DeleteUserAttributes`.
    pub fn delete_user_attributes(names: &[String]) -> Result<Self> {
        if names.is_empty() || names.iter().any(String::is_empty) {
            return Err(invalid(
                "userAttributeKeys must name at least one attribute",
            ));
        }
        let names = Value::Array(names.iter().map(Value::from).collect());
        let body = Object::new().with("UserAttributeNames", names);
        Ok(Self::new(
            Operation::DeleteUserAttributes,
            body,
            Answer::Empty,
        ))
    }

    /// `setUpTOTP`: `AssociateSoftwareToken`.
    pub fn set_up_totp() -> Self {
        Self::new(
            Operation::AssociateSoftwareToken,
            Object::new(),
            Answer::TotpSecret,
        )
    }

    /// `verifyTOTPSetup`: `VerifySoftwareToken` with the authenticator's code.
    pub fn verify_totp_setup(code: &str, friendly_device_name: Option<&str>) -> Result<Self> {
        required("code", code.trim())?;
        let mut body = Object::new().with("UserCode", code.trim());
        if let Some(name) = friendly_device_name {
            body.insert("FriendlyDeviceName", name);
        }
        Ok(Self::new(
            Operation::VerifySoftwareToken,
            body,
            Answer::TotpVerified,
        ))
    }

    /// `updateMFAPreference`: `SetUserMFAPreference`; each of `sms`, `totp`, `email` is `DISABLED`,
    /// `ENABLED`, `PREFERRED` or `NOT_PREFERRED`, and one left out is left as it is.
    pub fn update_mfa_preference(
        sms: Option<&str>,
        totp: Option<&str>,
        email: Option<&str>,
    ) -> Result<Self> {
        let mut body = Object::new();
        for (key, value) in [
            ("SMSMfaSettings", sms),
            ("SoftwareTokenMfaSettings", totp),
            ("EmailMfaSettings", email),
        ] {
            if let Some(value) = value {
                let settings = mfa_settings(value).ok_or_else(|| {
                    invalid("an MFA preference must be 'DISABLED', 'ENABLED', 'PREFERRED' or 'NOT_PREFERRED'")
                })?;
                body.insert(key, settings);
            }
        }
        Ok(Self::new(
            Operation::SetUserMFAPreference,
            body,
            Answer::Empty,
        ))
    }

    /// `fetchMFAPreference`: `GetUser`'s MFA fields.
    pub fn fetch_mfa_preference() -> Self {
        Self::new(Operation::GetUser, Object::new(), Answer::MfaPreference)
    }

    /// `deleteUser`: `DeleteUser`.
    pub fn delete_user() -> Self {
        Self::new(Operation::DeleteUser, Object::new(), Answer::UserDeleted)
    }

    /// `associateWebAuthnCredential`, first half: `StartWebAuthnRegistration`.
    pub fn start_web_authn_registration() -> Self {
        Self::new(
            Operation::StartWebAuthnRegistration,
            Object::new(),
            Answer::CredentialCreationOptions,
        )
    }

    /// `associateWebAuthnCredential`, second half: `CompleteWebAuthnRegistration` with what
    /// `navigator.credentials.create` made (in the shape of `PublicKeyCredential.toJSON()`).
    pub fn complete_web_authn_registration(credential: &Object) -> Result<Self> {
        let body = Object::new().with("Credential", passkey::registration_credential(credential)?);
        Ok(Self::new(
            Operation::CompleteWebAuthnRegistration,
            body,
            Answer::Empty,
        ))
    }

    /// `listWebAuthnCredentials`: `ListWebAuthnCredentials`, `page_size` (`MaxResults`, 0 to 20) and `next_token`
    /// as the caller gave them.
    pub fn list_web_authn_credentials(
        page_size: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<Self> {
        let mut body = Object::new();
        if let Some(size) = page_size {
            if !(0..=20).contains(&size) {
                return Err(invalid("pageSize must be a whole number from 0 to 20"));
            }
            body.insert("MaxResults", size);
        }
        if let Some(token) = next_token {
            required("nextToken", token)?;
            body.insert("NextToken", token);
        }
        Ok(Self::new(
            Operation::ListWebAuthnCredentials,
            body,
            Answer::WebAuthnCredentials,
        ))
    }

    /// `deleteWebAuthnCredential`: `DeleteWebAuthnCredential`.
    pub fn delete_web_authn_credential(credential_id: &str) -> Result<Self> {
        required("credentialId", credential_id)?;
        let body = Object::new().with("CredentialId", credential_id);
        Ok(Self::new(
            Operation::DeleteWebAuthnCredential,
            body,
            Answer::Empty,
        ))
    }

    /// The operation this call sends.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The request, authorised by `access_token`.
    pub fn request(&self, config: &PoolConfig, access_token: &str) -> HttpRequest {
        self.request_with(config, access_token, None)
    }

    /// The request, authorised by `access_token`, about the session's device `device_key`.
    pub fn request_on_device(
        &self,
        config: &PoolConfig,
        access_token: &str,
        device_key: &str,
    ) -> HttpRequest {
        self.request_with(config, access_token, Some(device_key))
    }

    fn request_with(
        &self,
        config: &PoolConfig,
        access_token: &str,
        device_key: Option<&str>,
    ) -> HttpRequest {
        let mut body = Object::new().with("AccessToken", access_token);
        if let Some(device_key) = device_key {
            body.insert("DeviceKey", device_key);
        }
        for (key, value) in self.body.iter() {
            body.insert(key, value.clone());
        }
        cognito::request(config, self.operation, &body)
    }

    /// Reads the answer.
    pub fn output(&self, response: &HttpResponse) -> Result<UserOutput> {
        let body = cognito::parse_response(response)?;
        Ok(match &self.answer {
            Answer::Empty => UserOutput::Done,
            Answer::UserDeleted => UserOutput::UserDeleted,
            Answer::Attributes => UserOutput::Attributes(UserInfo::from_object(&body)?.attributes),
            Answer::MfaPreference => {
                let user = UserInfo::from_object(&body)?;
                let preferred = user
                    .preferred_mfa_setting
                    .as_deref()
                    .and_then(amplify_mfa_name);
                let enabled = body.get("UserMFASettingList").map(|_| {
                    user.mfa_settings
                        .iter()
                        .filter_map(|s| amplify_mfa_name(s))
                        .collect()
                });
                UserOutput::MfaPreference { preferred, enabled }
            }
            Answer::Devices => UserOutput::Devices(device_list(&body)?),
            Answer::CredentialCreationOptions => {
                UserOutput::CredentialCreationOptions(passkey::creation_options(&body)?)
            }
            Answer::WebAuthnCredentials => {
                let bad = || Error::protocol("ListWebAuthnCredentials.Credentials is not a list");
                let mut credentials = Vec::new();
                let items = match body.get("Credentials") {
                    None => &[][..],
                    Some(list) => list.as_array().ok_or_else(bad)?,
                };
                for item in items {
                    credentials.push(WebAuthnCredential::from_object(
                        item.as_object().ok_or_else(bad)?,
                    )?);
                }
                UserOutput::WebAuthnCredentials {
                    credentials,
                    next_token: body.get_str("NextToken").map(str::to_owned),
                }
            }
            Answer::CodeDelivery => UserOutput::CodeDelivery(
                CodeDeliveryDetails::from_field(&body)?.unwrap_or_default(),
            ),
            Answer::TotpSecret => match body.get_str("SecretCode") {
                Some(secret) if !secret.is_empty() => UserOutput::TotpSetup {
                    shared_secret: secret.to_owned(),
                },
                _ => return Err(Error::protocol("AssociateSoftwareToken sent no SecretCode")),
            },
            Answer::TotpVerified => match body.get_str("Status") {
                // AWS answers a wrong code with an exception; a `Status` of `ERROR` is the same refusal.
                Some("SUCCESS") | None => UserOutput::Done,
                Some(_) => {
                    return Err(Error::Service {
                        code: CognitoErrorCode::from_wire("EnableSoftwareTokenMFAException"),
                        message: "the code from the authenticator app was not accepted".to_owned(),
                    })
                }
            },
            Answer::AttributeUpdates { names, one } => {
                let deliveries = code_delivery_list(&body)?;
                let mut updates: Vec<(String, Option<CodeDeliveryDetails>)> = names
                    .iter()
                    .map(|name| {
                        let delivery = deliveries
                            .iter()
                            .find(|d| d.attribute_name.as_deref() == Some(name.as_str()));
                        (name.clone(), delivery.cloned())
                    })
                    .collect();
                match (one, updates.pop()) {
                    (true, Some((_, delivery))) => UserOutput::AttributeUpdate(delivery),
                    (_, last) => {
                        updates.extend(last);
                        UserOutput::AttributeUpdates(updates)
                    }
                }
            }
        })
    }
}

/// A date of Cognito's (epoch seconds, a number that may have a fraction or an exponent: `1.7630001234E9`) in
/// whole milliseconds, read from the JSON lexeme so that no float parsing reaches the wasm. `None` for anything
/// else, or before 1970, or past the year 275760 (beyond a JavaScript `Date`).
pub(crate) fn epoch_millis(value: &Value) -> Option<i64> {
    let lexeme = value.as_number()?.as_str();
    let (mantissa, exponent) = match lexeme.find(['e', 'E']) {
        Some(at) => (lexeme.get(..at)?, lexeme.get(at + 1..)?),
        None => (lexeme, "0"),
    };
    let exponent: i64 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.starts_with('-') || whole.len() > 20 || fraction.len() > 20 {
        return None;
    }
    // The decimal point of the milliseconds sits 3 + exponent digits right of the seconds'.
    let point = i64::try_from(whole.len())
        .ok()?
        .checked_add(exponent)?
        .checked_add(3)?;
    if !(0..=18).contains(&point) {
        return if point < 0 { Some(0) } else { None };
    }
    let mut millis: i64 = 0;
    let mut digits = whole.bytes().chain(fraction.bytes());
    for _ in 0..point {
        let digit = digits.next().unwrap_or(b'0');
        let digit = digit.checked_sub(b'0').filter(|d| *d < 10)?;
        millis = millis.checked_mul(10)?.checked_add(i64::from(digit))?;
    }
    // 8.64e15 ms: the last moment a JavaScript `Date` holds.
    (millis <= 8_640_000_000_000_000).then_some(millis)
}

/// `ListDevices`' `Devices`.
fn device_list(body: &Object) -> Result<Vec<DeviceOutput>> {
    const CTX: &str = "ListDevices.Devices[]";
    let mut devices = Vec::new();
    let Some(items) = body.get("Devices") else {
        return Ok(devices);
    };
    let items = items
        .as_array()
        .ok_or_else(|| Error::protocol("ListDevices.Devices is not an array"))?;
    for item in items {
        let device = item
            .as_object()
            .ok_or_else(|| Error::protocol("ListDevices.Devices[] is not an object"))?;
        let mut attributes = Vec::new();
        for attribute in device.get_array("DeviceAttributes").unwrap_or_default() {
            let attribute = attribute.as_object().ok_or_else(|| {
                Error::protocol("ListDevices.Devices[].DeviceAttributes[] is not an object")
            })?;
            attributes.push((
                cognito::required_str(attribute, "DeviceAttributes[]", "Name")?.to_owned(),
                cognito::optional_str(attribute, "DeviceAttributes[]", "Value")?
                    .unwrap_or_default()
                    .to_owned(),
            ));
        }
        let date = |name: &str| device.get(name).and_then(epoch_millis);
        devices.push(DeviceOutput {
            id: cognito::required_str(device, CTX, "DeviceKey")?.to_owned(),
            name: attributes
                .iter()
                .find(|(name, _)| name == "device_name")
                .map(|(_, value)| value.clone()),
            create_date: date("DeviceCreateDate"),
            last_authenticated_date: date("DeviceLastAuthenticatedDate"),
            last_modified_date: date("DeviceLastModifiedDate"),
            attributes,
        });
    }
    Ok(devices)
}

/// `UpdateUserAttributes`' `CodeDeliveryDetailsList`: one entry per changed attribute that needs verifying.
fn code_delivery_list(body: &Object) -> Result<Vec<CodeDeliveryDetails>> {
    let mut list = Vec::new();
    if let Some(items) = body.get("CodeDeliveryDetailsList") {
        let items = items.as_array().ok_or_else(|| {
            Error::protocol("UpdateUserAttributes.CodeDeliveryDetailsList is not an array")
        })?;
        for item in items {
            let item = item.as_object().ok_or_else(|| {
                Error::protocol("UpdateUserAttributes.CodeDeliveryDetailsList[] is not an object")
            })?;
            list.push(CodeDeliveryDetails::from_object(item)?);
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(call: &UserCall, body: &str) -> Result<UserOutput> {
        call.output(&HttpResponse::json(200, body))
    }

    #[test]
    fn passkey_lists_and_options_read_as_amplify_shapes() {
        let list = UserCall::list_web_authn_credentials(None, None).unwrap();
        let page = output(
            &list,
            r#"{"Credentials":[{"CredentialId":"a2V5","FriendlyCredentialName":"This device","RelyingPartyId":"localhost",
                "AuthenticatorAttachment":"platform","AuthenticatorTransports":["internal"],"CreatedAt":1765012345.123},
                {"CredentialId":"b3Q","AuthenticatorTransports":[]}],"NextToken":"N2"}"#,
        )
        .unwrap();
        assert_eq!(
            page.to_json(),
            concat!(
                r#"{"credentials":[{"credentialId":"a2V5","friendlyCredentialName":"This device","relyingPartyId":"localhost","#,
                r#""authenticatorAttachment":"platform","authenticatorTransports":["internal"],"createdAt":1765012345.123},"#,
                r#"{"credentialId":"b3Q","authenticatorTransports":[]}],"nextToken":"N2"}"#
            )
        );
        assert_eq!(
            output(&list, "{}").unwrap().to_json(),
            r#"{"credentials":[]}"#
        );
        for bad in [
            r#"{"Credentials":{}}"#,
            r#"{"Credentials":[{"FriendlyCredentialName":"x"}]}"#,
            r#"{"Credentials":[{"CredentialId":"a","AuthenticatorTransports":[1]}]}"#,
        ] {
            assert!(
                matches!(output(&list, bad), Err(Error::Protocol(_))),
                "{bad}"
            );
        }
        let start = UserCall::start_web_authn_registration();
        let options = r#"{"challenge":"Y2g","rp":{"id":"localhost","name":"localhost"},"user":{"id":"dQ","name":"alice","displayName":"a"},"pubKeyCredParams":[{"alg":-7,"type":"public-key"}]}"#;
        assert_eq!(
            output(
                &start,
                &format!(r#"{{"CredentialCreationOptions":{options}}}"#)
            )
            .unwrap()
            .to_json(),
            options
        );
        assert!(output(
            &start,
            r#"{"CredentialCreationOptions":{"challenge":"Y2g"}}"#
        )
        .is_err());
    }
}
