//! The sign-in state machine step by step over recorded transcripts: exact `X-Amz-Target`, headers and
//! JSON bodies; SRP against the shared vectors; every challenge mapped to Amplify's next step.

use cognito_wasm::cognito::NewDeviceMetadata;
use cognito_wasm::cognito::{HttpRequest, HttpResponse};
use cognito_wasm::config::AuthFlow;
use cognito_wasm::device::RememberedDevice;
use cognito_wasm::flow::sign_in::{
    self, ConfirmSignInInput, ExpectResponse, ExpectUserInput, Progress, Step,
};
use cognito_wasm::flow::SignInStep;
use cognito_wasm::json::{self, Limits, Object};
use cognito_wasm::secret::{ClientSecret, DevicePassword, Password};
use cognito_wasm::{Error, PoolConfig};

const NOW: i64 = 1_725_363_727;

fn config() -> PoolConfig {
    PoolConfig::new("us-east-1_AbCdEfGhI", "client1")
        .unwrap()
        .with_auth_flow(AuthFlow::UserPassword)
}

fn body(request: &HttpRequest) -> Object {
    json::parse_object(request.body.as_bytes(), &Limits::default()).unwrap()
}

fn assert_cognito_request(request: &HttpRequest, operation: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://cognito-idp.us-east-1.amazonaws.com/");
    assert_eq!(
        request.headers,
        [
            (
                "Content-Type".to_owned(),
                "application/x-amz-json-1.1".to_owned()
            ),
            (
                "X-Amz-Target".to_owned(),
                format!("AWSCognitoIdentityProviderService.{operation}")
            ),
            ("Cache-Control".to_owned(), "no-store".to_owned()),
        ]
    );
}

/// Starts a USER_PASSWORD_AUTH sign-in for alice.
fn start(config: &PoolConfig) -> (HttpRequest, ExpectResponse) {
    sign_in::start(
        config,
        config.auth_flow(),
        "alice",
        Password::from("Passw0rd!"),
        &[7; 128],
        None,
        None,
    )
    .unwrap()
}

/// Feeds a 200 reply with `reply` as body.
fn feed(state: ExpectResponse, reply: &str) -> Progress {
    state
        .handle(&config(), &HttpResponse::json(200, reply), NOW, None)
        .unwrap()
}

/// Starts a sign-in that meets `challenge` and returns the waiting state.
fn at_challenge(challenge: &str) -> (cognito_wasm::flow::SignInOutput, ExpectUserInput) {
    let (_, state) = start(&config());
    match feed(state, challenge) {
        Progress::NeedsInput(output, state) => (output, state),
        other => panic!("expected user input, got {other:?}"),
    }
}

fn answer(state: &ExpectUserInput, input: ConfirmSignInInput) -> (HttpRequest, ExpectResponse) {
    match state.answer(&config(), &input).unwrap() {
        Progress::Send(request, next) => (request, next),
        other => panic!("{other:?}"),
    }
}

#[test]
fn user_password_auth_request_and_tokens() {
    let (request, state) = start(&config());
    assert_cognito_request(&request, "InitiateAuth");
    assert_eq!(
        request.body,
        r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"client1","AuthParameters":{"USERNAME":"alice","PASSWORD":"Passw0rd!"}}"#
    );
    assert!(
        !format!("{request:?}").contains("Passw0rd"),
        "Debug hides the body"
    );
    let progress = feed(
        state,
        r#"{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"i.d.t","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#,
    );
    let Progress::SignedIn(tokens) = progress else {
        panic!("expected tokens, got {progress:?}")
    };
    assert_eq!(tokens.access_token, "a.b.c");
    assert_eq!(tokens.refresh_token.unwrap().expose(), "r");
}

#[test]
fn client_secret_adds_secret_hash() {
    let config = config().with_client_secret(ClientSecret::from("s3cr3t"));
    let (request, _) = start(&config);
    let params = body(&request).get_object("AuthParameters").unwrap().clone();
    assert_eq!(
        params.get_str("SECRET_HASH"),
        Some(cognito_wasm::srp::secret_hash("s3cr3t", "alice", "client1").as_str())
    );
}

