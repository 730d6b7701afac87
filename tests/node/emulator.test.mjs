// The npm package in Node 20 against the Cognito emulator (moto + a real server-side SRP check).
// scripts/test.sh starts the emulator and sets COGNITO_EMULATOR_INFO; without it every test here skips (fails under
// CI=true).
// Each test makes its own pool (POST /_emulator/pool) so that they do not see each other's users.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { CognitoAuth, verifyToken } from 'cognito-wasm';
import {
  SKIP_NO_EMULATOR, cognitoCall, emulatorInfo, freshPool, memoryStore, recordFetches, rejectsWith, skipUnlessCI,
  tamperPayload,
} from './support.mjs';

const info = emulatorInfo();

function authFor(pool, storage = 'memory') {
  return new CognitoAuth({ userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage });
}

test('verifyToken verifies emulator-issued tokens and rejects tampered, expired and misdirected ones', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'vera', password: 'Passw0rd1' }]);
  const auth = authFor(pool);
  assert.deepEqual(await auth.signIn({ username: 'vera', password: 'Passw0rd1' }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const access = await auth.getAccessToken();
  const id = await auth.getIdToken();
  const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint };

  // With the JWKS fetched from the configured endpoint...
  const claims = await verifyToken(access, { ...options, tokenUse: 'access' });
  assert.equal(claims.username, 'vera');
  assert.equal(claims.iss, `https://cognito-idp.us-east-1.amazonaws.com/${pool.userPoolId}`);
  assert.equal((await verifyToken(id, { ...options, tokenUse: 'id' }))['cognito:username'], 'vera');
  // ...and with a JWKS document handed over (no request).
  const jwks = await (await fetch(`${pool.endpoint}/${pool.userPoolId}/.well-known/jwks.json`)).json();
  const recorder = recordFetches();
  try {
    const offline = await verifyToken(access, { userPoolId: pool.userPoolId, clientId: pool.clientId, jwks, tokenUse: 'access' });
    assert.equal(offline.sub, claims.sub);
  } finally {
    recorder.restore();
  }
  assert.equal(recorder.requests.length, 0, 'a given jwks means no request');

  await rejectsWith(assert, verifyToken(tamperPayload(access), { ...options, tokenUse: 'access' }), 'TokenError',
    ['JwtInvalidSignature', 'JwtMalformed']);
  await rejectsWith(assert, verifyToken(access, { ...options, tokenUse: 'access', now: claims.exp + 3600 }),
    'TokenError', 'JwtExpired');
  await rejectsWith(assert, verifyToken(access, { ...options, tokenUse: 'id' }), 'TokenError', 'JwtInvalidTokenUse');
  await rejectsWith(assert, verifyToken(id, { ...options, tokenUse: 'access' }), 'TokenError', 'JwtInvalidTokenUse');
  await rejectsWith(assert, verifyToken(access, { ...options, clientId: 'anotherclient1', tokenUse: 'access' }),
    'TokenError', 'JwtInvalidClientId');
  await rejectsWith(assert, verifyToken(id, { ...options, clientId: 'anotherclient1', tokenUse: 'id' }),
    'TokenError', 'JwtInvalidAudience');
  // Another pool of the same emulator: same signing key, other issuer.
  const other = await freshPool(info);
  await rejectsWith(assert,
    verifyToken(access, { userPoolId: other.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, tokenUse: 'access' }),
    'TokenError', 'JwtInvalidIssuer');
  auth.free();
});

