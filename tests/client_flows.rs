//! The client's multi-step sign-in (SRP, challenges, retries) and account operations over a fake platform.

#[path = "support/executor.rs"]
mod executor;
#[path = "support/tokens.rs"]
mod tokens;
#[path = "support/transport.rs"]
mod transport;

use std::cell::RefCell;
use std::rc::Rc;

use cognito_wasm::client::{AuthEvent, Client};
use cognito_wasm::config::AuthFlow;
use cognito_wasm::flow::account::SignUpInput;
use cognito_wasm::flow::{ConfirmSignInInput, SignInStep, SignUpStep};
use cognito_wasm::json::{self, Limits};
use cognito_wasm::secret::Password;
use cognito_wasm::PoolConfig;
use executor::block_on;
use tokens::{TokenSpec, CLIENT_ID, POOL_ID};
use transport::{FakePlatform, Reply};

const T0: i64 = 1_763_000_000;
const SESSION_KEY: &str = "CognitoWasm.testclient123.session";

fn client(flow: AuthFlow) -> Client<FakePlatform> {
    let config = PoolConfig::new(POOL_ID, CLIENT_ID)
        .unwrap()
        .with_auth_flow(flow);
    Client::new(config, FakePlatform::new(T0, &tokens::jwks_json()))
}

fn record_events(client: &Client<FakePlatform>) -> Rc<RefCell<Vec<&'static str>>> {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&events);
    client.on_auth_change(Box::new(move |e: &AuthEvent| {
        sink.borrow_mut().push(e.as_str())
    }));
    events
}

fn tokens_reply() -> Reply {
    Reply::ok(TokenSpec::new(T0).auth_result(Some("refresh-1")))
}

fn signed_in() -> Client<FakePlatform> {
    let c = client(AuthFlow::UserPassword);
    c.platform().push(tokens_reply());
    block_on(c.sign_in("alice", Password::from("pw"))).unwrap();
    c
}

#[test]
fn srp_sign_in_through_the_client() {
    let c = client(AuthFlow::UserSrp);
    let events = record_events(&c);
    c.platform().push(Reply::ok(
        r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ec6edf3e7a622735bb748e94364b101d","SRP_B":"ff03c091a481afffd56c6b1664ebd0dd3350b3437a15bd7dcd3cc008c40424722571f19ff0f7aed54a5a5da1e622f3626e105dce0119719cdb2a16d6d501a1dd","SECRET_BLOCK":"c2VjcmV0LWJsb2Nr","USERNAME":"alice","USER_ID_FOR_SRP":"alice"}}"#,
    ));
    c.platform().push(tokens_reply());
    let out = block_on(c.sign_in("alice", Password::from("Passw0rd!"))).unwrap();
    assert!(out.is_signed_in);
    assert_eq!(
        c.platform().operations(),
        ["InitiateAuth", "RespondToAuthChallenge"]
    );
    let requests = c.platform().requests.borrow();
    let first = json::parse_object(requests[0].body.as_bytes(), &Limits::default()).unwrap();
    let srp_a = first
        .get_object("AuthParameters")
        .unwrap()
        .get_str("SRP_A")
        .unwrap()
        .to_owned();
    assert!(srp_a.len() > 500 && srp_a.bytes().all(|b| b.is_ascii_hexdigit()));
    let second =
        json::parse_object(c.platform().last_body().as_bytes(), &Limits::default()).unwrap();
    let responses = second.get_object("ChallengeResponses").unwrap();
    assert_eq!(responses.get_str("USERNAME"), Some("alice"));
    assert_eq!(
        responses.get_str("PASSWORD_CLAIM_SECRET_BLOCK"),
        Some("c2VjcmV0LWJsb2Nr")
    );
    assert!(responses
        .get_str("TIMESTAMP")
        .unwrap()
        .ends_with("UTC 2025"));
    assert!(
        second.get("Session").is_none(),
        "no Session came, none is sent"
    );
    drop(requests);
    assert_eq!(*events.borrow(), ["signedIn"]);
}

