// The demo app's handling of every sign-in step and of error codes, in Chromium, with the app built against a
// scripted stand-in for `cognito-wasm` (fixtures/scripted-cognito.js): the test decides what the user pool answers,
// including steps the emulator cannot produce. Needs neither the wasm build nor the emulator.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';
import { launchBrowser, missingForBrowserSuite, openPage, screenshot } from './support.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const www = join(root, 'www');

const skip = missingForBrowserSuite([['www/node_modules/vite', 'www/node_modules is missing (npm ci in www)']]);

describe('sign-in steps and error messages (scripted user pool)', { skip }, () => {
  let outDir;
  let appServer;
  let apiServer;
  let browser;
  let page;
  let problems;
  let appUrl;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'scripted-app-'));
    const { build } = await import(join(www, 'node_modules/vite/dist/node/index.js'));
    await build({
      root: www,
      configFile: join(www, 'vite.config.js'),
      logLevel: 'warn',
      resolve: {
        alias: [{ find: /^cognito-wasm$/, replacement: fileURLToPath(new URL('./fixtures/scripted-cognito.js', import.meta.url)) }],
      },
      build: { outDir, emptyOutDir: true },
    });
    const { createApiServer } = await import(join(www, 'server/api.mjs'));
    const { createStaticServer } = await import(join(www, 'server/static.mjs'));
    const rejectAll = async () => {
      throw Object.assign(new Error('scripted'), { name: 'TokenError', code: 'JwtInvalidSignature' });
    };
    apiServer = createApiServer({ userPoolId: 'us-east-1_scripted', clientId: 'scripted', verify: rejectAll });
    await new Promise((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
    appServer = createStaticServer({
      dist: outDir,
      appConfig: {
        userPoolId: 'us-east-1_scripted',
        clientId: 'scripted',
        apiUrl: `http://127.0.0.1:${apiServer.address().port}`,
      },
    });
    await new Promise((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${appServer.address().port}/`;
    browser = await launchBrowser();
    ({ page, problems } = await openPage(await browser.newContext({ viewport: { width: 1000, height: 760 } })));
    page.setDefaultTimeout(10_000);
    await page.goto(appUrl);
    await page.waitForFunction(() => window.scripted);
  });

  after(async () => {
    await browser?.close();
    for (const server of [appServer, apiServer]) if (server) await new Promise((resolve) => server.close(resolve));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await page.evaluate(() => window.scripted.reset());
    await page.goto(`${appUrl}#/signin`);
    await page.locator('input[name=password]').waitFor();
  });

  const queue = (method, ...answers) => page.evaluate(([m, a]) => window.scripted.queue(m, ...a), [method, answers]);
  const calls = () => page.evaluate(() => structuredClone(window.scripted.calls));
  const step = (signInStep, extra = {}) => ({ nextStep: { signInStep, ...extra } });
  const DONE = step('DONE');

  async function submitCredentials(username = 'scripted-user', password = 'Passw0rd!') {
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  /** Waits until the page's alert says `expected` (a string or a RegExp); fails showing what it says instead. */
  async function expectAlert(expected, label) {
    const pattern = expected instanceof RegExp ? expected.source : null;
    try {
      await page.waitForFunction(
        ([text, source]) => {
          const shown = document.querySelector('[role=alert]')?.innerText;
          return shown !== undefined && (source ? new RegExp(source).test(shown) : shown === text);
        },
        [expected instanceof RegExp ? null : expected, pattern],
        { timeout: 5_000 },
      );
    } catch {
      const shown = await page.locator('[role=alert]').first().innerText().catch(() => '(no alert)');
      if (pattern) assert.match(shown, expected, label);
      else assert.equal(shown, expected, label);
    }
  }

  async function expectSignedInHome(username = 'scripted-user') {
    await page.waitForURL(/#\/$/);
    await page.getByTestId('whoami').waitFor();
    assert.equal(await page.getByTestId('whoami').innerText(), username);
  }

  test('MFA selection, then the emailed code', async () => {
    await queue('signIn', step('CONTINUE_SIGN_IN_WITH_MFA_SELECTION', { allowedMFATypes: ['TOTP', 'EMAIL'] }));
    await queue(
      'confirmSignIn',
      step('CONFIRM_SIGN_IN_WITH_EMAIL_CODE', { codeDeliveryDetails: { destination: 's***@example.com' } }),
      DONE,
    );
    await submitCredentials();
    await page.locator('form[data-step=CONTINUE_SIGN_IN_WITH_MFA_SELECTION]').waitFor();
    assert.equal(await page.getByRole('radio').count(), 2);
    await page.getByLabel('Email').check();
    await screenshot(page, 'steps-mfa-selection');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_EMAIL_CODE]').waitFor();
    assert.match(await page.locator('form').innerText(), /We sent a code to s\*\*\*@example\.com/);
    await page.locator('input[name=code]').fill('654321');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome();
    const made = (await calls()).filter((call) => call.method === 'confirmSignIn').map((call) => call.input);
    assert.deepEqual(made, [{ challengeResponse: 'EMAIL' }, { challengeResponse: '654321' }]);
  });

  test('TOTP set-up shows the key and sends the code', async () => {
    await queue('signIn', step('CONTINUE_SIGN_IN_WITH_TOTP_SETUP', { totpSetupDetails: { sharedSecret: 'JBSWY3DPEHPK3PXP' } }));
    await queue('confirmSignIn', DONE);
    await submitCredentials();
    await page.getByTestId('totp-secret').waitFor();
    assert.equal(await page.getByTestId('totp-secret').innerText(), 'JBSWY3DPEHPK3PXP');
    await page.locator('input[name=code]').fill('111222');
    await screenshot(page, 'steps-totp-setup');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome();
    assert.deepEqual((await calls()).at(-1), { method: 'confirmSignIn', input: { challengeResponse: '111222' } });
  });

  test('a wrong SMS code says so and lets the user retry', async () => {
    await queue('signIn', step('CONFIRM_SIGN_IN_WITH_SMS_CODE', { codeDeliveryDetails: { destination: '+*******1234' } }));
    await queue('confirmSignIn', { error: { code: 'CodeMismatchException' } }, DONE);
    await submitCredentials();
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_SMS_CODE]').waitFor();
    assert.match(await page.locator('form').innerText(), /\+\*{7}1234/);
    await page.locator('input[name=code]').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectAlert('That code is not right. Check it and try again.');
    await page.locator('input[name=code]').fill('123123');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome();
  });

  test('a custom challenge shows its parameters and sends the answer', async () => {
    await queue('signIn', step('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', { additionalInfo: { question: 'What is 6 x 7?' } }));
    await queue('confirmSignIn', DONE);
    await submitCredentials();
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE]').waitFor();
    assert.match(await page.locator('form').innerText(), /What is 6 x 7\?/);
    await page.locator('input[name=answer]').fill('42');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome();
    assert.deepEqual((await calls()).at(-1).input, { challengeResponse: '42' });
  });

  test('a new password with the attributes the pool still needs', async () => {
    await queue('signIn', step('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', { missingAttributes: ['name'] }));
    await queue('confirmSignIn', DONE);
    await submitCredentials();
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED]').waitFor();
    await page.locator('input[name=new-password]').fill('N3w!Passw0rd');
    await page.locator('input[name=repeat]').fill('N3w!Passw0rd-typo');
    await page.locator('input[name=name]').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectAlert('The two passwords are not the same.');
    assert.equal((await calls()).filter((call) => call.method === 'confirmSignIn').length, 0);
    await page.locator('input[name=repeat]').fill('N3w!Passw0rd');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome();
    assert.deepEqual((await calls()).at(-1).input, {
      challengeResponse: 'N3w!Passw0rd',
      options: { userAttributes: { name: 'Ada Lovelace' } },
    });
  });

  test('a password reset required by the pool leads to the forgot-password page', async () => {
    await queue('signIn', step('RESET_PASSWORD'));
    await submitCredentials('reset-me');
    await page.waitForURL(/#\/forgot\?username=reset-me/);
    assert.match(await page.getByTestId('notice').innerText(), /choose a new password/);
    assert.equal(await page.locator('input[name=username]').inputValue(), 'reset-me');
  });

  test('"Start over" leaves a challenge and goes back to the password form', async () => {
    await queue('signIn', step('CONFIRM_SIGN_IN_WITH_TOTP_CODE'));
    await submitCredentials();
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_TOTP_CODE]').waitFor();
    await page.getByRole('button', { name: 'Start over' }).click();
    await page.locator('input[name=password]').waitFor();
    assert.equal(await page.locator('input[name=password]').inputValue(), '');
  });

  test('error codes become clear messages', async () => {
    const cases = [
      [{ code: 'NotAuthorizedException' }, 'Incorrect username or password.'],
      [{ code: 'UserNotFoundException' }, 'Incorrect username or password.'],
      [{ code: 'LimitExceededException' }, 'Too many attempts. Please wait a few minutes and try again.'],
      [{ name: 'NetworkError', code: 'NetworkError' }, 'Cannot reach the sign-in service. Check your connection and try again.'],
      [{ name: 'TokenError', code: 'JwtInvalidSignature' }, /failed verification/],
      [{ code: 'SomethingNewException', message: 'internal detail' }, 'Something went wrong. Please try again.'],
    ];
    for (const [error, expected] of cases) {
      await queue('signIn', { error });
      const made = (await calls()).length;
      await submitCredentials();
      await page.waitForFunction((count) => window.scripted.calls.length > count, made);
      await expectAlert(expected, error.code);
    }
  });

  test('sign-up errors: taken username, weak password (with the rule), mismatched passwords', async () => {
    await page.goto(`${appUrl}#/signup`);
    const fill = async (password, repeat = password) => {
      await page.locator('input[name=username]').fill('newcomer');
      await page.locator('input[name=email]').fill('newcomer@example.com');
      await page.locator('input[name=password]').fill(password);
      await page.locator('input[name=repeat]').fill(repeat);
      await page.getByRole('button', { name: 'Create account', exact: true }).click();
    };
    await queue('signUp', { error: { code: 'UsernameExistsException', message: 'User already exists' } });
    await fill('Passw0rd!');
    await expectAlert('An account with this username already exists.');
    await queue('signUp', {
      error: { code: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have numeric characters' },
    });
    await fill('Password!');
    await expectAlert('Choose a stronger password: Password must have numeric characters');
    const before = (await calls()).length;
    await fill('Passw0rd!', 'Passw0rd?');
    await expectAlert('The two passwords are not the same.');
    assert.equal((await calls()).length, before, 'no sign-up call with mismatched passwords');
  });

  test('confirm page: an already confirmed account and a failed resend are explained', async () => {
    await page.goto(`${appUrl}#/confirm?username=someone`);
    await queue('resendSignUpCode', { error: { code: 'LimitExceededException' } });
    await page.getByRole('button', { name: 'Send me a new code' }).click();
    await expectAlert('Too many attempts. Please wait a few minutes and try again.');
    await queue('confirmSignUp', { error: { code: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' } });
    await page.locator('input[name=code]').fill('123456');
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.getByText('This account is already confirmed. You can sign in.').waitFor();
  });

  test('no uncaught errors and no Content-Security-Policy violations', () => {
    assert.deepEqual(problems, []);
  });
});
