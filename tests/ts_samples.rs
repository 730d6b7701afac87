//! Samples of every result JavaScript gets, for the TypeScript check of `js/index.d.ts`.
//!
//! The declarations are hand-written; the results' JSON comes from Rust ([`Reply::to_json`], which the wasm
//! `Core.call` returns, over the `ToJson` impls of `src/flow/to_json.rs`). This test writes the JSON of every
//! result shape, once with every optional field present and once minimal (and once per step value), into
//! `target/ts-samples/samples.ts` as
//!
//! ```ts
//! const signIn_full: Awaited<ReturnType<CognitoAuth["signIn"]>> = { ... };
//! ```
//!
//! typed by the declared return type of the method that resolves to it. `tests/node/types.test.mjs` compiles that
//! file with `tsc --strict --noEmit`: a key the declarations do not name (an excess property), a missing required
//! key, a value of the wrong type or a step name outside the declared union fails it.
//!
//! The file is always written under this crate's own `target/` (whatever `CARGO_TARGET_DIR` says), since it
//! imports `../../js/index.js`.
//!
//! What is covered is kept complete by the compiler: [`reply_kind`] matches every [`Reply`] variant and
//! [`all_sign_in_steps`] (and its siblings) every step, with no wildcard, and the test checks that every variant
//! has a sample and that every method named here is one `Core.call` knows.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/tokens.rs"]
mod tokens;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use cognito_wasm::client::input::op_from_json;
use cognito_wasm::client::Reply;
use cognito_wasm::cognito::CodeDeliveryDetails;
use cognito_wasm::flow::user::{DeviceOutput, UserOutput, WebAuthnCredential};
use cognito_wasm::flow::{
    ResetPasswordNextStep, ResetPasswordOutput, ResetPasswordStep, SignInNextStep, SignInOutput,
    SignInStep, SignUpNextStep, SignUpOutput, SignUpStep, TotpSetupDetails,
};
use cognito_wasm::jwt::{verify, Expectations, Jwks, TokenUse, VerifiedToken};
use cognito_wasm::session::{Claims, CurrentUser};
use cognito_wasm::Error;

/// The variant's name; no wildcard, so a new variant must be added here (and then given a sample).
fn reply_kind(reply: &Reply) -> &'static str {
    match reply {
        Reply::Unit => "Unit",
        Reply::SignIn(_) => "SignIn",
        Reply::SignUp(_) => "SignUp",
        Reply::CodeDelivery(_) => "CodeDelivery",
        Reply::ResetPassword(_) => "ResetPassword",
        Reply::User(_) => "User",
        Reply::Token(_) => "Token",
        Reply::Verified(_) => "Verified",
        Reply::Url(_) => "Url",
        Reply::SignedInWithRedirect(_) => "SignedInWithRedirect",
        Reply::Account(output) => match output {
            UserOutput::Done => "Account::Done",
            UserOutput::Attributes(_) => "Account::Attributes",
            UserOutput::AttributeUpdates(_) => "Account::AttributeUpdates",
            UserOutput::AttributeUpdate(_) => "Account::AttributeUpdate",
            UserOutput::CodeDelivery(_) => "Account::CodeDelivery",
            UserOutput::TotpSetup { .. } => "Account::TotpSetup",
            UserOutput::MfaPreference { .. } => "Account::MfaPreference",
            UserOutput::UserDeleted => "Account::UserDeleted",
            UserOutput::Devices(_) => "Account::Devices",
            UserOutput::CredentialCreationOptions(_) => "Account::CredentialCreationOptions",
            UserOutput::WebAuthnCredentials { .. } => "Account::WebAuthnCredentials",
        },
    }
}

/// Every name [`reply_kind`] gives.
const REPLY_KINDS: &[&str] = &[
    "Unit",
    "SignIn",
    "SignUp",
    "CodeDelivery",
    "ResetPassword",
    "User",
    "Token",
    "Verified",
    "Url",
    "SignedInWithRedirect",
    "Account::Done",
    "Account::Attributes",
    "Account::AttributeUpdates",
    "Account::AttributeUpdate",
    "Account::CodeDelivery",
    "Account::TotpSetup",
    "Account::MfaPreference",
    "Account::UserDeleted",
    "Account::Devices",
    "Account::CredentialCreationOptions",
    "Account::WebAuthnCredentials",
];