#[test]
fn wrong_mfa_code_keeps_the_step_for_a_retry() {
    let c = client(AuthFlow::UserPassword);
    let events = record_events(&c);
    c.platform().push(Reply::ok(
        r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"S1","ChallengeParameters":{}}"#,
    ));
    let out = block_on(c.sign_in("alice", Password::from("pw"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(
        out.next_step.sign_in_step,
        SignInStep::ConfirmSignInWithTotpCode
    );

    c.platform()
        .push(Reply::error(400, "CodeMismatchException", "Invalid code"));
    let err = block_on(c.confirm_sign_in(ConfirmSignInInput::new("000000"))).unwrap_err();
    assert_eq!(err.code(), "CodeMismatchException");

    c.platform().push(tokens_reply());
    let out = block_on(c.confirm_sign_in(ConfirmSignInInput::new("123456"))).unwrap();
    assert!(out.is_signed_in);
    assert!(c
        .platform()
        .last_body()
        .contains(r#""SOFTWARE_TOKEN_MFA_CODE":"123456""#));
    assert!(c.platform().last_body().contains(r#""Session":"S1""#));
    assert_eq!(*events.borrow(), ["signedIn"]);
    let err = block_on(c.confirm_sign_in(ConfirmSignInInput::new("1"))).unwrap_err();
    assert_eq!(err.code(), "NoSignInInProgress");
}

#[test]
fn confirm_sign_in_without_a_pending_step() {
    let c = client(AuthFlow::UserPassword);
    let err = block_on(c.confirm_sign_in(ConfirmSignInInput::new("1"))).unwrap_err();
    assert_eq!(err.code(), "NoSignInInProgress");
}

#[test]
fn unconfirmed_user_gets_the_confirm_sign_up_step() {
    let c = client(AuthFlow::UserPassword);
    c.platform().push(Reply::error(
        400,
        "UserNotConfirmedException",
        "User is not confirmed.",
    ));
    let out = block_on(c.sign_in("alice", Password::from("pw"))).unwrap();
    assert!(!out.is_signed_in);
    assert_eq!(out.next_step.sign_in_step, SignInStep::ConfirmSignUp);
    assert!(block_on(c.current_user()).unwrap().is_none());
}

#[test]
fn failed_session_write_means_not_signed_in() {
    let c = client(AuthFlow::UserPassword);
    c.platform().storage_set_fails.set(true);
    c.platform().push(tokens_reply());
    let err = block_on(c.sign_in("alice", Password::from("pw"))).unwrap_err();
    assert_eq!(err.code(), "StorageError");
    assert!(block_on(c.current_user()).unwrap().is_none());
}

#[test]
fn sign_up_confirm_and_resend() {
    let c = client(AuthFlow::UserSrp);
    c.platform().push(Reply::ok(
        r#"{"UserConfirmed":false,"UserSub":"sub-1","CodeDeliveryDetails":{"Destination":"a***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    ));
    let out = block_on(c.sign_up(SignUpInput {
        username: "alice".into(),
        password: Password::from("Passw0rd!"),
        attributes: vec![("email".into(), "a@example.com".into())],
        ..SignUpInput::default()
    }))
    .unwrap();
    assert_eq!(out.user_id.as_deref(), Some("sub-1"));
    assert_eq!(out.next_step.sign_up_step, SignUpStep::ConfirmSignUp);
    c.platform().push(Reply::ok(
        r#"{"CodeDeliveryDetails":{"DeliveryMedium":"EMAIL"}}"#,
    ));
    let details = block_on(c.resend_sign_up_code("alice")).unwrap();
    assert_eq!(details.delivery_medium.as_deref(), Some("EMAIL"));
    c.platform().push(Reply::ok("{}"));
    let out = block_on(c.confirm_sign_up("alice", "123456")).unwrap();
    assert!(out.is_sign_up_complete);
    assert_eq!(
        c.platform().operations(),
        ["SignUp", "ResendConfirmationCode", "ConfirmSignUp"]
    );
}

#[test]
fn account_operations_use_the_access_token() {
    let c = signed_in();
    let access = block_on(c.access_token(false)).unwrap();
    c.platform().push(Reply::ok(
        r#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"alice@example.com"}]}"#,
    ));
    let attributes = block_on(c.fetch_user_attributes()).unwrap();
    assert_eq!(
        attributes,
        [("email".to_owned(), "alice@example.com".to_owned())]
    );
    assert_eq!(
        c.platform().last_body(),
        format!(r#"{{"AccessToken":"{access}"}}"#)
    );

    c.platform().push(Reply::ok("{}"));
    block_on(c.update_password(Password::from("old"), Password::from("new"))).unwrap();
    assert!(c
        .platform()
        .last_body()
        .contains(r#""PreviousPassword":"old","ProposedPassword":"new""#));

    c.platform()
        .push(Reply::ok(r#"{"CodeDeliveryDetailsList":[]}"#));
    let sent = block_on(c.update_user_attributes(vec![("name".into(), "Alice".into())])).unwrap();
    assert!(sent.is_empty());
    assert_eq!(
        c.platform().operations()[1..],
        ["GetUser", "ChangePassword", "UpdateUserAttributes"]
    );
}

#[test]
fn delete_user_ends_the_session() {
    let c = signed_in();
    let events = record_events(&c);
    c.platform().push(Reply::ok("{}"));
    block_on(c.delete_user()).unwrap();
    assert!(c.platform().stored(SESSION_KEY).is_none());
    assert_eq!(*events.borrow(), ["signedOut"]);
    assert_eq!(
        block_on(c.access_token(false)).unwrap_err().code(),
        "NotSignedIn"
    );
}

#[test]
fn reset_password_flow() {
    let c = client(AuthFlow::UserSrp);
    c.platform().push(Reply::ok(
        r#"{"CodeDeliveryDetails":{"Destination":"a***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    ));
    let out = block_on(c.reset_password("alice")).unwrap();
    assert!(!out.is_password_reset);
    c.platform().push(Reply::ok(""));
    block_on(c.confirm_reset_password("alice", "123456", Password::from("N3w!"))).unwrap();
    c.platform()
        .push(Reply::error(400, "ExpiredCodeException", "expired"));
    let err = block_on(c.confirm_reset_password("alice", "1", Password::from("N3w!"))).unwrap_err();
    assert_eq!(err.code(), "ExpiredCodeException");
}

#[test]
fn not_signed_in_operations_fail_clearly() {
    let c = client(AuthFlow::UserSrp);
    assert_eq!(
        block_on(c.fetch_user_attributes()).unwrap_err().code(),
        "NotSignedIn"
    );
    assert_eq!(
        block_on(c.id_token(false)).unwrap_err().code(),
        "NotSignedIn"
    );
    // Signing out while signed out is fine and silent.
    let events = record_events(&c);
    block_on(c.sign_out(false)).unwrap();
    assert!(events.borrow().is_empty());
    assert!(c.platform().requests.borrow().is_empty());
}
