// Sequential round trips of an SRP sign-in, counted through a delaying proxy (bench/latency-proxy.mjs: it holds each
// request DELAY_MS, forwards it to the Cognito emulator and logs each request's [arrival, end of answer] window).
// Requests whose windows overlap are one round; the rounds of a sign-in are its sequential round trips.
//
// With no key set stored, the client sends the JWKS GET right after InitiateAuth, so the key set arrives while
// InitiateAuth is in flight: 2 rounds, not 3. With the key set stored (a later sign-in on the same store), the JWKS
// is not fetched at all.
//
// Skips without COGNITO_EMULATOR_INFO (scripts/test.sh sets it); fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CognitoAuth } from 'cognito-wasm';
import { roundTrips, startLatencyProxy } from '../../bench/latency-proxy.mjs';
import { SKIP_NO_EMULATOR, emulatorInfo, freshPool, memoryStore, skipUnlessCI } from './support.mjs';

const info = emulatorInfo();
const DELAY_MS = 100;

/** What a log entry was: `InitiateAuth`, `RespondToAuthChallenge`, ... or `GET /jwks` for the key set. */
function label(entry, pool) {
  if (entry.method === 'GET' && entry.path === `/${pool.userPoolId}/.well-known/jwks.json`) return 'GET /jwks';
  return entry.target ?? `${entry.method} ${entry.path}`;
}

function describe(log, pool) {
  const t0 = Math.min(...log.map((e) => e.startMs));
  return log
    .map((e) => `${label(e, pool)} [${(e.startMs - t0).toFixed(0)}, ${((e.endMs ?? NaN) - t0).toFixed(0)}] ms`)
    .join('; ');
}

const overlap = (a, b) => a.startMs < b.endMs && b.startMs < a.endMs;

test(`an SRP sign-in with a cold key set makes 2 sequential round trips through a ${DELAY_MS} ms proxy; with the key set stored, 2 requests`, async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'rita', password: 'Passw0rd1' }]);
  const proxy = await startLatencyProxy({ target: pool.endpoint, delayMs: DELAY_MS });
  t.after(() => proxy.close());
  const store = memoryStore();
  const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: proxy.url, storage: store };

  // Cold: nothing stored.
  const cold = new CognitoAuth(options);
  assert.deepEqual(await cold.signIn({ username: 'rita', password: 'Passw0rd1' }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const coldLog = proxy.takeLog();
  const what = describe(coldLog, pool);
  assert.ok(coldLog.every((e) => e.endMs !== null && e.status === 200), `every request answered 200: ${what}`);
  assert.deepEqual(coldLog.map((e) => label(e, pool)).sort(),
    ['GET /jwks', 'InitiateAuth', 'RespondToAuthChallenge'], `exactly these requests: ${what}`);
  const byLabel = Object.fromEntries(coldLog.map((e) => [label(e, pool), e]));
  assert.ok(overlap(byLabel['GET /jwks'], byLabel.InitiateAuth),
    `the JWKS GET is in flight while InitiateAuth is: ${what}`);
  assert.ok(byLabel.RespondToAuthChallenge.startMs >= byLabel.InitiateAuth.endMs,
    `RespondToAuthChallenge follows InitiateAuth's answer: ${what}`);
  assert.equal(roundTrips(coldLog), 2, `sequential round trips: ${what}`);
  // The tokens verified against that key set: the user reads with no further request.
  assert.equal((await cold.currentUser())?.username, 'rita');
  assert.deepEqual(proxy.takeLog().map((e) => label(e, pool)), [], 'currentUser() makes no request');

  await cold.signOut();
  proxy.takeLog();
  cold.free();

  // Warm: the key set is in the store (sign-out ends the session, not the key set).
  const warm = new CognitoAuth(options);
  assert.equal(await warm.currentUser(), null, 'signed out');
  assert.deepEqual(await warm.signIn({ username: 'rita', password: 'Passw0rd1' }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const warmLog = proxy.takeLog();
  const warmWhat = describe(warmLog, pool);
  assert.deepEqual(warmLog.map((e) => label(e, pool)), ['InitiateAuth', 'RespondToAuthChallenge'],
    `with the key set stored, no JWKS GET: ${warmWhat}`);
  assert.equal(roundTrips(warmLog), 2, `sequential round trips: ${warmWhat}`);
  warm.free();
});
