//! The JSON boundary: the calls and options JavaScript sends as JSON text, read into [`Op`]s and settings.
//!
//! Integers only: JavaScript numbers arrive as JSON lexemes and are read as whole numbers, so no float parsing
//! reaches the wasm. A value of the wrong type is `InvalidArgument`, naming the field.

use crate::config::{AuthFlow, PoolConfig, RefreshMethod};
use crate::error::{Error, Result, UsageCode};
use crate::json::{self, Object, Value};
use crate::jwt::TokenUse;
use crate::text::cat;

use super::ops::Op;

/// Cognito requests give up after this long unless `requestTimeoutMs` says otherwise.
pub const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 15_000;

/// Largest input document read (user attributes and a JWKS are the large ones).
const MAX_INPUT_BYTES: usize = 256 * 1024;

pub(super) fn invalid(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
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

    /// `InvalidArgument`: `{what}.{name} must be {must}`.
    pub(crate) fn wrong(&self, name: &str, must: &str) -> Error {
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
                // Read by the flows module only (managed login runs there).
                "oauth",
            ],
        ])?;
        let mut config = pool_config(&options)?;
        if let Some(flow) = auth_flow(&options, "authFlow")? {
            config = config.with_auth_flow(flow);
        }
        if let Some(origins) = options.optional_string_list("apiOrigins")? {
            config = config.with_api_origins(origins)?;
        }
        #[cfg(feature = "flows")]
        if options.get("oauth").is_some() {
            let oauth = options.nested(
                "oauth",
                "CognitoAuth options.oauth",
                crate::flow::oauth::OAUTH_OPTIONS,
            )?;
            config = config.with_oauth(crate::flow::oauth::OAuthConfig::from_input(&oauth)?);
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

/// The sign-in flow named by the member `name`, if present.
pub(super) fn auth_flow(input: &Input, name: &str) -> Result<Option<AuthFlow>> {
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

/// The call's input, limited to the members in `known`.
pub(super) fn input_of(text: &str, what: &'static str, known: &[&str]) -> Result<Input> {
    let input = Input::parse(what, text)?;
    input.only(known)?;
    Ok(input)
}

pub(super) fn no_such_method(method: &str) -> Error {
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
        _ => return super::flow_input::flow_op_from_json(method, text),
        #[cfg(not(feature = "flows"))]
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
