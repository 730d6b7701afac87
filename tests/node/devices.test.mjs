// Remembered devices in Node 20 against the Cognito emulator (which checks the device's SRP proof for real): a new
// device confirmed after the sign-in, remembered on request, proving itself at the next sign-in so that MFA is
// skipped, listed, refreshing with its device-bound refresh token, and forgotten, after which MFA is asked again.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CognitoAuth } from 'cognito-wasm';
import {
  SKIP_NO_EMULATOR, captureCodes, cognitoCall, emulatorInfo, freshPool, rejectsWith, skipUnlessCI,
} from './support.mjs';

const info = emulatorInfo();
const PASSWORD = 'Passw0rd1';

/** A store over a Map, to see what is kept. */
function mapStore() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

/** Records the Cognito operations the package sends (`Op`, or `Op:ChallengeName` for challenge answers). */
function recordOperations() {
  const original = globalThis.fetch;
  const sent = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const target = request.headers.get('x-amz-target');
    if (target) {
      const body = JSON.parse(await request.clone().text());
      const op = target.replace('AWSCognitoIdentityProviderService.', '');
      sent.push({ op: body.ChallengeName ? `${op}:${body.ChallengeName}` : op, body });
    }
    return original(request);
  };
  return {
    ops: () => sent.map((s) => s.op),
    bodies: (op) => sent.filter((s) => s.op === op).map((s) => s.body),
    clear: () => { sent.length = 0; },
    restore: () => { globalThis.fetch = original; },
  };
}

test('a remembered device: confirmed after sign-in, remembered, skips MFA with device SRP, listed, refreshes, forgotten', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  const record = recordOperations();
  try {
    // MFA for everyone who has it; a remembered device stands in for it; devices are remembered when asked.
    const pool = await freshPool(info, [{ username: 'dora', password: PASSWORD, email: 'dora@example.com' }], {
      mfa: 'OPTIONAL',
      mfaFactors: ['EMAIL_OTP'],
      deviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
    const store = mapStore();
    const deviceKeyOf = () => store.items.get(`CognitoWasm.${pool.clientId}.device.dora`);
    const auth = new CognitoAuth({
      userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: store,
      deviceName: 'Test Runner/1.0',
    });

    // First sign-in (SRP): no MFA yet; Cognito names a new device, confirmed before the sign-in resolves.
    assert.equal((await auth.signIn({ username: 'dora', password: PASSWORD })).isSignedIn, true);
    assert.deepEqual(record.ops(), ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
    const [confirm] = record.bodies('ConfirmDevice');
    assert.equal(confirm.DeviceName, 'Test Runner/1.0');
    const device = JSON.parse(deviceKeyOf());
    assert.equal(device.deviceKey, confirm.DeviceKey);
    assert.match(device.randomPassword, /^[A-Za-z0-9+/]{54}==$/);
    // Not remembered yet (this pool asks): nothing listed.
    assert.deepEqual(await auth.fetchDevices(), []);
    await auth.updateMFAPreference({ email: 'PREFERRED' });
    await auth.signOut();
    assert.ok(deviceKeyOf(), 'the device outlives the sign-out');

    // A device that is not remembered does not stand in for MFA; the sign-in names it.
    record.clear();
    const mfa = await auth.signIn({ username: 'dora', password: PASSWORD });
    assert.equal(mfa.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(record.bodies('RespondToAuthChallenge:PASSWORD_VERIFIER')[0].ChallengeResponses.DEVICE_KEY, device.deviceKey);
    assert.equal((await auth.confirmSignIn({ challengeResponse: codes.latest() })).isSignedIn, true);
    assert.equal(record.bodies('RespondToAuthChallenge:EMAIL_OTP')[0].ChallengeResponses.DEVICE_KEY, device.deviceKey);
    assert.ok(!record.ops().includes('ConfirmDevice'), 'the same device: nothing to confirm');

    // Remembered now: listed, with Amplify's shape.
    assert.equal(await auth.rememberDevice(), undefined);
    const devices = await auth.fetchDevices();
    assert.equal(devices.length, 1);
    assert.equal(devices[0].id, device.deviceKey);
    assert.equal(devices[0].name, 'Test Runner/1.0');
    assert.equal(devices[0].attributes.device_name, 'Test Runner/1.0');
    for (const key of ['createDate', 'lastModifiedDate', 'lastAuthenticatedDate']) {
      assert.ok(devices[0][key] instanceof Date, `${key} is a Date`);
      assert.ok(Math.abs(devices[0][key].getTime() - Date.now()) < 10 * 60_000, `${key} is about now`);
    }
    await auth.signOut();

    // The next sign-in proves the device with SRP, and MFA is skipped.
    record.clear();
    const codesBefore = codes.codes.length;
    const done = await auth.signIn({ username: 'dora', password: PASSWORD });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(record.ops(), [
      'InitiateAuth',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    assert.equal(codes.codes.length, codesBefore, 'no email code was sent');
    const proof = record.bodies('RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER')[0].ChallengeResponses;
    assert.equal(proof.DEVICE_KEY, device.deviceKey);
    assert.match(proof.PASSWORD_CLAIM_SIGNATURE, /^[A-Za-z0-9+/]{43}=$/);

    // The refresh token is bound to the device: a forced refresh works (it sends the device key).
    record.clear();
    const before = await auth.getAccessToken();
    const after = await auth.getAccessToken({ forceRefresh: true });
    assert.notEqual(after, before);
    assert.equal(record.bodies('InitiateAuth')[0].AuthParameters.DEVICE_KEY, device.deviceKey);

    // Forgotten: no longer listed, no longer kept, and MFA is asked again.
    assert.equal(await auth.forgetDevice(), undefined);
    assert.deepEqual(await auth.fetchDevices(), []);
    assert.equal(deviceKeyOf(), undefined);
    await rejectsWith(assert, auth.rememberDevice(), 'UsageError', 'DeviceMetadataNotFound');
    await auth.signOut();
    const again = await auth.signIn({ username: 'dora', password: PASSWORD });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    auth.free();
  } finally {
    record.restore();
    codes.restore();
  }
});

test('a device Cognito no longer knows is dropped and the sign-in goes on without it', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'fred', password: PASSWORD }], {
    deviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
  });
  const store = mapStore();
  const key = `CognitoWasm.${pool.clientId}.device.fred`;
  const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: store };
  const auth = new CognitoAuth(options);
  await auth.signIn({ username: 'fred', password: PASSWORD });
  const first = JSON.parse(store.items.get(key)).deviceKey;
  // Forgotten behind this client's back (an admin, another app).
  const forgot = await cognitoCall(pool.endpoint, 'AdminForgetDevice', {
    UserPoolId: pool.userPoolId, Username: 'fred', DeviceKey: first,
  });
  assert.equal(forgot.status, 200, JSON.stringify(forgot.body));
  await auth.signOut();
  const record = recordOperations();
  try {
    assert.equal((await auth.signIn({ username: 'fred', password: PASSWORD })).isSignedIn, true);
    const verifiers = record.bodies('RespondToAuthChallenge:PASSWORD_VERIFIER');
    assert.equal(verifiers.length, 2, `started over once: ${record.ops()}`);
    assert.equal(verifiers[0].ChallengeResponses.DEVICE_KEY, first);
    assert.equal(verifiers[1].ChallengeResponses.DEVICE_KEY, undefined);
  } finally {
    record.restore();
  }
  const second = JSON.parse(store.items.get(key)).deviceKey;
  assert.notEqual(second, first, 'a new device was confirmed in its place');
  auth.free();
});