/// Every sign-in step. The match has no wildcard: a new step fails to compile here until it is listed.
fn all_sign_in_steps() -> Vec<SignInStep> {
    use SignInStep::*;
    let all = vec![
        Done,
        ConfirmSignUp,
        ResetPassword,
        ConfirmSignInWithNewPasswordRequired,
        ConfirmSignInWithTotpCode,
        ConfirmSignInWithSmsCode,
        ConfirmSignInWithEmailCode,
        ContinueSignInWithMfaSelection,
        ContinueSignInWithTotpSetup,
        ContinueSignInWithMfaSetupSelection,
        ContinueSignInWithEmailSetup,
        ContinueSignInWithFirstFactorSelection,
        ConfirmSignInWithPassword,
        ConfirmSignInWithCustomChallenge,
        ConfirmSignInWithPasskey,
    ];
    for step in &all {
        match step {
            Done
            | ConfirmSignUp
            | ResetPassword
            | ConfirmSignInWithNewPasswordRequired
            | ConfirmSignInWithTotpCode
            | ConfirmSignInWithSmsCode
            | ConfirmSignInWithEmailCode
            | ContinueSignInWithMfaSelection
            | ContinueSignInWithTotpSetup
            | ContinueSignInWithMfaSetupSelection
            | ContinueSignInWithEmailSetup
            | ContinueSignInWithFirstFactorSelection
            | ConfirmSignInWithPassword
            | ConfirmSignInWithCustomChallenge
            | ConfirmSignInWithPasskey => {}
        }
    }
    all
}

/// Every sign-up step (see [`all_sign_in_steps`]).
fn all_sign_up_steps() -> Vec<SignUpStep> {
    let all = vec![
        SignUpStep::ConfirmSignUp,
        SignUpStep::CompleteAutoSignIn,
        SignUpStep::Done,
    ];
    for step in &all {
        match step {
            SignUpStep::ConfirmSignUp | SignUpStep::CompleteAutoSignIn | SignUpStep::Done => {}
        }
    }
    all
}

/// Every password-reset step (see [`all_sign_in_steps`]).
fn all_reset_password_steps() -> Vec<ResetPasswordStep> {
    let all = vec![
        ResetPasswordStep::ConfirmResetPasswordWithCode,
        ResetPasswordStep::Done,
    ];
    for step in &all {
        match step {
            ResetPasswordStep::ConfirmResetPasswordWithCode | ResetPasswordStep::Done => {}
        }
    }
    all
}

fn delivery_full() -> CodeDeliveryDetails {
    CodeDeliveryDetails {
        destination: Some("a***@e***.com".into()),
        delivery_medium: Some("EMAIL".into()),
        attribute_name: Some("email".into()),
    }
}

fn sign_in_samples() -> Vec<(String, Reply)> {
    let mut full = SignInNextStep::new(SignInStep::ConfirmSignInWithCustomChallenge);
    full.missing_attributes = Some(vec!["email".into(), "custom:team".into()]);
    full.code_delivery_details = Some(delivery_full());
    full.allowed_mfa_types = Some(vec!["TOTP".into(), "SMS".into(), "EMAIL".into()]);
    full.available_challenges = Some(vec!["PASSWORD".into(), "EMAIL_OTP".into()]);
    full.totp_setup_details = Some(TotpSetupDetails {
        shared_secret: "JBSWY3DPEHPK3PXP".into(),
    });
    full.additional_info = Some(vec![
        ("question".into(), "2 + 2?".into()),
        ("attempt".into(), "1".into()),
    ]);
    let mut samples = vec![
        (
            "full".to_owned(),
            Reply::SignIn(SignInOutput::pending(full)),
        ),
        ("minimal".to_owned(), Reply::SignIn(SignInOutput::done())),
    ];
    for step in all_sign_in_steps() {
        // js/auth.js answers the passkey step itself (navigator.credentials.get): callers never get it.
        if step == SignInStep::ConfirmSignInWithPasskey {
            continue;
        }
        let output = if step == SignInStep::Done {
            SignInOutput::done()
        } else {
            SignInOutput::pending(SignInNextStep::new(step))
        };
        samples.push((format!("step_{}", step.as_str()), Reply::SignIn(output)));
    }
    samples
}

