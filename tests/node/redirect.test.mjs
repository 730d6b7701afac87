// Managed login (signInWithRedirect) against the emulator's hosted UI, from Node: the page is a stand-in
// `location` / `history` (what the entry reads and calls), and the browser's part of the redirects (the sign-in
// form, the stand-in Google) is driven over HTTP with a cookie jar. The runs through real redirects in Chromium are
// tests/e2e/managed-login.test.mjs (the demo) and tests/amplify/redirect.test.mjs (against aws-amplify).
//
// Skips without COGNITO_EMULATOR_INFO (scripts/test.sh sets it); fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CognitoAuth } from 'cognito-wasm';
import { SKIP_NO_EMULATOR, emulatorInfo, freshPool, memoryStore, skipUnlessCI } from './support.mjs';

const info = emulatorInfo();
const APP = 'http://localhost:5173';
const CALLBACK = `${APP}/callback`;
const PASSWORD = 'Passw0rd1';

/** A stand-in page at `href`: what `location.assign` and `history.replaceState` were asked. */
function page(href) {
  const seen = { assigned: [], replaced: [] };
  globalThis.location = { href, assign: (url) => seen.assigned.push(url) };
  globalThis.history = {
    state: null,
    replaceState: (_state, _title, url) => {
      seen.replaced.push(url);
      globalThis.location.href = url;
    },
  };
  return seen;
}

/** A browser's part of the redirects from `url`: follows them with cookies, fills the form it lands on with
 *  `fields` (posting to the form's action), until a redirect goes to the app. Resolves to that URL. */
