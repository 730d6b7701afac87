// `cognito-wasm/amplify`: Amplify v6's auth functions (`aws-amplify/auth`), `Amplify.configure` and `Hub`, over one
// CognitoAuth instance, so that porting an app is a changed import. Results, `nextStep`s, error names and Hub events
// are Amplify's (tests/amplify/ runs one scenario against both and compares every step). What this file adds to the
// native API is only Amplify's packaging: its input checks (same names and messages), its error names, its token
// objects ({ payload, toString() }) and its Hub; every request, token check and storage write is the wasm's.
import { CognitoAuth, CognitoWasmError } from 'cognito-wasm';

export { CognitoWasmError, CognitoWasmError as AuthError };

function fail(name, message, code = 'InvalidArgument') {
  return new CognitoWasmError({ name, code, message });
}

// ---------------------------------------------------------------- Hub

const channels = new Map();

/** Amplify's Hub: `listen(channel, callback)` returns an unsubscribe; callbacks get `{ channel, payload, source }`. */
export const Hub = {
  listen(channel, callback) {
    if (typeof callback !== 'function') throw fail('NoHubcallbackProvidedException', 'No callback supplied to Hub');
    const entry = { callback };
    channels.set(channel, [...(channels.get(channel) ?? []), entry]);
    return () => channels.set(channel, (channels.get(channel) ?? []).filter((other) => other !== entry));
  },
  dispatch(channel, payload, source = '') {
    const capsule = { channel, payload: { ...payload }, source, patternInfo: [] };
    for (const { callback } of channels.get(channel) ?? []) {
      try {
        callback(capsule);
      } catch {
        // As in Amplify: a throwing listener does not stop the others or the library.
      }
    }
  },
};

// ---------------------------------------------------------------- configuration

// Keys of `Auth.Cognito` that only Amplify's UI (the Authenticator) or flows this module has no part in read: they
// change nothing here, so a config written for Amplify passes unchanged (`loginWith.oauth` is read, the rest not).
const IGNORED_COGNITO_KEYS = new Set([
  'loginWith', 'signUpVerificationMethod', 'userAttributes', 'mfa', 'passwordFormat', 'groups', 'allowGuestAccess',
]);
// Keys that would change behaviour this module does not have: refused by name rather than silently dropped.
const UNSUPPORTED_COGNITO_KEYS = {
  identityPoolId: 'AWS credentials (identity pools) are not supported; fetchAuthSession returns tokens only',
  identityPoolEndpoint: 'AWS credentials (identity pools) are not supported',
};

let auth = null;
let config = {};
let unsubscribeNative = null;

function configError(message) {
  return fail('InvalidConfig', `cognito-wasm/amplify: ${message}`, 'InvalidConfig');
}

// amplify_outputs.json's provider names, as Amplify maps them (others are left out, as there).
const OUTPUTS_PROVIDERS = { GOOGLE: 'Google', LOGIN_WITH_AMAZON: 'Amazon', FACEBOOK: 'Facebook', SIGN_IN_WITH_APPLE: 'Apple' };

/** Amplify Gen 2's `amplify_outputs.json` ({ version, auth: { user_pool_id, ... } }) as the Gen 1 shape. */
function fromOutputs(outputs) {
  const { user_pool_id: userPoolId, user_pool_client_id: userPoolClientId, identity_pool_id: identityPoolId, oauth } =
    outputs.auth ?? {};
  const loginWith = oauth && {
    oauth: {
      domain: oauth.domain,
      redirectSignIn: oauth.redirect_sign_in_uri,
      redirectSignOut: oauth.redirect_sign_out_uri,
      responseType: oauth.response_type === 'token' ? 'token' : 'code',
      scopes: oauth.scopes,
      providers: (oauth.identity_providers ?? []).flatMap((name) => OUTPUTS_PROVIDERS[name] ?? []),
    },
  };
  return {
    Auth: {
      Cognito: { userPoolId, userPoolClientId, ...(identityPoolId ? { identityPoolId } : {}), ...(loginWith ? { loginWith } : {}) },
    },
  };
}

