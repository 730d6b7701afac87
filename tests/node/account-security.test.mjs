// Account security in Node 20 against the Cognito emulator (which checks TOTP, email codes and attribute codes for
// real): an authenticator app enrolled and then asked for at sign-in, MFA preferences, email MFA, MFA setup during
// sign-in, attribute verification and deletion, client metadata reaching the pool, and auto sign-in after sign-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CognitoAuth } from 'cognito-wasm';
import { totp } from '../support/totp.mjs';
import {
  SKIP_NO_EMULATOR, captureCodes, emulatorInfo, freshPool, rejectsWith, skipUnlessCI,
} from './support.mjs';

const info = emulatorInfo();
const PASSWORD = 'Passw0rd1';

function authFor(pool) {
  return new CognitoAuth({ userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: 'memory' });
}

/** What the emulator recorded of the last `operation` in `pool` (`clientMetadata`, `validationData`). */
async function lastRequest(pool, operation) {
  const url = `${pool.endpoint}/_emulator/last-request?operation=${operation}&userPoolId=${pool.userPoolId}`;
  const response = await fetch(url);
  assert.equal(response.status, 200, `${operation} was recorded`);
  return response.json();
}

test('an authenticator app: setUpTOTP with its otpauth URI, verifyTOTPSetup, preferred, then asked for at sign-in', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'tina', password: PASSWORD }]);
  const auth = authFor(pool);
  await auth.signIn({ username: 'tina', password: PASSWORD });
  assert.deepEqual(await auth.fetchMFAPreference(), {}, 'nothing enabled or preferred yet');

  const details = await auth.setUpTOTP();
  assert.match(details.sharedSecret, /^[A-Z2-7]{16,}$/);
  const uri = details.getSetupUri('My App');
  assert.ok(uri instanceof URL);
  assert.equal(uri.href, `otpauth://totp/My%20App:tina?secret=${details.sharedSecret}&issuer=My%20App`);
  assert.equal(details.getSetupUri('My App', 'tina@example.com').href,
    `otpauth://totp/My%20App:tina@example.com?secret=${details.sharedSecret}&issuer=My%20App`);

  const wrong = totp(details.sharedSecret) === '000000' ? '111111' : '000000';
  await rejectsWith(assert, auth.verifyTOTPSetup({ code: wrong }), 'CognitoServiceError', 'EnableSoftwareTokenMFAException');
  assert.equal(await auth.verifyTOTPSetup({ code: totp(details.sharedSecret), options: { friendlyDeviceName: 'phone' } }), undefined);
  assert.equal(await auth.updateMFAPreference({ totp: 'PREFERRED' }), undefined);
  assert.deepEqual(await auth.fetchMFAPreference(), { preferred: 'TOTP', enabled: ['TOTP'] });
  await rejectsWith(assert, auth.updateMFAPreference({ totp: 'ON' }), 'UsageError', 'InvalidArgument');
  await auth.signOut();

  const step = await auth.signIn({ username: 'tina', password: PASSWORD });
  assert.deepEqual(step, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
  await rejectsWith(assert, auth.confirmSignIn({ challengeResponse: wrong }), 'CognitoServiceError', 'CodeMismatchException');
  const done = await auth.confirmSignIn({ challengeResponse: totp(details.sharedSecret) });
  assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'a wrong code kept the step');
  assert.equal((await auth.currentUser()).username, 'tina');

  await auth.updateMFAPreference({ totp: 'DISABLED' });
  assert.equal((await auth.fetchMFAPreference()).preferred, undefined);
  auth.free();
});