async function browse(url, fields) {
  const cookies = new Map();
  let method = 'GET';
  let body;
  for (let hops = 0; hops < 12; hops++) {
    if (url.startsWith(APP)) return url;
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location'), url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
    assert.ok(action, `a form at ${url} (${response.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    method = 'POST';
    body = new URLSearchParams(fields).toString();
  }
  throw new Error('too many redirects');
}

async function setUp(t) {
  if (!info) {
    skipUnlessCI(t, SKIP_NO_EMULATOR);
    return null;
  }
  const pool = await freshPool(info, [{ username: 'rae', password: PASSWORD, email: 'rae@example.com' }], {
    oauth: { callbackUrls: [CALLBACK], logoutUrls: [`${APP}/`], identityProviders: ['COGNITO', 'Google'] },
  });
  const store = memoryStore();
  const options = {
    userPoolId: pool.userPoolId,
    clientId: pool.clientId,
    endpoint: pool.endpoint,
    storage: store,
    oauth: {
      domain: pool.oauth.url,
      scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      redirectSignIn: [CALLBACK],
      redirectSignOut: [`${APP}/`],
      responseType: 'code',
    },
  };
  t.after(() => {
    delete globalThis.location;
    delete globalThis.history;
  });
  return { pool, store, options, pendingKey: `CognitoWasm.${pool.clientId}.oauth` };
}

/** A page load: a CognitoAuth over `options` and the events it emits. */
function load(options) {
  const auth = new CognitoAuth(options);
  const events = [];
  auth.onAuthChange((e) => events.push(e));
  return { auth, events };
}

test('hosted sign-in: redirect, callback, session, events, the URL cleaned, then refresh and sign-out through /logout', async (t) => {
  const s = await setUp(t);
  if (!s) return;
  const start = page(`${APP}/signin`);
  await load(s.options).auth.signInWithRedirect({ customState: 'cart 42 ✓' });
  const [authorize] = start.assigned;
  const url = new URL(authorize);
  assert.equal(`${url.origin}${url.pathname}`, `${s.pool.oauth.url}/oauth2/authorize`);
  assert.deepEqual([...url.searchParams.keys()], ['redirect_uri', 'response_type', 'client_id', 'identity_provider',
    'scope', 'nonce', 'state', 'code_challenge', 'code_challenge_method']);
  assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(s.store.getItem(s.pendingKey), 'the pending sign-in is kept until the callback');

  const callback = await browse(authorize, { username: 'rae', password: PASSWORD });
  assert.ok(callback.startsWith(`${CALLBACK}?code=`), callback);

  const landed = page(callback);
  const { auth, events } = load(s.options);
  // An app routes on customOAuthState (its usual use): that navigation stands, the callback's URL is cleaned first.
  auth.onAuthChange(({ event }) => {
    if (event === 'customOAuthState') globalThis.history.replaceState(null, '', `${APP}/cart`);
  });
  const user = await auth.currentUser();
  assert.equal(user?.username, 'rae');
  assert.deepEqual(events.map((e) => e.event), ['customOAuthState', 'signInWithRedirect', 'signedIn'], "Amplify's order");
  assert.equal(events[0].data, 'cart 42 ✓');
  assert.deepEqual(landed.replaced, [CALLBACK, `${APP}/cart`], 'code and state are gone from the URL, then the app routed');
  assert.equal(globalThis.location.href, `${APP}/cart`);
  assert.equal(s.store.getItem(s.pendingKey), null);
  const claims = JSON.parse(Buffer.from((await auth.getAccessToken()).split('.')[1], 'base64url'));
  assert.match(claims.scope, /openid/);

  // A reload of the callback URL (the code spent, no pending sign-in): nothing to complete, still signed in.
  page(callback);
  const again = load(s.options);
  assert.equal((await again.auth.currentUser())?.username, 'rae');
  assert.deepEqual(again.events, []);

  // The hosted-UI refresh token refreshes; the session still signs out through /logout.
  const before = await auth.getAccessToken();
  assert.notEqual(await auth.getAccessToken({ forceRefresh: true }), before);
  const out = page(`${APP}/account`);
  await auth.signOut();
  assert.equal(await auth.currentUser(), null);
  assert.equal(out.assigned.length, 1);
  const logout = new URL(out.assigned[0]);
  assert.equal(`${logout.origin}${logout.pathname}`, `${s.pool.oauth.url}/logout`);
  assert.equal(logout.searchParams.get('client_id'), s.pool.clientId);
  assert.equal(logout.searchParams.get('logout_uri'), `${APP}/`);
  const logoutAnswer = await fetch(logout, { redirect: 'manual' });
  assert.equal(logoutAnswer.status, 302);
  assert.equal(logoutAnswer.headers.get('location'), `${APP}/`);
});

test('the stand-in Google: a federated user with its provider group', async (t) => {
  const s = await setUp(t);
  if (!s) return;
  const start = page(`${APP}/signin`);
  await load(s.options).auth.signInWithRedirect({ provider: 'Google' });
  assert.equal(new URL(start.assigned[0]).searchParams.get('identity_provider'), 'Google');
  const callback = await browse(start.assigned[0], { email: 'fed@example.com', name: 'Fed', action: 'sign_in' });
  page(callback);
  const { auth } = load(s.options);
  const user = await auth.currentUser();
  assert.match(user?.username ?? '', /^google_\d+$/);
  assert.ok(user.groups.includes(`${s.pool.userPoolId}_Google`), JSON.stringify(user.groups));
  assert.equal(user.email, 'fed@example.com');
});

test('a callback with another state, or with an error, fails the sign-in with a typed error and keeps nothing', async (t) => {
  const s = await setUp(t);
  if (!s) return;
  for (const [query, name, code] of [
    ['code=forged&state=not-the-one', 'ProtocolError', 'ProtocolError'],
    ['error=access_denied&error_description=The+user+said+no', 'OAuthError', 'access_denied'],
  ]) {
    const start = page(`${APP}/signin`);
    await load(s.options).auth.signInWithRedirect();
    const state = new URL(start.assigned[0]).searchParams.get('state');
    const href = `${CALLBACK}?${query}${query.includes('state=') ? '' : `&state=${state}`}`;
    page(href);
    const { auth, events } = load(s.options);
    assert.equal(await auth.currentUser(), null);
    assert.deepEqual(events.map((e) => e.event), ['signInWithRedirect_failure']);
    const { error } = events[0].data;
    assert.equal(error.name, name);
    assert.equal(error.code, code);
    if (name === 'OAuthError') assert.equal(error.message, 'The user said no');
    assert.equal(s.store.getItem(s.pendingKey), null, 'the failed sign-in is over');
    assert.equal(globalThis.location.href, CALLBACK);
  }
});

test('signInWithRedirect while signed in is AlreadySignedIn unless it has a prompt; without oauth it says what is missing', async (t) => {
  const s = await setUp(t);
  if (!s) return;
  const signedIn = page(`${APP}/signin`);
  const { auth } = load(s.options);
  await auth.signIn({ username: 'rae', password: PASSWORD });
  await assert.rejects(auth.signInWithRedirect(), (e) => e.code === 'AlreadySignedIn');
  assert.deepEqual(signedIn.assigned, []);
  // As Amplify: a prompt (LOGIN: sign in again) goes to managed login over the session, which stands until then.
  await auth.signInWithRedirect({ options: { prompt: 'LOGIN' } });
  assert.equal(new URL(signedIn.assigned[0]).searchParams.get('prompt'), 'login');
  assert.equal((await auth.currentUser())?.username, 'rae');
  // Amplify's authSessionOpener (a function, for in-app browsers) cannot be honoured: refused, not dropped.
  await assert.rejects(auth.signInWithRedirect({ options: { prompt: 'LOGIN', authSessionOpener: () => {} } }),
    (e) => e.code === 'InvalidArgument' && /authSessionOpener is a function/.test(e.message));
  const { oauth, ...withoutOAuth } = s.options;
  const plain = load({ ...withoutOAuth, storage: memoryStore() }).auth;
  await assert.rejects(plain.signInWithRedirect(), (e) => e.code === 'InvalidConfig' && /oauth/.test(e.message));
});
