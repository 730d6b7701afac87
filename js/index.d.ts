// Types for the package's entry points (`cognito-wasm`: browser, bundlers and Node 20). Hand-written beside the
// result shapes in Rust (src/flow/to_json.rs, src/client/ops.rs) and the inputs it reads (src/client/input.rs,
// src/wasm/verify.rs); tests/node/types.test.mjs checks that every result the client produces has the keys these
// declarations name, and compiles them with `skipLibCheck: false` for a browser app (lib DOM) and a Node back end
// (@types/node, no DOM). So they name only types both environments declare (`Request`, `RequestInit`,
// `Response`, `URL`: not the DOM-only `RequestInfo`), and nothing of the wasm glue's declarations.

/** A synchronous key-value store, e.g. a wrapper over a cookie jar. Asynchronous stores are not supported. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface CognitoAuthOptions {
  /** The user-pool id, e.g. `us-east-1_AbC123`. */
  userPoolId: string;
  /** The app client id (a public client: browsers cannot keep a client secret). */
  clientId: string;
  /** Cognito's endpoint; default `https://cognito-idp.{region}.amazonaws.com/`. Set it for an emulator, a proxy,
   *  FIPS or VPC endpoints. The JWKS is then fetched from `{endpoint}/{userPoolId}/.well-known/jwks.json`. */
  endpoint?: string;
  /** The accepted token issuer(s); default `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. */
  issuer?: string | readonly string[];
  /** Where the pool's JWKS is fetched from, when not from the endpoint (say, requests go through a proxy that
   *  does not serve `/.well-known/`); default as described under `endpoint`. Never taken from a token. */
  jwksUrl?: string;
  /** Where the session is kept: default `'local'` in browsers, `'memory'` where there is no `window`. */
  storage?: 'local' | 'session' | 'memory' | KeyValueStore;
  /** Default `'USER_SRP_AUTH'`: the password never leaves the browser. */
  authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Tolerance for clock differences when checking `exp`, `nbf` and `iat`; default 60, at most 300. */
  clockSkewSeconds?: number;
  /** Per-request timeout; default 15000. */
  requestTimeoutMs?: number;
  /** How tokens are renewed; `'GetTokensFromRefreshToken'` is needed for refresh-token rotation. */
  refreshMethod?: 'REFRESH_TOKEN_AUTH' | 'GetTokensFromRefreshToken';
  /** Origins besides the page's own that `auth.fetch` sends the access token to, e.g.
   *  `['https://api.example.com']`: https, or http only for a loopback host (127.0.0.0/8, `[::1]`, `localhost`);
   *  no path, query or fragment. Without a page (Node), only these count. Default none. */
  apiOrigins?: string | readonly string[];
  /** The `DeviceName` a new device is confirmed with (shown in `fetchDevices`); default `navigator.userAgent`, or
   *  `'Node.js'` where there is none. */
  deviceName?: string;
  /** Managed login (hosted UI) for `signInWithRedirect`, as Amplify's `loginWith.oauth`. */
  oauth?: OAuthConfig;
}

/** Managed login's settings (Amplify's `loginWith.oauth`). */
export interface OAuthConfig {
  /** The pool's domain: `mydomain.auth.us-east-1.amazoncognito.com`, a custom domain, or an http(s) base URL
   *  (plain http only for a loopback host). */
  domain: string;
  /** The scopes to ask for; `openid` must be among them (a session needs an ID token). */
  scopes: readonly string[];
  /** The callback URLs registered with the app client; the one of the page's origin is used. */
  redirectSignIn: readonly string[];
  /** The sign-out URLs registered with the app client; the one of the page's origin is used, else the first. */
  redirectSignOut: readonly string[];
  /** Only the authorization code flow (with PKCE) is supported. */
  responseType?: 'code';
  /** The providers a sign-in UI offers (Amplify UI's list); checked, not used here. */
  providers?: readonly (SignInWithRedirectProvider | { custom: string })[];
}

export type SignInWithRedirectProvider = 'Google' | 'Facebook' | 'Amazon' | 'Apple';