#[test]
fn empty_username_or_password_is_a_usage_error() {
    let err = sign_in::start(
        &config(),
        config().auth_flow(),
        "",
        Password::from("x"),
        &[7; 128],
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let err = sign_in::start(
        &config(),
        config().auth_flow(),
        "alice",
        Password::from(""),
        &[7; 128],
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
}

#[test]
fn user_not_confirmed_and_password_reset_are_steps_not_errors() {
    for (type_name, step) in [
        ("UserNotConfirmedException", SignInStep::ConfirmSignUp),
        ("PasswordResetRequiredException", SignInStep::ResetPassword),
    ] {
        let (_, state) = start(&config());
        let reply = HttpResponse::json(400, format!(r#"{{"__type":"{type_name}","message":"m"}}"#));
        match state.handle(&config(), &reply, NOW, None).unwrap() {
            Progress::Stopped(output) => {
                assert!(!output.is_signed_in);
                assert_eq!(output.next_step.sign_in_step, step);
            }
            other => panic!("expected a stop, got {other:?}"),
        }
    }
    let (_, state) = start(&config());
    let reply = HttpResponse::json(
        400,
        r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    );
    let err = state.handle(&config(), &reply, NOW, None).unwrap_err();
    assert_eq!(err.code(), "NotAuthorizedException");
}

#[test]
fn new_password_required() {
    let (output, state) = at_challenge(
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"S1","ChallengeParameters":{"USERNAME":"alice-internal","requiredAttributes":"[\"userAttributes.name\"]","userAttributes":"{\"email\":\"a@e.com\"}"}}"#,
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithNewPasswordRequired
    );
    assert_eq!(
        output.next_step.missing_attributes,
        Some(vec!["name".to_owned()])
    );
    let err = state
        .answer(&config(), &ConfirmSignInInput::new("N3w-password"))
        .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let (request, _) = answer(
        &state,
        ConfirmSignInInput {
            challenge_response: "N3w-password".into(),
            user_attributes: vec![("name".into(), "Alice".into())],
            ..ConfirmSignInInput::default()
        },
    );
    assert_cognito_request(&request, "RespondToAuthChallenge");
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice-internal","NEW_PASSWORD":"N3w-password","userAttributes.name":"Alice"}}"#
    );
}

#[test]
fn code_challenges() {
    for (challenge, step, key, medium) in [
        (
            "SOFTWARE_TOKEN_MFA",
            SignInStep::ConfirmSignInWithTotpCode,
            "SOFTWARE_TOKEN_MFA_CODE",
            None,
        ),
        (
            "SMS_MFA",
            SignInStep::ConfirmSignInWithSmsCode,
            "SMS_MFA_CODE",
            Some("SMS"),
        ),
        (
            "EMAIL_OTP",
            SignInStep::ConfirmSignInWithEmailCode,
            "EMAIL_OTP_CODE",
            Some("EMAIL"),
        ),
    ] {
        let (output, state) = at_challenge(&format!(
            r#"{{"ChallengeName":"{challenge}","Session":"S2","ChallengeParameters":{{"CODE_DELIVERY_DESTINATION":"+*****1234","CODE_DELIVERY_DELIVERY_MEDIUM":"{}"}}}}"#,
            medium.unwrap_or("")
        ));
        assert_eq!(output.next_step.sign_in_step, step);
        if let Some(medium) = medium {
            let details = output.next_step.code_delivery_details.unwrap();
            assert_eq!(details.destination.as_deref(), Some("+*****1234"));
            assert_eq!(details.delivery_medium.as_deref(), Some(medium));
        }
        assert_eq!(
            state
                .answer(&config(), &ConfirmSignInInput::new("  "))
                .unwrap_err()
                .code(),
            "InvalidArgument"
        );
        let (request, next) = answer(&state, ConfirmSignInInput::new(" 123456 "));
        assert_eq!(
            request.body,
            format!(
                r#"{{"ChallengeName":"{challenge}","ClientId":"client1","Session":"S2","ChallengeResponses":{{"USERNAME":"alice","{key}":"123456"}}}}"#
            )
        );
        assert!(matches!(next, ExpectResponse::AuthResult(_)));
    }
}

#[test]
fn mfa_selection() {
    let (output, state) = at_challenge(
        r#"{"ChallengeName":"SELECT_MFA_TYPE","Session":"S3","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}}"#,
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithMfaSelection
    );
    assert_eq!(
        output.next_step.allowed_mfa_types,
        Some(vec!["SMS".to_owned(), "TOTP".to_owned()])
    );
    let err = state
        .answer(&config(), &ConfirmSignInInput::new("EMAIL"))
        .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let (request, _) = answer(&state, ConfirmSignInInput::new("TOTP"));
    assert_eq!(
        body(&request)
            .get_object("ChallengeResponses")
            .unwrap()
            .get_str("ANSWER"),
        Some("SOFTWARE_TOKEN_MFA")
    );
    // The chosen method then asks for its code.
    let (_, next) = answer(&state, ConfirmSignInInput::new("SMS"));
    match feed(
        next,
        r#"{"ChallengeName":"SMS_MFA","Session":"S4","ChallengeParameters":{}}"#,
    ) {
        Progress::NeedsInput(output, _) => {
            assert_eq!(
                output.next_step.sign_in_step,
                SignInStep::ConfirmSignInWithSmsCode
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn custom_challenge() {
    let (output, state) = at_challenge(
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"S5","ChallengeParameters":{"USERNAME":"alice","question":"2+2?"}}"#,
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithCustomChallenge
    );
    let info = output.next_step.additional_info.unwrap();
    assert_eq!(info, [("question".to_owned(), "2+2?".to_owned())]);
    let (request, _) = answer(&state, ConfirmSignInInput::new("4"));
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","ClientId":"client1","Session":"S5","ChallengeResponses":{"USERNAME":"alice","ANSWER":"4"}}"#
    );
}

#[test]
fn totp_setup_during_sign_in() {
    let (_, state) = start(&config());
    let Progress::Send(request, state) = feed(
        state,
        r#"{"ChallengeName":"MFA_SETUP","Session":"S6","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]"}}"#,
    ) else {
        panic!("expected AssociateSoftwareToken")
    };
    assert_cognito_request(&request, "AssociateSoftwareToken");
    assert_eq!(request.body, r#"{"Session":"S6"}"#);
    let Progress::NeedsInput(output, waiting) =
        feed(state, r#"{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"S7"}"#)
    else {
        panic!("expected the setup step")
    };
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithTotpSetup
    );
    let details = output.next_step.totp_setup_details.unwrap();
    assert_eq!(details.shared_secret, "JBSWY3DPEHPK3PXP");
    assert_eq!(
        details.setup_uri("My App", "alice"),
        "otpauth://totp/My%20App:alice?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
    );
    let (request, state) = answer(&waiting, ConfirmSignInInput::new("123456"));
    assert_cognito_request(&request, "VerifySoftwareToken");
    assert_eq!(request.body, r#"{"UserCode":"123456","Session":"S7"}"#);
    let Progress::Send(request, state) = feed(state, r#"{"Status":"SUCCESS","Session":"S8"}"#)
    else {
        panic!("expected RespondToAuthChallenge")
    };
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"MFA_SETUP","ClientId":"client1","Session":"S8","ChallengeResponses":{"USERNAME":"alice"}}"#
    );
    assert!(matches!(
        feed(
            state,
            r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":60}}"#
        ),
        Progress::SignedIn(_)
    ));

    // A failed verification is an error (the caller keeps `waiting` for another try).
    let (_, state) = answer(&waiting, ConfirmSignInInput::new("000000"));
    let err = state
        .handle(
            &config(),
            &HttpResponse::json(200, r#"{"Status":"ERROR"}"#),
            NOW,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "EnableSoftwareTokenMFAException");
}

#[test]
fn unsupported_or_malformed_challenges_are_protocol_errors() {
    for reply in [
        r#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"S","ChallengeParameters":{}}"#,
        r#"{"ChallengeName":"SELECT_MFA_TYPE","ChallengeParameters":{"MFAS_CAN_CHOOSE":"not json"}}"#,
        r#"{"Session":"S"}"#,
        r#"{"ChallengeName":"SMS_MFA","ChallengeParameters":{"X":1}}"#,
    ] {
        let (_, state) = start(&config());
        let err = state
            .handle(&config(), &HttpResponse::json(200, reply), NOW, None)
            .unwrap_err();
        assert!(matches!(err, Error::Protocol(_)), "{reply}: {err:?}");
    }
    let (_, state) = start(&config());
    let xml = HttpResponse::json(200, "<?xml version=\"1.0\"?><Error/>");
    assert!(matches!(
        state.handle(&config(), &xml, NOW, None),
        Err(Error::Protocol(_))
    ));
}

// ----- SRP against the shared vectors -----

fn hex_decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn srp_vectors_drive_the_exact_wire() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/srp/vectors.json"
    );
    let Ok(text) = std::fs::read(path) else {
        println!("SKIP: {path} not found");
        return;
    };
    let cases = json::parse(&text, &Limits::default()).unwrap();
    let mut checked = 0;
    for case in cases.as_array().unwrap() {
        let case = case.as_object().unwrap();
        if case.get_str("flow") != Some("USER_SRP_AUTH") {
            continue;
        }
        let id = case.get_str("id").unwrap();
        let inputs = case.get_object("inputs").unwrap();
        let input = |k: &str| inputs.get_str(k).unwrap();
        let wire = case.get_object("wire_amplify_v6").unwrap();
        let a: [u8; 128] = match hex_decode(input("a_hex")).try_into() {
            Ok(a) => a,
            Err(_) => {
                println!("SKIP {id}: a is not 128 bytes");
                continue;
            }
        };
        let mut config = PoolConfig::new(input("poolId"), input("clientId")).unwrap();
        let secret = inputs.get_str("clientSecret");
        if let Some(secret) = secret {
            config = config.with_client_secret(ClientSecret::from(secret));
        }
        let typed = input("typedUsername");
        let (request, state) = sign_in::start(
            &config,
            config.auth_flow(),
            typed,
            Password::from(input("password")),
            &a,
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            request.target(),
            Some("AWSCognitoIdentityProviderService.InitiateAuth")
        );
        let sent = body(&request);
        assert_eq!(sent.get_str("AuthFlow"), Some("USER_SRP_AUTH"), "{id}");
        assert_eq!(sent.get_str("ClientId"), Some(input("clientId")), "{id}");
        let params = sent.get_object("AuthParameters").unwrap();
        for (key, value) in wire
            .get_object("InitiateAuth.AuthParameters")
            .unwrap()
            .iter()
        {
            assert_eq!(params.get(key), Some(value), "{id}: InitiateAuth {key}");
        }
        assert_eq!(
            params.get_str("SECRET_HASH").map(str::to_owned),
            secret.map(|s| cognito_wasm::srp::secret_hash(s, typed, input("clientId"))),
            "{id}: SECRET_HASH with the typed user name"
        );

        let challenge = Object::new()
            .with("ChallengeName", "PASSWORD_VERIFIER")
            .with("Session", "srp-session")
            .with(
                "ChallengeParameters",
                Object::new()
                    .with("SALT", input("salt_hex"))
                    .with("SRP_B", input("B_hex"))
                    .with("SECRET_BLOCK", input("secretBlock_b64"))
                    .with("USERNAME", input("challengeUsername"))
                    .with("USER_ID_FOR_SRP", input("username")),
            );
        let now = inputs.get_i64("timestamp_epoch_ms").unwrap() / 1000;
        let progress = state
            .handle(
                &config,
                &HttpResponse::json(200, challenge.to_json()),
                now,
                None,
            )
            .unwrap();
        let Progress::Send(request, next) = progress else {
            panic!("{id}: expected RespondToAuthChallenge, got {progress:?}")
        };
        assert!(matches!(next, ExpectResponse::AuthResult(_)));
        assert_eq!(
            request.target(),
            Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge")
        );
        let sent = body(&request);
        assert_eq!(sent.get_str("ChallengeName"), Some("PASSWORD_VERIFIER"));
        assert_eq!(
            sent.get_str("Session"),
            Some("srp-session"),
            "{id}: Session passed through"
        );
        let mut responses = sent.get_object("ChallengeResponses").unwrap().clone();
        assert_eq!(
            responses
                .remove("SECRET_HASH")
                .and_then(|v| v.as_str().map(str::to_owned)),
            secret.map(|s| cognito_wasm::srp::secret_hash(s, input("username"), input("clientId"))),
            "{id}: SECRET_HASH with USER_ID_FOR_SRP"
        );
        let expected = wire
            .get_object("RespondToAuthChallenge.PASSWORD_VERIFIER.ChallengeResponses")
            .unwrap();
        assert_eq!(&responses, expected, "{id}: ChallengeResponses");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} SRP cases ran");
}

#[test]
fn mfa_setup_offers_a_choice_and_email_setup_takes_the_address() {
    // Both offered: the user picks; SMS is never set up during sign-in (as in Amplify).
    let (output, choosing) = at_challenge(
        r#"{"ChallengeName":"MFA_SETUP","Session":"S1","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"}}"#,
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithMfaSetupSelection
    );
    assert_eq!(
        output.next_step.allowed_mfa_types,
        Some(vec!["TOTP".to_owned(), "EMAIL".to_owned()])
    );
    for refused in ["SMS", "a-phone-number", ""] {
        let err = choosing
            .answer(&config(), &ConfirmSignInInput::new(refused))
            .unwrap_err();
        assert_eq!(err.code(), "InvalidArgument", "{refused}");
    }
    // TOTP: the secret is fetched with the challenge's session.
    let (request, next) = answer(&choosing, ConfirmSignInInput::new("TOTP"));
    assert_cognito_request(&request, "AssociateSoftwareToken");
    assert_eq!(request.body, r#"{"Session":"S1"}"#);
    assert!(matches!(next, ExpectResponse::TotpSecret(_)));
    // EMAIL: a local step asks for the address, then MFA_SETUP is answered with it.
    let Progress::NeedsInput(output, email) = choosing
        .answer(&config(), &ConfirmSignInInput::new("EMAIL"))
        .unwrap()
    else {
        panic!("expected the email setup step")
    };
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithEmailSetup
    );
    let err = email
        .answer(&config(), &ConfirmSignInInput::new("TOTP"))
        .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let mut input = ConfirmSignInInput::new("alice@example.com");
    input.client_metadata = Some(Object::new().with("k", "v"));
    let (request, next) = answer(&email, input);
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"MFA_SETUP","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice","EMAIL":"alice@example.com"},"ClientMetadata":{"k":"v"}}"#
    );
    // The next answer is the EMAIL_OTP challenge: a code step.
    let Progress::NeedsInput(output, _) = feed(
        next,
        r#"{"ChallengeName":"EMAIL_OTP","Session":"S2","ChallengeParameters":{"CODE_DELIVERY_DELIVERY_MEDIUM":"EMAIL","CODE_DELIVERY_DESTINATION":"a***@e***"}}"#,
    ) else {
        panic!("expected the email code step")
    };
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithEmailCode
    );

    // Email alone: straight to the address; nothing that can be set up here: an error.
    let (output, _) = at_challenge(
        r#"{"ChallengeName":"MFA_SETUP","Session":"S1","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"EMAIL_OTP\"]"}}"#,
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithEmailSetup
    );
    let (_, state) = start(&config());
    let err = state
        .handle(
            &config(),
            &HttpResponse::json(
                200,
                r#"{"ChallengeName":"MFA_SETUP","Session":"S1","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SMS_MFA\"]"}}"#,
            ),
            NOW,
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "ProtocolError");
}