/**
 * `loginWith.oauth`, which is the native `oauth` option (the native client checks the rest of it). Amplify needs a
 * `responseType` and has the implicit grant besides the code grant; the native client has only the code grant.
 */
function oauthOption(oauth) {
  if (oauth !== undefined && oauth?.responseType !== 'code') {
    throw configError(`Auth.Cognito.loginWith.oauth.responseType ${JSON.stringify(oauth?.responseType)}: only 'code' (with PKCE) is supported`);
  }
  return oauth;
}

/**
 * `Amplify.configure(config)`: `{ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint? } } }` or an
 * `amplify_outputs.json`, with `loginWith.oauth` (`auth.oauth`) for managed login. Other categories (API, Storage,
 * ...) are not this module's and are ignored; Cognito keys that would change behaviour it lacks (identity pools, the
 * implicit grant) throw `InvalidConfig`, as does a second argument.
 */
export function configure(resourcesConfig, libraryOptions) {
  if (libraryOptions !== undefined) {
    throw configError('the second argument of configure (library options: ssr, token providers, storage) is not supported');
  }
  if (resourcesConfig === null || typeof resourcesConfig !== 'object') throw configError('configure needs an object');
  const resolved = 'version' in resourcesConfig && 'auth' in resourcesConfig ? fromOutputs(resourcesConfig) : resourcesConfig;
  const cognito = resolved.Auth?.Cognito;
  if (!cognito || typeof cognito !== 'object') throw configError('configure needs Auth.Cognito');
  const { userPoolId, userPoolClientId, userPoolEndpoint, ...rest } = cognito;
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'allowGuestAccess' && value) throw configError('Auth.Cognito.allowGuestAccess needs identity pools, which are not supported');
    if (key in UNSUPPORTED_COGNITO_KEYS) throw configError(`Auth.Cognito.${key}: ${UNSUPPORTED_COGNITO_KEYS[key]}`);
    if (!IGNORED_COGNITO_KEYS.has(key)) throw configError(`unknown key Auth.Cognito.${key}`);
  }
  if (!userPoolId || !userPoolClientId) throw configError('Auth.Cognito needs userPoolId and userPoolClientId');
  const oauth = oauthOption(cognito.loginWith?.oauth);
  // Amplify.configure completes a managed-login callback; so does this CognitoAuth (its events come to the Hub).
  let next;
  try {
    next = new CognitoAuth({
      userPoolId,
      clientId: userPoolClientId,
      ...(userPoolEndpoint ? { endpoint: userPoolEndpoint } : {}),
      ...(oauth ? { oauth } : {}),
    });
  } catch (e) {
    throw e?.code === 'InvalidConfig' ? configError(e.message) : e;
  }
  unsubscribeNative?.();
  auth?.free();
  auth = next;
  config = resolved;
  signInDetails = attempt = autoSignInDetails = undefined;
  unsubscribeNative = auth.onAuthChange(({ event, data }) => onNativeEvent(event, data));
}

/** `Amplify` as `aws-amplify` exports it, as far as auth goes. */
export const Amplify = { configure, getConfig: () => config };

// ---------------------------------------------------------------- events

// Amplify dispatches a call's Hub events before the call settles (signedIn carries getCurrentUser()), so events are
// queued and every call waits for the queue before it settles.
let queue = Promise.resolve();
let lastError;
let refreshFailed = false;
// What getCurrentUser reports as signInDetails: the sign-in of this page that led to the session (Amplify keeps it
// with the tokens; here it is not persisted, so a reload or another tab's sign-in has none).
let attempt;
let signInDetails;
let signedOutEvents = 0;
let autoSignInDetails;

function enqueue(task) {
  queue = queue.then(task).catch(() => {});
}

