//! The JSON boundary: the calls and options JavaScript sends as JSON text, read into [`Op`]s and settings.
//!
//! Integers only: JavaScript numbers arrive as JSON lexemes and are read as whole numbers, so no float parsing
//! reaches the wasm. A value of the wrong type is `InvalidArgument`, naming the field.

use crate::config::{AuthFlow, PoolConfig, RefreshMethod};
use crate::error::{Error, Result, UsageCode};
#[cfg(feature = "flows")]
use crate::flow::{account::SignUpInput, user::UserCall, ConfirmSignInInput};
use crate::json::{self, Object, Value};
use crate::jwt::TokenUse;
#[cfg(feature = "flows")]
use crate::secret::Password;
use crate::text::cat;

use super::ops::Op;
#[cfg(feature = "flows")]
use super::ops::{AutoSignInOptions, SignInSecrets};

/// Cognito requests give up after this long unless `requestTimeoutMs` says otherwise.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 15_000;

/// Largest input document read (user attributes and a JWKS are the large ones).
const MAX_INPUT_BYTES: usize = 256 * 1024;

fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::usage(UsageCode::InvalidArgument, message)
}

/// An input object, with errors that name the field (`signIn input.username is required`).
pub struct Input {
    what: &'static str,
    object: Object,
}

impl Input {
    /// Reads `text` (JSON); `null` reads as an empty object.
    pub fn parse(what: &'static str, text: &str) -> Result<Self> {
        let limits = json::Limits {
            max_bytes: MAX_INPUT_BYTES,
            max_depth: 16,
        };
        let object = match json::parse(text.as_bytes(), &limits) {
            Ok(Value::Object(object)) => object,
            Ok(Value::Null) => Object::new(),
            _ => return Err(invalid(cat(&[what, " must be an object"]))),
        };
        Ok(Input { what, object })
    }

    /// Fails with `InvalidArgument` naming the first member that is not one of `known`: a misspelt or
    /// unsupported option is an error, never silently ignored.
    pub fn only(&self, known: &[&str]) -> Result<()> {
        self.only_among(&[known])
    }

    /// [`Input::only`], the members known being those of all `lists`.
    pub fn only_among(&self, lists: &[&[&str]]) -> Result<()> {
        let known = |key: &str| lists.iter().any(|list| list.contains(&key));
        match self.object.iter().find(|(key, _)| !known(key)) {
            Some((key, _)) => Err(invalid(cat(&[
                self.what,
                " has no member ",
                &crate::jwt::shown(key),
            ]))),
            None => Ok(()),
        }
    }

    /// The nested object `name`, read as an input called `what` (absent or `null` reads as empty), limited to
    /// the members in `known`.
    pub fn nested(&self, name: &str, what: &'static str, known: &[&str]) -> Result<Input> {
        let object = match self.get(name) {
            None => Object::new(),
            Some(Value::Object(object)) => object.clone(),
            Some(_) => return Err(self.wrong(name, "an object")),
        };
        let nested = Input { what, object };
        nested.only(known)?;
        Ok(nested)
    }

    /// The raw member, if present and not `null`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.object.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, name: &str, must: &str) -> Error {
        invalid(cat(&[self.what, ".", name, " must be ", must]))
    }

    /// An optional string.
    pub fn optional_string(&self, name: &str) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(name, "a string")),
        }
    }

    /// A required, non-empty string.
    pub fn string(&self, name: &str) -> Result<String> {
        match self.optional_string(name)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(invalid(cat(&[self.what, ".", name, " is required"]))),
        }
    }

    /// An optional boolean.
    pub fn optional_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(name, "a boolean")),
        }
    }

    /// An optional whole number within `range`.
    pub fn optional_integer(
        &self,
        name: &str,
        range: core::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => match value.as_i64() {
                Some(n) if range.contains(&n) => Ok(Some(n)),
                _ => Err(self.wrong(name, "a whole number in range")),
            },
        }
    }

    /// A string or an array of strings.
    pub fn optional_string_list(&self, name: &str) -> Result<Option<Vec<String>>> {
        let items = match self.get(name) {
            None => return Ok(None),
            Some(Value::String(one)) => return Ok(Some(vec![one.clone()])),
            Some(Value::Array(items)) => items,
            Some(_) => return Err(self.wrong(name, "a string or an array of strings")),
        };
        let mut list = Vec::new();
        for item in items {
            match item {
                Value::String(s) => list.push(s.clone()),
                _ => return Err(self.wrong(name, "a string or an array of strings")),
            }
        }
        Ok(Some(list))
    }

    /// A plain object of string values (client metadata) as JSON, if present.
    pub fn optional_string_object(&self, name: &str) -> Result<Option<Object>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(object))
                if object.iter().all(|(_, v)| matches!(v, Value::String(_))) =>
            {
                Ok(Some(object.clone()))
            }
            Some(_) => Err(self.wrong(name, "an object of string values")),
        }
    }

    /// A plain object of string values (e.g. user attributes), in the object's order; absent reads as empty.
    pub fn optional_string_map(&self, name: &str) -> Result<Vec<(String, String)>> {
        let object = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Value::Object(object)) => object,
            Some(_) => return Err(self.wrong(name, "an object of string values")),
        };
        let mut pairs = Vec::new();
        for (key, value) in object.iter() {
            match value {
                Value::String(value) => pairs.push((key.to_owned(), value.clone())),
                _ => return Err(self.wrong(name, "an object of string values")),
            }
        }
        Ok(pairs)
    }
}