#[test]
fn client_metadata_goes_with_every_sign_in_request_and_the_device_name_with_the_totp_code() {
    let metadata = Object::new().with("source", "app");
    let config = config();
    let (request, state) = sign_in::start(
        &config,
        AuthFlow::UserSrp,
        "alice",
        Password::from("Passw0rd!"),
        &[7; 128],
        Some(&metadata),
        None,
    )
    .unwrap();
    assert!(
        request
            .body
            .ends_with(r#","ClientMetadata":{"source":"app"}}"#),
        "{}",
        request.body
    );
    let challenge = r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"USER_ID_FOR_SRP":"alice","SALT":"abcd","SRP_B":"1234abcd","SECRET_BLOCK":"c2VjcmV0"}}"#;
    let Progress::Send(request, _) = state
        .handle(
            &config,
            &HttpResponse::json(200, challenge),
            NOW,
            Some(&metadata),
        )
        .unwrap()
    else {
        panic!("expected PASSWORD_VERIFIER's answer")
    };
    assert!(
        request
            .body
            .ends_with(r#","ClientMetadata":{"source":"app"}}"#),
        "{}",
        request.body
    );
    // The TOTP setup code carries the authenticator's name.
    let (_, state) = start(&config);
    let Progress::Send(_, state) = feed(
        state,
        r#"{"ChallengeName":"MFA_SETUP","Session":"S6","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]"}}"#,
    ) else {
        panic!("expected AssociateSoftwareToken")
    };
    let Progress::NeedsInput(_, waiting) = feed(state, r#"{"SecretCode":"S","Session":"S7"}"#)
    else {
        panic!("expected the setup step")
    };
    let mut input = ConfirmSignInInput::new("123456");
    input.friendly_device_name = Some("Work phone".into());
    let (request, _) = answer(&waiting, input);
    assert_eq!(
        request.body,
        r#"{"UserCode":"123456","Session":"S7","FriendlyDeviceName":"Work phone"}"#
    );
}

/// Starts a sign-in of `alice` with `flow`, `password` (empty for none) and `preferred` as USER_AUTH's first
/// factor.
fn start_as(
    flow: AuthFlow,
    password: &str,
    preferred: Option<&str>,
) -> cognito_wasm::Result<(HttpRequest, ExpectResponse)> {
    sign_in::start(
        &config(),
        flow,
        "alice",
        Password::from(password),
        &[7; 128],
        None,
        preferred,
    )
}

/// [`start_as`] with no password.
fn start_passwordless(flow: AuthFlow, preferred: Option<&str>) -> (HttpRequest, ExpectResponse) {
    start_as(flow, "", preferred).unwrap()
}

fn needs_input(progress: Progress) -> (cognito_wasm::flow::SignInOutput, ExpectUserInput) {
    match progress {
        Progress::NeedsInput(output, state) => (output, state),
        other => panic!("expected a step for the user, got {other:?}"),
    }
}

#[test]
fn user_auth_with_a_preferred_code_asks_for_it_and_answers_with_it() {
    for (preferred, challenge, step, key) in [
        (
            "EMAIL_OTP",
            "EMAIL_OTP",
            SignInStep::ConfirmSignInWithEmailCode,
            "EMAIL_OTP_CODE",
        ),
        (
            "SMS_OTP",
            "SMS_OTP",
            SignInStep::ConfirmSignInWithSmsCode,
            "SMS_OTP_CODE",
        ),
    ] {
        let (request, state) = start_passwordless(AuthFlow::UserAuth, Some(preferred));
        assert_eq!(
            request.body,
            format!(
                r#"{{"AuthFlow":"USER_AUTH","ClientId":"client1","AuthParameters":{{"USERNAME":"alice","PREFERRED_CHALLENGE":"{preferred}"}}}}"#
            )
        );
        let (output, waiting) = needs_input(feed(
            state,
            &format!(
                r#"{{"ChallengeName":"{challenge}","Session":"S1","ChallengeParameters":{{"CODE_DELIVERY_DELIVERY_MEDIUM":"EMAIL","CODE_DELIVERY_DESTINATION":"a***"}}}}"#
            ),
        ));
        assert_eq!(output.next_step.sign_in_step, step);
        assert!(output.next_step.code_delivery_details.is_some());
        let (request, _) = answer(&waiting, ConfirmSignInInput::new(" 12345678 "));
        assert_eq!(
            request.body,
            format!(
                r#"{{"ChallengeName":"{challenge}","ClientId":"client1","Session":"S1","ChallengeResponses":{{"USERNAME":"alice","{key}":"12345678"}}}}"#
            )
        );
    }
    // A password first factor needs the password at once, and sends it (or SRP_A) with InitiateAuth.
    let err = start_as(AuthFlow::UserAuth, "", Some("PASSWORD")).unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let (request, state) = start_as(AuthFlow::UserAuth, "Passw0rd!", Some("PASSWORD_SRP")).unwrap();
    let parameters = body(&request).get_object("AuthParameters").unwrap().clone();
    assert_eq!(
        parameters.get_str("PREFERRED_CHALLENGE"),
        Some("PASSWORD_SRP")
    );
    assert!(parameters.get_str("SRP_A").is_some());
    assert!(matches!(state, ExpectResponse::PasswordVerifier(_)));
}

#[test]
fn user_auth_first_factor_selection() {
    let (request, state) = start_passwordless(AuthFlow::UserAuth, None);
    assert_eq!(
        request.body,
        r#"{"AuthFlow":"USER_AUTH","ClientId":"client1","AuthParameters":{"USERNAME":"alice"}}"#
    );
    let (output, choosing) = needs_input(feed(
        state,
        r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"S1","ChallengeParameters":{},"AvailableChallenges":["PASSWORD_SRP","PASSWORD","EMAIL_OTP","SMS_OTP"]}"#,
    ));
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ContinueSignInWithFirstFactorSelection
    );
    assert_eq!(
        output.next_step.available_challenges,
        Some(vec![
            "PASSWORD_SRP".to_owned(),
            "PASSWORD".to_owned(),
            "EMAIL_OTP".to_owned(),
            "SMS_OTP".to_owned()
        ])
    );
    let err = choosing
        .answer(&config(), &ConfirmSignInInput::new("WEB_AUTHN"))
        .unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    // A code: SELECT_CHALLENGE answered with the choice.
    let (request, _) = answer(&choosing, ConfirmSignInInput::new("SMS_OTP"));
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"SELECT_CHALLENGE","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice","ANSWER":"SMS_OTP"}}"#
    );
    // A password: first the step asking for it (no request), then the choice with the password.
    let (output, password) = needs_input(
        choosing
            .answer(&config(), &ConfirmSignInInput::new("PASSWORD"))
            .unwrap(),
    );
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithPassword
    );
    let (request, _) = answer(&password, ConfirmSignInInput::new("Passw0rd!"));
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"SELECT_CHALLENGE","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice","ANSWER":"PASSWORD","PASSWORD":"Passw0rd!"}}"#
    );
    // PASSWORD_SRP: SRP_A goes with the choice; the answer is PASSWORD_VERIFIER, as in USER_SRP_AUTH.
    let (_, srp) = needs_input(
        choosing
            .answer(&config(), &ConfirmSignInInput::new("PASSWORD_SRP"))
            .unwrap(),
    );
    let (request, next) = answer(&srp, ConfirmSignInInput::new("Passw0rd!"));
    let responses = body(&request)
        .get_object("ChallengeResponses")
        .unwrap()
        .clone();
    assert_eq!(responses.get_str("ANSWER"), Some("PASSWORD_SRP"));
    assert!(responses.get_str("SRP_A").is_some());
    assert!(
        responses.get_str("PASSWORD").is_none(),
        "the password never leaves"
    );
    assert!(matches!(next, ExpectResponse::PasswordVerifier(_)));
}