function dispatch(event, data) {
  Hub.dispatch('auth', data === undefined ? { event } : { event, data }, 'Auth');
}

function onNativeEvent(event, data) {
  const current = auth;
  switch (event) {
    // Managed login's callback, in Amplify's order (customOAuthState, signInWithRedirect, then signedIn).
    case 'customOAuthState':
    case 'signInWithRedirect':
      enqueue(() => dispatch(event, data));
      break;
    case 'signInWithRedirect_failure':
      enqueue(() => dispatch(event, { error: callbackError(data.error) }));
      break;
    case 'signedIn':
      signInDetails = attempt;
      enqueue(async () => {
        if (auth !== current) return;
        const user = await authUser().catch(() => undefined);
        if (user) dispatch('signedIn', user);
      });
      break;
    case 'signedOut':
      signInDetails = attempt = undefined;
      signedOutEvents += 1;
      // Amplify ends a session whose refresh token is refused with tokenRefresh_failure alone.
      if (refreshFailed) refreshFailed = false;
      else enqueue(() => dispatch('signedOut'));
      break;
    case 'tokenRefresh':
      enqueue(() => dispatch('tokenRefresh'));
      break;
    case 'tokenRefresh_failure':
    case 'tokenRefreshFailure':
      refreshFailed = true;
      // The refresh's error reaches the call after the event: wait for it, as Amplify's event carries it.
      enqueue(async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        refreshFailed = false;
        const error = lastError;
        lastError = undefined;
        dispatch('tokenRefresh_failure', { error });
      });
      break;
    default:
  }
}

// ---------------------------------------------------------------- calls

/** Our error with Amplify's name: Cognito's exception name, or Amplify's for what it checks itself. */
function amplifyError(e) {
  if (!(e instanceof CognitoWasmError)) return e;
  const name = {
    CognitoServiceError: e.code,
    NotSignedIn: 'UserUnAuthenticatedException',
    AlreadySignedIn: 'UserAlreadyAuthenticatedException',
    NoSignInInProgress: 'SignInException',
    NoAutoSignIn: 'AutoSignInException',
  };
  const amplifyName = name[e.name] ?? name[e.code];
  if (amplifyName) e.name = amplifyName;
  return e;
}

/**
 * A failed managed-login callback's error with Amplify's name: `oauthSignInError` for a state this browser did not
 * start (its validateState), `OAuthSignInException` for Cognito's error and the other failures of the sign-in.
 */
function callbackError(e) {
  if (!(e instanceof CognitoWasmError) || e.name === 'NetworkError') return e;
  const otherState = e.name === 'ProtocolError' && /callback's state/.test(e.message);
  e.name = otherState ? 'oauthSignInError' : 'OAuthSignInException';
  return e;
}

function client() {
  if (!auth) throw fail('AuthUserPoolException', 'Auth UserPool not configured.', 'InvalidConfig');
  return auth;
}

/** Runs one native call: Amplify's error names, and the call settles after the Hub events it caused. */
async function run(call) {
  try {
    const result = await call(client());
    await queue;
    return result;
  } catch (e) {
    const error = amplifyError(e);
    lastError = error;
    await queue;
    throw error;
  }
}

/** Amplify's own input checks, in its order, with its names and messages. */
function check(value, name, message) {
  if (!value) throw fail(name, message);
}

async function authUser() {
  const user = await client().currentUser();
  if (!user) throw fail('UserUnAuthenticatedException', 'User needs to be authenticated to call this API.', 'NotSignedIn');
  return { username: user.username, userId: user.userId, ...(signInDetails ? { signInDetails } : {}) };
}

function decodeJWT(token) {
  const base64 = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return { toString: () => token, payload: JSON.parse(new TextDecoder().decode(bytes)) };
}

