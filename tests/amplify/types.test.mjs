// The declarations of `cognito-wasm/amplify` (js/amplify.d.ts) against app code written for Amplify v6: one sample,
// compiled by `tsc --strict` twice, with Amplify's imports (skipLibCheck on: Amplify's own declarations want
// @types/node) and with `cognito-wasm/amplify`'s (skipLibCheck off), the body unchanged. Both compiles must pass: the sample is real Amplify code, and it ports by changing the import. A
// canary with one mistake of each kind must fail, proof that the check checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { skipUnlessCI } from '../support/ci.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// Inside tests/amplify so that both `aws-amplify` and `cognito-wasm` (linked) resolve from its node_modules.
const OUT = join(HERE, 'node_modules', '.ts-amplify');

const AMPLIFY_IMPORTS = `import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import {
  AuthError, confirmResetPassword, confirmSignIn, confirmSignUp, deleteUser, fetchAuthSession, fetchUserAttributes,
  getCurrentUser, resendSignUpCode, resetPassword, signIn, signOut, signUp, updatePassword, updateUserAttributes,
  autoSignIn, updateUserAttribute, sendUserAttributeVerificationCode, confirmUserAttribute, deleteUserAttributes,
  setUpTOTP, verifyTOTPSetup, updateMFAPreference, fetchMFAPreference, signInWithRedirect,
} from 'aws-amplify/auth';
`;
const OUR_IMPORTS = `import {
  Amplify, Hub,
  AuthError, confirmResetPassword, confirmSignIn, confirmSignUp, deleteUser, fetchAuthSession, fetchUserAttributes,
  getCurrentUser, resendSignUpCode, resetPassword, signIn, signOut, signUp, updatePassword, updateUserAttributes,
  autoSignIn, updateUserAttribute, sendUserAttributeVerificationCode, confirmUserAttribute, deleteUserAttributes,
  setUpTOTP, verifyTOTPSetup, updateMFAPreference, fetchMFAPreference, signInWithRedirect,
} from 'cognito-wasm/amplify';
`;

// An app's auth code as Amplify's documentation writes it.
const BODY = `
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: 'us-east-1_AbC123', userPoolClientId: 'client', userPoolEndpoint: 'http://127.0.0.1:9229',
      loginWith: {
        email: true,
        oauth: {
          domain: 'auth.example.com', scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
          redirectSignIn: ['http://localhost:3000/'], redirectSignOut: ['http://localhost:3000/'], responseType: 'code',
          providers: ['Google', { custom: 'Corp' }],
        },
      },
    },
  },
});

const stop: () => void = Hub.listen('auth', ({ payload }) => {
  switch (payload.event) {
    case 'signedIn': console.log('signed in', payload.data.username, payload.data.userId); break;
    case 'signedOut': console.log('signed out'); break;
    case 'tokenRefresh': break;
    case 'tokenRefresh_failure': console.log('refresh failed'); break;
    case 'signInWithRedirect': console.log('back from managed login'); break;
    case 'signInWithRedirect_failure': console.log(payload.data.error?.name, payload.data.error?.message); break;
    case 'customOAuthState': { const state: string = payload.data; console.log(state); break; }
  }
});

export async function register(username: string, password: string, email: string): Promise<string | undefined> {
  const { isSignUpComplete, userId, nextStep } = await signUp({ username, password, options: { userAttributes: { email } } });
  if (!isSignUpComplete && nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
    console.log(nextStep.codeDeliveryDetails?.destination);
    const details = await resendSignUpCode({ username });
    console.log(details.deliveryMedium);
    await confirmSignUp({ username, confirmationCode: '123456' });
  }
  return userId;
}

export async function logIn(username: string, password: string): Promise<boolean> {
  try {
    const { isSignedIn, nextStep } = await signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    if (nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
      const done = await confirmSignIn({ challengeResponse: 'N3w-Passw0rd', options: { userAttributes: { name: 'A' } } });
      return done.isSignedIn;
    }
    return isSignedIn;
  } catch (error) {
    if (error instanceof AuthError && error.name === 'NotAuthorizedException') return false;
    throw error;
  }
}

export async function whoAmI(): Promise<string> {
  const { username, userId, signInDetails } = await getCurrentUser();
  const session = await fetchAuthSession({ forceRefresh: true });
  const jwt: string | undefined = session.tokens?.accessToken.toString();
  const groups = session.tokens?.accessToken.payload['cognito:groups'];
  const email = session.tokens?.idToken?.payload.email;
  const attributes = await fetchUserAttributes();
  return [username, userId, signInDetails?.loginId, jwt, String(groups), String(email), session.userSub, attributes.email].join();
}

export async function account(): Promise<void> {
  const updated = await updateUserAttributes({ userAttributes: { email: 'b@example.com', 'custom:team': 'x' } });
  if (updated.email?.nextStep.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE') console.log('code sent');
  await updatePassword({ oldPassword: 'a', newPassword: 'b' });
  const reset = await resetPassword({ username: 'alice' });
  if (reset.nextStep.resetPasswordStep === 'CONFIRM_RESET_PASSWORD_WITH_CODE') {
    await confirmResetPassword({ username: 'alice', confirmationCode: '1', newPassword: 'c' });
  }
  await signOut({ global: true });
  await signOut();
  await deleteUser();
  stop();
}

export async function social(): Promise<void> {
  await signInWithRedirect({ provider: 'Google', customState: '/cart', options: { lang: 'en', prompt: 'LOGIN', preferPrivateSession: true } });
  await signInWithRedirect({ provider: { custom: 'Corp' } });
  await signInWithRedirect({ provider: { idpIdentifier: 'corp.example' }, options: { loginHint: 'a@b.c', nonce: 'n' } });
  await signInWithRedirect();
}

export async function more(): Promise<string> {
  const { nextStep } = await signUp({ username: 'a', password: 'b', options: { userAttributes: { email: 'a@b.c' }, autoSignIn: true } });
  if (nextStep.signUpStep === 'DONE') await confirmSignUp({ username: 'a', confirmationCode: '1' });
  const auto = await autoSignIn();
  const one = await updateUserAttribute({ userAttribute: { attributeKey: 'email', value: 'c@d.e' } });
  const sent = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
  await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '1' });
  await deleteUserAttributes({ userAttributeKeys: ['given_name'] });
  const totp = await setUpTOTP();
  const uri: URL = totp.getSetupUri('App');
  await verifyTOTPSetup({ code: '123456' });
  await updateMFAPreference({ totp: 'PREFERRED' });
  const { preferred, enabled } = await fetchMFAPreference();
  return [auto.isSignedIn, one.isUpdated, sent.destination, uri.href, preferred, enabled?.join()].join();
}
`;

