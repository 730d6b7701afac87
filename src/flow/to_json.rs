//! The objects JavaScript sees, as JSON text for `JSON.parse`.
//!
//! The core's own JSON writer, read with `JSON.parse` on the JavaScript side: far less wasm than building
//! JavaScript values field by field. Keys and their order follow the types' `Serialize` derives (a test keeps
//! them equal); absent options are left out (`undefined`).

use super::outputs::{ResetPasswordOutput, SignInOutput, SignUpOutput};
#[cfg(feature = "flows")]
use super::user::{DeviceOutput, UserOutput};
use crate::cognito::CodeDeliveryDetails;
use crate::json::{Object, Value};
use crate::session::CurrentUser;

/// A value as the JSON object JavaScript gets.
pub(crate) trait ToJson {
    /// The object, members in field order.
    fn to_json_object(&self) -> Object;
}

/// Sets `key` only when there is a value.
fn put_some(object: &mut Object, key: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        object.insert(key, value);
    }
}

fn strings(list: &[String]) -> Vec<Value> {
    list.iter().map(Value::from).collect()
}

impl ToJson for CodeDeliveryDetails {
    fn to_json_object(&self) -> Object {
        let mut o = Object::new();
        put_some(&mut o, "destination", self.destination.as_deref());
        put_some(&mut o, "deliveryMedium", self.delivery_medium.as_deref());
        put_some(&mut o, "attributeName", self.attribute_name.as_deref());
        o
    }
}

fn code_delivery(details: Option<&CodeDeliveryDetails>) -> Option<Object> {
    details.map(ToJson::to_json_object)
}

impl ToJson for SignInOutput {
    fn to_json_object(&self) -> Object {
        let step = &self.next_step;
        let mut next = Object::new().with("signInStep", step.sign_in_step.as_str());
        put_some(
            &mut next,
            "missingAttributes",
            step.missing_attributes.as_deref().map(strings),
        );
        put_some(
            &mut next,
            "codeDeliveryDetails",
            code_delivery(step.code_delivery_details.as_ref()),
        );
        put_some(
            &mut next,
            "allowedMFATypes",
            step.allowed_mfa_types.as_deref().map(strings),
        );
        put_some(
            &mut next,
            "totpSetupDetails",
            step.totp_setup_details
                .as_ref()
                .map(|t| Object::new().with("sharedSecret", t.shared_secret.as_str())),
        );
        put_some(
            &mut next,
            "availableChallenges",
            step.available_challenges.as_deref().map(strings),
        );
        put_some(
            &mut next,
            "additionalInfo",
            step.additional_info.as_ref().map(|pairs| {
                let mut info = Object::new();
                // `__proto__` is skipped as before: assigning a string to it on a JavaScript object does nothing.
                for (name, value) in pairs.iter().filter(|(name, _)| name != "__proto__") {
                    info.insert(name.as_str(), value.as_str());
                }
                info
            }),
        );
        put_some(
            &mut next,
            "credentialRequestOptions",
            step.credential_request_options.clone(),
        );
        Object::new()
            .with("isSignedIn", self.is_signed_in)
            .with("nextStep", next)
    }
}

impl ToJson for SignUpOutput {
    fn to_json_object(&self) -> Object {
        let mut o = Object::new().with("isSignUpComplete", self.is_sign_up_complete);
        put_some(&mut o, "userId", self.user_id.as_deref());
        let mut next = Object::new().with("signUpStep", self.next_step.sign_up_step.as_str());
        put_some(
            &mut next,
            "codeDeliveryDetails",
            code_delivery(self.next_step.code_delivery_details.as_ref()),
        );
        o.with("nextStep", next)
    }
}

impl ToJson for ResetPasswordOutput {
    fn to_json_object(&self) -> Object {
        let step = &self.next_step;
        let mut next = Object::new().with("resetPasswordStep", step.reset_password_step.as_str());
        put_some(
            &mut next,
            "codeDeliveryDetails",
            code_delivery(step.code_delivery_details.as_ref()),
        );
        Object::new()
            .with("isPasswordReset", self.is_password_reset)
            .with("nextStep", next)
    }
}

impl ToJson for CurrentUser {
    fn to_json_object(&self) -> Object {
        let mut o = Object::new()
            .with("username", self.username.as_str())
            .with("userId", self.user_id.as_str());
        put_some(&mut o, "email", self.email.as_deref());
        o.with("groups", strings(&self.groups))
            .with("expiresAt", self.expires_at)
            .with("claims", self.claims.0.clone())
    }
}