export function signUp(input) {
  return run((a) => {
    check(input?.username, 'EmptySignUpUsername', 'username is required to signUp');
    const auto = input.options?.autoSignIn;
    autoSignInDetails = auto ? { loginId: input.username, authFlowType: auto.authFlowType ?? 'USER_SRP_AUTH' } : undefined;
    return a.signUp(input);
  });
}

export function confirmSignUp(input) {
  return run((a) => {
    check(input?.username, 'EmptyConfirmSignUpUsername', 'username is required to confirmSignUp');
    check(input?.confirmationCode, 'EmptyConfirmSignUpCode', 'code is required to confirmSignUp');
    return a.confirmSignUp(input);
  });
}

export function resendSignUpCode(input) {
  return run((a) => {
    // Amplify checks this with its sign-up error (EmptySignUpUsername), not EmptyresendSignUpCodeUsername.
    check(input?.username, 'EmptySignUpUsername', 'username is required to signUp');
    return a.resendSignUpCode(input);
  });
}

export function signIn(input) {
  return run(async (a) => {
    const authFlowType = input?.options?.authFlowType ?? 'USER_SRP_AUTH';
    // Amplify's checks: a password for the SRP and password flows, none for CUSTOM_WITHOUT_SRP, either for USER_AUTH.
    const passwordAsAmplifyWants = authFlowType === 'USER_AUTH' || (authFlowType === 'CUSTOM_WITHOUT_SRP' ? !input?.password : !!input?.password);
    if (!input?.username || !passwordAsAmplifyWants) {
      // Amplify asks whether someone is signed in before it looks at the input.
      if (await a.currentUser()) throw fail('UserAlreadyAuthenticatedException', 'There is already a signed in user.', 'AlreadySignedIn');
      check(input?.username, 'EmptySignInUsername', 'username is required to signIn');
      if (authFlowType === 'CUSTOM_WITHOUT_SRP') {
        check(false, 'CustomAuthSignInPassword', 'A password is not needed when signing in with CUSTOM_WITHOUT_SRP');
      }
      check(false, 'EmptySignInPassword', 'password is required to signIn');
    }
    attempt = { loginId: input.username, authFlowType };
    return a.signIn(input);
  });
}

/** After a `signUp` with `options.autoSignIn` is confirmed: signs that user in. */
export function autoSignIn() {
  return run((a) => {
    attempt = autoSignInDetails;
    return a.autoSignIn();
  });
}

export function confirmSignIn(input) {
  return run((a) => {
    check(input?.challengeResponse, 'EmptyChallengeResponse', 'challengeResponse is required to confirmSignIn');
    return a.confirmSignIn(input);
  });
}

/**
 * Signs out (`{ global: true }`: everywhere); a managed-login session then goes through the domain's `/logout`. Unlike
 * Amplify, a global sign-out Cognito did not confirm rejects.
 */
export function signOut(input) {
  return run(async (a) => {
    if (input?.oauth !== undefined) {
      throw fail('InvalidArgument',
        "signOut's oauth.redirectUrl is not supported: /logout returns to the redirectSignOut URL of the sign-in page's origin");
    }
    const before = signedOutEvents;
    await a.signOut(input?.global ? { global: true } : undefined);
    // Amplify announces a sign-out even when nobody was signed in.
    if (signedOutEvents === before) enqueue(() => dispatch('signedOut'));
  });
}

/**
 * Sends the browser to managed login (`loginWith.oauth`); the page it comes back to completes the sign-in at
 * `Amplify.configure` (Hub: `customOAuthState`, `signInWithRedirect`, `signedIn`, or `signInWithRedirect_failure`).
 */
export function signInWithRedirect(input) {
  return run((a) => {
    if (!config.Auth?.Cognito?.loginWith?.oauth) {
      throw fail('OAuthNotConfigureException', 'oauth param not configured.', 'InvalidConfig');
    }
    return a.signInWithRedirect(input);
  });
}

export function getCurrentUser() {
  return run(() => authUser());
}

