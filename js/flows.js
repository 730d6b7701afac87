// What only the flows' calls use, loaded with the flows module: TOTP setup URIs, device dates, and the browser's
// passkey ceremonies.
import { error } from './errors.js';

/** Amplify's `TOTPSetupDetails`: the secret, and the `otpauth://` URI an authenticator app's QR code holds. */
export function totpSetupDetails(sharedSecret, defaultAccountName) {
  return {
    sharedSecret,
    getSetupUri: (appName, accountName = defaultAccountName) =>
      new URL(`otpauth://totp/${appName}:${accountName}?secret=${sharedSecret}&issuer=${appName}`),
  };
}

/** A sign-in step that sets up TOTP gets `getSetupUri`, for the user signing in. */
export function withSetupUri(output, username) {
  const details = output?.nextStep?.totpSetupDetails;
  if (details) output.nextStep.totpSetupDetails = totpSetupDetails(details.sharedSecret, username);
  return output;
}

/** Amplify's `AWSAuthDevice`: the dates (milliseconds from the wasm) as `Date`s. */
export function withDates(device) {
  for (const key of ['createDate', 'lastAuthenticatedDate', 'lastModifiedDate']) {
    if (typeof device[key] === 'number') device[key] = new Date(device[key]);
  }
  return device;
}

// Passkeys: the browser's ceremony runs here; the wasm checks the options it is given and builds what Cognito gets
// from the credential, which crosses as JSON with its bytes in unpadded base64url (`PublicKeyCredential.toJSON()`).
const toB64url = (bytes) =>
  bytes && btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const withIds = (list) => list?.map((c) => ({ ...c, id: fromB64url(c.id) }));

/** Runs `navigator.credentials.create` or `.get` on Cognito's JSON options; resolves to the credential's JSON. */
export async function passkeyCeremony(kind, options) {
  try {
    const { challenge, user, excludeCredentials, allowCredentials } = options;
    const c = await navigator.credentials[kind]({
      publicKey: {
        ...options,
        challenge: fromB64url(challenge),
        user: user && { ...user, id: fromB64url(user.id) },
        excludeCredentials: withIds(excludeCredentials),
        allowCredentials: withIds(allowCredentials),
      },
    });
    const r = c.response;
    return {
      id: c.id,
      rawId: toB64url(c.rawId),
      type: c.type,
      authenticatorAttachment: c.authenticatorAttachment,
      clientExtensionResults: c.getClientExtensionResults(),
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        attestationObject: toB64url(r.attestationObject),
        authenticatorData: toB64url(r.authenticatorData ?? r.getAuthenticatorData?.()),
        signature: toB64url(r.signature),
        userHandle: toB64url(r.userHandle),
        transports: r.getTransports?.(),
        publicKeyAlgorithm: r.getPublicKeyAlgorithm?.(),
        publicKey: toB64url(r.getPublicKey?.()),
      },
    };
  } catch (e) {
    // Amplify's PasskeyError codes.
    const creating = kind === 'create';
    const code = !globalThis.navigator?.credentials
      ? 'PasskeyNotSupported'
      : {
          NotAllowedError: creating ? 'PasskeyRegistrationCanceled' : 'PasskeyAuthenticationCanceled',
          InvalidStateError: 'PasskeyAlreadyExists',
          AbortError: 'PasskeyOperationAborted',
          SecurityError: 'RelyingPartyMismatch',
        }[e?.name] ?? (creating ? 'PasskeyRegistrationFailed' : 'PasskeyRetrievalFailed');
    throw error('PasskeyError', code, String(e?.message ?? e));
  }
}