/// The members [`pool_config`] reads.
pub const POOL_OPTIONS: &[&str] = &[
    "userPoolId",
    "clientId",
    "endpoint",
    "issuer",
    "jwksUrl",
    "clockSkewSeconds",
];

/// The pool settings the client and `verifyToken` share ([`POOL_OPTIONS`]). A value `PoolConfig` refuses is
/// `InvalidConfig`.
pub fn pool_config(options: &Input) -> Result<PoolConfig> {
    let mut config = PoolConfig::new(options.string("userPoolId")?, options.string("clientId")?)?;
    if let Some(endpoint) = options.optional_string("endpoint")? {
        config = config.with_endpoint(endpoint)?;
    }
    if let Some(issuers) = options.optional_string_list("issuer")? {
        config = config.with_issuers(issuers)?;
    }
    if let Some(url) = options.optional_string("jwksUrl")? {
        config = config.with_jwks_url(url)?;
    }
    if let Some(skew) = options.optional_integer("clockSkewSeconds", 0..=i64::from(u32::MAX))? {
        config = config.with_clock_skew_secs(skew.unsigned_abs())?;
    }
    Ok(config)
}

/// The client's options (`new CognitoAuth(options)` less `storage`, which the shell opens): the pool settings,
/// `authFlow`, `apiOrigins`, `refreshMethod`, `deviceName` (a new device's `DeviceName`), and the request timeout
/// in milliseconds. Every error is `InvalidConfig`.
pub fn client_options(text: &str) -> Result<(PoolConfig, u32)> {
    let read = || -> Result<(PoolConfig, u32)> {
        let options = Input::parse("CognitoAuth options", text)?;
        options.only_among(&[
            POOL_OPTIONS,
            &[
                "authFlow",
                "apiOrigins",
                "refreshMethod",
                "requestTimeoutMs",
                "deviceName",
            ],
        ])?;
        let mut config = pool_config(&options)?;
        if let Some(flow) = auth_flow(&options, "authFlow")? {
            config = config.with_auth_flow(flow);
        }
        if let Some(origins) = options.optional_string_list("apiOrigins")? {
            config = config.with_api_origins(origins)?;
        }
        if let Some(name) = options.optional_string("deviceName")? {
            config = config.with_device_name(name);
        }
        if let Some(method) = options.optional_string("refreshMethod")? {
            let method =
                match method.as_str() {
                    "REFRESH_TOKEN_AUTH" => RefreshMethod::RefreshTokenAuth,
                    "GetTokensFromRefreshToken" => RefreshMethod::GetTokensFromRefreshToken,
                    _ => return Err(invalid(
                        "refreshMethod must be 'REFRESH_TOKEN_AUTH' or 'GetTokensFromRefreshToken'",
                    )),
                };
            config = config.with_refresh_method(method);
        }
        let timeout = options
            .optional_integer("requestTimeoutMs", 1..=600_000)?
            .map_or(DEFAULT_REQUEST_TIMEOUT_MS, |ms| {
                u32::try_from(ms).unwrap_or(DEFAULT_REQUEST_TIMEOUT_MS)
            });
        Ok((config, timeout))
    };
    read().map_err(|e| match e {
        // Everything wrong with the constructor's options is a configuration error.
        Error::Usage {
            code: UsageCode::InvalidArgument,
            message,
        } => Error::usage(UsageCode::InvalidConfig, message),
        other => other,
    })
}

