//! A hostile server through a whole sign-in. A `USER_SRP_AUTH` sign-in (app client with a secret) and a
//! `USER_PASSWORD_AUTH` one start with fixed inputs; the records of the input (see src/lib.rs) are the answers
//! to their successive requests, fed to `ExpectResponse::handle`, and every step that asks the user is answered
//! with a fixed answer that suits it. No step may panic; every request sent is a JSON object; what the user is
//! shown is JSON.
#![no_main]

use cognito_wasm::client::Reply;
use cognito_wasm::config::AuthFlow;
use cognito_wasm::flow::sign_in::{self, ExpectResponse, Progress};
use cognito_wasm::flow::ConfirmSignInInput;
use cognito_wasm::secret::{ClientSecret, Password};
use cognito_wasm::{PoolConfig, Result};
use cognito_wasm_fuzz::{
    check_request_body, check_shown, fixed_answer, records, response, touch, tracing,
};
use libfuzzer_sys::fuzz_target;

/// When the SRP timestamp is signed.
const NOW: i64 = 1_725_363_727;

/// More answers than any sign-in takes.
const MAX_STEPS: usize = 16;

fuzz_target!(|data: &[u8]| {
    let answers: Vec<Result<_>> = records(data).take(MAX_STEPS).map(response).collect();
    let configs = [
        config(AuthFlow::UserSrp).with_client_secret(ClientSecret::from("s3cr3t")),
        config(AuthFlow::UserPassword),
    ];
    for config in &configs {
        sign_in(config, &answers);
    }
});

fn config(flow: AuthFlow) -> PoolConfig {
    match PoolConfig::new("us-east-1_AbCdEfGhI", "client1") {
        Ok(config) => config.with_auth_flow(flow),
        Err(e) => panic!("fixed config refused: {e}"),
    }
}

fn sign_in(config: &PoolConfig, answers: &[Result<cognito_wasm::cognito::HttpResponse>]) {
    let (request, mut state) = match sign_in::start(
        config,
        config.auth_flow(),
        "alice",
        Password::from("Password123!"),
        &[0x42; 128],
        None,
        None,
    ) {
        Ok(started) => started,
        Err(e) => panic!("fixed inputs refused: {e}"),
    };
    check_request_body(&request);
    for answer in answers {
        // No HTTP answer: the client reports it, and the sign-in is over.
        let Ok(answer) = answer else {
            return;
        };
        let progress = state.handle(config, answer, NOW, None);
        if tracing() {
            match &progress {
                Ok(progress) => eprintln!("{:?}: {progress:.200?}", config.auth_flow()),
                Err(e) => eprintln!("{:?}: {}: {}", config.auth_flow(), e.code(), e.message()),
            }
        }
        state = match progress {
            Ok(progress) => match next(config, progress) {
                Some(state) => state,
                None => return,
            },
            Err(e) => {
                touch(&e);
                return;
            }
        };
    }
}

/// The state after `progress`, when the sign-in goes on.
fn next(config: &PoolConfig, progress: Progress) -> Option<ExpectResponse> {
    match progress {
        Progress::Send(request, state) => {
            check_request_body(&request);
            Some(state)
        }
        Progress::SignedIn(tokens) => {
            assert!(tokens.expires_in > 0);
            None
        }
        Progress::NeedsInput(output, input) => {
            assert!(!output.is_signed_in);
            check_shown(&Reply::SignIn(output.clone()));
            // A blank answer is refused, or sent as typed (a custom challenge's); either way the step stays.
            if let Ok(Progress::Send(request, _)) =
                input.answer(config, &ConfirmSignInInput::new(" "))
            {
                check_request_body(&request);
            }
            match input.answer(config, &fixed_answer(&output)) {
                Ok(Progress::Send(request, state)) => {
                    check_request_body(&request);
                    Some(state)
                }
                // A local step (choosing what to set up): nothing to send.
                Ok(_) => None,
                Err(e) => {
                    touch(&e);
                    None
                }
            }
        }
        Progress::Stopped(output) => {
            assert!(!output.is_signed_in);
            check_shown(&Reply::SignIn(output));
            None
        }
    }
}
