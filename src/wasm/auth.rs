//! `CognitoAuth`: the JavaScript face of [`Client`], over the browser platform.

use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::to_js_error;
use super::options::{json_to_js, JsObject};
use super::platform;
use super::storage::{KeyValueStore, StorageKind};
use crate::client::{AuthEvent, Client, Platform};
use crate::cognito::{HttpRequest, HttpResponse};
use crate::config::{AuthFlow, PoolConfig, RefreshMethod};
use crate::error::{Error, Result, UsageCode};
use crate::flow::account::SignUpInput;
use crate::flow::to_json::ToJson;
use crate::flow::ConfirmSignInInput;
use crate::json::Object;
use crate::secret::Password;

/// Cognito requests give up after this long unless `requestTimeoutMs` says otherwise.
const DEFAULT_REQUEST_TIMEOUT_MS: u32 = 15_000;
/// Cognito's replies are small; anything bigger is not Cognito.
const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// The browser's half of the sans-IO boundary.
pub(crate) struct BrowserPlatform {
    store: KeyValueStore,
    request_timeout_ms: u32,
}

impl Platform for BrowserPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        platform::send(&request, self.request_timeout_ms, MAX_RESPONSE_BYTES).await
    }

    fn storage_get(&self, key: &str) -> Result<Option<String>> {
        self.store.get(key)
    }

    fn storage_set(&self, key: &str, value: &str) -> Result<()> {
        self.store.set(key, value)
    }

    fn storage_remove(&self, key: &str) -> Result<()> {
        self.store.remove(key)
    }

    fn now_millis(&self) -> i64 {
        platform::now_millis()
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<()> {
        platform::fill_random(buf)
    }
}

type BrowserClient = Client<BrowserPlatform>;

/// A Cognito user-pool client for one app client: sign-up, sign-in, sessions, tokens.
#[wasm_bindgen]
pub struct CognitoAuth {
    client: Rc<BrowserClient>,
    /// The `storage` listener that follows other tabs; removed when the object is freed.
    storage_listener: Option<Closure<dyn FnMut(web_sys::StorageEvent)>>,
}

/// A result object for JavaScript, through the core's JSON and `JSON.parse` (see [`crate::flow::to_json`]).
fn to_js(value: &dyn ToJson) -> Result<JsValue> {
    object_to_js(&value.to_json_object())
}

fn object_to_js(object: &Object) -> Result<JsValue> {
    json_to_js(&object.to_json())
}

/// Runs `work` on a clone of the client and settles a Promise with its outcome.
fn promise<F, Fut>(client: &Rc<BrowserClient>, work: F) -> js_sys::Promise
where
    F: FnOnce(Rc<BrowserClient>) -> Fut + 'static,
    Fut: core::future::Future<Output = Result<JsValue>> + 'static,
{
    super::settle(Box::pin(work(Rc::clone(client))))
}

fn config_from_options(options: &JsObject<'_>) -> Result<(PoolConfig, u32)> {
    let mut config = super::options::pool_config(options)?;
    if let Some(flow) = options.optional_string("authFlow")? {
        let flow = AuthFlow::from_wire(&flow).ok_or_else(|| {
            invalid_config("authFlow must be 'USER_SRP_AUTH' or 'USER_PASSWORD_AUTH'")
        })?;
        config = config.with_auth_flow(flow);
    }
    if let Some(method) = options.optional_string("refreshMethod")? {
        let method = match method.as_str() {
            "REFRESH_TOKEN_AUTH" => RefreshMethod::RefreshTokenAuth,
            "GetTokensFromRefreshToken" => RefreshMethod::GetTokensFromRefreshToken,
            _ => {
                return Err(invalid_config(
                    "refreshMethod must be 'REFRESH_TOKEN_AUTH' or 'GetTokensFromRefreshToken'",
                ))
            }
        };
        config = config.with_refresh_method(method);
    }
    let timeout = match options.optional_number("requestTimeoutMs")? {
        None => DEFAULT_REQUEST_TIMEOUT_MS,
        Some(ms) if (1.0..=600_000.0).contains(&ms) => ms as u32,
        Some(_) => {
            return Err(invalid_config(
                "requestTimeoutMs must be between 1 and 600000",
            ))
        }
    };
    Ok((config, timeout))
}

