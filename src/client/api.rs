//! [`Client`]'s typed methods: each builds its [`Op`], runs it, and unpacks its [`Reply`].

use super::driver::{Client, Platform};
use super::ops::{Op, Reply};
use crate::error::{Error, Result};
use crate::jwt::TokenUse;
use crate::session::CurrentUser;
// What only the flows (the `flows` feature) use.
#[cfg(feature = "flows")]
use {
    super::sign_in_secrets::SignInSecrets,
    crate::cognito::CodeDeliveryDetails,
    crate::flow::account::SignUpInput,
    crate::flow::user::{UserCall, UserOutput},
    crate::flow::{ConfirmSignInInput, ResetPasswordOutput, SignInOutput, SignUpOutput},
    crate::jwt::VerifiedToken,
    crate::secret::Password,
};

fn wrong_reply() -> Error {
    Error::protocol("the client answered with another kind of value")
}

impl<P: Platform + 'static> Client<P> {
    /// Registers a user (`SignUp`).
    #[cfg(feature = "flows")]
    pub async fn sign_up(&self, input: SignUpInput) -> Result<SignUpOutput> {
        let op = Op::SignUp {
            input,
            auto_sign_in: None,
        };
        match self.call(op).await? {
            Reply::SignUp(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Confirms a registration with its code (`ConfirmSignUp`).
    #[cfg(feature = "flows")]
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<SignUpOutput> {
        let op = Op::ConfirmSignUp {
            username: username.to_owned(),
            code: code.to_owned(),
            force_alias_creation: None,
            client_metadata: None,
        };
        match self.call(op).await? {
            Reply::SignUp(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Sends the sign-up code again (`ResendConfirmationCode`).
    #[cfg(feature = "flows")]
    pub async fn resend_sign_up_code(&self, username: &str) -> Result<CodeDeliveryDetails> {
        let op = Op::ResendSignUpCode {
            username: username.to_owned(),
            client_metadata: None,
        };
        match self.call(op).await? {
            Reply::CodeDelivery(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Starts a sign-in with the configured flow (SRP by default).
    ///
    /// Fails with `AlreadySignedIn` when a session exists (an expired one is refreshed first, and no longer
    /// counts if its refresh token is rejected). `UserNotConfirmedException` and
    /// `PasswordResetRequiredException` come back as the `CONFIRM_SIGN_UP` / `RESET_PASSWORD` steps.
    #[cfg(feature = "flows")]
    pub async fn sign_in(&self, username: &str, password: Password) -> Result<SignInOutput> {
        let op = Op::SignIn {
            username: username.to_owned(),
            password,
            flow: None,
            client_metadata: None,
            preferred_challenge: None,
            secrets: SignInSecrets::zeroed(),
        };
        self.sign_in_reply(op).await
    }

    /// Answers the pending sign-in step. A rejected answer (wrong code) leaves the step pending, so the user
    /// can try again.
    #[cfg(feature = "flows")]
    pub async fn confirm_sign_in(&self, input: ConfirmSignInInput) -> Result<SignInOutput> {
        self.sign_in_reply(Op::ConfirmSignIn {
            input,
            secrets: SignInSecrets::zeroed(),
        })
        .await
    }

    #[cfg(feature = "flows")]
    async fn sign_in_reply(&self, op: Op) -> Result<SignInOutput> {
        match self.call(op).await? {
            Reply::SignIn(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Signs out here, and everywhere with `global` (see [`Op::SignOut`]).
    pub async fn sign_out(&self, global: bool) -> Result<()> {
        self.call(Op::SignOut { global }).await.map(drop)
    }

    /// The signed-in user, or `None`. No network when the tokens and the key set are warm; an expired
    /// session is refreshed first (and reads as `None` if the refresh token was rejected).
    pub async fn current_user(&self) -> Result<Option<CurrentUser>> {
        match self.call(Op::CurrentUser).await? {
            Reply::User(user) => Ok(user),
            _ => Err(wrong_reply()),
        }
    }

    /// The access token, refreshed first when due (or when `force_refresh`).
    pub async fn access_token(&self, force_refresh: bool) -> Result<String> {
        self.token(TokenUse::Access, force_refresh).await
    }

    /// The id token, refreshed first when due (or when `force_refresh`).
    pub async fn id_token(&self, force_refresh: bool) -> Result<String> {
        self.token(TokenUse::Id, force_refresh).await
    }

    async fn token(&self, token_use: TokenUse, force_refresh: bool) -> Result<String> {
        let op = Op::Token {
            token_use,
            force_refresh,
        };
        match self.call(op).await? {
            Reply::Token(token) => Ok(token),
            _ => Err(wrong_reply()),
        }
    }

    /// The access token for a request to `url` (see [`Op::FetchToken`]): `Err` (`OriginNotAllowed`) when the
    /// token may not go there. After a 401 (`rejected`: the token it answered), `None` means "do not retry".
    pub async fn fetch_token(
        &self,
        url: &str,
        page_origin: Option<&str>,
        rejected: Option<&str>,
    ) -> Result<Option<String>> {
        let op = Op::FetchToken {
            url: url.to_owned(),
            page_origin: page_origin.map(str::to_owned),
            rejected: rejected.map(str::to_owned),
        };
        match self.call(op).await? {
            Reply::Token(token) => Ok(Some(token)),
            Reply::Unit => Ok(None),
            _ => Err(wrong_reply()),
        }
    }

    /// Verifies any token of this pool and client with the client's key set (fetched when needed).
    #[cfg(feature = "flows")]
    pub async fn verify_token(&self, token: &str, token_use: TokenUse) -> Result<VerifiedToken> {
        let op = Op::VerifyToken {
            token: token.to_owned(),
            token_use,
        };
        match self.call(op).await? {
            Reply::Verified(token) => Ok(*token),
            _ => Err(wrong_reply()),
        }
    }

    /// Drops the in-memory session and reads storage again (call it when another tab changed it). Emits
    /// `signedIn` / `signedOut` when the signed-in user changed, `tokenRefresh` when the same user's tokens
    /// did (another tab refreshed them).
    pub async fn reload_from_storage(&self) -> Result<()> {
        self.call(Op::Reload).await.map(drop)
    }

    /// Starts a password reset (`ForgotPassword`).
    #[cfg(feature = "flows")]
    pub async fn reset_password(&self, username: &str) -> Result<ResetPasswordOutput> {
        let op = Op::ResetPassword {
            username: username.to_owned(),
            client_metadata: None,
        };
        match self.call(op).await? {
            Reply::ResetPassword(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Finishes a password reset (`ConfirmForgotPassword`).
    #[cfg(feature = "flows")]
    pub async fn confirm_reset_password(
        &self,
        username: &str,
        code: &str,
        new_password: Password,
    ) -> Result<()> {
        let op = Op::ConfirmResetPassword {
            username: username.to_owned(),
            code: code.to_owned(),
            new_password,
            client_metadata: None,
        };
        self.call(op).await.map(drop)
    }

    /// Sends one call on the signed-in user (see [`UserCall`]'s constructors for every operation).
    #[cfg(feature = "flows")]
    pub async fn account(&self, call: UserCall) -> Result<UserOutput> {
        match self.call(Op::User(call)).await? {
            Reply::Account(output) => Ok(output),
            _ => Err(wrong_reply()),
        }
    }

    /// Changes the signed-in user's password (`ChangePassword`).
    #[cfg(feature = "flows")]
    pub async fn update_password(
        &self,
        old_password: Password,
        new_password: Password,
    ) -> Result<()> {
        let call = UserCall::update_password(&old_password, &new_password)?;
        self.account(call).await.map(drop)
    }

    /// The signed-in user's attributes (`GetUser`), as `(name, value)` pairs.
    #[cfg(feature = "flows")]
    pub async fn fetch_user_attributes(&self) -> Result<Vec<(String, String)>> {
        match self.account(UserCall::fetch_user_attributes()).await? {
            UserOutput::Attributes(attributes) => Ok(attributes),
            _ => Err(wrong_reply()),
        }
    }

    /// Updates attributes (`UpdateUserAttributes`); returns where verification codes went.
    #[cfg(feature = "flows")]
    pub async fn update_user_attributes(
        &self,
        attributes: Vec<(String, String)>,
    ) -> Result<Vec<CodeDeliveryDetails>> {
        let call = UserCall::update_user_attributes(&attributes, None, false)?;
        match self.account(call).await? {
            UserOutput::AttributeUpdates(updates) => Ok(updates
                .into_iter()
                .filter_map(|(_, delivery)| delivery)
                .collect()),
            _ => Err(wrong_reply()),
        }
    }

    /// Deletes the signed-in user (`DeleteUser`), then ends the local session (`signedOut`).
    #[cfg(feature = "flows")]
    pub async fn delete_user(&self) -> Result<()> {
        self.account(UserCall::delete_user()).await.map(drop)
    }
}
