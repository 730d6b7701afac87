//! Typed views of Cognito's replies. A missing or mistyped field is an [`Error::Protocol`] naming it.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::json::{Object, Value};
use crate::secret::RefreshToken;
use crate::text::cat;

/// `{context}.{field}{problem}`, e.g. `SignUp.UserSub is missing`.
fn bad_field(context: &str, field: &str, problem: &str) -> Error {
    Error::protocol(cat(&[context, ".", field, problem]))
}

/// A required string field.
pub(crate) fn required_str<'a>(object: &'a Object, context: &str, field: &str) -> Result<&'a str> {
    match object.get(field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(bad_field(context, field, " is not a string")),
        None => Err(bad_field(context, field, " is missing")),
    }
}

/// An optional string field (`null` counts as absent).
pub(crate) fn optional_str<'a>(
    object: &'a Object,
    context: &str,
    field: &str,
) -> Result<Option<&'a str>> {
    match object.get(field) {
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Null) | None => Ok(None),
        Some(_) => Err(bad_field(context, field, " is not a string")),
    }
}

/// An optional object field (`null` counts as absent).
pub(crate) fn optional_object<'a>(
    object: &'a Object,
    context: &str,
    field: &str,
) -> Result<Option<&'a Object>> {
    match object.get(field) {
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(Value::Null) | None => Ok(None),
        Some(_) => Err(bad_field(context, field, " is not an object")),
    }
}

fn optional_bool(object: &Object, context: &str, field: &str) -> Result<Option<bool>> {
    match object.get(field) {
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::Null) | None => Ok(None),
        Some(_) => Err(bad_field(context, field, " is not a boolean")),
    }
}

fn optional_array<'a>(object: &'a Object, context: &str, field: &str) -> Result<&'a [Value]> {
    match object.get(field) {
        Some(Value::Array(items)) => Ok(items),
        Some(Value::Null) | None => Ok(&[]),
        Some(_) => Err(bad_field(context, field, " is not an array")),
    }
}

/// Tokens from a successful sign-in or refresh.
#[derive(Clone)]
pub struct AuthenticationResult {
    /// The access token (unverified as parsed).
    pub access_token: String,
    /// The id token (unverified as parsed).
    pub id_token: String,
    /// The refresh token: absent on refresh unless rotation is on.
    pub refresh_token: Option<RefreshToken>,
    /// Seconds until the access token expires, as Cognito says.
    pub expires_in: i64,
    /// `Bearer`.
    pub token_type: String,
    /// Set when device tracking is on and this device is new.
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

impl core::fmt::Debug for AuthenticationResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthenticationResult")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("new_device_metadata", &self.new_device_metadata)
            .finish_non_exhaustive()
    }
}

/// `NewDeviceMetadata` of an authentication result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

impl AuthenticationResult {
    /// Parses an `AuthenticationResult` object.
    pub fn from_object(object: &Object) -> Result<Self> {
        const CTX: &str = "AuthenticationResult";
        let expires_in = match object.get("ExpiresIn") {
            Some(v) => v.as_i64().filter(|n| *n > 0).ok_or_else(|| {
                Error::protocol("AuthenticationResult.ExpiresIn is not a positive integer")
            })?,
            None => return Err(Error::protocol("AuthenticationResult.ExpiresIn is missing")),
        };
        let new_device_metadata = match optional_object(object, CTX, "NewDeviceMetadata")? {
            Some(meta) => Some(NewDeviceMetadata {
                device_key: required_str(meta, "NewDeviceMetadata", "DeviceKey")?.to_owned(),
                device_group_key: required_str(meta, "NewDeviceMetadata", "DeviceGroupKey")?
                    .to_owned(),
            }),
            None => None,
        };
        Ok(AuthenticationResult {
            access_token: required_str(object, CTX, "AccessToken")?.to_owned(),
            id_token: required_str(object, CTX, "IdToken")?.to_owned(),
            refresh_token: optional_str(object, CTX, "RefreshToken")?.map(RefreshToken::from),
            expires_in,
            token_type: optional_str(object, CTX, "TokenType")?
                .unwrap_or("Bearer")
                .to_owned(),
            new_device_metadata,
        })
    }
}

/// A challenge Cognito wants answered before it hands out tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    /// `ChallengeName`, e.g. `PASSWORD_VERIFIER`, `SOFTWARE_TOKEN_MFA`.
    pub name: String,
    /// `ChallengeParameters`: every value is a string on the wire.
    pub parameters: Vec<(String, String)>,
    /// `Session`, to send back with the answer (PASSWORD_VERIFIER may have none).
    pub session: Option<String>,
}

