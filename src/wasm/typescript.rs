//! TypeScript declarations for the shapes that cross the JS boundary as plain objects.
//!
//! wasm-bindgen declares the classes and functions; the option and result objects are described here and
//! named in the exports through `unchecked_param_type` / `unchecked_return_type`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
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
  issuer?: string | string[];
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
  | 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE';

export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: {
    signInStep: SignInStep;
    missingAttributes?: string[];
    codeDeliveryDetails?: CodeDeliveryDetails;
    allowedMFATypes?: string[];
    totpSetupDetails?: { sharedSecret: string };
    additionalInfo?: Record<string, string>;
  };
}

export interface SignUpInput {
  username: string;
  password: string;
  /** Standard or `custom:` attributes, e.g. `{ email: 'a@example.com' }`. */
  attributes?: Record<string, string>;
}

export interface SignUpOutput {
  isSignUpComplete: boolean;
  userId?: string;
  nextStep: { signUpStep: 'CONFIRM_SIGN_UP' | 'DONE'; codeDeliveryDetails?: CodeDeliveryDetails };
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

export type AuthChangeEventName = 'signedIn' | 'signedOut' | 'tokenRefresh' | 'tokenRefreshFailure';
export interface AuthChangeEvent { event: AuthChangeEventName }

export interface VerifyTokenOptions {
  userPoolId: string;
  clientId: string;
  tokenUse: 'id' | 'access';
  endpoint?: string;
  issuer?: string | string[];
  /** Where the JWKS is fetched from when `jwks` is not given; default as for `CognitoAuthOptions`. */
  jwksUrl?: string;
  /** A JWKS document, as an object or as JSON text; when given, no request is made. */
  jwks?: { keys: object[] } | string;
  /** The time to check against, in seconds since the epoch; default now. */
  now?: number;
  clockSkewSeconds?: number;
  /** Groups (`cognito:groups`) the token must all carry. */
  groups?: string[];
  /** Scopes (`scope`) the token must all carry. */
  scopes?: string[];
}

/** The `name` of every error this library throws. */
export type CognitoWasmErrorName =
  | 'CognitoServiceError'
  | 'TokenError'
  | 'NetworkError'
  | 'ProtocolError'
  | 'StorageError'
  | 'UsageError';

/** Every error this library throws is an `Error` with a `name` and a stable `code`. */
export interface CognitoWasmError extends Error {
  name: CognitoWasmErrorName;
  code: CognitoErrorCode | TokenErrorCode | OwnErrorCode | (string & {});
}

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
  | 'AlreadySignedIn';
"#;