fn sign_up_samples() -> Vec<(String, Reply)> {
    let full = SignUpOutput {
        is_sign_up_complete: false,
        user_id: Some("11111111-2222-3333-4444-555555555555".into()),
        next_step: SignUpNextStep {
            sign_up_step: SignUpStep::ConfirmSignUp,
            code_delivery_details: Some(delivery_full()),
        },
    };
    let minimal = |sign_up_step| SignUpOutput {
        is_sign_up_complete: sign_up_step == SignUpStep::Done,
        user_id: None,
        next_step: SignUpNextStep {
            sign_up_step,
            code_delivery_details: None,
        },
    };
    let mut samples = vec![
        ("full".to_owned(), Reply::SignUp(full)),
        (
            "minimal".to_owned(),
            Reply::SignUp(minimal(SignUpStep::Done)),
        ),
    ];
    for step in all_sign_up_steps() {
        samples.push((
            format!("step_{}", step.as_str()),
            Reply::SignUp(minimal(step)),
        ));
    }
    samples
}

fn reset_password_samples() -> Vec<(String, Reply)> {
    let output = |reset_password_step, code_delivery_details| {
        Reply::ResetPassword(ResetPasswordOutput {
            is_password_reset: false,
            next_step: ResetPasswordNextStep {
                reset_password_step,
                code_delivery_details,
            },
        })
    };
    let mut samples = vec![
        (
            "full".to_owned(),
            output(
                ResetPasswordStep::ConfirmResetPasswordWithCode,
                Some(delivery_full()),
            ),
        ),
        (
            "minimal".to_owned(),
            output(ResetPasswordStep::ConfirmResetPasswordWithCode, None),
        ),
    ];
    for step in all_reset_password_steps() {
        samples.push((format!("step_{}", step.as_str()), output(step, None)));
    }
    samples
}

/// Verified tokens of the tests' key: an ID token with every claim the spec gives, and a bare access token.
fn verified(spec: &tokens::TokenSpec, token_use: TokenUse) -> VerifiedToken {
    let jwks = Jwks::parse(tokens::jwks_json().as_bytes()).expect("test JWKS");
    let token = match token_use {
        TokenUse::Id => spec.id_token(),
        TokenUse::Access => spec.access_token(),
    };
    let expect = Expectations::new(vec![tokens::ISSUER.into()], tokens::CLIENT_ID, token_use);
    verify(&token, &jwks, &expect, spec.iat + 10).expect("the test token verifies")
}

fn user_samples() -> Vec<(String, Reply)> {
    let iat = 1_700_000_000;
    let full_spec = tokens::TokenSpec::new(iat);
    let mut bare_spec = tokens::TokenSpec::new(iat);
    bare_spec.email = None;
    bare_spec.groups.clear();
    bare_spec.origin_jti = None;
    let user = |spec: &tokens::TokenSpec| CurrentUser {
        username: spec.username.clone(),
        user_id: spec.sub.clone(),
        email: spec.email.clone(),
        groups: spec.groups.clone(),
        expires_at: spec.exp * 1000,
        claims: Claims(verified(spec, TokenUse::Id).claims().clone()),
    };
    vec![
        ("full".to_owned(), Reply::User(Some(user(&full_spec)))),
        ("minimal".to_owned(), Reply::User(Some(user(&bare_spec)))),
        ("signedOut".to_owned(), Reply::User(None)),
    ]
}

fn verified_samples() -> Vec<(String, Reply)> {
    let spec = tokens::TokenSpec::new(1_700_000_000);
    let mut bare = spec.clone();
    bare.groups.clear();
    bare.origin_jti = None;
    vec![
        (
            "id".to_owned(),
            Reply::Verified(Box::new(verified(&spec, TokenUse::Id))),
        ),
        (
            "access".to_owned(),
            Reply::Verified(Box::new(verified(&bare, TokenUse::Access))),
        ),
    ]
}

