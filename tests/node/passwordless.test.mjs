// Choice-based and custom sign-in in Node 20 against the Cognito emulator: USER_AUTH with an email code as the
// first factor, first-factor selection (codes and SRP), sign-up without a password, and CUSTOM_AUTH with and without
// SRP driven by the emulator's scripted challenge triggers.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CognitoAuth } from 'cognito-wasm';
import {
  SKIP_NO_EMULATOR, captureCodes, emulatorInfo, freshPool, rejectsWith, skipUnlessCI,
} from './support.mjs';

const info = emulatorInfo();
const PASSWORD = 'Passw0rd1';
const USER_AUTH = { authFlowType: 'USER_AUTH' };

function authFor(pool) {
  return new CognitoAuth({ userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: 'memory' });
}

test('USER_AUTH: an email code as the first factor; a wrong code keeps the step', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  try {
    const pool = await freshPool(info, [{ username: 'pia', password: PASSWORD, email: 'pia@example.com' }],
      { firstFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] });
    const auth = authFor(pool);
    const step = await auth.signIn({ username: 'pia', options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(step.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const wrong = codes.latest() === '00000000' ? '11111111' : '00000000';
    await rejectsWith(assert, auth.confirmSignIn({ challengeResponse: wrong }), 'CognitoServiceError', 'CodeMismatchException');
    assert.deepEqual(await auth.confirmSignIn({ challengeResponse: codes.latest() }),
      { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await auth.currentUser()).username, 'pia');
    // The password is never needed for that, and is refused where it is: PASSWORD without one is a usage error.
    await auth.signOut();
    await rejectsWith(assert, auth.signIn({ username: 'pia', options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }),
      'UsageError', 'InvalidArgument');
    auth.free();
  } finally {
    codes.restore();
  }
});

test('USER_AUTH: first-factor selection offers what the user has; a password chosen, then an email code', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  try {
    const pool = await freshPool(info, [{ username: 'ines', password: PASSWORD, email: 'ines@example.com' }],
      { firstFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] });
    const auth = authFor(pool);
    const choose = await auth.signIn({ username: 'ines', options: USER_AUTH });
    assert.equal(choose.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    const offered = choose.nextStep.availableChallenges;
    assert.ok(offered.includes('EMAIL_OTP') && offered.includes('PASSWORD_SRP'), `${offered}`);
    assert.ok(!offered.includes('SMS_OTP'), 'no phone number, no SMS code');
    await rejectsWith(assert, auth.confirmSignIn({ challengeResponse: 'SMS_OTP' }), 'UsageError', 'InvalidArgument');

    const password = await auth.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    assert.deepEqual(password, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } });
    assert.deepEqual(await auth.confirmSignIn({ challengeResponse: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await auth.signOut();

    // And by email code, chosen.
    await auth.signIn({ username: 'ines', options: USER_AUTH });
    const code = await auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal((await auth.confirmSignIn({ challengeResponse: codes.latest() })).isSignedIn, true);
    auth.free();
  } finally {
    codes.restore();
  }
});

test('a user signed up without a password signs in with an email code, and is offered no password', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  try {
    const pool = await freshPool(info, [], { firstFactors: ['PASSWORD', 'EMAIL_OTP'] });
    const auth = authFor(pool);
    const signedUp = await auth.signUp({ username: 'noor', options: { userAttributes: { email: 'noor@example.com' } } });
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    await auth.confirmSignUp({ username: 'noor', confirmationCode: '123456' });
    const choose = await auth.signIn({ username: 'noor', options: USER_AUTH });
    assert.deepEqual(choose.nextStep.availableChallenges, ['EMAIL_OTP']);
    await auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal((await auth.confirmSignIn({ challengeResponse: codes.latest() })).isSignedIn, true);
    auth.free();
  } finally {
    codes.restore();
  }
});

test('CUSTOM_AUTH without and with SRP: the challenges the pool scripts, answered in turn', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const challenges = [
    { publicParameters: { question: '2 + 2?' }, answer: '4' },
    { publicParameters: { question: 'The capital of France?' }, answer: 'Paris' },
  ];
  const pool = await freshPool(info, [{ username: 'cleo', password: PASSWORD }], { customAuth: { challenges } });
  const auth = authFor(pool);
  const first = await auth.signIn({ username: 'cleo', options: { authFlowType: 'CUSTOM_WITHOUT_SRP', clientMetadata: { app: 'quiz' } } });
  assert.deepEqual(first, {
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { question: '2 + 2?' } },
  });
  const second = await auth.confirmSignIn({ challengeResponse: '4' });
  assert.deepEqual(second.nextStep.additionalInfo, { question: 'The capital of France?' });
  assert.deepEqual(await auth.confirmSignIn({ challengeResponse: 'Paris' }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  await auth.signOut();
  auth.free();

  const srpPool = await freshPool(info, [{ username: 'cleo', password: PASSWORD }], { customAuth: { challenges, srp: true } });
  const srpAuth = authFor(srpPool);
  await rejectsWith(assert, srpAuth.signIn({ username: 'cleo', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
    'UsageError', 'InvalidArgument');
  const afterPassword = await srpAuth.signIn({ username: 'cleo', password: PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
  assert.equal(afterPassword.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
  await srpAuth.confirmSignIn({ challengeResponse: '4' });
  assert.equal((await srpAuth.confirmSignIn({ challengeResponse: 'Paris' })).isSignedIn, true);
  srpAuth.free();
});