#[test]
fn custom_auth_with_and_without_srp() {
    let (request, state) = start_passwordless(AuthFlow::CustomWithoutSrp, None);
    assert_eq!(
        request.body,
        r#"{"AuthFlow":"CUSTOM_AUTH","ClientId":"client1","AuthParameters":{"USERNAME":"alice"}}"#
    );
    let (output, waiting) = needs_input(feed(
        state,
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"S1","ChallengeParameters":{"USERNAME":"alice","question":"2 + 2?"}}"#,
    ));
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithCustomChallenge
    );
    assert_eq!(
        output.next_step.additional_info,
        Some(vec![("question".to_owned(), "2 + 2?".to_owned())])
    );
    let (request, _) = answer(&waiting, ConfirmSignInInput::new("4"));
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice","ANSWER":"4"}}"#
    );

    // With SRP: the password is proven first; `CHALLENGE_NAME` tells the trigger so.
    assert_eq!(
        start_as(AuthFlow::CustomWithSrp, "", None)
            .unwrap_err()
            .code(),
        "InvalidArgument"
    );
    let (request, state) = start_as(AuthFlow::CustomWithSrp, "Passw0rd!", None).unwrap();
    let sent = body(&request);
    assert_eq!(sent.get_str("AuthFlow"), Some("CUSTOM_AUTH"));
    let parameters = sent.get_object("AuthParameters").unwrap();
    assert_eq!(parameters.get_str("CHALLENGE_NAME"), Some("SRP_A"));
    assert!(parameters.get_str("SRP_A").is_some());
    assert!(parameters.get_str("PASSWORD").is_none());
    assert!(matches!(state, ExpectResponse::PasswordVerifier(_)));
}