/// Every result, by the JavaScript method it is the result of: `(method, label, reply)`. `verifyToken` is the
/// package's function (its wasm export returns the claims' JSON, as `Reply::Verified` does); the others are
/// `CognitoAuth` methods that go through `Core.call`.
fn samples() -> Vec<(&'static str, String, Reply)> {
    let mut out = Vec::new();
    let mut add = |methods: &[&'static str], samples: Vec<(String, Reply)>| {
        for method in methods {
            for (label, reply) in &samples {
                out.push((*method, label.clone(), reply.clone()));
            }
        }
    };
    add(&["signUp", "confirmSignUp"], sign_up_samples());
    add(
        &["resendSignUpCode"],
        vec![
            ("full".into(), Reply::CodeDelivery(delivery_full())),
            (
                "minimal".into(),
                Reply::CodeDelivery(CodeDeliveryDetails::default()),
            ),
        ],
    );
    add(
        &["signIn", "confirmSignIn", "autoSignIn"],
        sign_in_samples(),
    );
    // The JS entry resolves these to `undefined` (`.then(() => undefined)`), whatever the JSON.
    add(
        &["signOut", "confirmResetPassword"],
        vec![("done".into(), Reply::Unit)],
    );
    // A managed-login session's sign-out, and signInWithRedirect's two calls: the JS entry sends the browser to
    // the URL (or emits the events of a completed callback) and resolves to `undefined`.
    add(
        &["signOut", "signInWithRedirect"],
        vec![(
            "redirect".into(),
            Reply::Url("https://auth.example.com/logout?client_id=c&logout_uri=https%3A%2F%2Fapp.example.com%2F".into()),
        )],
    );
    add(
        &["signInWithRedirect"],
        vec![
            (
                "callback".into(),
                Reply::SignedInWithRedirect(Some("from-the-cart".into())),
            ),
            ("callback_minimal".into(), Reply::SignedInWithRedirect(None)),
        ],
    );
    add(
        &[
            "updatePassword",
            "confirmUserAttribute",
            "deleteUserAttributes",
            "deleteWebAuthnCredential",
            "verifyTOTPSetup",
            "updateMFAPreference",
            "rememberDevice",
            "forgetDevice",
        ],
        vec![("done".into(), Reply::Account(UserOutput::Done))],
    );
    add(
        &["deleteUser"],
        vec![("done".into(), Reply::Account(UserOutput::UserDeleted))],
    );
    add(
        &["updateUserAttribute"],
        vec![
            (
                "code".into(),
                Reply::Account(UserOutput::AttributeUpdate(Some(delivery_full()))),
            ),
            (
                "done".into(),
                Reply::Account(UserOutput::AttributeUpdate(None)),
            ),
        ],
    );
    add(
        &["sendUserAttributeVerificationCode"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::CodeDelivery(delivery_full())),
            ),
            (
                "minimal".into(),
                Reply::Account(UserOutput::CodeDelivery(CodeDeliveryDetails::default())),
            ),
        ],
    );
    add(
        &["setUpTOTP"],
        vec![(
            "secret".into(),
            Reply::Account(UserOutput::TotpSetup {
                shared_secret: "JBSWY3DPEHPK3PXP".into(),
            }),
        )],
    );
    add(
        &["fetchMFAPreference"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::MfaPreference {
                    preferred: Some("TOTP"),
                    enabled: Some(vec!["SMS", "TOTP", "EMAIL"]),
                }),
            ),
            (
                "minimal".into(),
                Reply::Account(UserOutput::MfaPreference {
                    preferred: None,
                    enabled: None,
                }),
            ),
        ],
    );
    add(&["currentUser"], user_samples());
    add(
        &["getAccessToken", "getIdToken"],
        vec![(
            "token".into(),
            Reply::Token("eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.e30.c2ln".into()),
        )],
    );
    add(&["resetPassword"], reset_password_samples());
    add(
        &["fetchUserAttributes"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::Attributes(vec![
                    ("sub".into(), "11111111-2222-3333-4444-555555555555".into()),
                    ("email".into(), "alice@example.com".into()),
                    ("email_verified".into(), "true".into()),
                    ("custom:team".into(), "blue".into()),
                ])),
            ),
            (
                "minimal".into(),
                Reply::Account(UserOutput::Attributes(Vec::new())),
            ),
        ],
    );
    add(
        &["updateUserAttributes"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::AttributeUpdates(vec![
                    ("email".into(), Some(delivery_full())),
                    ("phone_number".into(), Some(CodeDeliveryDetails::default())),
                    ("name".into(), None),
                ])),
            ),
            (
                "minimal".into(),
                Reply::Account(UserOutput::AttributeUpdates(vec![("name".into(), None)])),
            ),
        ],
    );
    add(
        &["fetchDevices"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::Devices(vec![
                    DeviceOutput {
                        id: "us-east-1_0f8e7d6c-1111-4222-8333-444455556666".into(),
                        name: Some("Mozilla/5.0 (X11; Linux x86_64)".into()),
                        attributes: vec![
                            ("device_status".into(), "valid".into()),
                            (
                                "device_name".into(),
                                "Mozilla/5.0 (X11; Linux x86_64)".into(),
                            ),
                            ("last_ip_used".into(), "192.0.2.1".into()),
                        ],
                        create_date: Some(1_763_000_000_123),
                        last_authenticated_date: Some(1_763_000_100_000),
                        last_modified_date: Some(1_763_000_050_000),
                    },
                    DeviceOutput {
                        id: "us-east-1_bare".into(),
                        name: None,
                        attributes: Vec::new(),
                        create_date: None,
                        last_authenticated_date: None,
                        last_modified_date: None,
                    },
                ])),
            ),
            (
                "none".into(),
                Reply::Account(UserOutput::Devices(Vec::new())),
            ),
        ],
    );
    add(&["verifyToken"], verified_samples());
    // js/auth.js runs the ceremony on these options and resolves to nothing.
    let options = r#"{"CredentialCreationOptions":{"challenge":"Y2g","rp":{"id":"localhost","name":"localhost"},"user":{"id":"dQ","name":"alice","displayName":"alice"},"pubKeyCredParams":[{"alg":-7,"type":"public-key"}]}}"#;
    let options =
        cognito_wasm::json::parse_object(options.as_bytes(), &Default::default()).unwrap();
    add(
        &["associateWebAuthnCredential"],
        vec![(
            "done".into(),
            Reply::Account(UserOutput::CredentialCreationOptions(
                cognito_wasm::flow::passkey::creation_options(&options).unwrap(),
            )),
        )],
    );
    let created_at = cognito_wasm::json::parse(b"1765012345.123", &Default::default())
        .unwrap()
        .as_number()
        .cloned();
    add(
        &["listWebAuthnCredentials"],
        vec![
            (
                "full".into(),
                Reply::Account(UserOutput::WebAuthnCredentials {
                    credentials: vec![WebAuthnCredential {
                        credential_id: "a2V5".into(),
                        friendly_credential_name: Some("This device".into()),
                        relying_party_id: Some("example.com".into()),
                        authenticator_attachment: Some("platform".into()),
                        authenticator_transports: vec!["internal".into(), "hybrid".into()],
                        created_at,
                    }],
                    next_token: Some("a2V5".into()),
                }),
            ),
            (
                "minimal".into(),
                Reply::Account(UserOutput::WebAuthnCredentials {
                    credentials: Vec::new(),
                    next_token: None,
                }),
            ),
        ],
    );
    out
}

