//! Cognito answers from nowhere (status, headers and body: see `response` in src/lib.rs) through every reader
//! of an answer: `parse_response`, the typed replies, each account output and the JWKS reader. None may panic;
//! a 2xx is never a Cognito error and a non-2xx never a success.
#![no_main]

use cognito_wasm::client::{parse_jwks_response, Reply};
use cognito_wasm::cognito::{
    parse_empty_response, parse_response, AuthResponse, AuthenticationResult, CodeDeliveryDetails,
    SignUpResult, UserInfo,
};
use cognito_wasm::flow::account;
use cognito_wasm::flow::user::UserCall;
use cognito_wasm::Error;
use cognito_wasm_fuzz::{check_shown, response, touch};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(response) = response(data) else {
        return;
    };
    let parsed = parse_response(&response);
    match &parsed {
        Ok(_) => assert!(
            response.is_success(),
            "HTTP {} read as a success",
            response.status
        ),
        Err(e) => {
            if matches!(e, Error::Service { .. }) {
                assert!(
                    !response.is_success(),
                    "HTTP {} read as a Cognito error",
                    response.status
                );
            }
            touch(e);
        }
    }
    let empty = parse_empty_response(&response);
    if parsed.is_ok() {
        assert!(
            empty.is_ok(),
            "a JSON object refused where no fields are expected"
        );
    }
    if let Err(e) = &empty {
        touch(e);
    }
    if let Ok(object) = &parsed {
        match AuthResponse::from_object(object) {
            Ok(AuthResponse::Challenge(challenge)) => {
                let _ = challenge.required_parameter("USER_ID_FOR_SRP");
            }
            Ok(AuthResponse::Authenticated(tokens)) => assert!(tokens.expires_in > 0),
            Err(e) => touch(&e),
        }
        let _ = AuthenticationResult::from_object(object);
        let _ = SignUpResult::from_object(object);
        let _ = UserInfo::from_object(object);
        let _ = CodeDeliveryDetails::from_object(object);
        let _ = CodeDeliveryDetails::from_field(object);
    }
    let replies = [
        account::sign_up_output(&response).map(Reply::SignUp),
        account::confirm_sign_up_output(&response).map(Reply::SignUp),
        account::code_delivery_output(&response).map(Reply::CodeDelivery),
        account::reset_password_output(&response).map(Reply::ResetPassword),
    ];
    let attributes = [("email".to_owned(), "a@example.com".to_owned())];
    let user_calls = [
        Ok(UserCall::fetch_user_attributes()),
        UserCall::update_user_attributes(&attributes, None, false),
        UserCall::update_user_attributes(&attributes, None, true),
        UserCall::send_user_attribute_verification_code("email", None),
        Ok(UserCall::set_up_totp()),
        UserCall::verify_totp_setup("123456", None),
        Ok(UserCall::fetch_mfa_preference()),
        Ok(UserCall::delete_user()),
    ];
    let replies = replies.into_iter().chain(
        user_calls
            .into_iter()
            .flatten()
            .map(|call| call.output(&response).map(Reply::Account)),
    );
    for reply in replies {
        match reply {
            // What JavaScript gets must be JSON.
            Ok(reply) => check_shown(&reply),
            Err(e) => touch(&e),
        }
    }
    if let Err(e) = account::refresh_output(&response) {
        touch(&e);
    }
    if let Ok(jwks) = parse_jwks_response(&response) {
        assert_eq!(response.status, 200);
        assert!(!jwks.to_json().is_empty());
    }
});