const REQUEST_OPTIONS: &str = r#"{\"challenge\":\"Y2hhbGxlbmdl\",\"timeout\":180000,\"rpId\":\"localhost\",\"allowCredentials\":[{\"id\":\"a2V5\",\"type\":\"public-key\",\"transports\":[\"internal\"]}],\"userVerification\":\"required\"}"#;

/// What `navigator.credentials.get` gives, as the JS entry hands it over (`toJSON()`'s shape).
fn assertion() -> Object {
    json::parse_object(
        br#"{"id":"a2V5","rawId":"a2V5","type":"public-key","authenticatorAttachment":"platform","clientExtensionResults":{},
            "response":{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","userHandle":"dQ"}}"#,
        &Limits::default(),
    )
    .unwrap()
}

fn passkey_answer(credential: Option<Object>) -> ConfirmSignInInput {
    ConfirmSignInInput {
        credential,
        ..ConfirmSignInInput::default()
    }
}

#[test]
fn user_auth_with_a_passkey_asks_for_the_assertion_and_answers_with_it() {
    let (request, state) = start_passwordless(AuthFlow::UserAuth, Some("WEB_AUTHN"));
    assert_eq!(
        request.body,
        r#"{"AuthFlow":"USER_AUTH","ClientId":"client1","AuthParameters":{"USERNAME":"alice","PREFERRED_CHALLENGE":"WEB_AUTHN"}}"#
    );
    let (output, waiting) = needs_input(feed(
        state,
        &format!(
            r#"{{"ChallengeName":"WEB_AUTHN","Session":"S1","ChallengeParameters":{{"CREDENTIAL_REQUEST_OPTIONS":"{REQUEST_OPTIONS}"}}}}"#
        ),
    ));
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithPasskey
    );
    let options = output.next_step.credential_request_options.clone().unwrap();
    assert_eq!(options.get_str("challenge"), Some("Y2hhbGxlbmdl"));
    assert_eq!(options.get_str("rpId"), Some("localhost"));
    // A typed answer is not a passkey; a malformed assertion is refused before anything is sent.
    for input in [
        ConfirmSignInInput::new("123456"),
        passkey_answer(Some(Object::new())),
    ] {
        assert_eq!(
            waiting.answer(&config(), &input).unwrap_err().code(),
            "InvalidArgument"
        );
    }
    let (request, next) = answer(&waiting, passkey_answer(Some(assertion())));
    assert_cognito_request(&request, "RespondToAuthChallenge");
    let responses = body(&request)
        .get_object("ChallengeResponses")
        .unwrap()
        .clone();
    assert_eq!(body(&request).get_str("ChallengeName"), Some("WEB_AUTHN"));
    assert_eq!(body(&request).get_str("Session"), Some("S1"));
    assert_eq!(responses.get_str("USERNAME"), Some("alice"));
    // CREDENTIAL is JSON text: the AuthenticationResponseJSON with the members WebAuthn defines.
    assert_eq!(
        responses.get_str("CREDENTIAL"),
        Some(
            r#"{"id":"a2V5","rawId":"a2V5","type":"public-key","clientExtensionResults":{},"authenticatorAttachment":"platform","response":{"clientDataJSON":"Y2Q","authenticatorData":"YWQ","signature":"c2ln","userHandle":"dQ"}}"#
        )
    );
    // A second WEB_AUTHN right after the assertion is refused, as Amplify does.
    let again = next
        .handle(
            &config(),
            &HttpResponse::json(
                200,
                format!(
                    r#"{{"ChallengeName":"WEB_AUTHN","Session":"S2","ChallengeParameters":{{"CREDENTIAL_REQUEST_OPTIONS":"{REQUEST_OPTIONS}"}}}}"#
                ),
            ),
            NOW,
            None,
        )
        .unwrap_err();
    assert!(matches!(again, Error::Protocol(_)), "{again:?}");
}