test('CognitoAuth with memory storage: sign-up, duplicate, confirm, sign-in, current user, token, sign-out', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'taken', password: 'Passw0rd1' }]);
  const auth = authFor(pool);
  const events = [];
  const unsubscribe = auth.onAuthChange((e) => events.push(e.event));

  await rejectsWith(assert,
    auth.signUp({ username: 'taken', password: 'Passw0rd1', options: { userAttributes: { email: 'taken@example.com' } } }),
    'CognitoServiceError', 'UsernameExistsException');
  await rejectsWith(assert,
    auth.signUp({ username: 'newbie', password: 'short', options: { userAttributes: { email: 'newbie@example.com' } } }),
    'CognitoServiceError', 'InvalidPasswordException');

  const signedUp = await auth.signUp({ username: 'newbie', password: 'Passw0rd1', options: { userAttributes: { email: 'newbie@example.com' } } });
  assert.equal(signedUp.isSignUpComplete, false);
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(typeof signedUp.userId, 'string');

  const early = await auth.signIn({ username: 'newbie', password: 'Passw0rd1' });
  assert.deepEqual(early, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });
  await rejectsWith(assert, auth.confirmSignUp({ username: 'newbie', confirmationCode: 'emulator-wrong-1' }),
    'CognitoServiceError', 'CodeMismatchException');
  const confirmed = await auth.confirmSignUp({ username: 'newbie', confirmationCode: '123456' });
  assert.equal(confirmed.isSignUpComplete, true);
  assert.equal(confirmed.nextStep.signUpStep, 'DONE');

  await rejectsWith(assert, auth.signIn({ username: 'newbie', password: 'Wrong-Passw0rd' }),
    'CognitoServiceError', 'NotAuthorizedException');
  assert.deepEqual(await auth.signIn({ username: 'newbie', password: 'Passw0rd1' }),
    { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  await rejectsWith(assert, auth.signIn({ username: 'newbie', password: 'Passw0rd1' }), 'UsageError', 'AlreadySignedIn');

  const user = await auth.currentUser();
  assert.equal(user.username, 'newbie');
  assert.equal(user.userId, signedUp.userId);
  assert.equal(user.email, 'newbie@example.com');
  assert.deepEqual(user.groups, []);
  assert.equal(user.claims['cognito:username'], 'newbie');
  assert.equal(user.claims.token_use, 'id');
  assert.ok(user.expiresAt > Date.now() + 50 * 60 * 1000, `expiresAt ${user.expiresAt} is in ms`);

  const token = await auth.getAccessToken();
  assert.equal(token.split('.').length, 3);
  assert.equal(await auth.getAccessToken(), token, 'a fresh token is reused');
  const forced = await auth.getAccessToken({ forceRefresh: true });
  assert.notEqual(forced, token, 'forceRefresh brings a new token');
  assert.deepEqual(await auth.fetchUserAttributes(), await auth.fetchUserAttributes());
  assert.equal((await auth.fetchUserAttributes()).email, 'newbie@example.com');

  await auth.signOut();
  assert.equal(await auth.currentUser(), null);
  await rejectsWith(assert, auth.getAccessToken(), 'UsageError', 'NotSignedIn');
  assert.deepEqual(events, ['signedIn', 'tokenRefresh', 'signedOut']);
  unsubscribe();
  await auth.signIn({ username: 'newbie', password: 'Passw0rd1' });
  assert.deepEqual(events, ['signedIn', 'tokenRefresh', 'signedOut'], 'no events after unsubscribing');
  auth.free();
});

test('inputs take Amplify v6 shapes: authFlowType per call, and an unknown member is an error that sends nothing', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'paula', password: 'Passw0rd1' }]);
  assert.throws(() => new CognitoAuth({ userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, storage: 'memory' }),
    (e) => e.name === 'UsageError' && e.code === 'InvalidConfig' && /userPoolClientId/.test(e.message));
  const auth = authFor(pool);
  const recorder = recordFetches();
  try {
    for (const [call, member] of [
      [() => auth.signIn({ username: 'paula', password: 'Passw0rd1', options: { preferedChallenge: 'EMAIL_OTP' } }), 'preferedChallenge'],
      [() => auth.signUp({ username: 'x', password: 'Passw0rd1', attributes: { email: 'x@example.com' } }), 'attributes'],
      [() => auth.confirmSignUp({ username: 'x', code: '123456' }), 'code'],
      [() => auth.getAccessToken({ forceRefersh: true }), 'forceRefersh'],
      [() => verifyToken('a.b.c', { userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'id', tokenuse: 'id' }), 'tokenuse'],
    ]) {
      await assert.rejects(call(), (e) => e.name === 'UsageError' && e.code === 'InvalidArgument' && e.message.includes(member),
        `${member} is refused`);
    }
    assert.deepEqual(recorder.requests, [], 'nothing was sent');
    assert.deepEqual(await auth.signIn({ username: 'paula', password: 'Passw0rd1', options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const targets = recorder.requests.map((r) => r.target).filter(Boolean);
    assert.deepEqual(targets, ['AWSCognitoIdentityProviderService.InitiateAuth'], 'USER_PASSWORD_AUTH: one InitiateAuth, no SRP round');
  } finally {
    recorder.restore();
    auth.free();
  }
});

test('a custom storage object keeps the session: a second instance restores it without any request', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'rita', password: 'Passw0rd1' }]);
  const store = memoryStore();
  const first = authFor(pool, store);
  await first.signIn({ username: 'rita', password: 'Passw0rd1' });
  const sessionKey = `CognitoWasm.${pool.clientId}.session`;
  assert.ok(store.map.has(sessionKey), `stored keys: ${[...store.map.keys()]}`);
  assert.ok(!store.map.get(sessionKey).includes('Passw0rd1'));
  const before = await first.currentUser();

  const recorder = recordFetches();
  let restored;
  let token;
  try {
    const second = authFor(pool, store);
    restored = await second.currentUser();
    token = await second.getAccessToken();
    second.free();
  } finally {
    recorder.restore();
  }
  assert.deepEqual(recorder.requests, [], 'a warm reload verifies offline with the stored JWKS');
  assert.equal(restored.userId, before.userId);
  assert.equal(token, await first.getAccessToken());

  // The recorder does see the package's requests: sign-out revokes the refresh token.
  const signOutRecorder = recordFetches();
  try {
    await first.signOut();
  } finally {
    signOutRecorder.restore();
  }
  assert.ok(signOutRecorder.requests.some((r) => r.target === 'AWSCognitoIdentityProviderService.RevokeToken'),
    JSON.stringify(signOutRecorder.requests));
  assert.ok(!store.map.has(sessionKey));
  const third = authFor(pool, store);
  assert.equal(await third.currentUser(), null);
  first.free();
  third.free();
});

