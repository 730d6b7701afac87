// The public JavaScript API over the wasm's JSON boundary: calls go in as a method name and JSON text, results
// come back as JSON text, errors as the JSON of { name, code, message }. The Rust side decides every request and
// every storage write; this file only marshals, opens the chosen store and fans events out to listeners.

/** Every error this library throws: a real `Error` with a stable `name` and `code`. */
export class CognitoWasmError extends Error {
  constructor({ name, code, message }) {
    super(message);
    Object.defineProperty(this, 'name', { value: name, writable: true, configurable: true });
    this.code = code;
  }
}

function error(name, code, message) {
  return new CognitoWasmError({ name, code, message });
}

/** What a wasm rejection becomes: the error it describes (anything else is passed on as it is). */
function toError(thrown) {
  if (typeof thrown === 'string') {
    try {
      return new CognitoWasmError(JSON.parse(thrown));
    } catch {
      return error('ProtocolError', 'ProtocolError', thrown);
    }
  }
  return thrown;
}

function toJson(value, what) {
  try {
    return value === undefined ? 'null' : JSON.stringify(value);
  } catch (e) {
    throw error('UsageError', 'InvalidArgument', `${what} must be JSON-serialisable: ${e?.message ?? e}`);
  }
}

function safeLocalStorage() {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

function memoryStore() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * `(name) => Promise<release>` over Web Locks, or undefined where there are none (Node, old browsers): the lock
 * is held from the promise's settling until `release()` is called.
 */
function webLock() {
  const locks = globalThis.navigator?.locks;
  if (!locks || typeof locks.request !== 'function') return undefined;
  // A write to localStorage reaches the other tabs a few milliseconds after it is made (the browser copies it
  // across processes): a lock released at once can go to a tab that still reads the old session and refreshes
  // again. So the lock is held this much longer after the refresh inside it.
  const HANDOFF_MS = 50;
  return (name) =>
    new Promise((granted, refused) => {
      locks
        .request(name, () => new Promise((release) => granted(() => setTimeout(release, HANDOFF_MS))))
        .catch(refused);
    });
}

const STORAGE_CHOICES = "storage must be 'local', 'session', 'memory' or an object with getItem/setItem/removeItem";

function openStore(storage) {
  const hasWindow = typeof window !== 'undefined';
  const choice = storage ?? (hasWindow ? 'local' : 'memory');
  if (choice === 'memory') return memoryStore();
  if (choice === 'local' || choice === 'session') {
    if (!hasWindow) {
      throw error('UsageError', 'InvalidConfig', "browser storage needs a window; use storage: 'memory' or a custom store here");
    }
    let store;
    try {
      store = choice === 'local' ? window.localStorage : window.sessionStorage;
    } catch (e) {
      throw error('StorageError', 'StorageError', String(e?.message ?? e));
    }
    if (!store) throw error('StorageError', 'StorageError', 'the browser offers no such storage');
    return store;
  }
  if (choice !== null && typeof choice === 'object') {
    for (const method of ['getItem', 'setItem', 'removeItem']) {
      if (typeof choice[method] !== 'function') {
        throw error('UsageError', 'InvalidConfig', `a custom storage must have a ${method}() method`);
      }
    }
    return choice;
  }
  throw error('UsageError', 'InvalidConfig', STORAGE_CHOICES);
}

/** Amplify's `TOTPSetupDetails`: the secret, and the `otpauth://` URI an authenticator app's QR code holds. */
function totpSetupDetails(sharedSecret, defaultAccountName) {
  return {
    sharedSecret,
    getSetupUri: (appName, accountName = defaultAccountName) =>
      new URL(`otpauth://totp/${appName}:${accountName}?secret=${sharedSecret}&issuer=${appName}`),
  };
}

/** A sign-in step that sets up TOTP gets `getSetupUri`, for the user signing in. */
function withSetupUri(output, username) {
  const details = output?.nextStep?.totpSetupDetails;
  if (details) output.nextStep.totpSetupDetails = totpSetupDetails(details.sharedSecret, username);
  return output;
}

/** The `DeviceName` a new device is confirmed with, as Amplify names it: the browser's user agent. */
function defaultDeviceName() {
  const agent = globalThis.navigator?.userAgent;
  return typeof agent === 'string' && agent ? agent : 'Node.js';
}

/** Amplify's `AWSAuthDevice`: the dates (milliseconds from the wasm) as `Date`s. */
function withDates(device) {
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
async function passkeyCeremony(kind, options) {
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

/** Builds the package's exports over one instantiated wasm module's exports. */
export function api(wasm) {
  class CognitoAuth {
    #core;
    #listeners = [];
    #onStorage = null;
    /** Who the sign-in under way is for: the default account name of a TOTP setup URI. */
    #signInUsername;
    #signUpUsername;

    constructor(options) {
      if (options === null || typeof options !== 'object') {
        throw error('UsageError', 'InvalidConfig', 'CognitoAuth options must be an object');
      }
      const { storage, ...rest } = options;
      if (rest.deviceName === undefined) rest.deviceName = defaultDeviceName();
      const store = openStore(storage);
      try {
        // Tabs share localStorage: there, every refresh runs inside one Web Lock per app client.
        const shared = typeof window !== 'undefined' && store === safeLocalStorage();
        this.#core = new wasm.Core(
          toJson(rest, 'CognitoAuth options'),
          store,
          (event) => this.#emit(event),
          shared ? webLock() : undefined,
        );
      } catch (e) {
        throw toError(e);
      }
      // Sign-ins, sign-outs and refreshes of other tabs come through localStorage's `storage` event.
      if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
        this.#onStorage = (event) => {
          if (event.storageArea === store) this.#core.storageChanged(event.key);
        };
        window.addEventListener('storage', this.#onStorage);
      }
    }

    #call(method, input, what) {
      let json;
      try {
        json = toJson(input, what);
      } catch (e) {
        return Promise.reject(e);
      }
      return this.#core.call(method, json).then(JSON.parse, (e) => Promise.reject(toError(e)));
    }

    /** A call that resolves to nothing. */
    #done(method, input, what) {
      return this.#call(method, input, what).then(() => undefined);
    }

    #emit(event) {
      for (const { listener } of [...this.#listeners]) {
        try {
          listener({ event });
        } catch {
          // A throwing listener must not break the library or the other listeners.
        }
      }
    }

    signUp(input) {
      this.#signUpUsername = input?.username;
      return this.#call('signUp', input, 'signUp input');
    }
    confirmSignUp(input) { return this.#call('confirmSignUp', input, 'confirmSignUp input'); }
    resendSignUpCode(input) { return this.#call('resendSignUpCode', input, 'resendSignUpCode input'); }
    /** A sign-in step as callers see it: a passkey step is answered here with the browser's assertion. */
    async #signInStep(method, input, what) {
      let output = await this.#call(method, input, what);
      const options = output?.nextStep?.credentialRequestOptions;
      if (options) output = await this.#call('passkeyAssertion', { credential: await passkeyCeremony('get', options) });
      return withSetupUri(output, this.#signInUsername);
    }
    /** Signs in the user a `signUp({ options: { autoSignIn } })` registered, once confirmed. */
    autoSignIn() {
      this.#signInUsername = this.#signUpUsername;
      return this.#signInStep('autoSignIn');
    }
    signIn(input) {
      this.#signInUsername = input?.username;
      return this.#signInStep('signIn', input, 'signIn input');
    }
    confirmSignIn(input) { return this.#signInStep('confirmSignIn', input, 'confirmSignIn input'); }
    signOut(input) { return this.#call('signOut', input, 'signOut input').then(() => undefined); }
    currentUser() { return this.#call('currentUser'); }
    getAccessToken(options) { return this.#call('getAccessToken', options, 'getAccessToken options'); }
    getIdToken(options) { return this.#call('getIdToken', options, 'getIdToken options'); }
    resetPassword(input) { return this.#call('resetPassword', input, 'resetPassword input'); }
    confirmResetPassword(input) {
      return this.#call('confirmResetPassword', input, 'confirmResetPassword input').then(() => undefined);
    }
    updatePassword(input) { return this.#done('updatePassword', input, 'updatePassword input'); }
    fetchUserAttributes() { return this.#call('fetchUserAttributes'); }
    updateUserAttributes(input) { return this.#call('updateUserAttributes', input, 'updateUserAttributes input'); }
    updateUserAttribute(input) { return this.#call('updateUserAttribute', input, 'updateUserAttribute input'); }
    sendUserAttributeVerificationCode(input) {
      return this.#call('sendUserAttributeVerificationCode', input, 'sendUserAttributeVerificationCode input');
    }
    confirmUserAttribute(input) { return this.#done('confirmUserAttribute', input, 'confirmUserAttribute input'); }
    deleteUserAttributes(input) { return this.#done('deleteUserAttributes', input, 'deleteUserAttributes input'); }
    deleteUser() { return this.#done('deleteUser'); }

    /** Starts an authenticator app's enrolment; the URI's default account name is the user's name. */
    async setUpTOTP() {
      const [{ sharedSecret }, user] = await Promise.all([this.#call('setUpTOTP'), this.currentUser()]);
      return totpSetupDetails(sharedSecret, user?.username);
    }
    verifyTOTPSetup(input) { return this.#done('verifyTOTPSetup', input, 'verifyTOTPSetup input'); }
    updateMFAPreference(input) { return this.#done('updateMFAPreference', input, 'updateMFAPreference input'); }
    fetchMFAPreference() { return this.#call('fetchMFAPreference'); }
    rememberDevice() { return this.#done('rememberDevice'); }
    forgetDevice(input) { return this.#done('forgetDevice', input, 'forgetDevice input'); }
    fetchDevices() { return this.#call('fetchDevices').then((devices) => devices.map(withDates)); }

    /** Registers a passkey for the signed-in user: Cognito's options, the browser's ceremony, Cognito's check. */
    async associateWebAuthnCredential() {
      const options = await this.#call('startWebAuthnRegistration');
      await this.#done('completeWebAuthnRegistration', { credential: await passkeyCeremony('create', options) });
    }
    async listWebAuthnCredentials(input) {
      const page = await this.#call('listWebAuthnCredentials', input, 'listWebAuthnCredentials input');
      for (const c of page.credentials) c.createdAt &&= new Date(c.createdAt * 1000);
      return page;
    }
    deleteWebAuthnCredential(input) {
      return this.#done('deleteWebAuthnCredential', input, 'deleteWebAuthnCredential input');
    }

    /**
     * `fetch` with `Authorization: Bearer <access token>`, only to the page's origin or an origin in `apiOrigins`
     * (https, or http to a loopback host): elsewhere it rejects with `UsageError` `OriginNotAllowed` and sends
     * nothing. On a 401 it retries once with a newer token when there is one (a 401 forces at most one refresh
     * every few seconds); otherwise, or when no fresher token can be had, the 401 response itself is the answer.
     */
    async fetch(input, init) {
      let template;
      try {
        template = new Request(input, init ?? {});
      } catch (e) {
        throw error('UsageError', 'InvalidArgument', String(e?.message ?? e));
      }
      // The Rust side decides whether the token may go to this URL, and whether a 401 is worth a retry.
      const origin = globalThis.location?.origin;
      const target = { url: template.url, pageOrigin: typeof origin === 'string' ? origin : null };
      const send = async (token) => {
        const request = template.clone();
        request.headers.set('Authorization', `Bearer ${token}`);
        try {
          return await globalThis.fetch(request);
        } catch (e) {
          throw error('NetworkError', 'NetworkError', `network error: ${e?.name ?? 'Error'}: ${e?.message ?? e}`);
        }
      };
      const token = await this.#call('fetchToken', target);
      const response = await send(token);
      if (response.status !== 401) return response;
      let fresh;
      try {
        fresh = await this.#call('fetchToken', { ...target, rejectedToken: token });
      } catch {
        return response;
      }
      return typeof fresh === 'string' ? send(fresh) : response;
    }

    /** Calls `listener({ event })` on sign-in, sign-out and refreshes (also from other tabs); returns an unsubscribe. */
    onAuthChange(listener) {
      if (typeof listener !== 'function') throw error('UsageError', 'InvalidArgument', 'onAuthChange needs a function');
      const entry = { listener };
      this.#listeners.push(entry);
      return () => {
        this.#listeners = this.#listeners.filter((other) => other !== entry);
      };
    }

    /** Stops following other tabs and frees the wasm side. The instance is unusable afterwards. */
    free() {
      if (this.#onStorage) window.removeEventListener('storage', this.#onStorage);
      this.#onStorage = null;
      this.#core?.free();
      this.#core = undefined;
    }
  }

  /** Verifies a Cognito ID or access token; resolves to its claims. */
  function verifyToken(token, options) {
    if (typeof token !== 'string') {
      return Promise.reject(error('UsageError', 'InvalidArgument', 'verifyToken needs the token as a string'));
    }
    let json;
    try {
      json = toJson(options, 'verifyToken options');
    } catch (e) {
      return Promise.reject(e);
    }
    return wasm.verifyToken(token, json).then(JSON.parse, (e) => Promise.reject(toError(e)));
  }

  return { CognitoAuth, verifyToken };
}