impl Challenge {
    /// A challenge parameter by name.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A challenge parameter that must be present.
    pub fn required_parameter(&self, name: &str) -> Result<&str> {
        self.parameter(name)
            .ok_or_else(|| bad_field("ChallengeParameters", name, " is missing"))
    }
}

/// What `InitiateAuth` / `RespondToAuthChallenge` answered: tokens or another challenge.
#[derive(Debug, Clone)]
pub enum AuthResponse {
    /// Signed in.
    Authenticated(Box<AuthenticationResult>),
    /// One more step.
    Challenge(Challenge),
}

impl AuthResponse {
    /// Parses the reply of `InitiateAuth`, `RespondToAuthChallenge` or `GetTokensFromRefreshToken`.
    pub fn from_object(object: &Object) -> Result<Self> {
        if let Some(result) = optional_object(object, "response", "AuthenticationResult")? {
            return Ok(AuthResponse::Authenticated(Box::new(
                AuthenticationResult::from_object(result)?,
            )));
        }
        let name = required_str(object, "response", "ChallengeName")
            .map_err(|_| {
                Error::protocol("response has neither AuthenticationResult nor ChallengeName")
            })?
            .to_owned();
        let mut parameters = Vec::new();
        if let Some(params) = optional_object(object, "response", "ChallengeParameters")? {
            for (key, value) in params.iter() {
                let value = value
                    .as_str()
                    .ok_or_else(|| bad_field("ChallengeParameters", key, " is not a string"))?;
                parameters.push((key.to_owned(), value.to_owned()));
            }
        }
        Ok(AuthResponse::Challenge(Challenge {
            name,
            parameters,
            session: optional_str(object, "response", "Session")?.map(str::to_owned),
        }))
    }
}

/// Where a confirmation code was sent (Amplify's `codeDeliveryDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDeliveryDetails {
    /// The masked destination, e.g. `a***@e***.com`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// `EMAIL` or `SMS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_medium: Option<String>,
    /// The attribute the code verifies, e.g. `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_name: Option<String>,
}

impl CodeDeliveryDetails {
    /// Parses a `CodeDeliveryDetails` object.
    pub fn from_object(object: &Object) -> Result<Self> {
        const CTX: &str = "CodeDeliveryDetails";
        Ok(CodeDeliveryDetails {
            destination: optional_str(object, CTX, "Destination")?.map(str::to_owned),
            delivery_medium: optional_str(object, CTX, "DeliveryMedium")?.map(str::to_owned),
            attribute_name: optional_str(object, CTX, "AttributeName")?.map(str::to_owned),
        })
    }

    /// Parses the optional `CodeDeliveryDetails` field of a reply.
    pub fn from_field(object: &Object) -> Result<Option<Self>> {
        optional_object(object, "response", "CodeDeliveryDetails")?
            .map(Self::from_object)
            .transpose()
    }
}

/// The reply of `SignUp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// `UserConfirmed`: true when no confirmation is needed.
    pub user_confirmed: bool,
    /// `UserSub`: the new user's id.
    pub user_sub: String,
    /// Where the confirmation code went.
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

impl SignUpResult {
    /// Parses a `SignUp` reply.
    pub fn from_object(object: &Object) -> Result<Self> {
        Ok(SignUpResult {
            user_confirmed: optional_bool(object, "SignUp", "UserConfirmed")?
                .ok_or_else(|| Error::protocol("SignUp.UserConfirmed is missing"))?,
            user_sub: required_str(object, "SignUp", "UserSub")?.to_owned(),
            code_delivery_details: CodeDeliveryDetails::from_field(object)?,
        })
    }
}

/// The reply of `GetUser`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// `Username`: the internal user name.
    pub username: String,
    /// `UserAttributes` as `(Name, Value)` pairs, in the server's order.
    pub attributes: Vec<(String, String)>,
    /// `PreferredMfaSetting`, e.g. `SOFTWARE_TOKEN_MFA`.
    pub preferred_mfa_setting: Option<String>,
    /// `UserMFASettingList`.
    pub mfa_settings: Vec<String>,
    /// `MFAOptions` delivery media (legacy SMS MFA).
    pub mfa_options: Vec<CodeDeliveryDetails>,
}

