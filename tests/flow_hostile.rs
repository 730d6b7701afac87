//! Hostile server answers and stored documents: every prefix of valid replies, wrong types in every
//! field, odd statuses and bodies. Nothing may panic; everything malformed is a typed error.

use cognito_wasm::cognito::{parse_response, HttpResponse};
use cognito_wasm::config::AuthFlow;
use cognito_wasm::flow::account;
use cognito_wasm::flow::sign_in::{self, ExpectResponse};
use cognito_wasm::flow::user::UserCall;
use cognito_wasm::secret::Password;
use cognito_wasm::session::StoredSession;
use cognito_wasm::{Error, PoolConfig};

const NOW: i64 = 1_725_363_727;

const VALID_REPLIES: &[&str] = &[
    r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ec6edf3e7a622735bb748e94364b101d","SRP_B":"ff03c091a481afffd56c6b1664ebd0dd","SECRET_BLOCK":"c2VjcmV0","USERNAME":"alice","USER_ID_FOR_SRP":"alice"}}"#,
    r#"{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"i.d.t","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer","NewDeviceMetadata":{"DeviceKey":"k","DeviceGroupKey":"g"}},"ChallengeParameters":{}}"#,
    r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"S","ChallengeParameters":{"requiredAttributes":"[\"userAttributes.name\"]"}}"#,
    r#"{"ChallengeName":"SELECT_MFA_TYPE","Session":"S","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\"]"}}"#,
    r#"{"ChallengeName":"MFA_SETUP","Session":"S","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]"}}"#,
    r#"{"UserConfirmed":false,"UserSub":"s","CodeDeliveryDetails":{"Destination":"d","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    r#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@e.com"}],"UserMFASettingList":["X"],"MFAOptions":[{"DeliveryMedium":"SMS"}]}"#,
    r#"{"__type":"com.amazonaws#NotAuthorizedException","message":"no"}"#,
];

fn config(flow: AuthFlow) -> PoolConfig {
    PoolConfig::new("us-east-1_AbCdEfGhI", "client1")
        .unwrap()
        .with_auth_flow(flow)
}

/// Fresh sign-in states; the SRP one costs a 3072-bit exponentiation, so only when asked for.
fn fresh_states(with_srp: bool) -> Vec<(PoolConfig, ExpectResponse)> {
    let flows: &[AuthFlow] = if with_srp {
        &[AuthFlow::UserSrp, AuthFlow::UserPassword]
    } else {
        &[AuthFlow::UserPassword]
    };
    flows
        .iter()
        .copied()
        .map(|flow| {
            let config = config(flow);
            let (_, state) = sign_in::start(
                &config,
                config.auth_flow(),
                "alice",
                Password::from("pw"),
                &[9; 128],
                None,
                None,
            )
            .unwrap();
            (config, state)
        })
        .collect()
}

/// Feeds `response` to every parser and fresh sign-in states; none may panic.
fn feed_everywhere(response: &HttpResponse, with_srp: bool) {
    for (config, state) in fresh_states(with_srp) {
        let _ = state.handle(&config, response, NOW, None);
    }
    let _ = parse_response(response);
    let _ = account::sign_up_output(response);
    let _ = account::confirm_sign_up_output(response);
    let _ = account::code_delivery_output(response);
    let _ = account::reset_password_output(response);
    for call in every_user_call() {
        let _ = call.output(response);
    }
    let _ = account::refresh_output(response);
}

#[test]
fn every_prefix_of_valid_replies_is_handled() {
    for (index, reply) in VALID_REPLIES.iter().enumerate() {
        for end in 0..=reply.len() {
            let Some(prefix) = reply.get(..end) else {
                continue;
            };
            for status in [200, 400, 500] {
                // The SRP state only meets the PASSWORD_VERIFIER reply's prefixes.
                let with_srp = index == 0 && status == 200;
                feed_everywhere(&HttpResponse::json(status, prefix), with_srp);
            }
        }
    }
}

#[test]
fn wrong_types_in_every_field_are_protocol_errors() {
    let replacements = ["null", "1", "1.5", "true", "[]", "{}", "\"\"", "[1,{}]"];
    for (index, reply) in VALID_REPLIES.iter().enumerate() {
        // Replace each string value "..." by other JSON types, one at a time.
        let quotes: Vec<usize> = reply.match_indices('"').map(|(i, _)| i).collect();
        for pair in quotes.chunks(2).skip(1).step_by(2) {
            let [start, end] = pair else { continue };
            for replacement in replacements {
                let mutated = format!("{}{}{}", &reply[..*start], replacement, &reply[end + 1..]);
                let response = HttpResponse::json(200, mutated.clone());
                feed_everywhere(&response, index == 0);
                if let Err(e) = account::refresh_output(&response) {
                    assert!(
                        matches!(e, Error::Protocol(_) | Error::Service { .. }),
                        "{mutated}: {e:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn odd_statuses_and_bodies() {
    let bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"<html>502 Bad Gateway</html>".to_vec(),
        vec![0xff, 0xfe, 0x00],
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        vec![b' '; 300 * 1024],
        br#"{"__type":"","message":7}"#.to_vec(),
        br##"{"__type":"#","message":"x"}"##.to_vec(),
    ];
    for status in [0, 100, 204, 299, 300, 304, 401, 429, 503, 599, 999] {
        for body in &bodies {
            let response = HttpResponse {
                status,
                headers: vec![("x-amzn-errortype".into(), ":::".into())],
                body: body.clone(),
            };
            feed_everywhere(&response, false);
            if !(200..300).contains(&status) {
                assert!(parse_response(&response).is_err());
            }
        }
    }
}

#[test]
fn stored_session_prefixes_and_garbage_never_panic() {
    let config = config(AuthFlow::UserSrp);
    let good = r#"{"v":1,"userPoolId":"us-east-1_AbCdEfGhI","clientId":"client1","idToken":"a.b.c","accessToken":"d.e.f","refreshToken":"r","deviceKey":"k","deviceGroupKey":"g"}"#;
    assert!(StoredSession::parse(good, &config).is_ok());
    for end in 0..good.len() {
        assert!(StoredSession::parse(&good[..end], &config).is_err());
    }
    for garbage in [
        "[]",
        "\"session\"",
        &"{\"v\":1,".repeat(1000),
        &format!("{{\"v\":1,\"idToken\":\"{}\"}}", "x".repeat(100_000)),
    ] {
        assert!(StoredSession::parse(garbage, &config).is_err());
    }
}

/// One call of each answer kind on the signed-in user.
fn every_user_call() -> Vec<UserCall> {
    let attributes = [("email".to_owned(), "a@example.com".to_owned())];
    vec![
        UserCall::fetch_user_attributes(),
        UserCall::update_user_attributes(&attributes, None, false).unwrap(),
        UserCall::update_user_attributes(&attributes, None, true).unwrap(),
        UserCall::send_user_attribute_verification_code("email", None).unwrap(),
        UserCall::set_up_totp(),
        UserCall::verify_totp_setup("123456", None).unwrap(),
        UserCall::fetch_mfa_preference(),
        UserCall::delete_user(),
    ]
}
