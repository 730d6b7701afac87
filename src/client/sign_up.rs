//! Sign-up and its confirmation, and the sign-in that `autoSignIn()` makes after them with the password
//! `signUp` was given (Amplify's `options.autoSignIn`).
//!
//! The password stays in this machine's memory only, from a `signUp` that asked for it until `autoSignIn()`
//! uses it or another sign-up or sign-in replaces it; it is never stored.

use core::task::Poll;

use super::calls::{Io, Kind};
use super::machine::Machine;
use super::ops::Reply;
use super::sign_in::{Credentials, SignIn};
use super::sign_in_secrets::SignInSecrets;
use crate::config::AuthFlow;
use crate::error::{Error, Result, UsageCode};
use crate::flow::account::{self, SignUpInput};
use crate::flow::{SignUpOutput, SignUpStep};
use crate::json::Object;
use crate::secret::Password;

/// How the sign-in after a confirmed sign-up runs (`signUp`'s `options.autoSignIn`).
#[derive(Debug, Clone, Default)]
pub struct AutoSignInOptions {
    /// The flow, when not the configured one.
    pub flow: Option<AuthFlow>,
    /// `ClientMetadata` for the sign-in.
    pub client_metadata: Option<Object>,
}

/// What `autoSignIn()` will sign in with.
pub(crate) struct AutoSignIn {
    username: String,
    password: Password,
    options: AutoSignInOptions,
    /// Whether Cognito has confirmed the user (only then may `autoSignIn()` run).
    confirmed: bool,
}

/// A sign-up call under way.
pub(crate) enum SignUpCall {
    SignUp(Option<Box<AutoSignIn>>),
    Confirm { username: String },
}

pub(crate) fn begin_sign_up(
    input: SignUpInput,
    auto_sign_in: Option<AutoSignInOptions>,
    io: &mut Io,
    m: &mut Machine,
) -> Result<Kind> {
    let request = account::sign_up_request(&m.config, &input)?;
    io.send(m, request);
    let auto = auto_sign_in.map(|options| {
        Box::new(AutoSignIn {
            username: input.username,
            password: input.password,
            options,
            confirmed: false,
        })
    });
    Ok(Kind::SignUp(SignUpCall::SignUp(auto)))
}

pub(crate) fn begin_confirm_sign_up(
    username: String,
    code: &str,
    force_alias_creation: Option<bool>,
    client_metadata: Option<&Object>,
    io: &mut Io,
    m: &mut Machine,
) -> Result<Kind> {
    let request = account::confirm_sign_up_request(
        &m.config,
        &username,
        code,
        force_alias_creation,
        client_metadata,
    )?;
    io.send(m, request);
    Ok(Kind::SignUp(SignUpCall::Confirm { username }))
}

/// `COMPLETE_AUTO_SIGN_IN` for a confirmed sign-up whose auto sign-in is waiting.
fn auto_sign_in_next(output: &mut SignUpOutput, auto: &mut AutoSignIn) {
    if output.is_sign_up_complete {
        auto.confirmed = true;
        output.next_step.sign_up_step = SignUpStep::CompleteAutoSignIn;
    }
}

pub(crate) fn poll_sign_up(
    call: &mut SignUpCall,
    io: &mut Io,
    m: &mut Machine,
) -> Poll<Result<Reply>> {
    let response = wait!(io.answer());
    Poll::Ready(match call {
        SignUpCall::SignUp(auto) => account::sign_up_output(&response).map(|mut output| {
            // A new sign-up replaces any auto sign-in waiting from an earlier one.
            m.auto_sign_in = auto.take().map(|mut auto| {
                auto_sign_in_next(&mut output, &mut auto);
                auto
            });
            Reply::SignUp(output)
        }),
        SignUpCall::Confirm { username } => {
            account::confirm_sign_up_output(&response).map(|mut output| {
                if let Some(auto) = m.auto_sign_in.as_mut().filter(|a| a.username == *username) {
                    auto_sign_in_next(&mut output, auto);
                }
                Reply::SignUp(output)
            })
        }
    })
}

/// `autoSignIn()`: the sign-in with what the confirmed `signUp` was given, once.
pub(crate) fn begin_auto_sign_in(secrets: SignInSecrets, m: &mut Machine) -> Result<Kind> {
    let Some(auto) = m.auto_sign_in.take_if(|auto| auto.confirmed) else {
        return Err(Error::usage(
            UsageCode::NoAutoSignIn,
            "autoSignIn needs a signUp with options.autoSignIn, confirmed first",
        ));
    };
    let AutoSignIn {
        username,
        password,
        options,
        ..
    } = *auto;
    Ok(Kind::SignIn(SignIn::Load(
        Some(Credentials {
            username,
            password,
            flow: options.flow,
            client_metadata: options.client_metadata,
            preferred_challenge: None,
            secrets,
        }),
        None,
    )))
}
