// A remembered device in Chromium over localStorage: the device a sign-in confirms (named by the browser's user
// agent) is kept in localStorage, survives a reload and a sign-out, and the next sign-in proves it with device SRP
// (the emulator checks the proof) instead of registering another. Uses the tabs suite's page (one CognitoAuth over
// localStorage, driven through `window.tab`). Needs the built package (pkg/), Chromium and the emulator
// (scripts/e2e.sh starts it); under CI=true a missing one fails the suite.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { env, launchBrowser, missingEmulator, missingForBrowserSuite, openPage, packagePageServer } from './support.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/tabs/', import.meta.url));
const USERNAME = 'devi';
const PASSWORD = 'Passw0rd1';

const skip =
  missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]) || missingEmulator();

describe('a remembered device in the browser', { skip }, () => {
  let browser;
  let pageServer;
  let pageUrl;

  before(async () => {
    pageServer = packagePageServer(fixtures, 'tab.js');
    await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${pageServer.address().port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    pageServer?.closeAllConnections?.();
    await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve()));
  });

  test('survives a reload and a sign-out, and the next sign-in proves it with device SRP', async () => {
    const response = await fetch(`${env.endpoint.replace(/\/+$/, '')}/_emulator/pool`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        seedUsers: [{ username: USERNAME, password: PASSWORD }],
        deviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      }),
    });
    assert.ok(response.ok, await response.clone().text());
    const pool = await response.json();
    const context = await browser.newContext();
    try {
      const { page, problems } = await openPage(context);
      page.setDefaultTimeout(15_000);
      const challenges = [];
      page.on('request', (request) => {
        const target = request.headers()['x-amz-target'];
        if (!target || request.method() !== 'POST') return;
        const body = JSON.parse(request.postData() ?? '{}');
        challenges.push(body.ChallengeName ?? target.replace('AWSCognitoIdentityProviderService.', ''));
      });
      const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: env.endpoint };
      const url = `${pageUrl}/?options=${encodeURIComponent(JSON.stringify(options))}`;
      const open = async () => {
        await page.goto(url);
        await page.waitForFunction(() => window.tab);
      };
      const call = (method, ...args) => page.evaluate(([m, a]) => window.tab.call(m, ...a), [method, args]);
      const deviceKey = `CognitoWasm.${pool.clientId}.device.${USERNAME}`;
      const stored = () => page.evaluate((key) => localStorage.getItem(key), deviceKey);

      await open();
      const signedIn = await call('signIn', { username: USERNAME, password: PASSWORD });
      assert.equal(signedIn.value?.isSignedIn, true, JSON.stringify(signedIn));
      assert.deepEqual(challenges, ['InitiateAuth', 'PASSWORD_VERIFIER', 'ConfirmDevice']);
      const device = JSON.parse(await stored());
      const devices = await call('fetchDevices');
      assert.equal(devices.value?.length, 1, JSON.stringify(devices));
      assert.equal(devices.value[0].id, device.deviceKey);
      assert.equal(devices.value[0].name, await page.evaluate(() => navigator.userAgent), 'named by the user agent');
      assert.ok(devices.value[0].createDate instanceof Date);

      // A reload, then a sign-out: the session goes, the device stays.
      await open();
      assert.equal((await call('currentUser')).value?.username, USERNAME);
      assert.ok(!(await call('signOut')).error);
      assert.equal((await call('currentUser')).value, null);
      assert.equal(JSON.parse(await stored()).deviceKey, device.deviceKey);

      await open();
      challenges.length = 0;
      const again = await call('signIn', { username: USERNAME, password: PASSWORD });
      assert.equal(again.value?.isSignedIn, true, JSON.stringify(again));
      assert.deepEqual(challenges, ['InitiateAuth', 'PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
      assert.equal((await call('fetchDevices')).value?.length, 1, 'no second device');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
