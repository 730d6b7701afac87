// The differential test of `cognito-wasm/amplify`: one Amplify v6 app scenario (scenario.mjs) runs over the real
// `aws-amplify` (6.22.1, this directory's package.json) and over `cognito-wasm/amplify`, each in a fresh pool of the
// same Cognito emulator, and every step's outcome (normalised result or error name, and the Hub events it caused)
// must be the same. Differences the emulator or Amplify forbid us to remove are listed in KNOWN_DIFFERENCES with
// the reason; there are none at present. Node 20 runs both (aws-amplify v6 works there, with in-memory storage).
//
// scripts/test.sh starts the emulator and sets COGNITO_EMULATOR_INFO; without it the test skips (fails under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { cognitoCall, emulatorInfo, freshPool, skipUnlessCI, SKIP_NO_EMULATOR } from '../node/support.mjs';
import { scenario } from './scenario.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const info = emulatorInfo();
const NO_AMPLIFY = 'tests/amplify/node_modules is missing (cd tests/amplify && npm ci)';

/** Steps whose outcomes may differ, with why; each must really differ (else it is stale and fails the test). */
const KNOWN_DIFFERENCES = new Map();

async function libraries() {
  const { Amplify } = await import('aws-amplify');
  const amplifyAuth = await import('aws-amplify/auth');
  const { Hub } = await import('aws-amplify/utils');
  const ours = await import('cognito-wasm/amplify');
  return {
    // Amplify's `autoSignIn` is a live binding that signUp reassigns: read the namespace at each call, never a copy.
    amplify: Object.assign(Object.create(amplifyAuth), { Hub, configure: (config) => Amplify.configure(config) }),
    ours,
  };
}

async function poolFor(endpoint) {
  const pool = await freshPool({ endpoint });
  const call = (operation, body) => cognitoCall(endpoint, operation, body);
  // An admin-created user with a temporary password: signing in asks for a new one.
  const created = await call('AdminCreateUser', {
    UserPoolId: pool.userPoolId,
    Username: 'carol',
    TemporaryPassword: 'TempPassw0rd1',
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: 'carol@example.com' }, { Name: 'email_verified', Value: 'true' }],
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return { pool, cognitoCall: call };
}

test('cognito-wasm/amplify matches aws-amplify v6 step by step on the emulator', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  if (!existsSync(`${HERE}node_modules/aws-amplify`)) return skipUnlessCI(t, NO_AMPLIFY);
  const { amplify, ours } = await libraries();
  // Amplify warns once about the emulator's custom endpoint: that is expected here.
  const warn = console.warn;
  console.warn = (...args) => { if (!/custom Amazon .* endpoint/.test(args.join(' '))) warn(...args); };
  let theirs;
  let mine;
  try {
    theirs = await scenario(amplify, await poolFor(info.endpoint));
    mine = await scenario(ours, await poolFor(info.endpoint));
  } finally {
    console.warn = warn;
  }
  if (process.env.AMPLIFY_DIFF_OUT) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.AMPLIFY_DIFF_OUT, JSON.stringify({ amplify: theirs, cognitoWasm: mine }, null, 1));
  }
  assert.equal(mine.length, theirs.length);

  let matching = 0;
  const differences = [];
  for (let i = 0; i < theirs.length; i++) {
    assert.equal(mine[i].step, theirs[i].step);
    const same = JSON.stringify(mine[i]) === JSON.stringify(theirs[i]);
    if (same) matching += 1;
    const known = KNOWN_DIFFERENCES.get(theirs[i].step);
    if (known) {
      assert.ok(!same, `"${theirs[i].step}" is listed as a known difference but matches: remove it from the list`);
    } else if (!same) {
      differences.push({ step: theirs[i].step, amplify: theirs[i], cognitoWasm: mine[i] });
    }
  }
  t.diagnostic(`${theirs.length} steps, ${matching} match aws-amplify; ${KNOWN_DIFFERENCES.size} known differences`);
  assert.deepEqual(differences, [], 'every step of cognito-wasm/amplify must match aws-amplify');

  // The scenario's steps did something: the errors and events it is about are really there.
  const byName = Object.fromEntries(mine.map((s) => [s.step, s]));
  assert.deepEqual(byName['signIn wrong password'].outcome, { error: 'NotAuthorizedException' });
  assert.equal(byName.signIn.events[0].event, 'signedIn');
  assert.deepEqual(byName.signIn.outcome.ok.authFlows, ['USER_SRP_AUTH']);
  assert.deepEqual(byName['signIn USER_PASSWORD_AUTH'].outcome.ok.authFlows, ['USER_PASSWORD_AUTH']);
  assert.equal(byName['getCurrentUser while signed out'].outcome.error, 'UserUnAuthenticatedException');
  assert.deepEqual(byName['events stop after unsubscribe'].events, []);
});