impl UserInfo {
    /// Parses a `GetUser` reply.
    pub fn from_object(object: &Object) -> Result<Self> {
        const CTX: &str = "GetUser";
        let mut attributes = Vec::new();
        for item in optional_array(object, CTX, "UserAttributes")? {
            let item = item
                .as_object()
                .ok_or_else(|| Error::protocol("GetUser.UserAttributes[] is not an object"))?;
            attributes.push((
                required_str(item, "UserAttributes[]", "Name")?.to_owned(),
                optional_str(item, "UserAttributes[]", "Value")?
                    .unwrap_or_default()
                    .to_owned(),
            ));
        }
        let mut mfa_settings = Vec::new();
        for item in optional_array(object, CTX, "UserMFASettingList")? {
            let item = item
                .as_str()
                .ok_or_else(|| Error::protocol("GetUser.UserMFASettingList[] is not a string"))?;
            mfa_settings.push(item.to_owned());
        }
        let mut mfa_options = Vec::new();
        for item in optional_array(object, CTX, "MFAOptions")? {
            let item = item
                .as_object()
                .ok_or_else(|| Error::protocol("GetUser.MFAOptions[] is not an object"))?;
            mfa_options.push(CodeDeliveryDetails::from_object(item)?);
        }
        Ok(UserInfo {
            username: required_str(object, CTX, "Username")?.to_owned(),
            attributes,
            preferred_mfa_setting: optional_str(object, CTX, "PreferredMfaSetting")?
                .map(str::to_owned),
            mfa_settings,
            mfa_options,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse_object, Limits};

    fn obj(text: &str) -> Object {
        parse_object(text.as_bytes(), &Limits::default()).unwrap()
    }

    #[test]
    fn authentication_result() {
        let r = AuthResponse::from_object(&obj(
            r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer","NewDeviceMetadata":{"DeviceKey":"k","DeviceGroupKey":"g"}},"ChallengeParameters":{}}"#,
        ))
        .unwrap();
        let AuthResponse::Authenticated(r) = r else {
            panic!("expected tokens")
        };
        assert_eq!((r.access_token.as_str(), r.id_token.as_str()), ("a", "i"));
        assert_eq!(r.refresh_token.as_ref().unwrap().expose(), "r");
        assert_eq!(r.expires_in, 3600);
        assert_eq!(r.new_device_metadata.as_ref().unwrap().device_key, "k");
        assert!(!format!("{r:?}").contains("\"r\""));
    }

    #[test]
    fn missing_or_mistyped_fields_are_named() {
        let e = AuthenticationResult::from_object(&obj(r#"{"AccessToken":"a","ExpiresIn":1}"#))
            .unwrap_err();
        assert!(e.to_string().contains("IdToken"), "{e}");
        let e = AuthenticationResult::from_object(&obj(
            r#"{"AccessToken":"a","IdToken":"i","ExpiresIn":"3600"}"#,
        ))
        .unwrap_err();
        assert!(e.to_string().contains("ExpiresIn"), "{e}");
        let e = AuthResponse::from_object(&obj(
            r#"{"ChallengeName":"SMS_MFA","ChallengeParameters":{"X":1}}"#,
        ))
        .unwrap_err();
        assert!(e.to_string().contains("ChallengeParameters.X"), "{e}");
        assert!(AuthResponse::from_object(&obj("{}")).is_err());
        let e =
            SignUpResult::from_object(&obj(r#"{"UserConfirmed":"no","UserSub":"s"}"#)).unwrap_err();
        assert!(e.to_string().contains("UserConfirmed"), "{e}");
    }

    #[test]
    fn challenge() {
        let r = AuthResponse::from_object(&obj(
            r#"{"ChallengeName":"SMS_MFA","ChallengeParameters":{"CODE_DELIVERY_DESTINATION":"+*****1234"},"Session":"S1"}"#,
        ))
        .unwrap();
        let AuthResponse::Challenge(c) = r else {
            panic!("expected a challenge")
        };
        assert_eq!(c.name, "SMS_MFA");
        assert_eq!(c.session.as_deref(), Some("S1"));
        assert_eq!(c.parameter("CODE_DELIVERY_DESTINATION"), Some("+*****1234"));
        assert!(c.required_parameter("NOPE").is_err());
    }

    #[test]
    fn sign_up_and_get_user() {
        let s = SignUpResult::from_object(&obj(
            r#"{"UserConfirmed":false,"UserSub":"sub-1","CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
        ))
        .unwrap();
        assert!(!s.user_confirmed);
        assert_eq!(
            s.code_delivery_details.unwrap().delivery_medium.as_deref(),
            Some("EMAIL")
        );
        let u = UserInfo::from_object(&obj(
            r#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"s"},{"Name":"email","Value":"a@e.com"}],"UserMFASettingList":["SOFTWARE_TOKEN_MFA"],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA"}"#,
        ))
        .unwrap();
        assert_eq!(u.username, "alice");
        assert_eq!(u.attributes[1], ("email".into(), "a@e.com".into()));
        assert_eq!(u.mfa_settings, ["SOFTWARE_TOKEN_MFA"]);
        assert!(UserInfo::from_object(&obj(r#"{"Username":"a","UserAttributes":[1]}"#)).is_err());
    }
}
