//! The sign-in state machine, in the style of rustls: each state is named after what it expects next.
//!
//! ```text
//! start ──InitiateAuth──▶ ExpectPasswordVerifier ──RespondToAuthChallenge──▶ ExpectAuthResult
//!   └──(USER_PASSWORD_AUTH)──────────────────────────────────────────────────▶ ExpectAuthResult
//! ExpectAuthResult ── tokens ──▶ SignedIn
//!                  ── challenge ──▶ ExpectChallengeAnswer (user input) ──▶ ExpectAuthResult
//!                  ── DEVICE_SRP_AUTH ──▶ ExpectDevicePasswordVerifier ──DEVICE_PASSWORD_VERIFIER──▶ ExpectAuthResult
//!                  ── MFA_SETUP ──AssociateSoftwareToken──▶ ExpectTotpSecret ──▶ ExpectTotpSetupCode (user input)
//!                       ──VerifySoftwareToken──▶ ExpectTotpVerified ──RespondToAuthChallenge──▶ ExpectAuthResult
//! ```
//!
//! [`ExpectResponse::handle`] consumes a server answer; [`ExpectUserInput::answer`] consumes the user's
//! `confirmSignIn` input (by reference, so a rejected code can be retried from the same state).
//! `UserNotConfirmedException` and `PasswordResetRequiredException` end the sign-in with
//! [`Progress::Stopped`] and the `CONFIRM_SIGN_UP` / `RESET_PASSWORD` step instead of an error, as Amplify does.
//!
//! **Remembered devices** (as Amplify v6): the user's remembered device is named by `DEVICE_KEY` in
//! `InitiateAuth` (flows that do not start with SRP), the `PASSWORD_VERIFIER` answer (SRP: the device of
//! `USER_ID_FOR_SRP`) and every challenge answer after it; when Cognito then asks `DEVICE_SRP_AUTH`, the device
//! proves its random password with a fresh SRP exchange (pool name = DeviceGroupKey, user = DeviceKey). The
//! states carry the device named, so the caller can tell which one a "Device does not exist." refers to
//! ([`ExpectResponse::device`]).

use core::fmt;

use super::outputs::{
    CodeDeliveryDetails, SignInNextStep, SignInOutput, SignInStep, TotpSetupDetails,
};
use super::passkey;
use super::secret_hash;
use super::user::with_client_metadata;
use crate::cognito::{
    self, AuthResponse, AuthenticationResult, Challenge, HttpRequest, HttpResponse, Operation,
};
use crate::config::{AuthFlow, PoolConfig};
use crate::device::RememberedDevice;
use crate::error::{CognitoErrorCode, Error, Result, UsageCode};
use crate::json::{self, Object};
use crate::jwt::shown_list;
use crate::secret::Password;
use crate::srp::{self, PasswordVerifierParams, SrpClient};
use crate::text::cat;

/// What happened after a step.
pub enum Progress {
    /// Send this request and hand its answer to the state.
    Send(HttpRequest, ExpectResponse),
    /// Cognito issued tokens (not yet verified: the caller verifies them before storing anything).
    SignedIn(Box<AuthenticationResult>),
    /// The user must answer: show `SignInOutput`, then call [`ExpectUserInput::answer`].
    NeedsInput(SignInOutput, ExpectUserInput),
    /// The sign-in is over without tokens (`CONFIRM_SIGN_UP`, `RESET_PASSWORD`).
    Stopped(SignInOutput),
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Progress::Send(r, s) => f.debug_tuple("Send").field(r).field(s).finish(),
            Progress::SignedIn(t) => f.debug_tuple("SignedIn").field(t).finish(),
            Progress::NeedsInput(o, s) => f.debug_tuple("NeedsInput").field(o).field(s).finish(),
            Progress::Stopped(o) => f.debug_tuple("Stopped").field(o).finish(),
        }
    }
}

/// The user's answer to a sign-in step (Amplify's `confirmSignIn` input).
#[derive(Clone, Default)]
pub struct ConfirmSignInInput {
    /// The code, the new password, the chosen MFA type (`TOTP`, `SMS`, `EMAIL`) or the custom answer.
    pub challenge_response: String,
    /// For `NEW_PASSWORD_REQUIRED`: values for required attributes, by attribute name.
    pub user_attributes: Vec<(String, String)>,
    /// For a TOTP setup: the name the authenticator is registered under (`FriendlyDeviceName`).
    pub friendly_device_name: Option<String>,
    /// `ClientMetadata` for the pool's Lambda triggers.
    pub client_metadata: Option<Object>,
    /// For `CONFIRM_SIGN_IN_WITH_PASSKEY`: what `navigator.credentials.get` gave, in the shape of
    /// `PublicKeyCredential.toJSON()`.
    pub credential: Option<Object>,
}

impl ConfirmSignInInput {
    /// An answer with no attributes.
    pub fn new(challenge_response: impl Into<String>) -> Self {
        ConfirmSignInInput {
            challenge_response: challenge_response.into(),
            ..Self::default()
        }
    }
}

impl fmt::Debug for ConfirmSignInInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfirmSignInInput")
            .field("challenge_response", &"<redacted>")
            .field("user_attributes", &self.user_attributes)
            .field("friendly_device_name", &self.friendly_device_name)
            .field(
                "credential",
                &self.credential.as_ref().map(|_| "<assertion>"),
            )
            .finish_non_exhaustive()
    }
}