/** `signInWithRedirect`'s input, as Amplify's. */
export interface SignInWithRedirectInput {
  /** The identity provider to go to directly; managed login's own sign-in page without one. */
  provider?: SignInWithRedirectProvider | { custom: string } | { idpIdentifier: string };
  /** Given back with the `customOAuthState` event once signed in. */
  customState?: string;
  options?: {
    loginHint?: string;
    lang?: string;
    nonce?: string;
    prompt?: 'NONE' | 'LOGIN' | 'CONSENT' | 'SELECT_ACCOUNT';
    /** iOS's private authentication session: no effect in a browser (as in Amplify on the web). */
    preferPrivateSession?: boolean;
  };
}

/** A remembered device (Amplify's `AWSAuthDevice`). */
export interface AWSAuthDevice {
  /** The `DeviceKey`. */
  id: string;
  /** The `device_name` attribute: the name the device was confirmed with. */
  name?: string;
  /** Every device attribute (`device_status`, `device_name`, `last_ip_used`, ...). */
  attributes: Record<string, string>;
  createDate?: Date;
  lastAuthenticatedDate?: Date;
  lastModifiedDate?: Date;
}

export interface CodeDeliveryDetails {
  destination?: string;
  deliveryMedium?: 'EMAIL' | 'SMS' | string;
  attributeName?: string;
}

export type SignInStep =
  | 'DONE'
  | 'CONFIRM_SIGN_UP'
  | 'RESET_PASSWORD'
  | 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'
  | 'CONFIRM_SIGN_IN_WITH_TOTP_CODE'
  | 'CONFIRM_SIGN_IN_WITH_SMS_CODE'
  | 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'
  | 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'
  | 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP'
  | 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION'
  | 'CONFIRM_SIGN_IN_WITH_PASSWORD'
  | 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';

/** An authenticator app's enrolment: the shared secret, and the `otpauth://` URI for its QR code. */
export interface TOTPSetupDetails {
  sharedSecret: string;
  /** `otpauth://totp/{appName}:{accountName}?secret=…&issuer={appName}`; `accountName` defaults to the user name. */
  getSetupUri(appName: string, accountName?: string): URL;
}

export type MFAType = 'SMS' | 'TOTP' | 'EMAIL';
export type AuthFlowType = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'CUSTOM_WITH_SRP' | 'CUSTOM_WITHOUT_SRP' | 'USER_AUTH';
/** `USER_AUTH`'s first factors. */
export type AuthFactorType = 'PASSWORD' | 'PASSWORD_SRP' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
export type MFAPreference = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: {
    signInStep: SignInStep;
    missingAttributes?: string[];
    codeDeliveryDetails?: CodeDeliveryDetails;
    allowedMFATypes?: string[];
    totpSetupDetails?: TOTPSetupDetails;
    availableChallenges?: AuthFactorType[];
    additionalInfo?: Record<string, string>;
  };
}

/** A passkey of `listWebAuthnCredentials`. */
export interface AuthWebAuthnCredential {
  credentialId: string;
  friendlyCredentialName?: string;
  relyingPartyId?: string;
  authenticatorAttachment?: 'platform' | 'cross-platform' | (string & {});
  authenticatorTransports: string[];
  createdAt?: Date;
}

export interface ListWebAuthnCredentialsOutput {
  credentials: AuthWebAuthnCredential[];
  nextToken?: string;
}