/**
 * `{ tokens: { accessToken, idToken, signInDetails? }, credentials, identityId, userSub }`; `tokens` undefined when
 * nobody is signed in or the session's refresh token was refused (as Amplify). The tokens are verified by the wasm.
 */
export async function fetchAuthSession(options) {
  const none = { tokens: undefined, credentials: undefined, identityId: undefined, userSub: undefined };
  if (!auth) return none;
  let access;
  let id;
  try {
    access = await run((a) => a.getAccessToken({ forceRefresh: !!options?.forceRefresh }));
    id = await run((a) => a.getIdToken());
  } catch (e) {
    if (e.name === 'UserUnAuthenticatedException' || String(e.name).startsWith('NotAuthorizedException')) return none;
    throw e;
  }
  const accessToken = decodeJWT(access);
  return {
    tokens: { accessToken, idToken: decodeJWT(id), ...(signInDetails ? { signInDetails } : {}) },
    credentials: undefined,
    identityId: undefined,
    userSub: accessToken.payload.sub,
  };
}

export function resetPassword(input) {
  return run((a) => {
    check(input?.username, 'EmptyResetPasswordUsername', 'username is required to resetPassword');
    return a.resetPassword(input);
  });
}

export function confirmResetPassword(input) {
  return run((a) => {
    check(input?.username, 'EmptyConfirmResetPasswordUsername', 'username is required to confirmResetPassword');
    check(input?.newPassword, 'EmptyConfirmResetPasswordNewPassword', 'newPassword is required to confirmResetPassword');
    check(input?.confirmationCode, 'EmptyConfirmResetPasswordConfirmationCode',
      'confirmationCode is required to confirmResetPassword');
    return a.confirmResetPassword(input);
  });
}

export function updatePassword(input) {
  return run((a) => {
    const message = 'oldPassword and newPassword are required to changePassword';
    check(input?.oldPassword, 'EmptyUpdatePassword', message);
    check(input?.newPassword, 'EmptyUpdatePassword', message);
    return a.updatePassword(input);
  });
}

export function fetchUserAttributes() {
  return run((a) => a.fetchUserAttributes());
}

export function updateUserAttributes(input) {
  return run((a) => a.updateUserAttributes(input));
}

export function deleteUser() {
  return run((a) => a.deleteUser());
}

export function updateUserAttribute(input) {
  return run((a) => a.updateUserAttribute(input));
}

export function sendUserAttributeVerificationCode(input) {
  return run((a) => a.sendUserAttributeVerificationCode(input));
}

export function confirmUserAttribute(input) {
  return run((a) => {
    check(input?.confirmationCode, 'EmptyConfirmUserAttributeCode', 'confirmation code is required to confirmUserAttribute');
    return a.confirmUserAttribute(input);
  });
}

export function deleteUserAttributes(input) {
  return run((a) => a.deleteUserAttributes(input));
}

export function setUpTOTP() {
  return run((a) => a.setUpTOTP());
}

export function verifyTOTPSetup(input) {
  return run((a) => {
    check(input?.code, 'EmptyVerifyTOTPSetupCode', 'code is required to verifyTotpSetup');
    return a.verifyTOTPSetup(input);
  });
}

export function updateMFAPreference(input) {
  return run((a) => a.updateMFAPreference(input));
}

export function fetchMFAPreference() {
  return run((a) => a.fetchMFAPreference());
}

export function rememberDevice() {
  return run((a) => a.rememberDevice());
}

export function forgetDevice(input) {
  return run((a) => a.forgetDevice(input));
}

export function fetchDevices() {
  return run((a) => a.fetchDevices());
}

export function associateWebAuthnCredential() {
  return run((a) => a.associateWebAuthnCredential());
}

export function listWebAuthnCredentials(input) {
  return run((a) => a.listWebAuthnCredentials(input));
}

export function deleteWebAuthnCredential(input) {
  return run((a) => a.deleteWebAuthnCredential(input));
}