/// What a sign-in step may need besides the server's answer.
pub struct Step<'a> {
    /// Now, in Cognito's time (Unix seconds): what the SRP timestamps sign.
    pub now_unix: i64,
    /// `ClientMetadata` for the challenge answers the step sends on its own.
    pub client_metadata: Option<&'a Object>,
    /// The remembered device of a user, by the pool's internal user name (`USER_ID_FOR_SRP`).
    pub device_of: &'a dyn Fn(&str) -> Option<RememberedDevice>,
    /// A fresh SRP secret `a` for the device's SRP, if `DEVICE_SRP_AUTH` comes.
    pub device_srp_a: Option<&'a [u8; srp::EPHEMERAL_BYTES]>,
}

impl Step<'_> {
    /// A step at `now_unix` with no remembered devices.
    pub fn without_devices(now_unix: i64, client_metadata: Option<&Object>) -> Step<'_> {
        Step {
            now_unix,
            client_metadata,
            device_of: &|_| None,
            device_srp_a: None,
        }
    }
}

/// States waiting for a server answer.
pub enum ExpectResponse {
    /// After `InitiateAuth` with `USER_SRP_AUTH`: expects the `PASSWORD_VERIFIER` challenge.
    PasswordVerifier(ExpectPasswordVerifier),
    /// Expects tokens or a challenge.
    AuthResult(ExpectAuthResult),
    /// After `AssociateSoftwareToken`: expects the TOTP secret.
    TotpSecret(ExpectTotpSecret),
    /// After `VerifySoftwareToken`: expects `SUCCESS`.
    TotpVerified(ExpectTotpVerified),
    /// After `DEVICE_SRP_AUTH`: expects the `DEVICE_PASSWORD_VERIFIER` challenge.
    DevicePasswordVerifier(ExpectDevicePasswordVerifier),
}

impl fmt::Debug for ExpectResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpectResponse::PasswordVerifier(_) => "ExpectPasswordVerifier",
            ExpectResponse::AuthResult(_) => "ExpectAuthResult",
            ExpectResponse::TotpSecret(_) => "ExpectTotpSecret",
            ExpectResponse::TotpVerified(_) => "ExpectTotpVerified",
            ExpectResponse::DevicePasswordVerifier(_) => "ExpectDevicePasswordVerifier",
        })
    }
}

/// States waiting for the user.
#[derive(Clone)]
pub enum ExpectUserInput {
    /// An answer to a challenge (code, new password, MFA choice, custom answer).
    ChallengeAnswer(ExpectChallengeAnswer),
    /// A code from the authenticator the user just enrolled.
    TotpSetupCode(ExpectTotpSetupCode),
}

impl fmt::Debug for ExpectUserInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectUserInput::ChallengeAnswer(s) => {
                crate::text::write_parts(f, &["ExpectChallengeAnswer(", &s.challenge_name, ")"])
            }
            ExpectUserInput::TotpSetupCode(_) => f.write_str("ExpectTotpSetupCode"),
        }
    }
}

/// Waiting for `PASSWORD_VERIFIER`.
pub struct ExpectPasswordVerifier {
    // Boxed: the SRP state (a, A) is large and would bloat every state value.
    srp: Box<SrpClient>,
    password: Password,
}

/// Waiting for tokens or a challenge.
pub struct ExpectAuthResult {
    username: String,
    /// `USER_AUTH` before a first factor is chosen: the SRP state for a `PASSWORD_SRP` choice.
    srp: Option<Box<SrpClient>>,
    /// The remembered device this sign-in named.
    device: Option<RememberedDevice>,
    /// After a passkey answer: another `WEB_AUTHN` challenge is refused (as Amplify does), not looped on.
    after_passkey: bool,
}

impl ExpectAuthResult {
    fn new(username: impl Into<String>, device: Option<RememberedDevice>) -> Self {
        ExpectAuthResult {
            username: username.into(),
            srp: None,
            device,
            after_passkey: false,
        }
    }
}

/// Waiting for `DEVICE_PASSWORD_VERIFIER`.
pub struct ExpectDevicePasswordVerifier {
    srp: Box<SrpClient>,
    device: RememberedDevice,
    username: String,
}

/// Waiting for `AssociateSoftwareToken`'s answer.
pub struct ExpectTotpSecret {
    username: String,
}

/// Waiting for `VerifySoftwareToken`'s answer.
pub struct ExpectTotpVerified {
    username: String,
}

/// Waiting for the user's answer to a challenge.
#[derive(Clone)]
pub struct ExpectChallengeAnswer {
    challenge_name: String,
    session: Option<String>,
    username: String,
    missing_attributes: Vec<String>,
    /// The answers the step allows: MFA types, MFA setup types, or `USER_AUTH`'s first factors.
    allowed_mfa_types: Vec<String>,
    /// `USER_AUTH`: the SRP state for a `PASSWORD_SRP` first factor.
    srp: Option<Box<SrpClient>>,
    device: Option<RememberedDevice>,
}

/// Waiting for the first code of a newly enrolled authenticator.
#[derive(Clone)]
pub struct ExpectTotpSetupCode {
    session: Option<String>,
    username: String,
}

/// Starts a sign-in with `flow`. `srp_ephemeral` is the SRP secret `a`: 128 bytes from a
/// CSPRNG (unused with `USER_PASSWORD_AUTH`).
pub fn start(
    config: &PoolConfig,
    flow: AuthFlow,
    username: &str,
    password: Password,
    srp_ephemeral: &[u8; srp::EPHEMERAL_BYTES],
    client_metadata: Option<&Object>,
    preferred_challenge: Option<&str>,
) -> Result<(HttpRequest, ExpectResponse)> {
    start_on_device(
        config,
        flow,
        username,
        password,
        srp_ephemeral,
        client_metadata,
        preferred_challenge,
        None,
    )
}

