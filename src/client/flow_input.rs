//! The JSON inputs of the sign-up, sign-in, password-reset and account calls: [`input`](super::input)'s
//! [`op_from_json`](super::input::op_from_json) for the calls of the flows module (the `flows` feature).

use super::input::{auth_flow, input_of, invalid, no_such_method, Input};
use super::ops::Op;
use super::sign_in_secrets::SignInSecrets;
use super::sign_up::AutoSignInOptions;
use crate::config::AuthFlow;
use crate::error::Result;
use crate::flow::{account::SignUpInput, user::UserCall, ConfirmSignInInput};
use crate::json::{Object, Value};
use crate::secret::Password;

/// `options.clientMetadata`, the only option of calls that take nothing else there: string values, passed to
/// the pool's Lambda triggers.
fn client_metadata(input: &Input, what: &'static str) -> Result<Option<Object>> {
    input
        .nested("options", what, &["clientMetadata"])?
        .optional_string_object("clientMetadata")
}

/// `USER_AUTH`'s first factors (`preferredChallenge`).
const FIRST_FACTORS: [&str; 5] = [
    "PASSWORD",
    "PASSWORD_SRP",
    "EMAIL_OTP",
    "SMS_OTP",
    "WEB_AUTHN",
];

/// The member `credential`: a `PublicKeyCredential` as JSON (the JS entry's `toJSON()` shape).
fn credential(input: &Input) -> Result<Object> {
    match input.get("credential") {
        Some(Value::Object(credential)) => Ok(credential.clone()),
        _ => Err(input.wrong("credential", "an object")),
    }
}

