// The npm package under real JavaScript concurrency, against the Cognito emulator: many callers during an
// expired session share one refresh, auth.fetch's 401 retry, listeners that re-enter or throw, and a
// sign-out racing a refresh. Skips without COGNITO_EMULATOR_INFO (scripts/test.sh sets it); fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { CognitoAuth } from 'cognito-wasm';
import { SKIP_NO_EMULATOR, emulatorInfo, freshPool, recordFetches, rejectsWith, skipUnlessCI } from './support.mjs';

const info = emulatorInfo();
const REFRESH = 'AWSCognitoIdentityProviderService.InitiateAuth';

// In Node there is no page origin: auth.fetch sends the token only to the origins in `apiOrigins`.
function authFor(pool, storage = 'memory', apiOrigins = []) {
  return new CognitoAuth({
    userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage, apiOrigins,
  });
}

const originOf = (server) => `http://127.0.0.1:${server.address().port}`;

/**
 * Runs `body` with Date.now() one second past `expSecs`. The emulator's clock does not move, so wait until it
 * is a few seconds past the tokens' iat first: refreshed tokens then expire after the moved clock, as on a real
 * timeline.
 */
async function pastExpiry(expSecs, body) {
  while (Date.now() < (expSecs - 3600 + 3) * 1000) await sleep(100);
  const realNow = Date.now;
  const offset = (expSecs + 1) * 1000 - realNow();
  Date.now = () => realNow() + offset;
  try {
    return await body();
  } finally {
    Date.now = realNow;
  }
}

test('20 concurrent getAccessToken calls on an expired session make exactly one refresh', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'cora', password: 'Passw0rd1' }]);
  const auth = authFor(pool);
  await auth.signIn({ username: 'cora', password: 'Passw0rd1' });
  const old = await auth.getAccessToken();
  const { expiresAt } = await auth.currentUser();
  const events = [];
  auth.onAuthChange((e) => events.push(e.event));

  const recorder = recordFetches();
  let tokens;
  try {
    tokens = await pastExpiry(expiresAt / 1000, () =>
      Promise.all(Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? auth.getIdToken() : auth.getAccessToken()))));
  } finally {
    recorder.restore();
  }
  const refreshes = recorder.requests.filter((r) => r.target === REFRESH);
  assert.equal(refreshes.length, 1, JSON.stringify(recorder.requests));
  assert.equal(recorder.requests.length, 1, 'and nothing else (the JWKS is cached)');
  const access = tokens.filter((_, i) => i % 4 !== 3);
  assert.ok(access.every((tok) => tok === access[0]), 'everyone got the same access token');
  assert.notEqual(access[0], old);
  assert.deepEqual(events, ['tokenRefresh']);
  auth.free();
});