fn invalid_config(message: &str) -> Error {
    Error::usage(UsageCode::InvalidConfig, message)
}

fn store_from_options(options: &JsObject<'_>) -> Result<KeyValueStore> {
    let value = options.get("storage");
    if value.is_undefined() || value.is_null() {
        let kind = if web_sys::window().is_some() {
            StorageKind::Local
        } else {
            StorageKind::Memory
        };
        return KeyValueStore::open(kind);
    }
    if let Some(name) = value.as_string() {
        let kind = match name.as_str() {
            "local" => StorageKind::Local,
            "session" => StorageKind::Session,
            "memory" => StorageKind::Memory,
            _ => {
                return Err(invalid_config(
                    "storage must be 'local', 'session', 'memory' or an object with getItem/setItem/removeItem",
                ))
            }
        };
        return KeyValueStore::open(kind);
    }
    match value.dyn_into::<js_sys::Object>() {
        Ok(object) => KeyValueStore::custom(object),
        Err(_) => Err(invalid_config(
            "storage must be 'local', 'session', 'memory' or an object with getItem/setItem/removeItem",
        )),
    }
}

/// Follows sign-ins and sign-outs made in other tabs through `localStorage`'s `storage` event.
fn follow_other_tabs(
    client: &Rc<BrowserClient>,
) -> Option<Closure<dyn FnMut(web_sys::StorageEvent)>> {
    if !client.platform().store.is_local_storage() {
        return None;
    }
    let window = web_sys::window()?;
    let weak: Weak<BrowserClient> = Rc::downgrade(client);
    let session_key = client.config().session_storage_key();
    let listener =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            // `key` is null when another tab called localStorage.clear().
            let relevant = event.key().is_none_or(|key| key == session_key);
            if let (true, Some(client)) = (relevant, weak.upgrade()) {
                wasm_bindgen_futures::spawn_local(async move {
                    // A failure here leaves this tab's state as it was; the next call reads storage again.
                    let _ = client.reload_from_storage().await;
                });
            }
        });
    window
        .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(listener)
}