test('email MFA: preferred, then a code by email at sign-in; and the MFA setup a pool that requires MFA asks for', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  try {
    const pool = await freshPool(info, [{ username: 'emma', password: PASSWORD, email: 'emma@example.com' }]);
    const auth = authFor(pool);
    await auth.signIn({ username: 'emma', password: PASSWORD });
    await auth.updateMFAPreference({ email: 'PREFERRED' });
    assert.deepEqual(await auth.fetchMFAPreference(), { preferred: 'EMAIL', enabled: ['EMAIL'] });
    await auth.signOut();
    const step = await auth.signIn({ username: 'emma', password: PASSWORD });
    assert.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(step.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    await rejectsWith(assert, auth.confirmSignIn({ challengeResponse: '00000000' }), 'CognitoServiceError', 'CodeMismatchException');
    assert.equal((await auth.confirmSignIn({ challengeResponse: codes.latest() })).isSignedIn, true);
    auth.free();

    // MFA required, nothing set up: the user chooses; email takes the address, then its code.
    const required = await freshPool(info, [
      { username: 'rhea', password: PASSWORD, email: 'rhea@example.com' },
      { username: 'otto', password: PASSWORD, email: 'otto@example.com' },
    ], { mfa: 'ON', mfaFactors: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
    const setup = authFor(required);
    const choose = await setup.signIn({ username: 'rhea', password: PASSWORD });
    assert.equal(choose.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION');
    assert.deepEqual([...choose.nextStep.allowedMFATypes].sort(), ['EMAIL', 'TOTP']);
    await rejectsWith(assert, setup.confirmSignIn({ challengeResponse: 'SMS' }), 'UsageError', 'InvalidArgument');
    const email = await setup.confirmSignIn({ challengeResponse: 'EMAIL' });
    assert.deepEqual(email, { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' } });
    const code = await setup.confirmSignIn({ challengeResponse: 'rhea@example.com' });
    assert.equal(code.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal((await setup.confirmSignIn({ challengeResponse: codes.latest() })).isSignedIn, true);
    await setup.signOut();

    // ...or TOTP: the secret comes with the step, with getSetupUri for the user signing in.
    await setup.signIn({ username: 'otto', password: PASSWORD });
    const app = await setup.confirmSignIn({ challengeResponse: 'TOTP' });
    assert.equal(app.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const { sharedSecret } = app.nextStep.totpSetupDetails;
    assert.equal(app.nextStep.totpSetupDetails.getSetupUri('App').href, `otpauth://totp/App:otto?secret=${sharedSecret}&issuer=App`);
    const done = await setup.confirmSignIn({ challengeResponse: totp(sharedSecret), options: { friendlyDeviceName: 'laptop' } });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual((await setup.fetchMFAPreference()).enabled, ['TOTP']);
    setup.free();
  } finally {
    codes.restore();
  }
});

test('attributes: a new email waits for its code, is verified with confirmUserAttribute; attributes are deleted', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const codes = captureCodes();
  try {
    const pool = await freshPool(info, [{ username: 'vera', password: PASSWORD, email: 'vera@example.com' }]);
    const auth = authFor(pool);
    await auth.signIn({ username: 'vera', password: PASSWORD });
    const update = await auth.updateUserAttribute({
      userAttribute: { attributeKey: 'email', value: 'vera@new.example.com' },
      options: { clientMetadata: { source: 'profile' } },
    });
    assert.equal(update.isUpdated, false);
    assert.equal(update.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    assert.equal(update.nextStep.codeDeliveryDetails.attributeName, 'email');
    assert.deepEqual((await lastRequest(pool, 'UpdateUserAttributes')).clientMetadata, { source: 'profile' });
    assert.equal((await auth.fetchUserAttributes()).email_verified, 'false');

    const resent = await auth.sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
    assert.equal(resent.attributeName, 'email');
    assert.equal(resent.deliveryMedium, 'EMAIL');
    assert.equal(await auth.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: codes.latest() }), undefined);
    const attributes = await auth.fetchUserAttributes();
    assert.equal(attributes.email, 'vera@new.example.com');
    assert.equal(attributes.email_verified, 'true');

    const names = await auth.updateUserAttributes({ userAttributes: { nickname: 'V', locale: 'fr' } });
    assert.deepEqual(names.nickname, { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } });
    assert.equal(await auth.deleteUserAttributes({ userAttributeKeys: ['nickname', 'locale'] }), undefined);
    const after = await auth.fetchUserAttributes();
    assert.equal(after.nickname, undefined);
    assert.equal(after.locale, undefined);
    await rejectsWith(assert, auth.deleteUserAttributes({ userAttributeKeys: [] }), 'UsageError', 'InvalidArgument');
    auth.free();
  } finally {
    codes.restore();
  }
});

test('client metadata and validation data reach the pool; autoSignIn signs in once after the confirmed sign-up', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info);
  const auth = authFor(pool);
  await rejectsWith(assert, auth.autoSignIn(), 'UsageError', 'NoAutoSignIn');
  const signedUp = await auth.signUp({
    username: 'ada',
    password: PASSWORD,
    options: {
      userAttributes: { email: 'ada@example.com' },
      validationData: { captcha: 'ok' },
      clientMetadata: { plan: 'free' },
      autoSignIn: true,
    },
  });
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  const recorded = await lastRequest(pool, 'SignUp');
  assert.deepEqual(recorded.clientMetadata, { plan: 'free' });
  assert.deepEqual(recorded.validationData, [{ Name: 'captcha', Value: 'ok' }]);
  await rejectsWith(assert, auth.autoSignIn(), 'UsageError', 'NoAutoSignIn');

  await auth.resendSignUpCode({ username: 'ada', options: { clientMetadata: { why: 'lost' } } });
  assert.deepEqual((await lastRequest(pool, 'ResendConfirmationCode')).clientMetadata, { why: 'lost' });
  const confirmed = await auth.confirmSignUp({
    username: 'ada', confirmationCode: '123456', options: { clientMetadata: { step: 'confirm' } },
  });
  assert.deepEqual(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  assert.deepEqual((await lastRequest(pool, 'ConfirmSignUp')).clientMetadata, { step: 'confirm' });

  const events = [];
  auth.onAuthChange(({ event }) => events.push(event));
  assert.deepEqual(await auth.autoSignIn(), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  assert.equal((await auth.currentUser()).username, 'ada');
  assert.deepEqual(events, ['signedIn']);
  await rejectsWith(assert, auth.autoSignIn(), 'UsageError', 'NoAutoSignIn');
  await auth.signOut();

  await auth.signIn({ username: 'ada', password: PASSWORD, options: { clientMetadata: { via: 'srp' } } });
  assert.deepEqual((await lastRequest(pool, 'RespondToAuthChallenge')).clientMetadata, { via: 'srp' });
  await auth.signOut();
  await auth.resetPassword({ username: 'ada', options: { clientMetadata: { why: 'forgot' } } });
  assert.deepEqual((await lastRequest(pool, 'ForgotPassword')).clientMetadata, { why: 'forgot' });
  auth.free();
});