const CANARY = `import { configure, signIn, signUp, getCurrentUser } from 'cognito-wasm/amplify';
configure({ Auth: { Cognito: { userPoolId: 'p' } } });
export const a = signIn({ username: 'a', password: 'b', options: { authFlowType: 'NOT_A_FLOW' } });
export const b = signUp({ username: 'a', password: 'b', options: { notAnAmplifyOption: {} } });
export const c: Promise<{ username: number }> = getCurrentUser();
`;
const CANARY_ERRORS = [[2, 'TS2345'], [3, 'TS2322'], [4, 'TS2353'], [5, 'TS2322']];

function compile(file, { skipLibCheck = false } = {}) {
  const result = spawnSync(process.execPath, [
    TSC, '--strict', '--noEmit', '--pretty', 'false', '--skipLibCheck', String(skipLibCheck),
    '--lib', 'es2022,dom', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', file,
  ], { cwd: HERE, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.error, undefined, `tsc did not run: ${result.error}`);
  return `${result.stdout}${result.stderr}`.split('\n').filter((l) => l.trim());
}

test('Amplify app code compiles against aws-amplify and, with the import changed, against cognito-wasm/amplify', async (t) => {
  if (!existsSync(TSC)) return skipUnlessCI(t, 'node_modules/typescript is missing (npm ci at the root)');
  if (!existsSync(join(HERE, 'node_modules', 'aws-amplify'))) {
    return skipUnlessCI(t, 'tests/amplify/node_modules is missing (cd tests/amplify && npm ci)');
  }
  mkdirSync(OUT, { recursive: true });
  const files = { 'amplify.ts': AMPLIFY_IMPORTS + BODY, 'ours.ts': OUR_IMPORTS + BODY, 'canary.ts': CANARY };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(OUT, name), text);
  // Amplify's own declarations need @types/node to pass skipLibCheck false; they are not what is checked here.
  assert.deepEqual(compile(join(OUT, 'amplify.ts'), { skipLibCheck: true }), [], 'the sample must be valid Amplify v6 code');
  assert.deepEqual(compile(join(OUT, 'ours.ts')), [], 'the sample must compile against js/amplify.d.ts');
  const canary = compile(join(OUT, 'canary.ts')).flatMap((line) => {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+)/.exec(line);
    if (m) return [m[1].endsWith('canary.ts') ? [Number(m[2]), m[3]] : line];
    return /^\s/.test(line) ? [] : [line]; // the indented lines go on with the error above
  });
  assert.deepEqual(canary, CANARY_ERRORS, 'tsc must reject each mistake of the canary');
});