test('auth.fetch sends the access token to an API that verifies it with verifyToken', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'api-user', password: 'Passw0rd1' }]);
  const server = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let status = 401;
    let body = { error: 'missing bearer token' };
    if (token) {
      try {
        const claims = await verifyToken(token, {
          userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, tokenUse: 'access',
        });
        status = 200;
        body = { username: claims.username };
      } catch (e) {
        body = { error: e.code };
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/me`;
  try {
    // Node has no page origin: the API's origin must be listed.
    const auth = new CognitoAuth({
      userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: 'memory',
      apiOrigins: [new URL(url).origin],
    });
    await auth.signIn({ username: 'api-user', password: 'Passw0rd1' });
    const response = await auth.fetch(url);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { username: 'api-user' });
    const anonymous = await fetch(url);
    assert.equal(anonymous.status, 401);
    const withId = await fetch(url, { headers: { authorization: `Bearer ${await auth.getIdToken()}` } });
    assert.deepEqual(await withId.json(), { error: 'JwtInvalidTokenUse' });
    await auth.signOut();
    await rejectsWith(assert, auth.fetch(url), 'UsageError', 'NotSignedIn');
    auth.free();
  } finally {
    server.close();
  }
});

test('an admin-created user chooses a new password through confirmSignIn', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info);
  const created = await cognitoCall(pool.endpoint, 'AdminCreateUser', {
    UserPoolId: pool.userPoolId, Username: 'olga', TemporaryPassword: 'TempPassw0rd', MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: 'olga@example.com' }, { Name: 'email_verified', Value: 'true' }],
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const auth = authFor(pool);
  const step = await auth.signIn({ username: 'olga', password: 'TempPassw0rd' });
  assert.equal(step.isSignedIn, false);
  assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
  assert.deepEqual(step.nextStep.missingAttributes, []);
  assert.equal(await auth.currentUser(), null);
  const done = await auth.confirmSignIn({ challengeResponse: 'Chosen-Passw0rd' });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await auth.currentUser()).username, 'olga');
  await rejectsWith(assert, auth.confirmSignIn({ challengeResponse: 'again' }), 'UsageError', 'NoSignInInProgress');
  auth.free();
});

test('global signOut invalidates the tokens server-side', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'gus', password: 'Passw0rd1' }]);
  const auth = authFor(pool);
  await auth.signIn({ username: 'gus', password: 'Passw0rd1' });
  const token = await auth.getAccessToken();
  assert.equal((await cognitoCall(pool.endpoint, 'GetUser', { AccessToken: token })).status, 200);
  await auth.signOut({ global: true });
  assert.equal(await auth.currentUser(), null);
  const after = await cognitoCall(pool.endpoint, 'GetUser', { AccessToken: token });
  assert.equal(after.status, 400);
  assert.match(after.body.__type, /NotAuthorizedException$/);
  auth.free();
});
