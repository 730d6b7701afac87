// Types of `cognito-wasm/amplify`, in Amplify v6's names (`aws-amplify/auth`, `aws-amplify/utils`, `aws-amplify`), so
// that code typed against Amplify compiles after the import is changed. The inputs are the native client's
// (js/index.d.ts), which are Amplify's; an option it does not have is a compile error here and a `UsageError`
// (`InvalidArgument`) at run time.
import type {
  AuthFlowType, CodeDeliveryDetails, CognitoAuth, CognitoErrorCode, CognitoWasmError as NativeError, MFAPreference, MFAType,
  OAuthConfig, ResetPasswordOutput, SignInWithRedirectInput, SignInOutput, SignInStep, SignUpInput, SignUpOutput, TOTPSetupDetails, UpdateUserAttributeOutput,
} from './index.js';

/** The `name`s this module's errors have: Cognito's exception names, and Amplify's for what it checks itself. */
export type AuthErrorName =
  | CognitoErrorCode
  | 'UserUnAuthenticatedException'
  | 'UserAlreadyAuthenticatedException'
  | 'OAuthSignInException' | 'oauthSignInError' | 'OAuthNotConfigureException'
  | 'SignInException'
  | 'AutoSignInException'
  | 'EmptyVerifyTOTPSetupCode' | 'EmptyConfirmUserAttributeCode' | 'CustomAuthSignInPassword'
  | 'AuthUserPoolException'
  | 'InvalidConfig'
  | 'EmptySignInUsername' | 'EmptySignInPassword' | 'EmptySignUpUsername' | 'EmptyConfirmSignUpUsername'
  | 'EmptyConfirmSignUpCode' | 'EmptyChallengeResponse' | 'EmptyResetPasswordUsername'
  | 'EmptyConfirmResetPasswordUsername' | 'EmptyConfirmResetPasswordNewPassword'
  | 'EmptyConfirmResetPasswordConfirmationCode' | 'EmptyUpdatePassword'
  | 'NetworkError' | 'TokenError' | 'ProtocolError' | 'StorageError' | 'UsageError'
  | (string & {});

/**
 * The class of every error thrown here: the same class as `cognito-wasm`'s `CognitoWasmError` (so `instanceof` either
 * works), with Amplify's `name`s; `code` is cognito-wasm's (for a Cognito error, the same as `name`).
 */
export declare class AuthError extends Error {
  name: AuthErrorName;
  code: NativeError['code'];
}
export { AuthError as CognitoWasmError };

// ---------------------------------------------------------------- configuration

export interface CognitoUserPoolConfig {
  userPoolId: string;
  userPoolClientId: string;
  /** Cognito's endpoint (an emulator, a proxy): cognito-wasm's `endpoint` option. */
  userPoolEndpoint?: string;
  /** `oauth`: managed login for `signInWithRedirect` (cognito-wasm's `oauth` option; only `responseType: 'code'`).
   *  The rest is read by Amplify's UI only, and ignored. */
  loginWith?: { username?: boolean; email?: boolean; phone?: boolean; oauth?: OAuthConfig };
  /** Ignored (read by Amplify's auto sign-in and UI only). */
  signUpVerificationMethod?: 'code' | 'link';
  /** Ignored (read by Amplify's UI only). */
  userAttributes?: Record<string, { required?: boolean }>;
  /** Ignored (read by Amplify's UI only). */
  mfa?: { status?: 'on' | 'off' | 'optional'; totpEnabled?: boolean; smsEnabled?: boolean; emailEnabled?: boolean };
  /** Ignored (read by Amplify's UI only). */
  passwordFormat?: {
    minLength?: number;
    requireLowercase?: boolean;
    requireUppercase?: boolean;
    requireNumbers?: boolean;
    requireSpecialCharacters?: boolean;
  };
  /** Ignored. */
  groups?: Record<string, { precedence?: number }>[];
  /** Needs identity pools, which are not supported: only `false` is accepted. */
  allowGuestAccess?: false;
}

/** `Amplify.configure`'s argument as far as auth goes; other categories are accepted and ignored. */
export interface ResourcesConfig {
  Auth: { Cognito: CognitoUserPoolConfig };
  [category: string]: unknown;
}