/// Whether `flow` names the remembered device in `InitiateAuth` (the device of the user as typed), as Amplify
/// does for the flows that do not start with SRP; SRP names `USER_ID_FOR_SRP`'s device when it answers
/// `PASSWORD_VERIFIER` ([`Step::device_of`]).
pub fn names_device_at_start(flow: AuthFlow) -> bool {
    matches!(
        flow,
        AuthFlow::UserPassword | AuthFlow::CustomWithoutSrp | AuthFlow::UserAuth
    )
}

/// [`start`], naming `device` (the remembered device of the user as typed) in `InitiateAuth` when
/// [`names_device_at_start`].
#[allow(clippy::too_many_arguments)]
pub fn start_on_device(
    config: &PoolConfig,
    flow: AuthFlow,
    username: &str,
    password: Password,
    srp_ephemeral: &[u8; srp::EPHEMERAL_BYTES],
    client_metadata: Option<&Object>,
    preferred_challenge: Option<&str>,
    device: Option<RememberedDevice>,
) -> Result<(HttpRequest, ExpectResponse)> {
    let device = device.filter(|_| names_device_at_start(flow));
    if username.is_empty() {
        return Err(Error::usage(
            UsageCode::InvalidArgument,
            "username is required",
        ));
    }
    if flow.needs_password(preferred_challenge) && password.is_empty() {
        return Err(Error::usage(
            UsageCode::InvalidArgument,
            "signIn input.password is required",
        ));
    }
    let srp = || -> Result<Box<SrpClient>> {
        SrpClient::new(srp_ephemeral).map(Box::new).map_err(|e| {
            Error::usage(
                UsageCode::InvalidArgument,
                cat(&["SRP setup failed: ", &e.message()]),
            )
        })
    };
    let mut parameters = Object::new().with("USERNAME", username);
    if flow == AuthFlow::UserAuth {
        if let Some(challenge) = preferred_challenge {
            parameters.insert("PREFERRED_CHALLENGE", challenge);
        }
    }
    let next = match (flow, preferred_challenge) {
        (AuthFlow::UserPassword, _) | (AuthFlow::UserAuth, Some("PASSWORD")) => {
            parameters.insert("PASSWORD", password.expose());
            ExpectResponse::AuthResult(ExpectAuthResult::new(username, device.clone()))
        }
        (AuthFlow::UserSrp | AuthFlow::CustomWithSrp, _)
        | (AuthFlow::UserAuth, Some("PASSWORD_SRP")) => {
            let srp = srp()?;
            parameters.insert("SRP_A", srp.srp_a_hex());
            if flow == AuthFlow::CustomWithSrp {
                // Both SDKs name it so; the Define-Auth-Challenge trigger sees `SRP_A` first.
                parameters.insert("CHALLENGE_NAME", "SRP_A");
            }
            ExpectResponse::PasswordVerifier(ExpectPasswordVerifier { srp, password })
        }
        (AuthFlow::CustomWithoutSrp, _) => {
            ExpectResponse::AuthResult(ExpectAuthResult::new(username, device.clone()))
        }
        (AuthFlow::UserAuth, _) => ExpectResponse::AuthResult(ExpectAuthResult {
            username: username.to_owned(),
            // Kept for a `PASSWORD_SRP` chosen later; the password comes with that answer.
            srp: Some(srp()?),
            device: device.clone(),
            after_passkey: false,
        }),
    };
    if let Some(device) = &device {
        parameters.insert("DEVICE_KEY", device.key());
    }
    if let Some(hash) = secret_hash(config, username) {
        parameters.insert("SECRET_HASH", hash);
    }
    let body = Object::new()
        .with("AuthFlow", flow.wire_name())
        .with("ClientId", config.client_id())
        .with("AuthParameters", parameters);
    let body = with_client_metadata(body, client_metadata);
    Ok((
        cognito::request(config, Operation::InitiateAuth, &body),
        next,
    ))
}

/// Turns the sign-in-ending exceptions into Amplify's steps; other errors stay errors.
fn stop_or_fail(error: Error) -> Result<Progress> {
    let step = match &error {
        Error::Service {
            code: CognitoErrorCode::UserNotConfirmed,
            ..
        } => SignInStep::ConfirmSignUp,
        Error::Service {
            code: CognitoErrorCode::PasswordResetRequired,
            ..
        } => SignInStep::ResetPassword,
        _ => return Err(error),
    };
    Ok(Progress::Stopped(SignInOutput::pending(
        SignInNextStep::new(step),
    )))
}

const DEVICE_GONE: &[u8] = b"Device does not exist";

/// Whether `error` is Cognito saying the device a request named is unknown (never confirmed, or forgotten):
/// both SDKs then drop the stored device and sign in again without it.
pub fn is_unknown_device(error: &Error) -> bool {
    matches!(
        error,
        Error::Service { code: CognitoErrorCode::ResourceNotFound, message }
            // Not `str::contains`: its substring searcher is a kilobyte of wasm for this one use.
            if message.as_bytes().windows(DEVICE_GONE.len()).any(|part| part == DEVICE_GONE)
    )
}

