// Types for the package's entry points (`cognito-wasm`: browser, bundlers and Node 20). Hand-written beside the
// result shapes in Rust (src/flow/to_json.rs, src/client/ops.rs); tests/node/types.test.mjs checks that every
// result the client produces has the keys these declarations name.

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
  /** Origins besides the page's own that `auth.fetch` sends the access token to, e.g.
   *  `['https://api.example.com']`: https, or http only for a loopback host (127.0.0.0/8, `[::1]`, `localhost`);
   *  no path, query or fragment. Without a page (Node), only these count. Default none. */
  apiOrigins?: string[];
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
  /** `userAttributes`: standard or `custom:` attributes, e.g. `{ email: 'a@example.com' }`. */
  options?: { userAttributes?: Record<string, string> };
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

export type AuthChangeEventName = 'signedIn' | 'signedOut' | 'tokenRefresh' | 'tokenRefresh_failure';
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
  | 'OriginNotAllowed';

/** A Cognito user-pool client for one app client: sign-up, sign-in, sessions, tokens. */
export declare class CognitoAuth {
  /** Throws a `CognitoWasmError` (`UsageError`, `InvalidConfig`) when the options are wrong. */
  constructor(options: CognitoAuthOptions);
  /** Registers a user. */
  signUp(input: SignUpInput): Promise<SignUpOutput>;
  /** Confirms a sign-up with the code that was sent. */
  confirmSignUp(input: { username: string; confirmationCode: string }): Promise<SignUpOutput>;
  /** Sends the sign-up confirmation code again. */
  resendSignUpCode(input: { username: string }): Promise<CodeDeliveryDetails>;
  /** Signs in (SRP unless configured otherwise). */
  signIn(input: {
    username: string;
    password: string;
    options?: { authFlowType?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' };
  }): Promise<SignInOutput>;
  /** Answers the pending sign-in step. */
  confirmSignIn(input: { challengeResponse: string; options?: { userAttributes?: Record<string, string> } }): Promise<SignInOutput>;
  /** Signs out; local tokens are cleared even when the network call fails. */
  signOut(input?: { global?: boolean }): Promise<void>;
  /** The signed-in user from the verified ID token, or `null`. */
  currentUser(): Promise<CurrentUser | null>;
  /** A verified access token, refreshed when due. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** A verified ID token, refreshed when due. */
  getIdToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** `fetch` with `Authorization: Bearer <access token>`, to the page's origin and `apiOrigins` only (elsewhere it
   *  rejects with `UsageError` `OriginNotAllowed`, sending nothing); on a 401 it retries once with a newer token
   *  when there is one (a 401 forces at most one refresh every 10 s), else the 401 is the answer. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Starts the forgot-password flow. */
  resetPassword(input: { username: string }): Promise<ResetPasswordOutput>;
  /** Finishes the forgot-password flow. */
  confirmResetPassword(input: { username: string; confirmationCode: string; newPassword: string }): Promise<void>;
  /** Changes the signed-in user's password. */
  updatePassword(input: { oldPassword: string; newPassword: string }): Promise<void>;
  /** The signed-in user's attributes from Cognito (`GetUser`). */
  fetchUserAttributes(): Promise<Record<string, string>>;
  /** Updates attributes; resolves, per attribute, to whether it is updated or awaits a code. */
  updateUserAttributes(input: { userAttributes: Record<string, string> }): Promise<Record<string, UpdateUserAttributeOutput>>;
  /** Deletes the signed-in user, then signs out. */
  deleteUser(): Promise<void>;
  /** Calls `listener({ event })` on sign-in, sign-out and refreshes (also from other tabs); returns an unsubscribe. */
  onAuthChange(listener: (event: AuthChangeEvent) => void): () => void;
  /** Stops following other tabs and frees the wasm side; the instance is unusable afterwards. */
  free(): void;
}

/** Verifies a Cognito ID or access token and resolves to its claims. */
export declare function verifyToken(token: string, options: VerifyTokenOptions): Promise<Record<string, unknown>>;

/** The class of every error this library throws: a real `Error` with a stable `name` and `code`. */
export declare class CognitoWasmError extends Error {
  name: CognitoWasmErrorName;
  code: CognitoErrorCode | TokenErrorCode | OwnErrorCode | (string & {});
}