test('cognito-wasm/amplify errors are CognitoWasmError (and AuthError) with Amplify names', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const ours = await import('cognito-wasm/amplify');
  const { CognitoWasmError } = await import('cognito-wasm');
  assert.equal(ours.CognitoWasmError, CognitoWasmError);
  assert.equal(ours.AuthError, CognitoWasmError);
  const { pool } = await poolFor(info.endpoint);
  ours.configure({ Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, userPoolEndpoint: pool.endpoint } } });
  for (const [call, name, code] of [
    [() => ours.signIn({ username: 'nobody', password: 'Passw0rd1' }), 'UserNotFoundException', 'UserNotFoundException'],
    [() => ours.getCurrentUser(), 'UserUnAuthenticatedException', 'NotSignedIn'],
    [() => ours.signIn({ username: '', password: 'x' }), 'EmptySignInUsername', 'InvalidArgument'],
    // Amplify options this module does not honour are refused, not ignored.
    [() => ours.signIn({ username: 'x', password: 'Passw0rd1', options: { notAnAmplifyOption: 1 } }), 'UsageError', 'InvalidArgument'],
    [() => ours.signIn({ username: 'x', password: 'Passw0rd1', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }), 'CustomAuthSignInPassword', 'InvalidArgument'],
  ]) {
    const error = await call().then(() => null, (e) => e);
    assert.ok(error instanceof CognitoWasmError, `${name}: ${error}`);
    assert.equal(error.name, name);
    assert.equal(error.code, code);
  }
});

test('configure refuses what it cannot honour and ignores Amplify-only keys', async () => {
  const ours = await import('cognito-wasm/amplify');
  const base = { userPoolId: 'us-east-1_AbC123', userPoolClientId: 'client123' };
  const refused = (config, ...rest) => assert.throws(() => ours.configure(config, ...rest), (e) => e.name === 'InvalidConfig');
  refused({ Auth: { Cognito: { ...base, identityPoolId: 'us-east-1:1234' } } });
  refused({ Auth: { Cognito: { ...base, loginWith: { oauth: { domain: 'x' } } } } });
  // Managed login: only the code grant (with PKCE); the implicit grant is refused, not silently changed.
  const oauth = {
    domain: 'auth.example.com', scopes: ['openid', 'email'], redirectSignIn: ['https://app.example.com/'],
    redirectSignOut: ['https://app.example.com/'], responseType: 'code',
  };
  refused({ Auth: { Cognito: { ...base, loginWith: { oauth: { ...oauth, responseType: 'token' } } } } });
  refused({ Auth: { Cognito: { ...base, loginWith: { oauth: { ...oauth, scopes: ['email'] } } } } });
  refused({ Auth: { Cognito: { ...base, allowGuestAccess: true } } });
  refused({ Auth: { Cognito: { ...base, userPoolEndpoit: 'http://typo' } } });
  refused({ Auth: { Cognito: { userPoolId: base.userPoolId } } });
  refused({ Auth: { Cognito: base } }, { ssr: true });
  refused({ version: '1.3', auth: { user_pool_id: base.userPoolId, user_pool_client_id: 'c', oauth: {} } });
  ours.configure({ Auth: { Cognito: { ...base, loginWith: { email: true }, signUpVerificationMethod: 'code', mfa: { status: 'off' } } } });
  assert.equal(ours.Amplify.getConfig().Auth.Cognito.userPoolClientId, 'client123');
  ours.Amplify.configure({ version: '1.3', auth: { aws_region: 'us-east-1', user_pool_id: base.userPoolId, user_pool_client_id: 'fromOutputs' } });
  assert.equal(ours.Amplify.getConfig().Auth.Cognito.userPoolClientId, 'fromOutputs');
  ours.configure({ Auth: { Cognito: { ...base, loginWith: { email: true, oauth } } } });
  assert.deepEqual(ours.Amplify.getConfig().Auth.Cognito.loginWith.oauth, oauth);
});

test("amplify_outputs.json's auth.oauth is read as aws-amplify reads it", async (t) => {
  if (!existsSync(`${HERE}node_modules/aws-amplify`)) return skipUnlessCI(t, NO_AMPLIFY);
  const { Amplify } = await import('aws-amplify');
  const ours = await import('cognito-wasm/amplify');
  const outputs = {
    version: '1.3',
    auth: {
      aws_region: 'us-east-1', user_pool_id: 'us-east-1_AbC123', user_pool_client_id: 'outputs',
      oauth: {
        identity_providers: ['GOOGLE', 'SIGN_IN_WITH_APPLE', 'LOGIN_WITH_AMAZON', 'FACEBOOK', 'CorpSAML'],
        domain: 'login.example.com', scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
        redirect_sign_in_uri: ['https://app.example.com/'], redirect_sign_out_uri: ['https://app.example.com/out'],
        response_type: 'code',
      },
    },
  };
  Amplify.configure(outputs);
  ours.configure(outputs);
  const theirs = Amplify.getConfig().Auth.Cognito.loginWith.oauth;
  assert.deepEqual(theirs.providers, ['Google', 'Apple', 'Amazon', 'Facebook']);
  assert.deepEqual(ours.Amplify.getConfig().Auth.Cognito.loginWith.oauth, theirs);
});