/// Amplify's per-attribute `{ isUpdated, nextStep: { updateAttributeStep, codeDeliveryDetails? } }`.
#[cfg(feature = "flows")]
fn attribute_update(delivery: Option<&CodeDeliveryDetails>) -> Object {
    let mut next_step = Object::new().with(
        "updateAttributeStep",
        if delivery.is_some() {
            "CONFIRM_ATTRIBUTE_WITH_CODE"
        } else {
            "DONE"
        },
    );
    put_some(
        &mut next_step,
        "codeDeliveryDetails",
        code_delivery(delivery),
    );
    Object::new()
        .with("isUpdated", delivery.is_none())
        .with("nextStep", next_step)
}

/// Amplify's `AWSAuthDevice`, its dates in milliseconds (the JavaScript side makes them `Date`s).
#[cfg(feature = "flows")]
fn device(device: &DeviceOutput) -> Object {
    let mut attributes = Object::new();
    for (name, value) in &device.attributes {
        attributes.insert(name.as_str(), value.as_str());
    }
    let mut o = Object::new().with("id", device.id.as_str());
    put_some(&mut o, "name", device.name.as_deref());
    o.insert("attributes", attributes);
    put_some(&mut o, "createDate", device.create_date);
    put_some(
        &mut o,
        "lastAuthenticatedDate",
        device.last_authenticated_date,
    );
    put_some(&mut o, "lastModifiedDate", device.last_modified_date);
    o
}