#[test]
fn a_passkey_chosen_from_first_factor_selection_and_bad_request_options() {
    let (_, state) = start_passwordless(AuthFlow::UserAuth, None);
    let (_, choosing) = needs_input(feed(
        state,
        r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"S1","ChallengeParameters":{},"AvailableChallenges":["PASSWORD","WEB_AUTHN"]}"#,
    ));
    let (request, next) = answer(&choosing, ConfirmSignInInput::new("WEB_AUTHN"));
    assert_eq!(
        request.body,
        r#"{"ChallengeName":"SELECT_CHALLENGE","ClientId":"client1","Session":"S1","ChallengeResponses":{"USERNAME":"alice","ANSWER":"WEB_AUTHN"}}"#
    );
    let (output, _) = needs_input(feed(
        next,
        &format!(
            r#"{{"ChallengeName":"WEB_AUTHN","Session":"S2","ChallengeParameters":{{"CREDENTIAL_REQUEST_OPTIONS":"{REQUEST_OPTIONS}"}}}}"#
        ),
    ));
    assert_eq!(
        output.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithPasskey
    );
    for parameters in [
        r#"{}"#,
        r#"{"CREDENTIAL_REQUEST_OPTIONS":"not json"}"#,
        r#"{"CREDENTIAL_REQUEST_OPTIONS":"{\"rpId\":\"localhost\"}"}"#,
        r#"{"CREDENTIAL_REQUEST_OPTIONS":"{\"challenge\":\"a+b/\"}"}"#,
    ] {
        let (_, state) = start_passwordless(AuthFlow::UserAuth, Some("WEB_AUTHN"));
        let err = state
            .handle(
                &config(),
                &HttpResponse::json(
                    200,
                    format!(
                        r#"{{"ChallengeName":"WEB_AUTHN","Session":"S1","ChallengeParameters":{parameters}}}"#
                    ),
                ),
                NOW,
                None,
            )
            .unwrap_err();
        assert!(matches!(err, Error::Protocol(_)), "{parameters}: {err:?}");
    }
}