test('auth.fetch retries once with a refreshed token after a 401', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'finn', password: 'Passw0rd1' }]);
  const seen = [];
  let rejectFirst = true;
  const server = createServer((req, res) => {
    seen.push({ auth: req.headers.authorization, method: req.method, body: '' });
    req.on('data', (chunk) => { seen.at(-1).body += chunk; });
    req.on('end', () => {
      const status = rejectFirst && seen.length === 1 ? 401 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ attempt: seen.length }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${originOf(server)}/orders`;
  const server401 = createServer((req, res) => { seen.push(req.headers.authorization); res.writeHead(401); res.end(); });
  await new Promise((resolve) => server401.listen(0, '127.0.0.1', resolve));
  try {
    const auth = authFor(pool, 'memory', [originOf(server), originOf(server401)]);
    await auth.signIn({ username: 'finn', password: 'Passw0rd1' });
    const first = await auth.getAccessToken();
    const response = await auth.fetch(url, { method: 'POST', body: '{"item":1}', headers: { 'x-extra': 'kept' } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { attempt: 2 });
    assert.equal(seen.length, 2, 'one retry');
    assert.equal(seen[0].auth, `Bearer ${first}`);
    assert.notEqual(seen[1].auth, seen[0].auth, 'the retry carries a refreshed token');
    assert.equal(seen[1].auth, `Bearer ${await auth.getAccessToken()}`);
    assert.deepEqual(seen.map((s) => [s.method, s.body]), [['POST', '{"item":1}'], ['POST', '{"item":1}']],
      'the body is sent again');

    // A 401 for the token that was just refreshed is handed back: no second refresh within the interval, no
    // retry with the same token.
    seen.length = 0;
    const recorder = recordFetches();
    let denied;
    try {
      denied = await auth.fetch(`${originOf(server401)}/`);
    } finally {
      recorder.restore();
    }
    assert.equal(denied.status, 401);
    assert.deepEqual(seen, [`Bearer ${await auth.getAccessToken()}`]);
    assert.equal(recorder.requests.filter((r) => r.target === REFRESH).length, 0);
    auth.free();
  } finally {
    server.close();
    server401.close();
  }
});

test('auth.fetch hands back the 401 itself when the session cannot be refreshed', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'gus', password: 'Passw0rd1' }]);
  const seen = [];
  const server = createServer((req, res) => { seen.push(req.headers.authorization); res.writeHead(401); res.end(); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const auth = authFor(pool, 'memory', [originOf(server)]);
    await auth.signIn({ username: 'gus', password: 'Passw0rd1' });
    const events = [];
    auth.onAuthChange((e) => events.push(e.event));
    // Another device signs out everywhere: this client's refresh token is dead, its access token looks fine.
    const other = authFor(pool);
    await other.signIn({ username: 'gus', password: 'Passw0rd1' });
    await other.signOut({ global: true });

    const response = await auth.fetch(`${originOf(server)}/orders`);
    assert.equal(response.status, 401, 'the API said no: that answer, not a refresh error');
    assert.equal(seen.length, 1, 'no retry without a fresher token');
    assert.deepEqual(events, ['tokenRefresh_failure', 'signedOut']);
    assert.equal(await auth.currentUser(), null);
    auth.free();
    other.free();
  } finally {
    server.close();
  }
});

test('listeners may call back into the client, and a throwing listener breaks nothing', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'lena', password: 'Passw0rd1' }]);
  const auth = authFor(pool);
  const reentrant = [];
  const order = [];
  auth.onAuthChange(() => { order.push('thrower'); throw new Error('listener bug'); });
  auth.onAuthChange((e) => {
    order.push(e.event);
    if (e.event === 'signedIn') reentrant.push(auth.currentUser(), auth.getAccessToken());
    if (e.event === 'signedOut') reentrant.push(auth.currentUser());
  });
  const out = await auth.signIn({ username: 'lena', password: 'Passw0rd1' });
  assert.equal(out.isSignedIn, true);
  const [user, token] = await Promise.all(reentrant.splice(0));
  assert.equal(user.username, 'lena');
  assert.equal(token, await auth.getAccessToken());
  await auth.signOut();
  assert.equal(await reentrant[0], null);
  assert.deepEqual(order, ['thrower', 'signedIn', 'thrower', 'signedOut']);
  auth.free();
});

test('a sign-out during a refresh wins: nothing is written back', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'raul', password: 'Passw0rd1' }]);
  const map = new Map();
  const store = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
  const auth = authFor(pool, store);
  await auth.signIn({ username: 'raul', password: 'Passw0rd1' });
  const events = [];
  auth.onAuthChange((e) => events.push(e.event));
  const refresh = auth.getAccessToken({ forceRefresh: true });
  const signOut = auth.signOut();
  const [refreshed, signedOut] = await Promise.allSettled([refresh, signOut]);
  assert.equal(signedOut.status, 'fulfilled', String(signedOut.reason));
  assert.equal(refreshed.status, 'rejected', 'the refresh finished after the sign-out');
  assert.equal(await auth.currentUser(), null);
  assert.equal(map.has(`CognitoWasm.${pool.clientId}.session`), false);
  assert.ok(!events.includes('signedIn') && events.includes('signedOut'), events.join());
  await rejectsWith(assert, auth.getAccessToken(), 'UsageError', 'NotSignedIn');
  auth.free();
});