export interface SignUpInput {
  username: string;
  /** Left out for a password-less user (pools with email or SMS codes as a first factor). */
  password?: string;
  options?: {
    /** Standard or `custom:` attributes, e.g. `{ email: 'a@example.com' }`. */
    userAttributes?: Record<string, string>;
    /** For the pre-sign-up Lambda trigger. */
    validationData?: Record<string, string>;
    clientMetadata?: Record<string, string>;
    /** Sign in with this password once the sign-up is confirmed (`autoSignIn()`); kept in memory only. */
    autoSignIn?:
      | boolean
      | { authFlowType?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH'; clientMetadata?: Record<string, string> };
  };
}

export interface SignUpOutput {
  isSignUpComplete: boolean;
  userId?: string;
  nextStep: { signUpStep: 'CONFIRM_SIGN_UP' | 'COMPLETE_AUTO_SIGN_IN' | 'DONE'; codeDeliveryDetails?: CodeDeliveryDetails };
}

export interface ResetPasswordOutput {
  isPasswordReset: boolean;
  nextStep: {
    resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE' | 'DONE';
    codeDeliveryDetails?: CodeDeliveryDetails;
  };
}

export interface UpdateUserAttributeOutput {
  isUpdated: boolean;
  nextStep: {
    updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE' | 'DONE';
    codeDeliveryDetails?: CodeDeliveryDetails;
  };
}

/** The signed-in user, from the verified ID token. */
export interface CurrentUser {
  username: string;
  /** The `sub` claim. */
  userId: string;
  email?: string;
  groups: string[];
  /** All claims of the verified ID token. */
  claims: Record<string, unknown>;
  /** When the current tokens expire, in milliseconds since the epoch by this device's clock (compare with
   *  `Date.now()`; the client corrects for a device clock that is off Cognito's). */
  expiresAt: number;
}

export type AuthChangeEventName =
  | 'signedIn'
  | 'signedOut'
  | 'tokenRefresh'
  | 'tokenRefresh_failure'
  | 'signInWithRedirect'
  | 'signInWithRedirect_failure'
  | 'customOAuthState';
/** `data`: the `customState` for `customOAuthState`, `{ error }` for `signInWithRedirect_failure`. */
export interface AuthChangeEvent { event: AuthChangeEventName; data?: unknown }

export interface VerifyTokenOptions {
  userPoolId: string;
  clientId: string;
  tokenUse: 'id' | 'access';
  endpoint?: string;
  issuer?: string | readonly string[];
  /** Where the JWKS is fetched from when `jwks` is not given; default as for `CognitoAuthOptions`. */
  jwksUrl?: string;
  /** A JWKS document, as an object or as JSON text; when given, no request is made. */
  jwks?: { keys: readonly object[] } | string;
  /** The time to check against, in whole seconds since the epoch; default now. */
  now?: number;
  clockSkewSeconds?: number;
  /** Groups (`cognito:groups`) the token must all carry. */
  groups?: string | readonly string[];
  /** Scopes (`scope`) the token must all carry. */
  scopes?: string | readonly string[];
}

/** The `name` of every error this library throws. */
export type CognitoWasmErrorName =
  | 'CognitoServiceError'
  | 'TokenError'
  | 'NetworkError'
  | 'ProtocolError'
  | 'StorageError'
  | 'UsageError'
  | 'PasskeyError'
  | 'OAuthError';


export type CognitoErrorCode =
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'UsernameExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InvalidPasswordException'
  | 'InvalidParameterException'
  | 'LimitExceededException'
  | 'TooManyRequestsException'
  | 'TooManyFailedAttemptsException'
  | 'PasswordResetRequiredException'
  | 'ResourceNotFoundException'
  | 'InternalErrorException'
  | 'CodeDeliveryFailureException'
  | 'AliasExistsException'
  | 'UserLambdaValidationException'
  | 'TokenRevokedException'
  | 'RefreshTokenReuseException'
  | 'EnableSoftwareTokenMFAException'
  | 'InvalidLambdaResponseException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'ForbiddenException';

export type TokenErrorCode =
  | 'JwtMalformed'
  | 'JwtTooLarge'
  | 'JwtInvalidAlgorithm'
  | 'JwtMissingKid'
  | 'JwtUnsupportedHeader'
  | 'KidNotFound'
  | 'JwksInvalid'
  | 'JwkInvalid'
  | 'JwkWeakKey'
  | 'JwtInvalidSignature'
  | 'JwtExpired'
  | 'JwtNotYetValid'
  | 'JwtIssuedInFuture'
  | 'JwtLifetimeTooLong'
  | 'JwtMissingClaim'
  | 'JwtInvalidClaim'
  | 'JwtInvalidIssuer'
  | 'JwtInvalidAudience'
  | 'JwtInvalidClientId'
  | 'JwtInvalidTokenUse'
  | 'JwtMissingGroup'
  | 'JwtMissingScope';

export type OwnErrorCode =
  | 'NetworkError'
  | 'ProtocolError'
  | 'StorageError'
  | 'InvalidConfig'
  | 'InvalidArgument'
  | 'NotSignedIn'
  | 'NoSignInInProgress'
  | 'AlreadySignedIn'
  | 'NoAutoSignIn'
  | 'OriginNotAllowed'
  | 'DeviceMetadataNotFound'
  | PasskeyErrorCode;

/** The codes of a `PasskeyError` (the browser's passkey ceremony failed), as Amplify names them. */
export type PasskeyErrorCode =
  | 'PasskeyNotSupported'
  | 'PasskeyAlreadyExists'
  | 'PasskeyRegistrationFailed'
  | 'PasskeyRetrievalFailed'
  | 'PasskeyRegistrationCanceled'
  | 'PasskeyAuthenticationCanceled'
  | 'PasskeyOperationAborted'
  | 'RelyingPartyMismatch';

/** A Cognito user-pool client for one app client: sign-up, sign-in, sessions, tokens. */
export declare class CognitoAuth {
  /** Throws a `CognitoWasmError` (`UsageError`, `InvalidConfig`) when the options are wrong. */
  constructor(options: CognitoAuthOptions);
  /** Registers a user. */
  signUp(input: SignUpInput): Promise<SignUpOutput>;
  /** Confirms a sign-up with the code that was sent. */
  confirmSignUp(input: {
    username: string;
    confirmationCode: string;
    options?: { clientMetadata?: Record<string, string>; forceAliasCreation?: boolean };
  }): Promise<SignUpOutput>;
  /** After `signUp` with `options.autoSignIn` and its confirmation (`COMPLETE_AUTO_SIGN_IN`): signs in. */
  autoSignIn(): Promise<SignInOutput>;
  /** Sends the sign-up confirmation code again. */
  resendSignUpCode(input: {
    username: string;
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<CodeDeliveryDetails>;
  /** Signs in (SRP unless configured otherwise). */
  signIn(input: {
    username: string;
    /** Needed except for `CUSTOM_WITHOUT_SRP` and `USER_AUTH` without a password first factor. */
    password?: string;
    options?: {
      authFlowType?: AuthFlowType;
      /** `USER_AUTH` only: the first factor to use; without it the user chooses among `availableChallenges`. */
      preferredChallenge?: AuthFactorType;
      clientMetadata?: Record<string, string>;
    };
  }): Promise<SignInOutput>;
  /** Answers the pending sign-in step. */
  confirmSignIn(input: {
    challengeResponse: string;
    options?: {
      userAttributes?: Record<string, string>;
      clientMetadata?: Record<string, string>;
      /** The name an authenticator app set up during the sign-in is registered under. */
      friendlyDeviceName?: string;
    };
  }): Promise<SignInOutput>;
  /** Signs out; local tokens are cleared even when the network call fails. */
  signOut(input?: { global?: boolean }): Promise<void>;
  /** Sends the browser to managed login; the page it comes back to completes the sign-in (see `AuthChangeEvent`). */
  signInWithRedirect(input?: SignInWithRedirectInput): Promise<void>;
  /** The signed-in user from the verified ID token, or `null`. */
  currentUser(): Promise<CurrentUser | null>;
  /** A verified access token, refreshed when due. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** A verified ID token, refreshed when due. */
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** `fetch` with `Authorization: Bearer <access token>`, to the page's origin and `apiOrigins` only (elsewhere it
   *  rejects with `UsageError` `OriginNotAllowed`, sending nothing); on a 401 it retries once with a newer token
   *  when there is one (a 401 forces at most one refresh every 10 s), else the 401 is the answer. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Starts the forgot-password flow. */
  resetPassword(input: {
    username: string;
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<ResetPasswordOutput>;
  /** Finishes the forgot-password flow. */
  confirmResetPassword(input: {
    username: string;
    confirmationCode: string;
    newPassword: string;
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<void>;
  /** Changes the signed-in user's password. */
  updatePassword(input: { oldPassword: string; newPassword: string }): Promise<void>;
  /** The signed-in user's attributes from Cognito (`GetUser`). */
  fetchUserAttributes(): Promise<Record<string, string>>;
  /** Updates attributes; resolves, per attribute, to whether it is updated or awaits a code. */
  updateUserAttributes(input: {
    userAttributes: Record<string, string>;
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<Record<string, UpdateUserAttributeOutput>>;
  /** Updates one attribute; an email or phone number may then await a code (`confirmUserAttribute`). */
  updateUserAttribute(input: {
    userAttribute: { attributeKey: string; value: string };
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<UpdateUserAttributeOutput>;
  /** Sends a code to verify `email` or `phone_number`. */
  sendUserAttributeVerificationCode(input: {
    userAttributeKey: string;
    options?: { clientMetadata?: Record<string, string> };
  }): Promise<CodeDeliveryDetails>;
  /** Verifies an attribute with the code that was sent. */
  confirmUserAttribute(input: { userAttributeKey: string; confirmationCode: string }): Promise<void>;
  /** Deletes attributes of the signed-in user. */
  deleteUserAttributes(input: { userAttributeKeys: [string, ...string[]] }): Promise<void>;
  /** Deletes the signed-in user, then signs out. */
  deleteUser(): Promise<void>;
  /** Starts enrolling an authenticator app (`AssociateSoftwareToken`). */
  setUpTOTP(): Promise<TOTPSetupDetails>;
  /** Finishes the enrolment with a code from the app; then `updateMFAPreference({ totp: 'PREFERRED' })`. */
  verifyTOTPSetup(input: { code: string; options?: { friendlyDeviceName?: string } }): Promise<void>;
  /** Enables, disables or prefers MFA factors; a factor left out is left as it is. */
  updateMFAPreference(input: { sms?: MFAPreference; totp?: MFAPreference; email?: MFAPreference }): Promise<void>;
  /** The enabled and the preferred MFA factors. */
  fetchMFAPreference(): Promise<{ preferred?: MFAType; enabled?: MFAType[] }>;
  /** Marks this session's device remembered (`UpdateDeviceStatus`), for pools that remember devices only when
   *  asked; rejects with `UsageError` `DeviceMetadataNotFound` when the session has no device. */
  rememberDevice(): Promise<void>;
  /** Forgets a device (`ForgetDevice`): this session's when none is given, which is then no longer kept here. */
  forgetDevice(input?: { device?: { id: string } }): Promise<void>;
  /** The user's remembered devices (`ListDevices`, up to 60). */
  fetchDevices(): Promise<AWSAuthDevice[]>;
  /** Registers a passkey for the signed-in user (`StartWebAuthnRegistration`, `navigator.credentials.create`,
   *  `CompleteWebAuthnRegistration`). Rejects with a `PasskeyError` when the browser's ceremony fails. */
  associateWebAuthnCredential(): Promise<void>;
  /** One page of the signed-in user's passkeys (`pageSize` 0 to 20). */
  listWebAuthnCredentials(input?: { pageSize?: number; nextToken?: string }): Promise<ListWebAuthnCredentialsOutput>;
  /** Deletes one of the signed-in user's passkeys. */
  deleteWebAuthnCredential(input: { credentialId: string }): Promise<void>;
  /** Calls `listener({ event })` on sign-in, sign-out and refreshes (also from other tabs); returns an unsubscribe. */
  onAuthChange(listener: (event: AuthChangeEvent) => void): () => void;
  /** Stops following other tabs and frees the wasm side; the instance is unusable afterwards. */
  free(): void;
}

/** Verifies a Cognito ID or access token and resolves to its claims. */
export declare function verifyToken(token: string, options: VerifyTokenOptions): Promise<Record<string, unknown>>;

/** The class of every error this library throws: a real `Error` with a stable `name` and `code`. */
export declare class CognitoWasmError extends Error {
  constructor(error: { name: CognitoWasmErrorName; code: string; message: string });
  name: CognitoWasmErrorName;
  code: CognitoErrorCode | TokenErrorCode | OwnErrorCode | (string & {});
}