#[cfg(feature = "flows")]
impl UserOutput {
    /// The value JavaScript gets, as JSON text (`null` for nothing).
    pub(crate) fn to_json(&self) -> String {
        let object = match self {
            UserOutput::Done | UserOutput::UserDeleted => return "null".to_owned(),
            UserOutput::Devices(devices) => {
                return Value::Array(devices.iter().map(|d| Value::Object(device(d))).collect())
                    .to_json()
            }
            UserOutput::Attributes(pairs) => {
                let mut o = Object::new();
                for (name, value) in pairs {
                    o.insert(name.as_str(), value.as_str());
                }
                o
            }
            UserOutput::AttributeUpdates(updates) => {
                let mut o = Object::new();
                for (name, delivery) in updates {
                    o.insert(name.as_str(), attribute_update(delivery.as_ref()));
                }
                o
            }
            UserOutput::AttributeUpdate(delivery) => attribute_update(delivery.as_ref()),
            UserOutput::CodeDelivery(details) => details.to_json_object(),
            UserOutput::TotpSetup { shared_secret } => {
                Object::new().with("sharedSecret", shared_secret.as_str())
            }
            UserOutput::MfaPreference { preferred, enabled } => {
                let mut o = Object::new();
                put_some(&mut o, "preferred", *preferred);
                put_some(
                    &mut o,
                    "enabled",
                    enabled.as_ref().map(|list| {
                        list.iter()
                            .map(|&name| Value::from(name))
                            .collect::<Vec<_>>()
                    }),
                );
                o
            }
            UserOutput::CredentialCreationOptions(options) => options.clone(),
            UserOutput::WebAuthnCredentials {
                credentials,
                next_token,
            } => {
                let list = credentials
                    .iter()
                    .map(|c| {
                        let mut o = Object::new().with("credentialId", c.credential_id.as_str());
                        put_some(
                            &mut o,
                            "friendlyCredentialName",
                            c.friendly_credential_name.as_deref(),
                        );
                        put_some(&mut o, "relyingPartyId", c.relying_party_id.as_deref());
                        put_some(
                            &mut o,
                            "authenticatorAttachment",
                            c.authenticator_attachment.as_deref(),
                        );
                        o.insert(
                            "authenticatorTransports",
                            strings(&c.authenticator_transports),
                        );
                        put_some(&mut o, "createdAt", c.created_at.clone());
                        Value::Object(o)
                    })
                    .collect::<Vec<_>>();
                let mut o = Object::new().with("credentials", list);
                put_some(&mut o, "nextToken", next_token.as_deref());
                o
            }
        };
        object.to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{
        ResetPasswordNextStep, ResetPasswordStep, SignInNextStep, SignInStep, SignUpNextStep,
        SignUpStep, TotpSetupDetails,
    };
    use crate::session::Claims;

    /// The JSON text of a value's `Serialize` derive: what Rust users of the types get, which the objects
    /// JavaScript gets must match.
    fn serde_text<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    /// Both encodings of `value`, checked equal.
    fn both<T: ToJson + serde::Serialize>(value: &T) -> String {
        let ours = value.to_json_object().to_json();
        assert_eq!(ours, serde_text(value));
        ours
    }

    fn delivery() -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            destination: Some("a***@e***.com".into()),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: None,
        }
    }

    #[test]
    fn sign_in_outputs() {
        assert_eq!(
            both(&SignInOutput::done()),
            r#"{"isSignedIn":true,"nextStep":{"signInStep":"DONE"}}"#
        );
        let mut step = SignInNextStep::new(SignInStep::ConfirmSignInWithCustomChallenge);
        step.missing_attributes = Some(vec!["email".into()]);
        step.code_delivery_details = Some(delivery());
        step.allowed_mfa_types = Some(vec!["TOTP".into(), "SMS".into()]);
        step.totp_setup_details = Some(TotpSetupDetails {
            shared_secret: "S3CR3T".into(),
        });
        step.additional_info = Some(vec![
            ("b".into(), "1".into()),
            ("__proto__".into(), "p".into()),
            ("a".into(), "\"x\"".into()),
        ]);
        assert_eq!(
            SignInOutput::pending(step).to_json_object().to_json(),
            concat!(
                r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE","#,
                r#""missingAttributes":["email"],"#,
                r#""codeDeliveryDetails":{"destination":"a***@e***.com","deliveryMedium":"EMAIL"},"#,
                r#""allowedMFATypes":["TOTP","SMS"],"totpSetupDetails":{"sharedSecret":"S3CR3T"},"#,
                r#""additionalInfo":{"b":"1","a":"\"x\""}}}"#
            )
        );
        let mut same = SignInNextStep::new(SignInStep::ConfirmSignInWithCustomChallenge);
        same.missing_attributes = Some(vec!["email".into()]);
        same.code_delivery_details = Some(delivery());
        same.allowed_mfa_types = Some(vec!["TOTP".into(), "SMS".into()]);
        same.additional_info = Some(vec![("b".into(), "1".into()), ("a".into(), "\"x\"".into())]);
        both(&SignInOutput::pending(same));
        let mut empty = SignInNextStep::new(SignInStep::ContinueSignInWithMfaSelection);
        empty.allowed_mfa_types = Some(Vec::new());
        empty.additional_info = Some(Vec::new());
        assert_eq!(
            both(&SignInOutput::pending(empty)),
            r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONTINUE_SIGN_IN_WITH_MFA_SELECTION","allowedMFATypes":[],"additionalInfo":{}}}"#
        );
    }

    #[test]
    fn sign_up_and_reset_outputs() {
        let out = SignUpOutput {
            is_sign_up_complete: false,
            user_id: Some("sub-1".into()),
            next_step: SignUpNextStep {
                sign_up_step: SignUpStep::ConfirmSignUp,
                code_delivery_details: Some(delivery()),
            },
        };
        assert_eq!(
            both(&out),
            r#"{"isSignUpComplete":false,"userId":"sub-1","nextStep":{"signUpStep":"CONFIRM_SIGN_UP","codeDeliveryDetails":{"destination":"a***@e***.com","deliveryMedium":"EMAIL"}}}"#
        );
        let done = SignUpOutput {
            is_sign_up_complete: true,
            user_id: None,
            next_step: SignUpNextStep {
                sign_up_step: SignUpStep::Done,
                code_delivery_details: None,
            },
        };
        assert_eq!(
            both(&done),
            r#"{"isSignUpComplete":true,"nextStep":{"signUpStep":"DONE"}}"#
        );
        let reset = ResetPasswordOutput {
            is_password_reset: false,
            next_step: ResetPasswordNextStep {
                reset_password_step: ResetPasswordStep::ConfirmResetPasswordWithCode,
                code_delivery_details: Some(CodeDeliveryDetails::default()),
            },
        };
        assert_eq!(
            both(&reset),
            r#"{"isPasswordReset":false,"nextStep":{"resetPasswordStep":"CONFIRM_RESET_PASSWORD_WITH_CODE","codeDeliveryDetails":{}}}"#
        );
    }

    #[test]
    fn current_user() {
        let claims = crate::json::parse_object(
            br#"{"sub":"u1","exp":1700000000,"ratio":1.5,"cognito:groups":["g"]}"#,
            &crate::json::Limits::default(),
        )
        .unwrap();
        let mut user = CurrentUser {
            username: "alice".into(),
            user_id: "u1".into(),
            email: None,
            groups: vec!["g".into()],
            claims: Claims(claims),
            expires_at: 1_700_000_000_000,
        };
        assert_eq!(
            both(&user),
            concat!(
                r#"{"username":"alice","userId":"u1","groups":["g"],"expiresAt":1700000000000,"#,
                r#""claims":{"sub":"u1","exp":1700000000,"ratio":1.5,"cognito:groups":["g"]}}"#
            )
        );
        user.email = Some("a@example.com".into());
        assert!(both(&user)
            .starts_with(r#"{"username":"alice","userId":"u1","email":"a@example.com","groups":"#));
    }
}