impl ExpectResponse {
    /// Consumes the answer to the request sent with this state, with no remembered device. `now_unix` signs the
    /// SRP timestamp; `client_metadata` goes with the challenge answers this sends on its own.
    pub fn handle(
        self,
        config: &PoolConfig,
        response: &HttpResponse,
        now_unix: i64,
        client_metadata: Option<&Object>,
    ) -> Result<Progress> {
        self.handle_step(
            config,
            response,
            &Step::without_devices(now_unix, client_metadata),
        )
    }

    /// Consumes the answer to the request sent with this state.
    pub fn handle_step(
        self,
        config: &PoolConfig,
        response: &HttpResponse,
        step: &Step<'_>,
    ) -> Result<Progress> {
        let flow = Flow {
            config,
            client_metadata: step.client_metadata,
        };
        let body = match cognito::parse_response(response) {
            Ok(body) => body,
            Err(e) => return stop_or_fail(e),
        };
        match self {
            ExpectResponse::PasswordVerifier(state) => state.handle(&flow, &body, step),
            ExpectResponse::AuthResult(state) => state.handle(&flow, &body, step),
            ExpectResponse::TotpSecret(state) => state.handle(&body),
            ExpectResponse::TotpVerified(state) => state.handle(&flow, &body),
            ExpectResponse::DevicePasswordVerifier(state) => {
                state.handle(&flow, &body, step.now_unix)
            }
        }
    }

    /// The remembered device the request this state waits on named, if any.
    pub fn device(&self) -> Option<&RememberedDevice> {
        match self {
            ExpectResponse::AuthResult(state) => state.device.as_ref(),
            ExpectResponse::DevicePasswordVerifier(state) => Some(&state.device),
            _ => None,
        }
    }
}

impl ExpectPasswordVerifier {
    fn handle(self, flow: &Flow, body: &Object, step: &Step<'_>) -> Result<Progress> {
        let config = flow.config;
        let challenge = match AuthResponse::from_object(body)? {
            AuthResponse::Challenge(c) if c.name == "PASSWORD_VERIFIER" => c,
            AuthResponse::Challenge(c) => {
                return Err(Error::protocol(cat(&[
                    "expected the PASSWORD_VERIFIER challenge, got ",
                    &c.name,
                ])))
            }
            AuthResponse::Authenticated(_) => {
                return Err(Error::protocol(
                    "USER_SRP_AUTH returned tokens before the password was proven",
                ))
            }
        };
        // The SRP identity is the pool's internal name for the user, not what was typed (alias sign-in).
        let user_id = challenge.required_parameter("USER_ID_FOR_SRP")?;
        let pool_name = srp::pool_name(config.user_pool_id()).ok_or_else(|| {
            Error::usage(UsageCode::InvalidConfig, "user pool id has no name part")
        })?;
        let timestamp = srp::format_timestamp(step.now_unix);
        let claim = self
            .srp
            .password_claim(
                &PasswordVerifierParams {
                    pool_name,
                    user_id,
                    password: self.password.expose(),
                    salt_hex: challenge.required_parameter("SALT")?,
                    srp_b_hex: challenge.required_parameter("SRP_B")?,
                    secret_block_b64: challenge.required_parameter("SECRET_BLOCK")?,
                },
                &timestamp,
            )
            .map_err(|e| {
                Error::protocol(cat(&[
                    "PASSWORD_VERIFIER challenge rejected: ",
                    &e.message(),
                ]))
            })?;
        let mut responses = Object::new()
            .with("USERNAME", user_id)
            .with("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block_b64)
            .with("TIMESTAMP", claim.timestamp)
            .with("PASSWORD_CLAIM_SIGNATURE", claim.signature_b64);
        if let Some(hash) = secret_hash(config, user_id) {
            responses.insert("SECRET_HASH", hash);
        }
        let device = (step.device_of)(user_id);
        if let Some(device) = &device {
            responses.insert("DEVICE_KEY", device.key());
        }
        let username = challenge
            .parameter("USERNAME")
            .unwrap_or(user_id)
            .to_owned();
        let request = flow.respond(&challenge.name, challenge.session.as_deref(), responses);
        Ok(Progress::Send(
            request,
            ExpectResponse::AuthResult(ExpectAuthResult::new(username, device)),
        ))
    }
}

impl ExpectDevicePasswordVerifier {
    fn handle(self, flow: &Flow, body: &Object, now_unix: i64) -> Result<Progress> {
        let challenge = match AuthResponse::from_object(body)? {
            AuthResponse::Challenge(c) if c.name == "DEVICE_PASSWORD_VERIFIER" => c,
            _ => {
                return Err(Error::protocol(
                    "expected the DEVICE_PASSWORD_VERIFIER challenge after DEVICE_SRP_AUTH",
                ))
            }
        };
        let timestamp = srp::format_timestamp(now_unix);
        let claim = self
            .srp
            .password_claim(
                &PasswordVerifierParams::for_device(
                    &self.device,
                    challenge.required_parameter("SALT")?,
                    challenge.required_parameter("SRP_B")?,
                    challenge.required_parameter("SECRET_BLOCK")?,
                ),
                &timestamp,
            )
            .map_err(|e| {
                Error::protocol(cat(&[
                    "DEVICE_PASSWORD_VERIFIER challenge rejected: ",
                    &e.message(),
                ]))
            })?;
        let username = challenge
            .parameter("USERNAME")
            .unwrap_or(&self.username)
            .to_owned();
        let mut responses = Object::new()
            .with("USERNAME", username.as_str())
            .with("PASSWORD_CLAIM_SECRET_BLOCK", claim.secret_block_b64)
            .with("TIMESTAMP", claim.timestamp)
            .with("PASSWORD_CLAIM_SIGNATURE", claim.signature_b64)
            .with("DEVICE_KEY", self.device.key());
        if let Some(hash) = secret_hash(flow.config, &username) {
            responses.insert("SECRET_HASH", hash);
        }
        Ok(Progress::Send(
            flow.respond(&challenge.name, challenge.session.as_deref(), responses),
            ExpectResponse::AuthResult(ExpectAuthResult::new(username, Some(self.device))),
        ))
    }
}

/// What every step of one sign-in shares: the pool, and the caller's `ClientMetadata`.
struct Flow<'a> {
    config: &'a PoolConfig,
    client_metadata: Option<&'a Object>,
}

