// The two wasm modules as the browser entry uses them (js/index.js): a CognitoAuth starts on the session core, and
// the first call that needs the flows module loads it and switches over. Here in Node, over the emulator, with both
// modules read from pkg/ and a `loadFlows` that counts its loads (and can fail once, as a dropped connection would).
//
// Skips without COGNITO_EMULATOR_INFO (scripts/test.sh sets it); fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import * as core from '../../pkg/cognito_wasm.js';
import { api } from '../../js/auth.js';
import { SKIP_NO_EMULATOR, emulatorInfo, freshPool, memoryStore, skipUnlessCI } from './support.mjs';

const info = emulatorInfo();
const PASSWORD = 'Passw0rd1';

core.initSync({ module: readFileSync(new URL('../../pkg/cognito_wasm_bg.wasm', import.meta.url)) });

/** The package's exports over the two modules; `loads()` counts the flows module's loads. */
function entry() {
  let loads = 0;
  let failures = 0;
  const exports = api(core, async () => {
    loads++;
    if (failures > 0) {
      failures--;
      throw new TypeError('Failed to fetch dynamically imported module');
    }
    const flows = await import('../../pkg/cognito_wasm_flows.js');
    flows.initSync({ module: readFileSync(new URL('../../pkg/cognito_wasm_flows_bg.wasm', import.meta.url)) });
    return flows;
  });
  return { ...exports, loads: () => loads, failNextLoad: () => { failures++; } };
}

async function pool(t, users) {
  if (!info) {
    skipUnlessCI(t, SKIP_NO_EMULATOR);
    return null;
  }
  return freshPool(info, users);
}

test('the session core answers a signed-in page; sign-in, account calls and verifyToken load the flows module once', async (t) => {
  const p = await pool(t, [{ username: 'ana', password: PASSWORD }]);
  if (!p) return;
  const options = { userPoolId: p.userPoolId, clientId: p.clientId, endpoint: p.endpoint };
  const store = memoryStore();

  const signInPage = entry();
  const first = new signInPage.CognitoAuth({ ...options, storage: store });
  assert.equal(await first.currentUser(), null);
  assert.equal(signInPage.loads(), 0, 'currentUser runs on the core');
  assert.deepEqual(await first.signIn({ username: 'ana', password: PASSWORD }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal(signInPage.loads(), 1, 'the sign-in loaded the flows module');
  assert.equal(typeof (await first.fetchUserAttributes()).sub, 'string');
  assert.equal(signInPage.loads(), 1, 'loaded once');

  // Another page of the signed-in app, on the same store: tokens, refresh and sign-out on the core alone.
  const appPage = entry();
  const events = [];
  const second = new appPage.CognitoAuth({ ...options, storage: store });
  second.onAuthChange(({ event }) => events.push(event));
  assert.equal((await second.currentUser())?.username, 'ana');
  const access = await second.getAccessToken();
  const refreshed = await second.getAccessToken({ forceRefresh: true });
  assert.notEqual(refreshed, access);
  assert.equal(typeof (await second.getIdToken()), 'string');
  await second.signOut();
  assert.equal(await second.currentUser(), null);
  assert.deepEqual(events, ['tokenRefresh', 'signedOut']);
  assert.equal(appPage.loads(), 0, 'no call of that page needed the flows module');

  // verifyToken runs in the flows module.
  const claims = await appPage.verifyToken(refreshed, { ...options, tokenUse: 'access' });
  assert.equal(claims.username, 'ana');
  assert.equal(appPage.loads(), 1);
});

test('a refresh under way on the core ends before the flows module takes over, which goes on with its tokens', async (t) => {
  const p = await pool(t, [{ username: 'bo', password: PASSWORD }]);
  if (!p) return;
  const options = { userPoolId: p.userPoolId, clientId: p.clientId, endpoint: p.endpoint };
  const store = memoryStore();
  const { CognitoAuth } = entry();
  await new CognitoAuth({ ...options, storage: store }).signIn({ username: 'bo', password: PASSWORD });

  const page = entry();
  const auth = new page.CognitoAuth({ ...options, storage: store });
  const events = [];
  auth.onAuthChange(({ event }) => events.push(event));
  const before = await auth.getAccessToken();
  // Both at once: the refresh starts on the core; the attribute read waits for it, then runs on the flows module.
  const [refreshed, attributes] = await Promise.all([
    auth.getAccessToken({ forceRefresh: true }),
    auth.fetchUserAttributes(),
  ]);
  assert.notEqual(refreshed, before);
  assert.equal(typeof attributes.sub, 'string');
  assert.equal(page.loads(), 1);
  // The flows module's client read the refreshed session: no second refresh, the same token.
  assert.equal(await auth.getAccessToken(), refreshed);
  assert.deepEqual(events, ['tokenRefresh']);
  await auth.signOut({ global: true });
  assert.deepEqual(events, ['tokenRefresh', 'signedOut']);
});

test('a flows module that fails to load is a NetworkError that loses nothing; the next call loads it', async (t) => {
  const p = await pool(t, [{ username: 'cy', password: PASSWORD }]);
  if (!p) return;
  const options = { userPoolId: p.userPoolId, clientId: p.clientId, endpoint: p.endpoint, storage: memoryStore() };
  const page = entry();
  const auth = new page.CognitoAuth(options);
  page.failNextLoad();
  await assert.rejects(auth.signIn({ username: 'cy', password: PASSWORD }), (e) => {
    assert.equal(e.name, 'NetworkError');
    assert.equal(e.code, 'NetworkError');
    assert.match(e.message, /could not be loaded/);
    return true;
  });
  // The core still answers.
  assert.equal(await auth.currentUser(), null);
  assert.deepEqual(await auth.signIn({ username: 'cy', password: PASSWORD }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal(page.loads(), 2);
  assert.equal((await auth.currentUser())?.username, 'cy');
});

test("with aws-amplify's keys for this app client stored, every call goes to the flows module (it takes them over)", async (t) => {
  const p = await pool(t, []);
  if (!p) return;
  const store = memoryStore();
  // An Amplify user with no tokens: nothing to take over, but only the flows module may decide that.
  store.setItem(`CognitoIdentityServiceProvider.${p.clientId}.LastAuthUser`, 'dee');
  const page = entry();
  const auth = new page.CognitoAuth({ userPoolId: p.userPoolId, clientId: p.clientId, endpoint: p.endpoint, storage: store });
  assert.equal(await auth.currentUser(), null);
  assert.equal(page.loads(), 1);
});

test('a CognitoAuth freed while the flows module loads is not revived by the switch', async (t) => {
  const p = await pool(t, []);
  if (!p) return;
  const page = entry();
  const auth = new page.CognitoAuth({ userPoolId: p.userPoolId, clientId: p.clientId, endpoint: p.endpoint, storage: memoryStore() });
  const call = auth.fetchDevices();
  auth.free();
  await assert.rejects(call, (e) => e.name === 'UsageError');
});
