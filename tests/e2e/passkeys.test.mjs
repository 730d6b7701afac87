// Passkeys end to end in Chromium, against the Cognito emulator (which verifies attestations and assertions with
// py_webauthn), with Chromium's virtual authenticator (CDP WebAuthn: ctap2, internal transport, resident keys, user
// verification): associateWebAuthnCredential, listWebAuthnCredentials, sign-in with USER_AUTH + WEB_AUTHN
// (preferred, and chosen from the first-factor selection), the PasskeyError codes, deleteWebAuthnCredential.
// The page is the built package (tests/e2e/fixtures/tabs/, one CognitoAuth driven through `window.tab`), served at
// http://localhost: browsers refuse an IP address as a relying party id. Needs pkg/, Chromium and the emulator
// (scripts/e2e.sh starts it); under CI=true a missing one fails the suite.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { env, launchBrowser, missingEmulator, missingForBrowserSuite, openPage, packagePageServer } from './support.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/tabs/', import.meta.url));
const USERNAME = 'passkeyuser';
const PASSWORD = 'Passw0rd1';

const skip =
  missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]) || missingEmulator();

async function freshPool() {
  const response = await fetch(`${env.endpoint.replace(/\/+$/, '')}/_emulator/pool`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      seedUsers: [{ username: USERNAME, password: PASSWORD }],
      firstFactors: ['PASSWORD', 'WEB_AUTHN'],
      webAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }),
  });
  if (!response.ok) throw new Error(`/_emulator/pool answered ${response.status}: ${await response.text()}`);
  return response.json();
}

describe('passkeys (virtual authenticator, emulator)', { skip }, () => {
  let browser;
  let server;
  let page;
  let problems;
  let cdp;
  let authenticatorId;

  const call = (method, ...args) => page.evaluate(([m, a]) => window.tab.call(m, ...a), [method, args]);
  const value = async (method, ...args) => {
    const result = await call(method, ...args);
    assert.ok(!('error' in result), `${method}: ${result.error}`);
    return result.value;
  };
  const storedCredentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  before(async () => {
    const pool = await freshPool();
    server = packagePageServer(fixtures, 'tab.js');
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    ({ page, problems } = await openPage(await browser.newContext()));
    page.setDefaultTimeout(15_000);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    }));
    const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: env.endpoint };
    await page.goto(`http://localhost:${server.address().port}/?options=${encodeURIComponent(JSON.stringify(options))}`);
    await page.waitForFunction(() => window.tab);
  });

  after(async () => {
    await browser?.close();
    server?.closeAllConnections?.();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  });

  test('register, list, sign in with the passkey (preferred and chosen), refuse a cancelled ceremony, delete', async () => {
    await value('signIn', { username: USERNAME, password: PASSWORD });
    assert.equal(await value('associateWebAuthnCredential'), undefined);
    const [stored] = await storedCredentials();
    assert.ok(stored?.isResidentCredential, 'the authenticator holds a discoverable credential');

    const page1 = await value('listWebAuthnCredentials');
    assert.equal(page1.credentials.length, 1);
    const [listed] = page1.credentials;
    assert.equal(listed.credentialId, Buffer.from(stored.credentialId, 'base64').toString('base64url'));
    assert.equal(listed.relyingPartyId, 'localhost');
    assert.deepEqual(listed.authenticatorTransports, ['internal']);
    assert.ok(listed.createdAt instanceof Date && Math.abs(listed.createdAt - Date.now()) < 120_000, String(listed.createdAt));
    assert.equal(page1.nextToken, undefined);
    assert.deepEqual((await value('listWebAuthnCredentials', { pageSize: 1 })).credentials.length, 1);
    const badPage = await call('listWebAuthnCredentials', { pageSize: 50 });
    assert.match(badPage.error, /^UsageError\/InvalidArgument/);

    // The same authenticator again: Cognito's excludeCredentials makes the browser refuse it.
    const again = await call('associateWebAuthnCredential');
    assert.match(again.error, /^PasskeyError\/PasskeyAlreadyExists/);

    // Sign-in with the passkey as the preferred first factor: the caller sees only the outcome.
    await value('signOut');
    const preferred = await value('signIn', {
      username: USERNAME,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
    });
    assert.deepEqual(preferred, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.equal((await value('currentUser')).username, USERNAME);

    // Chosen from the first-factor selection.
    await value('signOut');
    const choosing = await value('signIn', { username: USERNAME, options: { authFlowType: 'USER_AUTH' } });
    assert.equal(choosing.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.ok(choosing.nextStep.availableChallenges.includes('WEB_AUTHN'), JSON.stringify(choosing));
    const chosen = await value('confirmSignIn', { challengeResponse: 'WEB_AUTHN' });
    assert.deepEqual(chosen, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const [after2] = await storedCredentials();
    assert.ok(after2.signCount >= 2, `the authenticator signed twice (signCount ${after2.signCount})`);

    // The user does not verify (the pool requires it): the browser refuses, the sign-in rejects with Amplify's code.
    await value('signOut');
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const refused = await call('signIn', {
      username: USERNAME,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
    });
    assert.match(refused.error, /^PasskeyError\/PasskeyAuthenticationCanceled/);
    assert.equal(await value('currentUser'), null);
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });

    // Deleted: listed no more, and no longer offered as a first factor.
    await value('signIn', { username: USERNAME, password: PASSWORD });
    assert.equal(await value('deleteWebAuthnCredential', { credentialId: listed.credentialId }), undefined);
    assert.deepEqual((await value('listWebAuthnCredentials')).credentials, []);
    await value('signOut');
    const without = await value('signIn', { username: USERNAME, options: { authFlowType: 'USER_AUTH' } });
    assert.deepEqual(without.nextStep.availableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
    assert.deepEqual(problems, []);
  });
});