impl Flow<'_> {
    /// `RespondToAuthChallenge`.
    fn respond(
        &self,
        challenge_name: &str,
        session: Option<&str>,
        responses: Object,
    ) -> HttpRequest {
        let mut body = Object::new()
            .with("ChallengeName", challenge_name)
            .with("ClientId", self.config.client_id());
        if let Some(session) = session {
            body.insert("Session", session);
        }
        body.insert("ChallengeResponses", responses);
        let body = with_client_metadata(body, self.client_metadata);
        cognito::request(self.config, Operation::RespondToAuthChallenge, &body)
    }

    /// `AssociateSoftwareToken` for an MFA setup within the sign-in.
    fn associate_software_token(&self, session: Option<&str>, username: String) -> Progress {
        let mut body = Object::new();
        if let Some(session) = session {
            body.insert("Session", session);
        }
        Progress::Send(
            cognito::request(self.config, Operation::AssociateSoftwareToken, &body),
            ExpectResponse::TotpSecret(ExpectTotpSecret { username }),
        )
    }
}

fn unsupported_challenge(name: &str) -> Error {
    Error::protocol(cat(&["sign-in challenge ", name, " is not supported"]))
}

/// Parses a challenge parameter holding a JSON array of strings (`requiredAttributes`, `MFAS_CAN_CHOOSE`).
fn string_list(challenge: &Challenge, name: &str) -> Result<Vec<String>> {
    let Some(text) = challenge.parameter(name) else {
        return Ok(Vec::new());
    };
    let bad = || {
        Error::protocol(cat(&[
            "ChallengeParameters.",
            name,
            " is not a JSON array of strings",
        ]))
    };
    let value = json::parse(text.as_bytes(), &json::Limits::default()).map_err(|_| bad())?;
    // A loop rather than `collect::<Result<_>>()`: each of those is its own iterator adapter in the wasm.
    let mut list = Vec::new();
    for item in value.as_array().ok_or_else(bad)? {
        list.push(item.as_str().ok_or_else(bad)?.to_owned());
    }
    Ok(list)
}

/// Amplify's MFA type names for Cognito's challenge names.
fn mfa_type_name(challenge_name: &str) -> Option<&'static str> {
    match challenge_name {
        "SOFTWARE_TOKEN_MFA" => Some("TOTP"),
        "SMS_MFA" => Some("SMS"),
        "EMAIL_OTP" => Some("EMAIL"),
        _ => None,
    }
}

fn delivery_details(challenge: &Challenge) -> CodeDeliveryDetails {
    CodeDeliveryDetails {
        destination: challenge
            .parameter("CODE_DELIVERY_DESTINATION")
            .map(str::to_owned),
        delivery_medium: challenge
            .parameter("CODE_DELIVERY_DELIVERY_MEDIUM")
            .map(str::to_owned),
        attribute_name: None,
    }
}

/// The MFA types Amplify sets up during a sign-in (`EMAIL`, `TOTP`), of those `MFA_SETUP` offers, in its order.
fn mfa_setup_types(challenge: &Challenge) -> Result<Vec<String>> {
    Ok(string_list(challenge, "MFAS_CAN_SETUP")?
        .iter()
        .filter_map(|name| mfa_type_name(name))
        .filter(|name| matches!(*name, "EMAIL" | "TOTP"))
        .map(str::to_owned)
        .collect())
}

impl ExpectAuthResult {
    /// `DEVICE_SRP_AUTH`: the device proves its password with a fresh SRP exchange.
    fn device_srp(
        self,
        flow: &Flow,
        challenge: &Challenge,
        username: String,
        step: &Step<'_>,
    ) -> Result<Progress> {
        let (Some(device), Some(a)) = (self.device, step.device_srp_a) else {
            return Err(Error::protocol(
                "DEVICE_SRP_AUTH came for a sign-in that named no device",
            ));
        };
        let srp = SrpClient::new(a)
            .map_err(|e| Error::protocol(cat(&["device SRP setup failed: ", &e.message()])))?;
        let mut responses = Object::new()
            .with("USERNAME", username.as_str())
            .with("DEVICE_KEY", device.key())
            .with("SRP_A", srp.srp_a_hex());
        if let Some(hash) = secret_hash(flow.config, &username) {
            responses.insert("SECRET_HASH", hash);
        }
        Ok(Progress::Send(
            flow.respond(&challenge.name, challenge.session.as_deref(), responses),
            ExpectResponse::DevicePasswordVerifier(ExpectDevicePasswordVerifier {
                srp: Box::new(srp),
                device,
                username,
            }),
        ))
    }