/// [`op_from_json`] for the sign-up, sign-in, password-reset and account calls (the `flows` feature).
pub(super) fn flow_op_from_json(method: &str, text: &str) -> Result<Op> {
    let input = |what, known: &[&str]| input_of(text, what, known);
    Ok(match method {
        "signUp" => {
            let input = input("signUp input", &["username", "password", "options"])?;
            let options = input.nested(
                "options",
                "signUp input.options",
                &[
                    "userAttributes",
                    "validationData",
                    "clientMetadata",
                    "autoSignIn",
                ],
            )?;
            let auto_sign_in = match options.get("autoSignIn") {
                None | Some(Value::Bool(false)) => None,
                Some(Value::Bool(true)) => Some(AutoSignInOptions::default()),
                Some(Value::Object(_)) => {
                    let auto = options.nested(
                        "autoSignIn",
                        "signUp input.options.autoSignIn",
                        &["authFlowType", "clientMetadata"],
                    )?;
                    Some(AutoSignInOptions {
                        flow: auth_flow(&auto, "authFlowType")?,
                        client_metadata: auto.optional_string_object("clientMetadata")?,
                    })
                }
                Some(_) => return Err(options.wrong("autoSignIn", "a boolean or an object")),
            };
            Op::SignUp {
                input: SignUpInput {
                    username: input.string("username")?,
                    // None for a password-less user (a pool with email or SMS codes as first factor).
                    password: Password::new(input.optional_string("password")?.unwrap_or_default()),
                    attributes: options.optional_string_map("userAttributes")?,
                    validation_data: options.optional_string_map("validationData")?,
                    client_metadata: options.optional_string_object("clientMetadata")?,
                },
                auto_sign_in,
            }
        }
        "confirmSignUp" => {
            let input = input(
                "confirmSignUp input",
                &["username", "confirmationCode", "options"],
            )?;
            let options = input.nested(
                "options",
                "confirmSignUp input.options",
                &["clientMetadata", "forceAliasCreation"],
            )?;
            Op::ConfirmSignUp {
                username: input.string("username")?,
                code: input.string("confirmationCode")?,
                force_alias_creation: options.optional_bool("forceAliasCreation")?,
                client_metadata: options.optional_string_object("clientMetadata")?,
            }
        }
        "resendSignUpCode" => {
            let input = input("resendSignUpCode input", &["username", "options"])?;
            Op::ResendSignUpCode {
                client_metadata: client_metadata(&input, "resendSignUpCode input.options")?,
                username: input.string("username")?,
            }
        }
        "autoSignIn" => {
            input("autoSignIn input", &[])?;
            Op::AutoSignIn {
                secrets: SignInSecrets::zeroed(),
            }
        }
        "signIn" => {
            let input = input("signIn input", &["username", "password", "options"])?;
            let options = input.nested(
                "options",
                "signIn input.options",
                &["authFlowType", "clientMetadata", "preferredChallenge"],
            )?;
            let flow = auth_flow(&options, "authFlowType")?;
            let preferred_challenge = options.optional_string("preferredChallenge")?;
            if let Some(challenge) = &preferred_challenge {
                if flow != Some(AuthFlow::UserAuth) {
                    return Err(invalid(
                        "signIn input.options.preferredChallenge needs authFlowType 'USER_AUTH'",
                    ));
                }
                if !FIRST_FACTORS.contains(&challenge.as_str()) {
                    return Err(options.wrong(
                        "preferredChallenge",
                        "'PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP' or 'WEB_AUTHN'",
                    ));
                }
            }
            // Password-less flows take none; the others check it is there when they start.
            let password = input.optional_string("password")?.unwrap_or_default();
            Op::SignIn {
                username: input.string("username")?,
                password: Password::new(password),
                flow,
                client_metadata: options.optional_string_object("clientMetadata")?,
                preferred_challenge,
                secrets: SignInSecrets::zeroed(),
            }
        }
        "confirmSignIn" => {
            let input = input("confirmSignIn input", &["challengeResponse", "options"])?;
            let options = input.nested(
                "options",
                "confirmSignIn input.options",
                &["userAttributes", "clientMetadata", "friendlyDeviceName"],
            )?;
            Op::ConfirmSignIn {
                input: ConfirmSignInInput {
                    challenge_response: input.string("challengeResponse")?,
                    user_attributes: options.optional_string_map("userAttributes")?,
                    friendly_device_name: options.optional_string("friendlyDeviceName")?,
                    client_metadata: options.optional_string_object("clientMetadata")?,
                    credential: None,
                },
                secrets: SignInSecrets::zeroed(),
            }
        }
        // The JS entry's half of a passkey sign-in: the assertion `navigator.credentials.get` made.
        "passkeyAssertion" => Op::ConfirmSignIn {
            input: ConfirmSignInInput {
                credential: Some(credential(&input(
                    "passkeyAssertion input",
                    &["credential"],
                )?)?),
                ..ConfirmSignInInput::default()
            },
            secrets: SignInSecrets::zeroed(),
        },
        // `associateWebAuthnCredential` is these two around `navigator.credentials.create` in the JS entry.
        "startWebAuthnRegistration" => {
            input("startWebAuthnRegistration input", &[])?;
            Op::User(UserCall::start_web_authn_registration())
        }
        "completeWebAuthnRegistration" => {
            let input = input("completeWebAuthnRegistration input", &["credential"])?;
            Op::User(UserCall::complete_web_authn_registration(&credential(
                &input,
            )?)?)
        }
        "listWebAuthnCredentials" => {
            let input = input("listWebAuthnCredentials input", &["pageSize", "nextToken"])?;
            Op::User(UserCall::list_web_authn_credentials(
                input.optional_integer("pageSize", 0..=20)?,
                input.optional_string("nextToken")?.as_deref(),
            )?)
        }
        // `signInWithRedirect`'s input and the page's URL, from the JS entry.
        "signInWithRedirect" => {
            let call = input("signInWithRedirect call", &["input", "pageUrl"])?;
            let redirect = call.nested(
                "input",
                "signInWithRedirect input",
                crate::flow::oauth::SIGN_IN_WITH_REDIRECT_INPUT,
            )?;
            Op::SignInWithRedirect {
                input: Box::new(crate::flow::oauth::RedirectSignInInput::from_input(
                    &redirect,
                )?),
                page_url: call.optional_string("pageUrl")?,
                secrets: None,
            }
        }
        "completeSignInWithRedirect" => Op::CompleteSignInWithRedirect {
            url: input("completeSignInWithRedirect input", &["url"])?.string("url")?,
        },
        "deleteWebAuthnCredential" => {
            let input = input("deleteWebAuthnCredential input", &["credentialId"])?;
            Op::User(UserCall::delete_web_authn_credential(
                &input.string("credentialId")?,
            )?)
        }
        "resetPassword" => {
            let input = input("resetPassword input", &["username", "options"])?;
            Op::ResetPassword {
                client_metadata: client_metadata(&input, "resetPassword input.options")?,
                username: input.string("username")?,
            }
        }
        "confirmResetPassword" => {
            let input = input(
                "confirmResetPassword input",
                &["username", "confirmationCode", "newPassword", "options"],
            )?;
            Op::ConfirmResetPassword {
                client_metadata: client_metadata(&input, "confirmResetPassword input.options")?,
                username: input.string("username")?,
                code: input.string("confirmationCode")?,
                new_password: Password::new(input.string("newPassword")?),
            }
        }
        "updatePassword" => {
            let input = input("updatePassword input", &["oldPassword", "newPassword"])?;
            Op::User(UserCall::update_password(
                &Password::new(input.string("oldPassword")?),
                &Password::new(input.string("newPassword")?),
            )?)
        }
        "fetchUserAttributes" => {
            input("fetchUserAttributes input", &[])?;
            Op::User(UserCall::fetch_user_attributes())
        }
        "updateUserAttributes" => {
            let input = input("updateUserAttributes input", &["userAttributes", "options"])?;
            let metadata = client_metadata(&input, "updateUserAttributes input.options")?;
            let attributes = input.optional_string_map("userAttributes")?;
            if attributes.is_empty() {
                return Err(invalid(
                    "updateUserAttributes input.userAttributes is required",
                ));
            }
            Op::User(UserCall::update_user_attributes(
                &attributes,
                metadata.as_ref(),
                false,
            )?)
        }
        "updateUserAttribute" => {
            let input = input("updateUserAttribute input", &["userAttribute", "options"])?;
            let metadata = client_metadata(&input, "updateUserAttribute input.options")?;
            let attribute = input.nested(
                "userAttribute",
                "updateUserAttribute input.userAttribute",
                &["attributeKey", "value"],
            )?;
            let pair = (
                attribute.string("attributeKey")?,
                attribute.optional_string("value")?.unwrap_or_default(),
            );
            Op::User(UserCall::update_user_attributes(
                &[pair],
                metadata.as_ref(),
                true,
            )?)
        }
        "sendUserAttributeVerificationCode" => {
            let input = input(
                "sendUserAttributeVerificationCode input",
                &["userAttributeKey", "options"],
            )?;
            let metadata =
                client_metadata(&input, "sendUserAttributeVerificationCode input.options")?;
            Op::User(UserCall::send_user_attribute_verification_code(
                &input.string("userAttributeKey")?,
                metadata.as_ref(),
            )?)
        }
        "confirmUserAttribute" => {
            let input = input(
                "confirmUserAttribute input",
                &["userAttributeKey", "confirmationCode"],
            )?;
            Op::User(UserCall::confirm_user_attribute(
                &input.string("userAttributeKey")?,
                &input.string("confirmationCode")?,
            )?)
        }
        "deleteUserAttributes" => {
            let input = input("deleteUserAttributes input", &["userAttributeKeys"])?;
            let names = input
                .optional_string_list("userAttributeKeys")?
                .unwrap_or_default();
            Op::User(UserCall::delete_user_attributes(&names)?)
        }
        "setUpTOTP" => {
            input("setUpTOTP input", &[])?;
            Op::User(UserCall::set_up_totp())
        }
        "verifyTOTPSetup" => {
            let input = input("verifyTOTPSetup input", &["code", "options"])?;
            let options = input.nested(
                "options",
                "verifyTOTPSetup input.options",
                &["friendlyDeviceName"],
            )?;
            Op::User(UserCall::verify_totp_setup(
                &input.string("code")?,
                options.optional_string("friendlyDeviceName")?.as_deref(),
            )?)
        }
        "updateMFAPreference" => {
            let input = input("updateMFAPreference input", &["sms", "totp", "email"])?;
            Op::User(UserCall::update_mfa_preference(
                input.optional_string("sms")?.as_deref(),
                input.optional_string("totp")?.as_deref(),
                input.optional_string("email")?.as_deref(),
            )?)
        }
        "fetchMFAPreference" => {
            input("fetchMFAPreference input", &[])?;
            Op::User(UserCall::fetch_mfa_preference())
        }
        "deleteUser" => {
            input("deleteUser input", &[])?;
            Op::User(UserCall::delete_user())
        }
        "rememberDevice" => {
            input("rememberDevice input", &[])?;
            Op::User(UserCall::remember_device())
        }
        "forgetDevice" => {
            let input = input("forgetDevice input", &["device"])?;
            let device = input.nested("device", "forgetDevice input.device", &["id"])?;
            let id = match input.get("device") {
                None => None,
                Some(_) => Some(device.string("id")?),
            };
            Op::User(UserCall::forget_device(id.as_deref())?)
        }
        "fetchDevices" => {
            input("fetchDevices input", &[])?;
            Op::User(UserCall::fetch_devices())
        }
        _ => return Err(no_such_method(method)),
    })
}