fn string_map_to_js(pairs: &[(String, String)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in pairs {
        // Defining a data property on a fresh ordinary object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object.into()
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Creates a client. Throws a `UsageError` (`InvalidConfig`) when the options are wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoAuthOptions")] options: JsValue,
    ) -> core::result::Result<CognitoAuth, JsValue> {
        let build = || -> Result<CognitoAuth> {
            let options = JsObject::new("CognitoAuth options", options)?;
            let (config, request_timeout_ms) = config_from_options(&options)?;
            let store = store_from_options(&options)?;
            let client = Rc::new(Client::new(
                config,
                BrowserPlatform {
                    store,
                    request_timeout_ms,
                },
            ));
            let storage_listener = follow_other_tabs(&client);
            Ok(CognitoAuth {
                client,
                storage_listener,
            })
        };
        build()
            .map_err(|e| match e {
                // Everything wrong with the constructor's options is a configuration error.
                Error::Usage {
                    code: UsageCode::InvalidArgument,
                    message,
                } => Error::usage(UsageCode::InvalidConfig, message),
                other => other,
            })
            .map_err(|e| to_js_error(&e))
    }

    /// Registers a user: `{ username, password, attributes? }`.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<SignUpOutput>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpInput")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("signUp input", input)?;
            let input = SignUpInput {
                username: input.string("username")?,
                password: Password::new(input.string("password")?),
                attributes: input.optional_string_map("attributes")?,
            };
            to_js(&client.sign_up(input).await?)
        })
    }

    /// Confirms a sign-up with the code that was sent: `{ username, code }`.
    #[wasm_bindgen(js_name = confirmSignUp, unchecked_return_type = "Promise<SignUpOutput>")]
    pub fn confirm_sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ username: string; code: string }")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("confirmSignUp input", input)?;
            let output = client
                .confirm_sign_up(&input.string("username")?, &input.string("code")?)
                .await?;
            to_js(&output)
        })
    }

    /// Sends the sign-up confirmation code again: `{ username }`.
    #[wasm_bindgen(js_name = resendSignUpCode, unchecked_return_type = "Promise<CodeDeliveryDetails>")]
    pub fn resend_sign_up_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ username: string }")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("resendSignUpCode input", input)?;
            to_js(
                &client
                    .resend_sign_up_code(&input.string("username")?)
                    .await?,
            )
        })
    }

    /// Signs in (SRP unless configured otherwise): `{ username, password }`.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<SignInOutput>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ username: string; password: string }")]
        input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("signIn input", input)?;
            let username = input.string("username")?;
            let password = Password::new(input.string("password")?);
            to_js(&client.sign_in(&username, password).await?)
        })
    }

    /// Answers the pending sign-in step: `{ challengeResponse, userAttributes? }`.
    #[wasm_bindgen(js_name = confirmSignIn, unchecked_return_type = "Promise<SignInOutput>")]
    pub fn confirm_sign_in(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ challengeResponse: string; userAttributes?: Record<string, string> }"
        )]
        input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("confirmSignIn input", input)?;
            let input = ConfirmSignInInput {
                challenge_response: input.string("challengeResponse")?,
                user_attributes: input.optional_string_map("userAttributes")?,
            };
            to_js(&client.confirm_sign_in(input).await?)
        })
    }

    /// Signs out: `{ global? }`. Local tokens are cleared even when the network call fails.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ global?: boolean } | undefined")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("signOut input", input)?;
            let global = input.optional_bool("global")?.unwrap_or(false);
            client.sign_out(global).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The signed-in user from the verified ID token, or `null`.
    #[wasm_bindgen(js_name = currentUser, unchecked_return_type = "Promise<CurrentUser | null>")]
    pub fn current_user(&self) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            match client.current_user().await? {
                Some(user) => to_js(&user),
                None => Ok(JsValue::NULL),
            }
        })
    }

    /// A verified access token, refreshed when due: `{ forceRefresh? }`.
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<string>")]
    pub fn get_access_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ forceRefresh?: boolean } | undefined")]
        options: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let options = JsObject::new("getAccessToken options", options)?;
            let force = options.optional_bool("forceRefresh")?.unwrap_or(false);
            Ok(JsValue::from_str(&client.access_token(force).await?))
        })
    }

    /// A verified ID token, refreshed when due: `{ forceRefresh? }`.
    #[wasm_bindgen(js_name = getIdToken, unchecked_return_type = "Promise<string>")]
    pub fn get_id_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ forceRefresh?: boolean } | undefined")]
        options: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let options = JsObject::new("getIdToken options", options)?;
            let force = options.optional_bool("forceRefresh")?.unwrap_or(false);
            Ok(JsValue::from_str(&client.id_token(force).await?))
        })
    }

    /// `fetch` with `Authorization: Bearer <access token>`; on a 401 it refreshes once and retries once. When no
    /// fresher token can be had (offline, or the session has ended), the 401 response itself is the answer.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestInfo | URL")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestInit | undefined")] init: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let template = platform::new_request(&input, &init)?;
            let token = client.access_token(false).await?;
            let response = fetch_with_bearer(&template, &token).await?;
            if response.status() != 401 {
                return Ok(response.into());
            }
            match client.access_token(true).await {
                Ok(fresh) => Ok(fetch_with_bearer(&template, &fresh).await?.into()),
                Err(_) => Ok(response.into()),
            }
        })
    }

    /// Starts the forgot-password flow: `{ username }`.
    #[wasm_bindgen(js_name = resetPassword, unchecked_return_type = "Promise<ResetPasswordOutput>")]
    pub fn reset_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ username: string }")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("resetPassword input", input)?;
            to_js(&client.reset_password(&input.string("username")?).await?)
        })
    }

    /// Finishes the forgot-password flow: `{ username, confirmationCode, newPassword }`.
    #[wasm_bindgen(js_name = confirmResetPassword, unchecked_return_type = "Promise<void>")]
    pub fn confirm_reset_password(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ username: string; confirmationCode: string; newPassword: string }"
        )]
        input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("confirmResetPassword input", input)?;
            client
                .confirm_reset_password(
                    &input.string("username")?,
                    &input.string("confirmationCode")?,
                    Password::new(input.string("newPassword")?),
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Changes the signed-in user's password: `{ oldPassword, newPassword }`.
    #[wasm_bindgen(js_name = updatePassword, unchecked_return_type = "Promise<void>")]
    pub fn update_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ oldPassword: string; newPassword: string }")]
        input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("updatePassword input", input)?;
            client
                .update_password(
                    Password::new(input.string("oldPassword")?),
                    Password::new(input.string("newPassword")?),
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The signed-in user's attributes from Cognito (`GetUser`).
    #[wasm_bindgen(js_name = fetchUserAttributes, unchecked_return_type = "Promise<Record<string, string>>")]
    pub fn fetch_user_attributes(&self) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            Ok(string_map_to_js(&client.fetch_user_attributes().await?))
        })
    }

    /// Updates attributes: `{ userAttributes }`. Resolves, per attribute, to whether it is updated or awaits a code.
    #[wasm_bindgen(
        js_name = updateUserAttributes,
        unchecked_return_type = "Promise<Record<string, UpdateUserAttributeOutput>>"
    )]
    pub fn update_user_attributes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ userAttributes: Record<string, string> }")] input: JsValue,
    ) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            let input = JsObject::new("updateUserAttributes input", input)?;
            let attributes = input.optional_string_map("userAttributes")?;
            if attributes.is_empty() {
                return Err(Error::usage(
                    UsageCode::InvalidArgument,
                    "updateUserAttributes input.userAttributes is required",
                ));
            }
            let names: Vec<String> = attributes.iter().map(|(name, _)| name.clone()).collect();
            let deliveries = client.update_user_attributes(attributes).await?;
            let result = js_sys::Object::new();
            for name in names {
                let delivery = deliveries
                    .iter()
                    .find(|d| d.attribute_name.as_deref() == Some(name.as_str()));
                let mut next_step = Object::new().with(
                    "updateAttributeStep",
                    if delivery.is_some() {
                        "CONFIRM_ATTRIBUTE_WITH_CODE"
                    } else {
                        "DONE"
                    },
                );
                if let Some(delivery) = delivery {
                    next_step.insert("codeDeliveryDetails", delivery.to_json_object());
                }
                // `UpdateUserAttributeOutput`.
                let output = Object::new()
                    .with("isUpdated", delivery.is_none())
                    .with("nextStep", next_step);
                let _ = js_sys::Reflect::set(
                    &result,
                    &JsValue::from_str(&name),
                    &object_to_js(&output)?,
                );
            }
            Ok(result.into())
        })
    }

    /// Deletes the signed-in user, then signs out.
    #[wasm_bindgen(js_name = deleteUser, unchecked_return_type = "Promise<void>")]
    pub fn delete_user(&self) -> js_sys::Promise {
        promise(&self.client, |client| async move {
            client.delete_user().await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Calls `listener({ event })` on sign-in, sign-out and refreshes (also from other tabs).
    /// Returns a function that unsubscribes.
    #[wasm_bindgen(js_name = onAuthChange, unchecked_return_type = "() => void")]
    pub fn on_auth_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(event: AuthChangeEvent) => void")]
        listener: js_sys::Function,
    ) -> JsValue {
        let id = self
            .client
            .on_auth_change(Box::new(move |event: &AuthEvent| {
                let payload = js_sys::Object::new();
                let _ = js_sys::Reflect::set(
                    &payload,
                    &JsValue::from_str("event"),
                    &JsValue::from_str(event.as_str()),
                );
                // A throwing listener must not break the library or the other listeners.
                let _ = listener.call1(&JsValue::NULL, &payload);
            }));
        let weak = Rc::downgrade(&self.client);
        Closure::once_into_js(move || {
            if let Some(client) = weak.upgrade() {
                client.remove_listener(id);
            }
        })
    }
}

impl Drop for CognitoAuth {
    fn drop(&mut self) {
        if let (Some(listener), Some(window)) = (self.storage_listener.take(), web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
        }
    }
}

/// Sends a clone of `template` (so that its body can be sent again) with `Authorization: Bearer <token>`.
async fn fetch_with_bearer(template: &web_sys::Request, token: &str) -> Result<web_sys::Response> {
    let invalid = |e: JsValue| {
        Error::usage(
            UsageCode::InvalidArgument,
            super::error::describe_js_value(&e),
        )
    };
    let request = web_sys::Request::clone(template).map_err(invalid)?;
    request
        .headers()
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(invalid)?;
    platform::fetch_request(&request).await
}