    fn handle(self, flow: &Flow, body: &Object, step: &Step<'_>) -> Result<Progress> {
        let challenge = match AuthResponse::from_object(body)? {
            AuthResponse::Authenticated(tokens) => return Ok(Progress::SignedIn(tokens)),
            AuthResponse::Challenge(challenge) => challenge,
        };
        let username = challenge
            .parameter("USERNAME")
            .unwrap_or(&self.username)
            .to_owned();
        if challenge.name == "DEVICE_SRP_AUTH" {
            return self.device_srp(flow, &challenge, username, step);
        }
        let mut step = SignInNextStep::new(SignInStep::Done);
        let mut missing_attributes = Vec::new();
        let mut allowed_mfa_types = Vec::new();
        match challenge.name.as_str() {
            "NEW_PASSWORD_REQUIRED" => {
                step.sign_in_step = SignInStep::ConfirmSignInWithNewPasswordRequired;
                missing_attributes = string_list(&challenge, "requiredAttributes")?
                    .into_iter()
                    .map(|a| a.strip_prefix("userAttributes.").unwrap_or(&a).to_owned())
                    .collect();
                step.missing_attributes = Some(missing_attributes.clone());
            }
            "SOFTWARE_TOKEN_MFA" => step.sign_in_step = SignInStep::ConfirmSignInWithTotpCode,
            "SMS_MFA" | "SMS_OTP" => {
                step.sign_in_step = SignInStep::ConfirmSignInWithSmsCode;
                step.code_delivery_details = Some(delivery_details(&challenge));
            }
            "SELECT_CHALLENGE" => {
                step.sign_in_step = SignInStep::ContinueSignInWithFirstFactorSelection;
                // A top-level member of the answer, not a challenge parameter.
                let bad = || Error::protocol("AvailableChallenges is not an array of strings");
                for item in body.get_array("AvailableChallenges").unwrap_or_default() {
                    allowed_mfa_types.push(item.as_str().ok_or_else(bad)?.to_owned());
                }
                step.available_challenges = Some(allowed_mfa_types.clone());
            }
            "PASSWORD" | "PASSWORD_SRP" => {
                step.sign_in_step = SignInStep::ConfirmSignInWithPassword;
            }
            "EMAIL_OTP" => {
                step.sign_in_step = SignInStep::ConfirmSignInWithEmailCode;
                step.code_delivery_details = Some(delivery_details(&challenge));
            }
            "SELECT_MFA_TYPE" => {
                step.sign_in_step = SignInStep::ContinueSignInWithMfaSelection;
                allowed_mfa_types = string_list(&challenge, "MFAS_CAN_CHOOSE")?
                    .iter()
                    .filter_map(|name| mfa_type_name(name))
                    .map(str::to_owned)
                    .collect();
                step.allowed_mfa_types = Some(allowed_mfa_types.clone());
            }
            "CUSTOM_CHALLENGE" => {
                step.sign_in_step = SignInStep::ConfirmSignInWithCustomChallenge;
                step.additional_info = Some(
                    challenge
                        .parameters
                        .iter()
                        .filter(|(k, _)| k != "USERNAME")
                        .cloned()
                        .collect(),
                );
            }
            "MFA_SETUP" => {
                // Amplify's choice: both offered, the user picks; email alone, the user gives the
                // address; TOTP alone, the secret is fetched at once.
                allowed_mfa_types = mfa_setup_types(&challenge)?;
                match allowed_mfa_types.as_slice() {
                    [only] if only == "TOTP" => {
                        return Ok(
                            flow.associate_software_token(challenge.session.as_deref(), username)
                        )
                    }
                    [only] if only == "EMAIL" => {
                        step.sign_in_step = SignInStep::ContinueSignInWithEmailSetup
                    }
                    [_, _] => {
                        step.sign_in_step = SignInStep::ContinueSignInWithMfaSetupSelection;
                        step.allowed_mfa_types = Some(allowed_mfa_types.clone());
                    }
                    _ => {
                        return Err(Error::protocol(
                            "MFA_SETUP offers no factor that can be set up here (email or TOTP)",
                        ))
                    }
                }
            }
            "WEB_AUTHN" => {
                if self.after_passkey {
                    return Err(Error::protocol(
                        "Cognito asked for a passkey again right after one was given",
                    ));
                }
                step.sign_in_step = SignInStep::ConfirmSignInWithPasskey;
                step.credential_request_options = Some(passkey::request_options(
                    challenge.required_parameter("CREDENTIAL_REQUEST_OPTIONS")?,
                )?);
            }
            other => return Err(unsupported_challenge(other)),
        }
        Ok(Progress::NeedsInput(
            SignInOutput::pending(step),
            ExpectUserInput::ChallengeAnswer(ExpectChallengeAnswer {
                challenge_name: challenge.name,
                session: challenge.session,
                username,
                missing_attributes,
                allowed_mfa_types,
                srp: self.srp,
                device: self.device,
            }),
        ))
    }
}

impl ExpectTotpSecret {
    fn handle(self, body: &Object) -> Result<Progress> {
        let secret = cognito::required_str(body, "AssociateSoftwareToken", "SecretCode")?;
        let session = cognito::optional_str(body, "AssociateSoftwareToken", "Session")?;
        let mut step = SignInNextStep::new(SignInStep::ContinueSignInWithTotpSetup);
        step.totp_setup_details = Some(TotpSetupDetails {
            shared_secret: secret.to_owned(),
        });
        Ok(Progress::NeedsInput(
            SignInOutput::pending(step),
            ExpectUserInput::TotpSetupCode(ExpectTotpSetupCode {
                session: session.map(str::to_owned),
                username: self.username,
            }),
        ))
    }
}