/// `options.clientMetadata`, the only option of calls that take nothing else there: string values, passed to
/// the pool's Lambda triggers.
#[cfg(feature = "flows")]
fn client_metadata(input: &Input, what: &'static str) -> Result<Option<Object>> {
    input
        .nested("options", what, &["clientMetadata"])?
        .optional_string_object("clientMetadata")
}

/// `USER_AUTH`'s first factors (`preferredChallenge`).
#[cfg(feature = "flows")]
const FIRST_FACTORS: [&str; 5] = [
    "PASSWORD",
    "PASSWORD_SRP",
    "EMAIL_OTP",
    "SMS_OTP",
    "WEB_AUTHN",
];

/// The sign-in flow named by the member `name`, if present.
fn auth_flow(input: &Input, name: &str) -> Result<Option<AuthFlow>> {
    match input.optional_string(name)? {
        None => Ok(None),
        Some(flow) => AuthFlow::from_wire(&flow)
            .map(Some)
            .ok_or_else(|| {
                input.wrong(
                    name,
                    "'USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_WITH_SRP', 'CUSTOM_WITHOUT_SRP' or 'USER_AUTH'",
                )
            }),
    }
}

/// The member `credential`: a `PublicKeyCredential` as JSON (the JS entry's `toJSON()` shape).
#[cfg(feature = "flows")]
fn credential(input: &Input) -> Result<Object> {
    match input.get("credential") {
        Some(Value::Object(credential)) => Ok(credential.clone()),
        _ => Err(input.wrong("credential", "an object")),
    }
}

/// The call's input, limited to the members in `known`.
fn input_of(text: &str, what: &'static str, known: &[&str]) -> Result<Input> {
    let input = Input::parse(what, text)?;
    input.only(known)?;
    Ok(input)
}

fn no_such_method(method: &str) -> Error {
    invalid(cat(&["there is no method ", &crate::jwt::shown(method)]))
}

/// A call by its JavaScript method name, with its input as JSON text. Amplify v6's input shapes: each call
/// takes the members Amplify's does (`options` nested), and no others.
pub fn op_from_json(method: &str, text: &str) -> Result<Op> {
    let input = |what, known: &[&str]| input_of(text, what, known);
    let token = |what, token_use| -> Result<Op> {
        let options = input(what, &["forceRefresh"])?;
        Ok(Op::Token {
            token_use,
            force_refresh: options.optional_bool("forceRefresh")?.unwrap_or(false),
        })
    };
    Ok(match method {
        "signOut" => {
            let global = input("signOut input", &["global"])?
                .optional_bool("global")?
                .unwrap_or(false);
            // The JS entry sends a global sign-out to the flows module.
            #[cfg(not(feature = "flows"))]
            if global {
                return Err(invalid("signOut input.global needs the flows module"));
            }
            Op::SignOut { global }
        }
        "currentUser" => {
            input("currentUser input", &[])?;
            Op::CurrentUser
        }
        "getAccessToken" => token("getAccessToken options", TokenUse::Access)?,
        "getIdToken" => token("getIdToken options", TokenUse::Id)?,
        "fetchToken" => {
            let input = input("fetchToken input", &["url", "pageOrigin", "rejectedToken"])?;
            Op::FetchToken {
                url: input.string("url")?,
                page_origin: input.optional_string("pageOrigin")?,
                rejected: input.optional_string("rejectedToken")?,
            }
        }
        #[cfg(feature = "flows")]
        _ => return flow_op_from_json(method, text),
        #[cfg(not(feature = "flows"))]
        _ => return Err(no_such_method(method)),
    })
}

