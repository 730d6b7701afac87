//! One-request operations (sign-up, password reset, attributes, sign-out, refresh): exact bodies, and
//! the exact JSON shapes the outputs take in JavaScript.

use cognito_wasm::cognito::HttpResponse;
use cognito_wasm::config::RefreshMethod;
use cognito_wasm::flow::account::{self, SignUpInput};
use cognito_wasm::flow::user::{UserCall, UserOutput};
use cognito_wasm::flow::CodeDeliveryDetails;
use cognito_wasm::flow::{SignInNextStep, SignInOutput, SignInStep};
use cognito_wasm::json::{self, Limits, Object};
use cognito_wasm::secret::{ClientSecret, Password, RefreshToken};
use cognito_wasm::session::Claims;
use cognito_wasm::PoolConfig;

/// The JSON of an output's `Serialize` derive (which the objects JavaScript gets are checked against in
/// `src/flow/to_json.rs`).
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}
fn config() -> PoolConfig {
    PoolConfig::new("us-east-1_AbCdEfGhI", "client1").unwrap()
}

fn ok(body: &str) -> HttpResponse {
    HttpResponse::json(200, body)
}

#[test]
fn sign_up_request_and_output() {
    let input = SignUpInput {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        attributes: vec![("email".into(), "a@example.com".into())],
        ..SignUpInput::default()
    };
    let request = account::sign_up_request(&config(), &input).unwrap();
    assert_eq!(
        request.target(),
        Some("AWSCognitoIdentityProviderService.SignUp")
    );
    assert_eq!(
        request.body,
        r#"{"ClientId":"client1","Username":"alice","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#
    );
    let output = account::sign_up_output(&ok(
        r#"{"UserConfirmed":false,"UserSub":"sub-1","CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    ))
    .unwrap();
    assert_eq!(
        to_json(&output),
        r#"{"isSignUpComplete":false,"userId":"sub-1","nextStep":{"signUpStep":"CONFIRM_SIGN_UP","codeDeliveryDetails":{"destination":"a***@e***","deliveryMedium":"EMAIL","attributeName":"email"}}}"#
    );
    let confirmed =
        account::sign_up_output(&ok(r#"{"UserConfirmed":true,"UserSub":"sub-2"}"#)).unwrap();
    assert_eq!(
        to_json(&confirmed),
        r#"{"isSignUpComplete":true,"userId":"sub-2","nextStep":{"signUpStep":"DONE"}}"#
    );
    let with_options = SignUpInput {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        validation_data: vec![("captcha".into(), "ok".into())],
        client_metadata: Some(Object::new().with("k", "v")),
        ..SignUpInput::default()
    };
    assert_eq!(
        account::sign_up_request(&config(), &with_options)
            .unwrap()
            .body,
        r#"{"ClientId":"client1","Username":"alice","Password":"Passw0rd!","ValidationData":[{"Name":"captcha","Value":"ok"}],"ClientMetadata":{"k":"v"}}"#
    );
    // A password-less user (email or SMS codes as first factor): no `Password` at all.
    let passwordless = SignUpInput {
        username: "alice".into(),
        attributes: vec![("email".into(), "a@example.com".into())],
        ..SignUpInput::default()
    };
    assert_eq!(
        account::sign_up_request(&config(), &passwordless)
            .unwrap()
            .body,
        r#"{"ClientId":"client1","Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#
    );
    let nameless = SignUpInput::default();
    assert_eq!(
        account::sign_up_request(&config(), &nameless)
            .unwrap_err()
            .code(),
        "InvalidArgument"
    );
}

#[test]
fn confirm_and_resend() {
    let config = config().with_client_secret(ClientSecret::from("s3cr3t"));
    let request =
        account::confirm_sign_up_request(&config, "alice", " 123456 ", None, None).unwrap();
    let hash = cognito_wasm::srp::secret_hash("s3cr3t", "alice", "client1");
    assert_eq!(
        request.body,
        format!(
            r#"{{"ClientId":"client1","Username":"alice","SecretHash":"{hash}","ConfirmationCode":"123456"}}"#
        )
    );
    // moto answers ConfirmSignUp with an empty body, AWS with {}.
    for reply in ["", "{}"] {
        let output = account::confirm_sign_up_output(&ok(reply)).unwrap();
        assert_eq!(
            to_json(&output),
            r#"{"isSignUpComplete":true,"nextStep":{"signUpStep":"DONE"}}"#
        );
    }
    let err = account::confirm_sign_up_output(&HttpResponse::json(
        400,
        r#"{"__type":"CodeMismatchException","message":"Invalid code"}"#,
    ))
    .unwrap_err();
    assert_eq!(err.code(), "CodeMismatchException");

    let metadata = Object::new().with("k", "v");
    let request = account::resend_sign_up_code_request(&config, "alice", Some(&metadata)).unwrap();
    assert!(
        request.body.ends_with(r#","ClientMetadata":{"k":"v"}}"#),
        "{}",
        request.body
    );
    assert_eq!(
        request.target(),
        Some("AWSCognitoIdentityProviderService.ResendConfirmationCode")
    );
    let confirm =
        account::confirm_sign_up_request(&config, "alice", "1", Some(true), Some(&metadata))
            .unwrap();
    assert!(
        confirm.body.ends_with(
            r#""ConfirmationCode":"1","ForceAliasCreation":true,"ClientMetadata":{"k":"v"}}"#
        ),
        "{}",
        confirm.body
    );
    let details = account::code_delivery_output(&ok(
        r#"{"CodeDeliveryDetails":{"Destination":"a***","DeliveryMedium":"EMAIL"}}"#,
    ))
    .unwrap();
    assert_eq!(
        to_json(&details),
        r#"{"destination":"a***","deliveryMedium":"EMAIL"}"#
    );
}

#[test]
fn password_reset() {
    let request = account::reset_password_request(&config(), "alice", None).unwrap();
    assert_eq!(
        request.target(),
        Some("AWSCognitoIdentityProviderService.ForgotPassword")
    );
    assert_eq!(request.body, r#"{"ClientId":"client1","Username":"alice"}"#);
    let output = account::reset_password_output(&ok(
        r#"{"CodeDeliveryDetails":{"Destination":"a***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    ))
    .unwrap();
    assert_eq!(
        to_json(&output),
        r#"{"isPasswordReset":false,"nextStep":{"resetPasswordStep":"CONFIRM_RESET_PASSWORD_WITH_CODE","codeDeliveryDetails":{"destination":"a***","deliveryMedium":"EMAIL","attributeName":"email"}}}"#
    );
    let request = account::confirm_reset_password_request(
        &config(),
        "alice",
        "654321",
        &Password::from("N3w-pass"),
        None,
    )
    .unwrap();
    assert_eq!(
        request.body,
        r#"{"ClientId":"client1","Username":"alice","ConfirmationCode":"654321","Password":"N3w-pass"}"#
    );
}

#[test]
fn access_token_operations() {
    let c = config();
    let r = UserCall::update_password(&Password::from("old"), &Password::from("new"))
        .unwrap()
        .request(&c, "AT");
    assert_eq!(
        (r.target().unwrap(), r.body.as_str()),
        (
            "AWSCognitoIdentityProviderService.ChangePassword",
            r#"{"AccessToken":"AT","PreviousPassword":"old","ProposedPassword":"new"}"#
        )
    );
    let get_user = UserCall::fetch_user_attributes();
    assert_eq!(get_user.request(&c, "AT").body, r#"{"AccessToken":"AT"}"#);
    let attributes = get_user
        .output(&ok(
            r#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@e.com"}]}"#,
        ))
        .unwrap();
    assert_eq!(
        attributes,
        UserOutput::Attributes(vec![("email".to_owned(), "a@e.com".to_owned())])
    );
    let update = UserCall::update_user_attributes(
        &[
            ("name".into(), "A".into()),
            ("email".into(), "n@e.com".into()),
        ],
        None,
        false,
    )
    .unwrap();
    assert_eq!(
        update.request(&c, "AT").body,
        r#"{"AccessToken":"AT","UserAttributes":[{"Name":"name","Value":"A"},{"Name":"email","Value":"n@e.com"}]}"#
    );
    assert!(UserCall::update_user_attributes(&[], None, false).is_err());
    let answer = ok(
        r#"{"CodeDeliveryDetailsList":[{"Destination":"n***","DeliveryMedium":"EMAIL","AttributeName":"email"}]}"#,
    );
    let delivery = CodeDeliveryDetails {
        destination: Some("n***".into()),
        delivery_medium: Some("EMAIL".into()),
        attribute_name: Some("email".into()),
    };
    assert_eq!(
        update.output(&answer).unwrap(),
        UserOutput::AttributeUpdates(vec![
            ("name".into(), None),
            ("email".into(), Some(delivery.clone()))
        ])
    );
    let one = UserCall::update_user_attributes(&[("email".into(), "n@e.com".into())], None, true)
        .unwrap();
    assert_eq!(
        one.output(&answer).unwrap(),
        UserOutput::AttributeUpdate(Some(delivery))
    );
    assert_eq!(
        UserCall::delete_user().request(&c, "AT").target(),
        Some("AWSCognitoIdentityProviderService.DeleteUser")
    );
    assert_eq!(
        UserCall::delete_user().output(&ok("{}")).unwrap(),
        UserOutput::UserDeleted
    );
    assert_eq!(
        account::global_sign_out_request(&c, "AT").target(),
        Some("AWSCognitoIdentityProviderService.GlobalSignOut")
    );
}

#[test]
fn revoke_and_refresh_requests() {
    let refresh = RefreshToken::from("RT");
    let c = config().with_client_secret(ClientSecret::from("s3cr3t"));
    assert_eq!(
        account::revoke_token_request(&c, &refresh).body,
        r#"{"Token":"RT","ClientId":"client1","ClientSecret":"s3cr3t"}"#
    );
    let hash = cognito_wasm::srp::secret_hash("s3cr3t", "alice", "client1");
    let r = account::refresh_request(&c, &refresh, "alice", Some("dev-1"));
    assert_eq!(
        r.body,
        format!(
            r#"{{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"client1","AuthParameters":{{"REFRESH_TOKEN":"RT","SECRET_HASH":"{hash}","DEVICE_KEY":"dev-1"}}}}"#
        )
    );
    let c = config().with_refresh_method(RefreshMethod::GetTokensFromRefreshToken);
    let r = account::refresh_request(&c, &refresh, "alice", None);
    assert_eq!(
        r.target(),
        Some("AWSCognitoIdentityProviderService.GetTokensFromRefreshToken")
    );
    assert_eq!(r.body, r#"{"RefreshToken":"RT","ClientId":"client1"}"#);
    let tokens = account::refresh_output(&ok(
        r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":3600,"TokenType":"Bearer"}}"#,
    ))
    .unwrap();
    assert!(tokens.refresh_token.is_none());
    assert!(account::refresh_output(&ok(r#"{"ChallengeName":"SMS_MFA"}"#)).is_err());
}

#[test]
fn sign_in_output_shapes() {
    assert_eq!(
        to_json(&SignInOutput::done()),
        r#"{"isSignedIn":true,"nextStep":{"signInStep":"DONE"}}"#
    );
    let mut step = SignInNextStep::new(SignInStep::ContinueSignInWithMfaSelection);
    step.allowed_mfa_types = Some(vec!["SMS".into(), "TOTP".into()]);
    assert_eq!(
        to_json(&SignInOutput::pending(step)),
        r#"{"isSignedIn":false,"nextStep":{"signInStep":"CONTINUE_SIGN_IN_WITH_MFA_SELECTION","allowedMFATypes":["SMS","TOTP"]}}"#
    );
    let mut step = SignInNextStep::new(SignInStep::ConfirmSignInWithCustomChallenge);
    step.additional_info = Some(vec![
        ("question".into(), "2+2?".into()),
        ("hint".into(), "even".into()),
    ]);
    assert_eq!(
        to_json(&step),
        r#"{"signInStep":"CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE","additionalInfo":{"question":"2+2?","hint":"even"}}"#
    );
    let mut step = SignInNextStep::new(SignInStep::ConfirmSignInWithNewPasswordRequired);
    step.missing_attributes = Some(vec!["name".into()]);
    assert_eq!(
        to_json(&step),
        r#"{"signInStep":"CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED","missingAttributes":["name"]}"#
    );
    for (step, wire) in [
        (SignInStep::ConfirmSignUp, "CONFIRM_SIGN_UP"),
        (SignInStep::ResetPassword, "RESET_PASSWORD"),
        (
            SignInStep::ConfirmSignInWithTotpCode,
            "CONFIRM_SIGN_IN_WITH_TOTP_CODE",
        ),
        (
            SignInStep::ConfirmSignInWithSmsCode,
            "CONFIRM_SIGN_IN_WITH_SMS_CODE",
        ),
        (
            SignInStep::ConfirmSignInWithEmailCode,
            "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        ),
        (
            SignInStep::ContinueSignInWithTotpSetup,
            "CONTINUE_SIGN_IN_WITH_TOTP_SETUP",
        ),
        (
            SignInStep::ConfirmSignInWithCustomChallenge,
            "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE",
        ),
    ] {
        assert_eq!(step.as_str(), wire);
        assert_eq!(to_json(&step), format!("\"{wire}\""));
    }
}

#[test]
fn claims_serialise_as_a_plain_object() {
    let claims = Claims(
        json::parse_object(
            br#"{"sub":"s","exp":1700000000,"big":12345678901234567890,"f":1.5,"cognito:groups":["a","b"],"o":{"k":null,"t":true}}"#,
            &Limits::default(),
        )
        .unwrap(),
    );
    assert_eq!(
        to_json(&claims),
        r#"{"sub":"s","exp":1700000000,"big":1.2345678901234567e+19,"f":1.5,"cognito:groups":["a","b"],"o":{"k":null,"t":true}}"#
    );
}

#[test]
fn mfa_settings_and_totp_setup_read_cognito_answers_in_amplify_words() {
    let preference = UserCall::fetch_mfa_preference();
    assert_eq!(
        preference
            .output(&ok(
                r#"{"Username":"u","UserAttributes":[],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP","WEB_AUTHN"]}"#,
            ))
            .unwrap(),
        UserOutput::MfaPreference {
            preferred: Some("TOTP"),
            enabled: Some(vec!["SMS", "TOTP", "EMAIL"]),
        }
    );
    // moto sends an empty preferred setting for none; no list means Cognito said nothing about it.
    assert_eq!(
        preference
            .output(&ok(
                r#"{"Username":"u","UserAttributes":[],"PreferredMfaSetting":""}"#
            ))
            .unwrap(),
        UserOutput::MfaPreference {
            preferred: None,
            enabled: None,
        }
    );
    let setup = UserCall::set_up_totp();
    assert_eq!(
        setup
            .output(&ok(r#"{"SecretCode":"JBSWY3DPEHPK3PXP"}"#))
            .unwrap(),
        UserOutput::TotpSetup {
            shared_secret: "JBSWY3DPEHPK3PXP".into()
        }
    );
    assert!(setup.output(&ok("{}")).is_err());
    let verify = UserCall::verify_totp_setup("123456", None).unwrap();
    assert_eq!(
        verify.output(&ok(r#"{"Status":"SUCCESS"}"#)).unwrap(),
        UserOutput::Done
    );
    let refused = verify.output(&ok(r#"{"Status":"ERROR"}"#)).unwrap_err();
    assert_eq!(refused.code(), "EnableSoftwareTokenMFAException");
}