impl ExpectTotpVerified {
    fn handle(self, flow: &Flow, body: &Object) -> Result<Progress> {
        let config = flow.config;
        let status = cognito::required_str(body, "VerifySoftwareToken", "Status")?;
        if status != "SUCCESS" {
            return Err(Error::Service {
                code: CognitoErrorCode::EnableSoftwareTokenMfa,
                message: cat(&["VerifySoftwareToken answered ", status]),
            });
        }
        let session = cognito::optional_str(body, "VerifySoftwareToken", "Session")?;
        let mut responses = Object::new().with("USERNAME", self.username.as_str());
        if let Some(hash) = secret_hash(config, &self.username) {
            responses.insert("SECRET_HASH", hash);
        }
        Ok(Progress::Send(
            flow.respond("MFA_SETUP", session, responses),
            ExpectResponse::AuthResult(ExpectAuthResult::new(self.username, None)),
        ))
    }
}

fn required_answer(input: &ConfirmSignInInput) -> Result<&str> {
    let answer = input.challenge_response.trim();
    if answer.is_empty() {
        return Err(Error::usage(
            UsageCode::InvalidArgument,
            "challengeResponse is required",
        ));
    }
    Ok(answer)
}

impl ExpectUserInput {
    /// The remembered device this sign-in named, if any.
    pub fn device(&self) -> Option<&RememberedDevice> {
        match self {
            ExpectUserInput::ChallengeAnswer(state) => state.device.as_ref(),
            ExpectUserInput::TotpSetupCode(_) => None,
        }
    }

    /// Answers this step with the user's input: the request to send, or (choosing what to set up) the next
    /// step at once. Invalid input is an [`Error::Usage`] and leaves the state usable.
    pub fn answer(&self, config: &PoolConfig, input: &ConfirmSignInInput) -> Result<Progress> {
        let flow = Flow {
            config,
            client_metadata: input.client_metadata.as_ref(),
        };
        match self {
            ExpectUserInput::ChallengeAnswer(state) => state.answer(&flow, input),
            ExpectUserInput::TotpSetupCode(state) => {
                let code = required_answer(input)?;
                let mut body = Object::new().with("UserCode", code);
                if let Some(session) = &state.session {
                    body.insert("Session", session.as_str());
                }
                if let Some(name) = &input.friendly_device_name {
                    body.insert("FriendlyDeviceName", name.as_str());
                }
                Ok(Progress::Send(
                    cognito::request(config, Operation::VerifySoftwareToken, &body),
                    ExpectResponse::TotpVerified(ExpectTotpVerified {
                        username: state.username.clone(),
                    }),
                ))
            }
        }
    }
}

impl ExpectChallengeAnswer {
    /// `MFA_SETUP`: `EMAIL` or `TOTP` chooses what to set up (no request for email: the address comes next);
    /// an answer with `@` is the address for email MFA.
    fn answer_mfa_setup(&self, flow: &Flow, input: &ConfirmSignInInput) -> Result<Progress> {
        let answer = required_answer(input)?;
        let offered = |name: &str| self.allowed_mfa_types.iter().any(|a| a == name);
        if answer == "TOTP" && offered("TOTP") {
            return Ok(
                flow.associate_software_token(self.session.as_deref(), self.username.clone())
            );
        }
        if answer == "EMAIL" && offered("EMAIL") {
            let mut next = self.clone();
            next.allowed_mfa_types = vec!["EMAIL".to_owned()];
            return Ok(Progress::NeedsInput(
                SignInOutput::pending(SignInNextStep::new(
                    SignInStep::ContinueSignInWithEmailSetup,
                )),
                ExpectUserInput::ChallengeAnswer(next),
            ));
        }
        if !(answer.contains('@') && offered("EMAIL")) {
            return Err(Error::usage(
                UsageCode::InvalidArgument,
                cat(&[
                    "challengeResponse must be one of ",
                    &shown_list(&self.allowed_mfa_types),
                    " or, for email, the address",
                ]),
            ));
        }
        let mut responses = Object::new()
            .with("USERNAME", self.username.as_str())
            .with("EMAIL", answer);
        if let Some(hash) = secret_hash(flow.config, &self.username) {
            responses.insert("SECRET_HASH", hash);
        }
        Ok(Progress::Send(
            flow.respond("MFA_SETUP", self.session.as_deref(), responses),
            ExpectResponse::AuthResult(ExpectAuthResult::new(
                self.username.clone(),
                self.device.clone(),
            )),
        ))
    }