/** An `amplify_outputs.json` (Amplify Gen 2); only its `auth` user-pool part is read. */
export interface AmplifyOutputs {
  version: string;
  auth: {
    user_pool_id: string;
    user_pool_client_id: string;
    aws_region?: string;
    /** Managed login, read as Amplify reads it into `loginWith.oauth`. */
    oauth?: {
      domain: string;
      scopes: string[];
      redirect_sign_in_uri: string[];
      redirect_sign_out_uri: string[];
      response_type: 'code' | 'token';
      identity_providers?: string[];
    };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Configures the one client every function below uses; throws `InvalidConfig` for what it cannot honour. */
export declare function configure(resourcesConfig: ResourcesConfig | AmplifyOutputs): void;

export declare const Amplify: {
  configure(resourcesConfig: ResourcesConfig | AmplifyOutputs): void;
  /** What was last passed to `configure` (an `amplify_outputs.json` converted to `ResourcesConfig`). */
  getConfig(): Partial<ResourcesConfig>;
};

// ---------------------------------------------------------------- Hub

export type AuthHubEventData =
  | { event: 'signedIn'; data: AuthUser }
  | { event: 'signedOut' }
  | { event: 'tokenRefresh' }
  | { event: 'tokenRefresh_failure'; data: { error?: AuthError } }
  | { event: 'signInWithRedirect' }
  | { event: 'signInWithRedirect_failure'; data: { error: AuthError } }
  | { event: 'customOAuthState'; data: string };

export interface HubCapsule<Channel extends string, Payload> {
  channel: Channel;
  payload: Payload;
  source: string;
  patternInfo?: string[];
}

export type HubCallback<Channel extends string = string, Payload = { event: string; data?: unknown; message?: string }> =
  (capsule: HubCapsule<Channel, Payload>) => void;

export declare const Hub: {
  listen(channel: 'auth', callback: HubCallback<'auth', AuthHubEventData>): () => void;
  listen<Channel extends string>(channel: Channel, callback: HubCallback<Channel>): () => void;
  dispatch(channel: string, payload: { event: string; data?: unknown; message?: string }, source?: string): void;
};

// ---------------------------------------------------------------- users, tokens, sessions


export interface AuthSignInDetails {
  loginId?: string;
  authFlowType?: AuthFlowType;
}

/** `signInDetails` is there for a sign-in made by this page since it loaded (it is not kept across reloads). */
export interface AuthUser {
  username: string;
  userId: string;
  signInDetails?: AuthSignInDetails;
}
export type GetCurrentUserOutput = AuthUser;

export type JsonPrimitive = null | string | number | boolean;
export type JsonArray = JsonPrimitive[];
export interface JsonObject { [key: string]: JsonPrimitive | JsonArray | JsonObject }

export type JwtPayload = {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
} & JsonObject;

/** A token the wasm has verified: its claims, and `toString()` for the JWT itself. */
export interface JWT {
  payload: JwtPayload;
  toString(): string;
}

export interface AuthTokens {
  accessToken: JWT;
  idToken?: JWT;
  signInDetails?: AuthSignInDetails;
}

export interface AuthSession {
  /** Undefined when nobody is signed in, or the session's refresh token was refused. */
  tokens?: AuthTokens;
  /** Always undefined: identity pools are not supported. */
  credentials?: undefined;
  /** Always undefined: identity pools are not supported. */
  identityId?: undefined;
  userSub?: string;
}

export interface FetchAuthSessionOptions {
  forceRefresh?: boolean;
}

// ---------------------------------------------------------------- inputs and outputs

// The inputs and outputs are the native client's (js/index.d.ts), which takes and gives Amplify's shapes already.
type Input<M extends keyof CognitoAuth> = CognitoAuth[M] extends (input: infer I) => unknown ? I : never;
type Output<M extends keyof CognitoAuth> = CognitoAuth[M] extends (...args: never[]) => Promise<infer O> ? O : never;

export type AuthUserAttributeKey =
  | 'address' | 'birthdate' | 'email' | 'email_verified' | 'family_name' | 'gender' | 'given_name' | 'locale'
  | 'middle_name' | 'name' | 'nickname' | 'phone_number' | 'phone_number_verified' | 'picture'
  | 'preferred_username' | 'profile' | 'sub' | 'updated_at' | 'website' | 'zoneinfo' | `custom:${string}`
  | (string & {});
export type AuthUserAttributes = Partial<Record<AuthUserAttributeKey, string>>;
export type FetchUserAttributesOutput = AuthUserAttributes;
export type AuthCodeDeliveryDetails = CodeDeliveryDetails;
export type { AuthFlowType, MFAPreference, MFAType, SignInStep, SignUpInput, SignUpOutput, SignInOutput, ResetPasswordOutput,
  TOTPSetupDetails, UpdateUserAttributeOutput };

export type ConfirmSignUpInput = Input<'confirmSignUp'>;
export type ConfirmSignUpOutput = SignUpOutput;
export type ResendSignUpCodeInput = Input<'resendSignUpCode'>;
export type ResendSignUpCodeOutput = AuthCodeDeliveryDetails;
export type SignInInput = Input<'signIn'>;
export type ConfirmSignInInput = Input<'confirmSignIn'>;
export type ConfirmSignInOutput = SignInOutput;
export type SignOutInput = NonNullable<Input<'signOut'>>;
export type { SignInWithRedirectInput };
export type ResetPasswordInput = Input<'resetPassword'>;
export type ConfirmResetPasswordInput = Input<'confirmResetPassword'>;
export type UpdatePasswordInput = Input<'updatePassword'>;
export type UpdateUserAttributesInput = Input<'updateUserAttributes'>;
export type UpdateUserAttributesOutput = Record<string, UpdateUserAttributeOutput>;
export type UpdateUserAttributeInput = Input<'updateUserAttribute'>;
export type SendUserAttributeVerificationCodeInput = Input<'sendUserAttributeVerificationCode'>;
export type SendUserAttributeVerificationCodeOutput = Output<'sendUserAttributeVerificationCode'>;
export type ConfirmUserAttributeInput = Input<'confirmUserAttribute'>;
export type DeleteUserAttributesInput = Input<'deleteUserAttributes'>;
export type VerifyTOTPSetupInput = Input<'verifyTOTPSetup'>;
export type UpdateMFAPreferenceInput = Input<'updateMFAPreference'>;
export type FetchMFAPreferenceOutput = Output<'fetchMFAPreference'>;

// ---------------------------------------------------------------- the functions

export declare function signUp(input: SignUpInput): Promise<SignUpOutput>;
export declare function confirmSignUp(input: ConfirmSignUpInput): Promise<ConfirmSignUpOutput>;
export declare function resendSignUpCode(input: ResendSignUpCodeInput): Promise<ResendSignUpCodeOutput>;
/** After a `signUp` with `options.autoSignIn` is confirmed (`COMPLETE_AUTO_SIGN_IN`): signs that user in. */
export declare function autoSignIn(): Promise<SignInOutput>;
export declare function signIn(input: SignInInput): Promise<SignInOutput>;
export declare function confirmSignIn(input: ConfirmSignInInput): Promise<ConfirmSignInOutput>;
/** Unlike Amplify, rejects when a global sign-out was not confirmed by Cognito (local tokens are cleared anyway). */
export declare function signOut(input?: SignOutInput): Promise<void>;
/**
 * Sends the browser to managed login (`loginWith.oauth`); the page it comes back to completes the sign-in at
 * `configure` (Hub: `customOAuthState`, `signInWithRedirect`, `signedIn`, or `signInWithRedirect_failure`).
 */
export declare function signInWithRedirect(input?: SignInWithRedirectInput): Promise<void>;
/** Throws `UserUnAuthenticatedException` when nobody is signed in. */
export declare function getCurrentUser(): Promise<GetCurrentUserOutput>;
export declare function fetchAuthSession(options?: FetchAuthSessionOptions): Promise<AuthSession>;
export declare function resetPassword(input: ResetPasswordInput): Promise<ResetPasswordOutput>;
export declare function confirmResetPassword(input: ConfirmResetPasswordInput): Promise<void>;
export declare function updatePassword(input: UpdatePasswordInput): Promise<void>;
export declare function fetchUserAttributes(): Promise<FetchUserAttributesOutput>;
export declare function updateUserAttributes(input: UpdateUserAttributesInput): Promise<UpdateUserAttributesOutput>;
export declare function updateUserAttribute(input: UpdateUserAttributeInput): Promise<UpdateUserAttributeOutput>;
export declare function sendUserAttributeVerificationCode(
  input: SendUserAttributeVerificationCodeInput,
): Promise<SendUserAttributeVerificationCodeOutput>;
export declare function confirmUserAttribute(input: ConfirmUserAttributeInput): Promise<void>;
export declare function deleteUserAttributes(input: DeleteUserAttributesInput): Promise<void>;
export declare function deleteUser(): Promise<void>;
export declare function setUpTOTP(): Promise<TOTPSetupDetails>;
export declare function verifyTOTPSetup(input: VerifyTOTPSetupInput): Promise<void>;
export declare function updateMFAPreference(input: UpdateMFAPreferenceInput): Promise<void>;
export declare function fetchMFAPreference(): Promise<FetchMFAPreferenceOutput>;
export type ForgetDeviceInput = Input<'forgetDevice'>;
export type FetchDevicesOutput = Output<'fetchDevices'>;
export type ListWebAuthnCredentialsInput = Input<'listWebAuthnCredentials'>;
export type ListWebAuthnCredentialsOutput = Output<'listWebAuthnCredentials'>;
export type DeleteWebAuthnCredentialInput = Input<'deleteWebAuthnCredential'>;
/** Remembers the device this session signed in on (`UpdateDeviceStatus`). */
export declare function rememberDevice(): Promise<void>;
/** Forgets a device, by default this one. */
export declare function forgetDevice(input?: ForgetDeviceInput): Promise<void>;
export declare function fetchDevices(): Promise<FetchDevicesOutput>;
/** Registers a passkey: Cognito's options, the browser's `navigator.credentials.create`, then Cognito again. */
export declare function associateWebAuthnCredential(): Promise<void>;
export declare function listWebAuthnCredentials(input?: ListWebAuthnCredentialsInput): Promise<ListWebAuthnCredentialsOutput>;
export declare function deleteWebAuthnCredential(input: DeleteWebAuthnCredentialInput): Promise<void>;