/// The TypeScript type a method's result has by the declarations.
fn declared_type(method: &str) -> String {
    if method == "verifyToken" {
        "Awaited<ReturnType<typeof verifyToken>>".to_owned()
    } else {
        format!("Awaited<ReturnType<CognitoAuth[\"{method}\"]>>")
    }
}

/// The function js/auth.js adds as `getSetupUri`, as TypeScript.
const GET_SETUP_URI: &str = "(appName: string, accountName?: string) => new URL(`otpauth://totp/${appName}:${accountName}`)";

/// What a JavaScript caller gets for `reply`: the JSON, except where the JS entry resolves to `undefined`.
fn javascript_value(reply: &Reply) -> String {
    match reply {
        Reply::Unit | Reply::Account(UserOutput::Done | UserOutput::UserDeleted) => {
            assert_eq!(reply.to_json(), "null");
            "undefined".to_owned()
        }
        Reply::Url(_) | Reply::SignedInWithRedirect(_) => "undefined".to_owned(),
        Reply::Account(UserOutput::CredentialCreationOptions(_)) => "undefined".to_owned(),
        // js/auth.js makes a Date of `createdAt` (epoch seconds), as Amplify does.
        Reply::Account(UserOutput::WebAuthnCredentials { .. }) => {
            let json = reply.to_json();
            match json.split_once("\"createdAt\":") {
                Some((head, tail)) => {
                    let end = tail.find('}').unwrap();
                    format!(
                        "{head}\"createdAt\":new Date({} * 1000){}",
                        &tail[..end],
                        &tail[end..]
                    )
                }
                None => json,
            }
        }
        // js/auth.js adds Amplify's `getSetupUri` to the secret, on its own and in a sign-in step.
        Reply::Account(UserOutput::TotpSetup { .. }) => {
            format!("{{ ...{}, getSetupUri: {GET_SETUP_URI} }}", reply.to_json())
        }
        Reply::SignIn(output) if output.next_step.totp_setup_details.is_some() => {
            let mut rest = output.clone();
            let details = rest.next_step.totp_setup_details.take();
            let secret = details.map(|d| d.shared_secret).unwrap_or_default();
            let rest = Reply::SignIn(rest).to_json();
            format!(
                "(() => {{ const o: SignInOutput = {rest}; o.nextStep.totpSetupDetails = {{ sharedSecret: {secret:?}, getSetupUri: {GET_SETUP_URI} }}; return o; }})()"
            )
        }
        // js/auth.js turns the dates (milliseconds) into `Date`s, as Amplify gives them.
        Reply::Account(UserOutput::Devices(devices)) => {
            let items: Vec<String> = devices
                .iter()
                .map(|device| {
                    let one = Reply::Account(UserOutput::Devices(vec![device.clone()])).to_json();
                    let object = one.trim_start_matches('[').trim_end_matches(']').to_owned();
                    let mut dates = String::new();
                    for (key, ms) in [
                        ("createDate", device.create_date),
                        ("lastAuthenticatedDate", device.last_authenticated_date),
                        ("lastModifiedDate", device.last_modified_date),
                    ] {
                        if let Some(ms) = ms {
                            write!(dates, ", {key}: new Date({ms})").unwrap();
                        }
                    }
                    format!("{{ ...{object}{dates} }}")
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_json(),
    }
}

/// The samples file's text.
fn samples_ts(samples: &[(&'static str, String, Reply)]) -> String {
    let mut ts = String::from(
        "// Written by tests/ts_samples.rs (cargo test): every result the Rust side produces, typed by the\n\
         // declarations in js/index.d.ts. Compiled by tests/node/types.test.mjs. Do not edit.\n\
         import type { CognitoAuth, SignInOutput, verifyToken } from \"../../js/index.js\";\n\n",
    );
    for (method, label, reply) in samples {
        let name = format!("{method}_{label}").replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        writeln!(
            ts,
            "// {method}: Reply::{}\nexport const {name}: {} = {};",
            reply_kind(reply),
            declared_type(method),
            javascript_value(reply)
        )
        .unwrap();
    }
    ts
}

#[test]
fn every_result_shape_is_written_as_typescript_samples() {
    let samples = samples();

    // Every kind of reply has a sample...
    let kinds: BTreeSet<&str> = samples.iter().map(|(_, _, r)| reply_kind(r)).collect();
    let expected: BTreeSet<&str> = REPLY_KINDS.iter().copied().collect();
    assert_eq!(kinds, expected, "every Reply variant needs a sample");
    // ...and every method named is one `Core.call` knows.
    for (method, _, _) in &samples {
        // Functions of the JS entry alone; associateWebAuthnCredential is two Core calls around the ceremony.
        if matches!(*method, "verifyToken" | "associateWebAuthnCredential") {
            continue;
        }
        if let Err(Error::Usage { message, .. }) = op_from_json(method, "{}") {
            assert!(
                !message.starts_with("there is no method"),
                "{method}: {message}"
            );
        }
    }
    // The keys present are the ones the samples are meant to show (a guard on the samples themselves).
    let find = |method: &str, label: &str| {
        samples
            .iter()
            .find(|(m, l, _)| *m == method && l == label)
            .map(|(_, _, r)| r.to_json())
            .unwrap()
    };
    let full = find("signIn", "full");
    for key in [
        "missingAttributes",
        "codeDeliveryDetails",
        "allowedMFATypes",
        "totpSetupDetails",
        "additionalInfo",
        "attributeName",
    ] {
        assert!(full.contains(&format!("\"{key}\":")), "{key} in {full}");
    }
    assert!(find("currentUser", "full").contains("\"email\":"));
    assert!(!find("currentUser", "minimal").contains("\"email\":"));
    assert!(find("signUp", "full").contains("\"userId\":"));

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ts-samples");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("samples.ts");
    std::fs::write(&path, samples_ts(&samples)).unwrap();
    println!("wrote {} samples to {}", samples.len(), path.display());
}