    /// `USER_AUTH`: the first factor chosen (a password choice asks for the password first, without a
    /// request), or the password for it.
    fn answer_first_factor(&self, flow: &Flow, input: &ConfirmSignInInput) -> Result<Progress> {
        let mut responses = Object::new().with("USERNAME", self.username.as_str());
        let mut next = ExpectResponse::AuthResult(ExpectAuthResult::new(
            self.username.clone(),
            self.device.clone(),
        ));
        match self.challenge_name.as_str() {
            "PASSWORD" => {
                if input.challenge_response.is_empty() {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        "challengeResponse (the password) is required",
                    ));
                }
                responses.insert("ANSWER", "PASSWORD");
                responses.insert("PASSWORD", input.challenge_response.as_str());
            }
            "PASSWORD_SRP" => {
                let srp = self.srp.clone().ok_or_else(|| {
                    Error::protocol("PASSWORD_SRP was offered to a sign-in that did not start SRP")
                })?;
                if input.challenge_response.is_empty() {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        "challengeResponse (the password) is required",
                    ));
                }
                responses.insert("ANSWER", "PASSWORD_SRP");
                responses.insert("SRP_A", srp.srp_a_hex());
                next = ExpectResponse::PasswordVerifier(ExpectPasswordVerifier {
                    srp,
                    password: Password::new(input.challenge_response.as_str()),
                });
            }
            _ => {
                let choice = required_answer(input)?;
                if !self.allowed_mfa_types.iter().any(|a| a == choice) {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        cat(&[
                            "challengeResponse must be one of ",
                            &shown_list(&self.allowed_mfa_types),
                        ]),
                    ));
                }
                if matches!(choice, "PASSWORD" | "PASSWORD_SRP") {
                    let mut password_step = self.clone();
                    password_step.challenge_name = choice.to_owned();
                    return Ok(Progress::NeedsInput(
                        SignInOutput::pending(SignInNextStep::new(
                            SignInStep::ConfirmSignInWithPassword,
                        )),
                        ExpectUserInput::ChallengeAnswer(password_step),
                    ));
                }
                responses.insert("ANSWER", choice);
            }
        }
        if let Some(hash) = secret_hash(flow.config, &self.username) {
            responses.insert("SECRET_HASH", hash);
        }
        if let Some(device) = &self.device {
            responses.insert("DEVICE_KEY", device.key());
        }
        Ok(Progress::Send(
            flow.respond("SELECT_CHALLENGE", self.session.as_deref(), responses),
            next,
        ))
    }

    fn answer(&self, flow: &Flow, input: &ConfirmSignInInput) -> Result<Progress> {
        match self.challenge_name.as_str() {
            "MFA_SETUP" => return self.answer_mfa_setup(flow, input),
            "SELECT_CHALLENGE" | "PASSWORD" | "PASSWORD_SRP" => {
                return self.answer_first_factor(flow, input)
            }
            _ => {}
        }
        let config = flow.config;
        // The new password is used verbatim (no trimming); codes and choices are trimmed.
        let mut responses = Object::new().with("USERNAME", self.username.as_str());
        match self.challenge_name.as_str() {
            "NEW_PASSWORD_REQUIRED" => {
                if input.challenge_response.is_empty() {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        "challengeResponse (the new password) is required",
                    ));
                }
                let missing: Vec<&str> = self
                    .missing_attributes
                    .iter()
                    .map(String::as_str)
                    .filter(|name| !input.user_attributes.iter().any(|(n, _)| n == name))
                    .collect();
                if !missing.is_empty() {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        cat(&[
                            "userAttributes must include the required ",
                            &shown_list(&missing),
                        ]),
                    ));
                }
                responses.insert("NEW_PASSWORD", input.challenge_response.as_str());
                for (name, value) in &input.user_attributes {
                    responses.insert(cat(&["userAttributes.", name]), value.as_str());
                }
            }
            "SOFTWARE_TOKEN_MFA" => {
                responses.insert("SOFTWARE_TOKEN_MFA_CODE", required_answer(input)?)
            }
            "SMS_MFA" => responses.insert("SMS_MFA_CODE", required_answer(input)?),
            "SMS_OTP" => responses.insert("SMS_OTP_CODE", required_answer(input)?),
            "EMAIL_OTP" => responses.insert("EMAIL_OTP_CODE", required_answer(input)?),
            "SELECT_MFA_TYPE" => {
                let choice = required_answer(input)?;
                let wire = match choice {
                    "TOTP" | "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA",
                    "SMS" | "SMS_MFA" => "SMS_MFA",
                    "EMAIL" | "EMAIL_OTP" => "EMAIL_OTP",
                    _ => "",
                };
                let allowed = mfa_type_name(wire)
                    .is_some_and(|name| self.allowed_mfa_types.iter().any(|a| a == name));
                if !allowed {
                    return Err(Error::usage(
                        UsageCode::InvalidArgument,
                        cat(&[
                            "challengeResponse must be one of ",
                            &shown_list(&self.allowed_mfa_types),
                        ]),
                    ));
                }
                responses.insert("ANSWER", wire);
            }
            "CUSTOM_CHALLENGE" => responses.insert("ANSWER", input.challenge_response.as_str()),
            "WEB_AUTHN" => {
                let credential = input.credential.as_ref().ok_or_else(|| {
                    Error::usage(
                        UsageCode::InvalidArgument,
                        "this step is answered with a passkey (the browser's navigator.credentials.get)",
                    )
                })?;
                responses.insert("CREDENTIAL", passkey::assertion_credential(credential)?);
            }
            other => return Err(unsupported_challenge(other)),
        }
        if let Some(hash) = secret_hash(config, &self.username) {
            responses.insert("SECRET_HASH", hash);
        }
        if let Some(device) = &self.device {
            responses.insert("DEVICE_KEY", device.key());
        }
        let mut next = ExpectAuthResult::new(self.username.clone(), self.device.clone());
        next.after_passkey = self.challenge_name == "WEB_AUTHN";
        Ok(Progress::Send(
            flow.respond(&self.challenge_name, self.session.as_deref(), responses),
            ExpectResponse::AuthResult(next),
        ))
    }
}
