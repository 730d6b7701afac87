// The public JavaScript API over the wasm's JSON boundary: calls go in as a method name and JSON text, results
// come back as JSON text, errors as the JSON of { name, code, message }. The Rust side decides every request and
// every storage write; this file only marshals, opens the chosen store and fans events out to listeners.

import { CognitoWasmError, error, toError } from './errors.js';

export { CognitoWasmError };

function toJson(value, what) {
  try {
    // A function (an Amplify option such as authSessionOpener) would vanish from the JSON: refused, not ignored.
    return value === undefined ? 'null' : JSON.stringify(value, (key, member) => {
      if (typeof member === 'function') throw TypeError(`${key} is a function`);
      return member;
    });
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

/** Whether `store` holds aws-amplify v6's signed-in user for app client `clientId`. */
function hasAmplifySession(store, clientId) {
  try {
    return store.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`) != null;
  } catch {
    return false;
  }
}

/** The `DeviceName` a new device is confirmed with, as Amplify names it: the browser's user agent. */
function defaultDeviceName() {
  const agent = globalThis.navigator?.userAgent;
  return typeof agent === 'string' && agent ? agent : 'Node.js';
}

/** The page's URL (`location.href`), or null outside a page. */
function pageUrl() {
  const href = globalThis.location?.href;
  return typeof href === 'string' ? href : null;
}

/** Whether this page is managed login's callback for a sign-in this app client started (its record is stored). */
function isRedirectCallback(store, clientId) {
  try {
    const query = new URL(pageUrl()).searchParams;
    return (query.has('code') || query.has('error')) && query.has('state')
      && store.getItem(`CognitoWasm.${clientId}.oauth`) != null;
  } catch {
    return false;
  }
}

/** The page's URL without managed login's callback parameters, in the history (the code is spent). */
function forgetCallbackParameters(href) {
  const url = new URL(href);
  for (const name of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(name);
  globalThis.history?.replaceState?.(globalThis.history.state, '', url.href);
}

/** What only the flows' calls use (passkey ceremonies, TOTP setup URIs, device dates), fetched with them. */
const flowsJs = () => import('./flows.js');

/** The calls the session core answers (signOut unless global); every other call needs the module with the flows. */
const CORE_METHODS = new Set(['signOut', 'currentUser', 'getAccessToken', 'getIdToken', 'fetchToken']);

/**
 * `load` once at a time: a failed load is forgotten, so that the next call tries again, and rejects with
 * `NetworkError`.
 */
function once(load) {
  let loading;
  return () =>
    (loading ??= load().catch((e) => {
      loading = undefined;
      throw error('NetworkError', 'NetworkError', `the sign-in module could not be loaded: ${e?.message ?? e}`);
    }));
}

/**
 * Builds the package's exports over instantiated wasm exports: `wasm`, and `loadFlows` resolving to the
 * module with the sign-up, sign-in and account flows when `wasm` is the session core (undefined when `wasm` has
 * them).
 *
 * A `CognitoAuth` starts on the core: a page of a signed-in app (tokens, refresh, `auth.fetch`, sign-out) never
 * downloads the flows. The first call that needs them loads that module, lets the core's calls under way end,
 * and goes on with a client of the flows module over the same storage, which reads the session there as a new
 * tab would. The two never run side by side.
 */
export function api(wasm, loadFlows) {
  const flows = loadFlows ? once(loadFlows) : async () => wasm;

  class CognitoAuth {
    #core;
    /** The constructor's arguments for the client of the flows module. */
    #args;
    /** The switch to the flows module, once begun; `#core` is that module's client once it has ended. */
    #switch;
    #onFlows = !loadFlows;
    /** Whether every call waits for the flows module, the core's too (it does not take over Amplify's session). */
    #flowsOnly = false;
    /** The core's calls under way, and what waits for them to end. */
    #pending = 0;
    #idle = [];
    /** Managed login's callback under way (the page it sent the browser back to): other calls wait for it. */
    #callback;
    /** The events of the callback's sign-in (`signedIn`), held until its own have been announced. */
    #held;
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
        this.#args = [toJson(rest, 'CognitoAuth options'), store, (event) => this.#emit(event), shared ? webLock() : undefined];
        this.#core = new wasm.Core(...this.#args);
        // A session aws-amplify keeps for this app client is taken over by the flows module, once.
        if (loadFlows && hasAmplifySession(store, rest.clientId)) {
          this.#flowsOnly = true;
          this.#toFlows().catch(() => {});
        }
      } catch (e) {
        throw toError(e);
      }
      if (isRedirectCallback(store, rest.clientId)) this.#callback = this.#completeRedirect();
      // Sign-ins, sign-outs and refreshes of other tabs come through localStorage's `storage` event.
      if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
        this.#onStorage = (event) => {
          if (event.storageArea === store) this.#core?.storageChanged(event.key);
        };
        window.addEventListener('storage', this.#onStorage);
      }
    }

    #call(method, input, what = `${method} input`) {
      if (this.#callback && method !== 'completeSignInWithRedirect') {
        return this.#callback.then(() => this.#call(method, input, what));
      }
      let json;
      try {
        json = toJson(input, what);
      } catch (e) {
        return Promise.reject(e);
      }
      const call = (core) => core.call(method, json).then(JSON.parse, (e) => Promise.reject(toError(e)));
      if (this.#onFlows) return call(this.#core);
      const forCore = CORE_METHODS.has(method) && !(method === 'signOut' && input?.global);
      if (!forCore || this.#switch || this.#flowsOnly) return this.#toFlows().then(call);
      this.#pending++;
      return call(this.#core).finally(() => {
        if (--this.#pending === 0) for (const wake of this.#idle.splice(0)) wake();
      });
    }

    /** The client of the flows module, switched to first if need be. */
    #toFlows() {
      this.#switch ??= flows()
        .then(async (module) => {
          if (this.#pending > 0) await new Promise((wake) => this.#idle.push(wake));
          if (!this.#core) throw error('UsageError', 'InvalidArgument', 'this CognitoAuth was freed');
          const next = new module.Core(...this.#args);
          this.#core.free();
          this.#core = next;
          this.#onFlows = true;
          return next;
        })
        .catch((e) => {
          this.#switch = undefined;
          throw toError(e);
        });
      return this.#switch;
    }

    /** A call that resolves to nothing. */
    #done(method, input, what) {
      return this.#call(method, input, what).then(() => undefined);
    }

    /** Completes the managed-login sign-in this page is the callback of; settles when the page is ready for calls. */
    async #completeRedirect() {
      const href = pageUrl();
      const announce = [];
      this.#held = [];
      try {
        const done = await this.#call('completeSignInWithRedirect', { url: href });
        if (done) {
          if (done.customState !== undefined) announce.push(['customOAuthState', done.customState]);
          announce.push(['signInWithRedirect']);
        }
      } catch (e) {
        announce.push(['signInWithRedirect_failure', { error: toError(e) }]);
      } finally {
        forgetCallbackParameters(href);
        this.#callback = undefined;
      }
      // After the URL is cleaned (as Amplify does): a listener that routes (customOAuthState's usual use) must not
      // have its navigation replaced by the callback's URL. In Amplify's order: customOAuthState, signInWithRedirect,
      // then the sign-in's own signedIn.
      announce.push(...this.#held);
      this.#held = undefined;
      for (const [event, data] of announce) this.#emit(event, data);
    }

    #emit(event, data) {
      if (this.#held) return this.#held.push([event, data]);
      for (const { listener } of [...this.#listeners]) {
        try {
          listener(data === undefined ? { event } : { event, data });
        } catch {
          // A throwing listener must not break the library or the other listeners.
        }
      }
    }

    signUp(input) {
      this.#signUpUsername = input?.username;
      return this.#call('signUp', input);
    }
    /** A sign-in step as callers see it: a passkey step is answered here with the browser's assertion. */
    async #signInStep(method, input, what) {
      const helpers = flowsJs();
      let output = await this.#call(method, input, what);
      const { passkeyCeremony, withSetupUri } = await helpers;
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
      return this.#signInStep('signIn', input);
    }
    confirmSignIn(input) { return this.#signInStep('confirmSignIn', input); }
    /** Signs out; a managed-login session then goes through `/logout` (the browser leaves the page). */
    async signOut(input) {
      const logout = await this.#call('signOut', input);
      if (typeof logout === 'string') globalThis.location?.assign(logout);
    }
    /**
     * Amplify's `signInWithRedirect`: sends the browser to managed login. The page it comes back to completes the
     * sign-in when it creates its CognitoAuth (events `signedIn`, `signInWithRedirect`, `customOAuthState`, or
     * `signInWithRedirect_failure`).
     */
    async signInWithRedirect(input) {
      if (typeof globalThis.location?.assign !== 'function') {
        throw error('UsageError', 'InvalidArgument', 'signInWithRedirect needs a browser page to redirect');
      }
      globalThis.location.assign(await this.#call('signInWithRedirect', { input: input ?? {}, pageUrl: pageUrl() }));
    }
    currentUser() { return this.#call('currentUser'); }
    getAccessToken(options) { return this.#call('getAccessToken', options, 'getAccessToken options'); }
    getIdToken(options) { return this.#call('getIdToken', options, 'getIdToken options'); }
    fetchUserAttributes() { return this.#call('fetchUserAttributes'); }
    deleteUser() { return this.#done('deleteUser'); }

    /** Starts an authenticator app's enrolment; the URI's default account name is the user's name. */
    async setUpTOTP() {
      const [{ sharedSecret }, user, { totpSetupDetails }] = await Promise.all([
        this.#call('setUpTOTP'),
        this.currentUser(),
        flowsJs(),
      ]);
      return totpSetupDetails(sharedSecret, user?.username);
    }
    fetchMFAPreference() { return this.#call('fetchMFAPreference'); }
    rememberDevice() { return this.#done('rememberDevice'); }
    async fetchDevices() {
      const [devices, { withDates }] = await Promise.all([this.#call('fetchDevices'), flowsJs()]);
      return devices.map(withDates);
    }

    /** Registers a passkey for the signed-in user: Cognito's options, the browser's ceremony, Cognito's check. */
    async associateWebAuthnCredential() {
      const [options, { passkeyCeremony }] = await Promise.all([this.#call('startWebAuthnRegistration'), flowsJs()]);
      await this.#done('completeWebAuthnRegistration', { credential: await passkeyCeremony('create', options) });
    }
    async listWebAuthnCredentials(input) {
      const page = await this.#call('listWebAuthnCredentials', input);
      for (const c of page.credentials) c.createdAt &&= new Date(c.createdAt * 1000);
      return page;
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

    // The calls that pass their input on as it is, resolving to the wasm's answer, or to nothing.
    static {
      for (const name of ['confirmSignUp', 'resendSignUpCode', 'resetPassword', 'updateUserAttributes',
        'updateUserAttribute', 'sendUserAttributeVerificationCode']) {
        this.prototype[name] = function (input) { return this.#call(name, input); };
      }
      for (const name of ['confirmResetPassword', 'updatePassword', 'confirmUserAttribute', 'deleteUserAttributes',
        'verifyTOTPSetup', 'updateMFAPreference', 'forgetDevice', 'deleteWebAuthnCredential']) {
        this.prototype[name] = function (input) { return this.#done(name, input); };
      }
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

  /** Verifies a Cognito ID or access token; resolves to its claims. It runs in the flows module. */
  async function verifyToken(token, options) {
    if (typeof token !== 'string') {
      throw error('UsageError', 'InvalidArgument', 'verifyToken needs the token as a string');
    }
    const json = toJson(options, 'verifyToken options');
    const module = await flows();
    return module.verifyToken(token, json).then(JSON.parse, (e) => Promise.reject(toError(e)));
  }

  return { CognitoAuth, verifyToken };
}