#[path = "support/vectors.rs"]
mod vectors;

/// device-3 of `tests/emulator/vectors/device_srp.json` as a remembered device, and its case.
fn vector_device() -> (RememberedDevice, cognito_wasm::json::Value) {
    let case = vectors::device_srp_cases().remove(2);
    let device = RememberedDevice {
        metadata: NewDeviceMetadata {
            device_key: vectors::str_at(&case, "deviceKey").into(),
            device_group_key: vectors::str_at(&case, "deviceGroupKey").into(),
        },
        password: DevicePassword::new(vectors::str_at(&case, "randomPassword")),
    };
    (device, case)
}

/// The vector's timestamp, "Thu Feb 29 12:00:00 UTC 2024".
const DEVICE_NOW: i64 = 1_709_208_000;

#[test]
fn a_remembered_device_is_named_through_mfa_then_proves_itself_with_device_srp() {
    let (device, case) = vector_device();
    let key = device.key().to_owned();
    let (request, state) = sign_in::start_on_device(
        &config(),
        AuthFlow::UserPassword,
        "alice",
        Password::from("Passw0rd!"),
        &[7; 128],
        None,
        None,
        Some(device.clone()),
    )
    .unwrap();
    assert_eq!(
        request.body,
        format!(
            r#"{{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"client1","AuthParameters":{{"USERNAME":"alice","PASSWORD":"Passw0rd!","DEVICE_KEY":"{key}"}}}}"#
        )
    );
    assert_eq!(state.device().map(|d| d.key()), Some(key.as_str()));

    // The MFA answer names the device too.
    let progress = feed(
        state,
        r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s1","ChallengeParameters":{"USERNAME":"alice-id"}}"#,
    );
    let Progress::NeedsInput(_, waiting) = progress else {
        panic!("{progress:?}")
    };
    assert_eq!(waiting.device().map(|d| d.key()), Some(key.as_str()));
    let (request, state) = answer(&waiting, ConfirmSignInInput::new("123456"));
    assert_eq!(
        request.body,
        format!(
            r#"{{"ChallengeName":"SOFTWARE_TOKEN_MFA","ClientId":"client1","Session":"s1","ChallengeResponses":{{"USERNAME":"alice-id","SOFTWARE_TOKEN_MFA_CODE":"123456","DEVICE_KEY":"{key}"}}}}"#
        )
    );

    // DEVICE_SRP_AUTH: a fresh A from the device's own `a`.
    let a: [u8; 128] = vectors::be_bytes(vectors::str_at(&case, "a"));
    let step = Step {
        now_unix: DEVICE_NOW,
        client_metadata: None,
        device_of: &|_| panic!("the device is known already"),
        device_srp_a: Some(&a),
    };
    let ok = |body: &str| HttpResponse::json(200, body);
    let progress = state
        .handle_step(
            &config(),
            &ok(r#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"s2","ChallengeParameters":{}}"#),
            &step,
        )
        .unwrap();
    let Progress::Send(request, state) = progress else {
        panic!("{progress:?}")
    };
    assert_cognito_request(&request, "RespondToAuthChallenge");
    assert_eq!(
        request.body,
        format!(
            r#"{{"ChallengeName":"DEVICE_SRP_AUTH","ClientId":"client1","Session":"s2","ChallengeResponses":{{"USERNAME":"alice-id","DEVICE_KEY":"{key}","SRP_A":"{}"}}}}"#,
            vectors::str_at(&case, "SRP_A")
        )
    );

    // DEVICE_PASSWORD_VERIFIER: signed as amazon-cognito-identity-js signs it.
    let challenge = format!(
        r#"{{"ChallengeName":"DEVICE_PASSWORD_VERIFIER","Session":"s3","ChallengeParameters":{{"SRP_B":"{}","SALT":"{}","SECRET_BLOCK":"{}","USERNAME":"alice-id"}}}}"#,
        vectors::str_at(&case, "SRP_B"),
        vectors::str_at(&case, "SALT"),
        vectors::str_at(&case, "secretBlock"),
    );
    let progress = state
        .handle_step(&config(), &ok(&challenge), &step)
        .unwrap();
    let Progress::Send(request, state) = progress else {
        panic!("{progress:?}")
    };
    assert_eq!(
        request.body,
        format!(
            r#"{{"ChallengeName":"DEVICE_PASSWORD_VERIFIER","ClientId":"client1","Session":"s3","ChallengeResponses":{{"USERNAME":"alice-id","PASSWORD_CLAIM_SECRET_BLOCK":"{}","TIMESTAMP":"{}","PASSWORD_CLAIM_SIGNATURE":"{}","DEVICE_KEY":"{key}"}}}}"#,
            vectors::str_at(&case, "secretBlock"),
            vectors::str_at(&case, "timestamp"),
            vectors::str_at(&case, "signature"),
        )
    );
    assert_eq!(state.device().map(|d| d.key()), Some(key.as_str()));
    let tokens = r#"{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"d.e.f","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#;
    assert!(matches!(
        state.handle_step(&config(), &ok(tokens), &step).unwrap(),
        Progress::SignedIn(_)
    ));
}

#[test]
fn srp_names_the_device_of_user_id_for_srp_and_an_unknown_device_is_recognised() {
    let (device, _) = vector_device();
    let srp_config = config().with_auth_flow(AuthFlow::UserSrp);
    let (_, state) = sign_in::start(
        &srp_config,
        AuthFlow::UserSrp,
        "alice@example.com",
        Password::from("Passw0rd!"),
        &[7; 128],
        None,
        None,
    )
    .unwrap();
    let asked = std::cell::RefCell::new(Vec::new());
    let device_of = |user: &str| {
        asked.borrow_mut().push(user.to_owned());
        (user == "alice-id").then(|| device.clone())
    };
    let step = Step {
        now_unix: NOW,
        client_metadata: None,
        device_of: &device_of,
        device_srp_a: None,
    };
    let challenge = r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"01","SRP_B":"02","SECRET_BLOCK":"AAAA","USERNAME":"alice-id","USER_ID_FOR_SRP":"alice-id"}}"#;
    let progress = state
        .handle_step(&srp_config, &HttpResponse::json(200, challenge), &step)
        .unwrap();
    let Progress::Send(request, state) = progress else {
        panic!("{progress:?}")
    };
    assert_eq!(
        *asked.borrow(),
        ["alice-id"],
        "looked up by USER_ID_FOR_SRP"
    );
    let responses = body(&request);
    let responses = responses.get_object("ChallengeResponses").unwrap();
    assert_eq!(responses.get_str("DEVICE_KEY"), Some(device.key()));
    assert_eq!(state.device().map(|d| d.key()), Some(device.key()));

    let gone = HttpResponse::json(
        400,
        r#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#,
    );
    let error = state.handle_step(&srp_config, &gone, &step).unwrap_err();
    assert!(sign_in::is_unknown_device(&error), "{error:?}");
    let other = Error::Service {
        code: cognito_wasm::CognitoErrorCode::ResourceNotFound,
        message: "User pool client does not exist.".into(),
    };
    assert!(!sign_in::is_unknown_device(&other));
}

#[test]
fn device_srp_without_a_named_device_is_a_protocol_error() {
    let (_, state) = start(&config());
    let error = state
        .handle(
            &config(),
            &HttpResponse::json(
                200,
                r#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"s","ChallengeParameters":{}}"#,
            ),
            NOW,
            None,
        )
        .unwrap_err();
    assert_eq!(error.code(), "ProtocolError");
}