/// [`op_from_json`] for the sign-up, sign-in, password-reset and account calls (the `flows` feature).
#[cfg(feature = "flows")]
fn flow_op_from_json(method: &str, text: &str) -> Result<Op> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn usage_code(e: Error) -> &'static str {
        match e {
            Error::Usage { code, .. } => code.as_str(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn calls_read_their_inputs() {
        match op_from_json("signIn", r#"{"username":"alice","password":"pw"}"#).unwrap() {
            Op::SignIn {
                username, password, ..
            } => {
                assert_eq!(username, "alice");
                assert_eq!(password.expose(), "pw");
            }
            other => panic!("{other:?}"),
        }
        match op_from_json(
            "fetchToken",
            r#"{"url":"https://a.example/x","pageOrigin":null,"rejectedToken":"t"}"#,
        )
        .unwrap()
        {
            Op::FetchToken {
                url,
                page_origin,
                rejected,
            } => {
                assert_eq!(url, "https://a.example/x");
                assert_eq!(page_origin, None);
                assert_eq!(rejected.as_deref(), Some("t"));
            }
            other => panic!("{other:?}"),
        }
        match op_from_json("getIdToken", "null").unwrap() {
            Op::Token {
                token_use,
                force_refresh,
            } => {
                assert_eq!(token_use, TokenUse::Id);
                assert!(!force_refresh);
            }
            other => panic!("{other:?}"),
        }
    }

    /// The body a call on the signed-in user sends, with the access token `AT`.
    fn user_call_body(method: &str, input: &str) -> String {
        let config = PoolConfig::new("us-east-1_AbC", "c1").unwrap();
        match op_from_json(method, input).unwrap() {
            Op::User(call) => call.request(&config, "AT").body,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn calls_on_the_user_send_amplify_inputs_as_cognito_bodies() {
        for (method, input, body) in [
            (
                "updateUserAttributes",
                r#"{"userAttributes":{"b":"2","a":"1"},"options":{"clientMetadata":{"k":"v"}}}"#,
                r#"{"AccessToken":"AT","UserAttributes":[{"Name":"b","Value":"2"},{"Name":"a","Value":"1"}],"ClientMetadata":{"k":"v"}}"#,
            ),
            (
                "updateUserAttribute",
                r#"{"userAttribute":{"attributeKey":"email","value":"n@x"}}"#,
                r#"{"AccessToken":"AT","UserAttributes":[{"Name":"email","Value":"n@x"}]}"#,
            ),
            (
                "sendUserAttributeVerificationCode",
                r#"{"userAttributeKey":"email"}"#,
                r#"{"AccessToken":"AT","AttributeName":"email"}"#,
            ),
            (
                "confirmUserAttribute",
                r#"{"userAttributeKey":"email","confirmationCode":" 123456 "}"#,
                r#"{"AccessToken":"AT","AttributeName":"email","Code":"123456"}"#,
            ),
            (
                "deleteUserAttributes",
                r#"{"userAttributeKeys":["custom:a","nickname"]}"#,
                r#"{"AccessToken":"AT","UserAttributeNames":["custom:a","nickname"]}"#,
            ),
            ("setUpTOTP", "null", r#"{"AccessToken":"AT"}"#),
            (
                "verifyTOTPSetup",
                r#"{"code":"123456","options":{"friendlyDeviceName":"phone"}}"#,
                r#"{"AccessToken":"AT","UserCode":"123456","FriendlyDeviceName":"phone"}"#,
            ),
            (
                "updateMFAPreference",
                r#"{"totp":"PREFERRED","sms":"DISABLED","email":"NOT_PREFERRED"}"#,
                r#"{"AccessToken":"AT","SMSMfaSettings":{"Enabled":false},"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true},"EmailMfaSettings":{"Enabled":true,"PreferredMfa":false}}"#,
            ),
            ("fetchMFAPreference", "null", r#"{"AccessToken":"AT"}"#),
            (
                "startWebAuthnRegistration",
                "null",
                r#"{"AccessToken":"AT"}"#,
            ),
            (
                "completeWebAuthnRegistration",
                r#"{"credential":{"id":"a2V5","rawId":"a2V5","type":"public-key","response":{"clientDataJSON":"Y2Q","attestationObject":"YW8","transports":["internal"]}}}"#,
                r#"{"AccessToken":"AT","Credential":{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":{},"response":{"clientDataJSON":"Y2Q","attestationObject":"YW8","transports":["internal"]}}}"#,
            ),
            ("listWebAuthnCredentials", "null", r#"{"AccessToken":"AT"}"#),
            (
                "listWebAuthnCredentials",
                r#"{"pageSize":5,"nextToken":"N1"}"#,
                r#"{"AccessToken":"AT","MaxResults":5,"NextToken":"N1"}"#,
            ),
            (
                "deleteWebAuthnCredential",
                r#"{"credentialId":"a2V5"}"#,
                r#"{"AccessToken":"AT","CredentialId":"a2V5"}"#,
            ),
            (
                "updatePassword",
                r#"{"oldPassword":"o","newPassword":"n"}"#,
                r#"{"AccessToken":"AT","PreviousPassword":"o","ProposedPassword":"n"}"#,
            ),
        ] {
            assert_eq!(user_call_body(method, input), body, "{method}");
        }
        for (method, input) in [
            ("updateMFAPreference", r#"{"totp":"ON"}"#),
            ("deleteUserAttributes", r#"{"userAttributeKeys":[]}"#),
            ("updateUserAttribute", r#"{"userAttribute":{"value":"x"}}"#),
            (
                "updateUserAttributes",
                r#"{"userAttributes":{"a":"1"},"options":{"clientMetadata":{"k":1}}}"#,
            ),
            ("confirmUserAttribute", r#"{"userAttributeKey":"email"}"#),
            ("listWebAuthnCredentials", r#"{"pageSize":21}"#),
            ("listWebAuthnCredentials", r#"{"limit":2}"#),
            ("deleteWebAuthnCredential", r#"{"credentialId":""}"#),
            ("completeWebAuthnRegistration", r#"{"credential":"{}"}"#),
            (
                "completeWebAuthnRegistration",
                r#"{"credential":{"id":"a2V5","rawId":"a2V5","type":"public-key","response":{"clientDataJSON":"Y2Q"}}}"#,
            ),
            ("passkeyAssertion", r#"{"credential":null}"#),
            (
                "verifyTOTPSetup",
                r#"{"code":"1","options":{"deviceName":"x"}}"#,
            ),
        ] {
            assert_eq!(
                usage_code(op_from_json(method, input).unwrap_err()),
                "InvalidArgument",
                "{method} {input}"
            );
        }
    }

    #[test]
    fn wrong_inputs_name_the_field() {
        let e = op_from_json("signIn", r#"{"password":"pw"}"#).unwrap_err();
        assert_eq!(e.to_string(), "signIn input.username is required");
        let e = op_from_json("signOut", r#"{"global":"yes"}"#).unwrap_err();
        assert_eq!(e.to_string(), "signOut input.global must be a boolean");
        assert_eq!(
            usage_code(op_from_json("signIn", "[1]").unwrap_err()),
            "InvalidArgument"
        );
        assert_eq!(
            usage_code(op_from_json("nope", "{}").unwrap_err()),
            "InvalidArgument"
        );
        let e = op_from_json("updateUserAttributes", r#"{"userAttributes":{"a":1}}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "updateUserAttributes input.userAttributes must be an object of string values"
        );
    }

    #[test]
    fn inputs_take_amplify_shapes_and_nothing_else() {
        match op_from_json(
            "signUp",
            r#"{"username":"a","password":"p","options":{"userAttributes":{"email":"a@x"},
                "validationData":{"v":"1"},"clientMetadata":{"k":"v"},
                "autoSignIn":{"authFlowType":"USER_PASSWORD_AUTH"}}}"#,
        )
        .unwrap()
        {
            Op::SignUp {
                input,
                auto_sign_in: Some(auto),
            } => {
                assert_eq!(input.attributes, [("email".to_owned(), "a@x".to_owned())]);
                assert_eq!(input.validation_data, [("v".to_owned(), "1".to_owned())]);
                assert_eq!(
                    input.client_metadata.map(|o| o.to_json()).as_deref(),
                    Some(r#"{"k":"v"}"#)
                );
                assert_eq!(auto.flow, Some(AuthFlow::UserPassword));
            }
            other => panic!("{other:?}"),
        }
        for (auto, wanted) in [("true", true), ("false", false), ("null", false)] {
            let op = op_from_json(
                "signUp",
                &format!(r#"{{"username":"a","password":"p","options":{{"autoSignIn":{auto}}}}}"#),
            )
            .unwrap();
            assert!(
                matches!(op, Op::SignUp { auto_sign_in, .. } if auto_sign_in.is_some() == wanted),
                "{auto}"
            );
        }
        match op_from_json(
            "signIn",
            r#"{"username":"a","password":"p","options":{"authFlowType":"USER_PASSWORD_AUTH"}}"#,
        )
        .unwrap()
        {
            Op::SignIn { flow, .. } => assert_eq!(flow, Some(AuthFlow::UserPassword)),
            other => panic!("{other:?}"),
        }
        match op_from_json(
            "confirmSignIn",
            r#"{"challengeResponse":"x","options":{"userAttributes":{"name":"A"}}}"#,
        )
        .unwrap()
        {
            Op::ConfirmSignIn { input, .. } => {
                assert_eq!(input.user_attributes, [("name".to_owned(), "A".to_owned())])
            }
            other => panic!("{other:?}"),
        }
        match op_from_json(
            "confirmSignUp",
            r#"{"username":"a","confirmationCode":"123"}"#,
        )
        .unwrap()
        {
            Op::ConfirmSignUp { code, .. } => assert_eq!(code, "123"),
            other => panic!("{other:?}"),
        }
        for (method, input, message) in [
            (
                "signUp",
                r#"{"username":"a","password":"p","attributes":{"email":"a@x"}}"#,
                r#"signUp input has no member "attributes""#,
            ),
            (
                "confirmSignUp",
                r#"{"username":"a","code":"1"}"#,
                r#"confirmSignUp input has no member "code""#,
            ),
            (
                "signIn",
                r#"{"username":"a","password":"p","options":{"preferedChallenge":"EMAIL_OTP"}}"#,
                r#"signIn input.options has no member "preferedChallenge""#,
            ),
            (
                "signIn",
                r#"{"username":"a","options":{"preferredChallenge":"EMAIL_OTP"}}"#,
                "signIn input.options.preferredChallenge needs authFlowType 'USER_AUTH'",
            ),
            (
                "signIn",
                r#"{"username":"a","options":{"authFlowType":"USER_AUTH","preferredChallenge":"MAGIC"}}"#,
                "signIn input.options.preferredChallenge must be 'PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP' or 'WEB_AUTHN'",
            ),
            (
                "signIn",
                r#"{"username":"a","password":"p","options":{"authFlowType":"MAGIC_LINK"}}"#,
                "signIn input.options.authFlowType must be 'USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_WITH_SRP', 'CUSTOM_WITHOUT_SRP' or 'USER_AUTH'",
            ),
            (
                "signIn",
                r#"{"username":"a","password":"p","options":"fast"}"#,
                "signIn input.options must be an object",
            ),
            (
                "confirmSignIn",
                r#"{"challengeResponse":"x","userAttributes":{}}"#,
                r#"confirmSignIn input has no member "userAttributes""#,
            ),
            (
                "getAccessToken",
                r#"{"forceRefersh":true}"#,
                r#"getAccessToken options has no member "forceRefersh""#,
            ),
            (
                "currentUser",
                r#"{"x":1}"#,
                r#"currentUser input has no member "x""#,
            ),
        ] {
            let e = op_from_json(method, input).unwrap_err();
            assert_eq!(e.to_string(), message, "{method} {input}");
            assert_eq!(usage_code(e), "InvalidArgument");
        }
        let e = client_options(r#"{"userPoolId":"us-east-1_AbC","userPoolClientId":"c1"}"#)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"CognitoAuth options has no member "userPoolClientId""#
        );
        assert_eq!(usage_code(e), "InvalidConfig");
    }

    #[test]
    fn options_are_read_with_integers_only() {
        let (config, timeout) = client_options(
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","clockSkewSeconds":120,"requestTimeoutMs":2500,
                "authFlow":"USER_PASSWORD_AUTH","issuer":["https://a","https://b"]}"#,
        )
        .unwrap();
        assert_eq!(config.clock_skew_secs(), 120);
        assert_eq!(timeout, 2500);
        assert_eq!(config.auth_flow(), AuthFlow::UserPassword);
        assert_eq!(config.issuers(), ["https://a", "https://b"]);
        assert!(config.api_origins().is_empty());
        let (config, _) = client_options(
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","apiOrigins":["https://API.example.com/","http://[::1]:8080"]}"#,
        )
        .unwrap();
        assert_eq!(
            config.api_origins(),
            ["https://api.example.com", "http://[::1]:8080"]
        );
        for bad in [
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","clockSkewSeconds":1.5}"#,
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","requestTimeoutMs":0}"#,
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","authFlow":"CUSTOM"}"#,
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","apiOrigins":["http://api.example.com"]}"#,
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","apiOrigins":["https://a.example/v1"]}"#,
            r#"{"userPoolId":"us-east-1_AbC","clientId":"c1","apiOrigins":[1]}"#,
            r#"{"userPoolId":"nope","clientId":"c1"}"#,
            r#"{"clientId":"c1"}"#,
            "7",
        ] {
            assert_eq!(
                usage_code(client_options(bad).unwrap_err()),
                "InvalidConfig",
                "{bad}"
            );
        }
    }
}
