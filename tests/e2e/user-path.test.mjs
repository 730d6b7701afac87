// The user's whole path through the demo app in headless Chromium, against the Cognito emulator and the demo API:
// sign up, confirm (with resend), sign in, the personalised home, the profile and its API calls, reload, sign out,
// the admin, a forgotten password and an admin-created account. The tests run in order and share one browser tab.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { totp } from '../support/totp.mjs';
import {
  cognito, env, launchBrowser, missingForBrowserSuite, missingServers, openApp, openPage, screenshot, uniqueName,
} from './support.mjs';

const PASSWORD = 'Str0ng!Passw0rd';
const NEW_PASSWORD = 'N3w!Passw0rd#2';

const skip = missingServers() || missingForBrowserSuite();

describe('the user path in Chromium', { skip }, () => {
  let browser;
  let page;
  let problems;
  const username = uniqueName('e2e');
  const email = `${username}@example.com`;
  const bearerTokens = []; // Authorization headers the app sent to the API

  const go = (route) => page.goto(`${env.appUrl}#${route}`);
  const alertText = () => page.locator('[role=alert]').first().innerText();
  const notice = () => page.getByTestId('notice').innerText();

  async function signIn(name, password) {
    await page.locator('input[name=username]').fill(name);
    await page.locator('input[name=password]').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/#\/$/);
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
  }

  before(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    let consoleErrors;
    ({ page, problems, consoleErrors } = await openPage(context));
    page.setDefaultTimeout(20_000);
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (request.url().startsWith(env.apiUrl) && authorization) bearerTokens.push(authorization);
    });
    await openApp(page, env.appUrl, consoleErrors);
  });

  after(async () => {
    await browser?.close();
  });

  test('home is public and shows only public items', async () => {
    await page.goto(env.appUrl);
    await page.getByTestId('feed-public').first().waitFor();
    assert.equal(await page.getByTestId('feed-personal').count(), 0);
    assert.ok((await page.getByTestId('feed-public').count()) >= 1);
    await screenshot(page, '01-home-public');
  });

  test('the profile page sends a signed-out visitor to sign-in', async () => {
    await go('/profile');
    await page.waitForURL(/#\/signin\?next=%2Fprofile|#\/signin\?next=\/profile/);
    assert.match(await notice(), /Please sign in/);
  });

  test('sign up leads to the confirmation page', async () => {
    await page.getByRole('link', { name: 'Create account', exact: true }).click();
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=repeat]').fill(PASSWORD);
    await screenshot(page, '02-sign-up');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.waitForURL(/#\/confirm\?username=/);
    assert.match(await notice(), /Account created/);
    assert.equal(await page.locator('input[name=username]').inputValue(), username);
  });

  test('signing up a taken username says so', async () => {
    await go('/signup');
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('input[name=repeat]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.locator('[role=alert]').waitFor();
    assert.equal(await alertText(), 'An account with this username already exists.');
  });

  test('an unconfirmed user who signs in is sent to confirm the account', async () => {
    await go('/signin');
    await signIn(username, PASSWORD);
    await page.waitForURL(/#\/confirm\?username=/);
    assert.match(await notice(), /not confirmed yet/);
  });

  test('confirming the account, after asking for a new code', async () => {
    await page.getByRole('button', { name: 'Send me a new code' }).click();
    await page.getByTestId('resent').waitFor();
    assert.match(await page.getByTestId('resent').innerText(), /We sent a new code/);
    await page.locator('input[name=code]').fill('123456');
    await screenshot(page, '03-confirm');
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.waitForURL(/#\/signin\?username=/);
    assert.match(await notice(), /Your account is confirmed/);
    assert.equal(await page.locator('input[name=username]').inputValue(), username);
  });

  test('a wrong password is refused with a clear message', async () => {
    await signIn(username, 'Wr0ng!Passw0rd');
    await page.locator('[role=alert]').waitFor();
    assert.equal(await alertText(), 'Incorrect username or password.');
    assert.match(page.url(), /#\/signin/);
    await screenshot(page, '04-sign-in-wrong-password');
  });

  test('signing in shows the personalised home', async () => {
    await signIn(username, PASSWORD);
    await page.waitForURL(/#\/$/);
    await page.getByTestId('feed-personal').first().waitFor();
    assert.equal(await page.getByTestId('whoami').innerText(), username);
    assert.match(await page.getByTestId('feed').innerText(), new RegExp(`Good to see you, ${username}`));
    assert.match(await page.locator('h1').innerText(), new RegExp(`Welcome back, ${username}`));
    await screenshot(page, '05-home-signed-in');
  });

  test('the profile shows the verified claims and groups, and the API answers 200 and 403', async () => {
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByTestId('profile-username').waitFor();
    assert.equal(await page.getByTestId('profile-username').innerText(), username);
    assert.equal(await page.getByTestId('profile-email').innerText(), email);
    assert.equal(await page.getByTestId('profile-groups').innerText(), 'none');
    const claims = await page.getByTestId('claims').innerText();
    assert.match(claims, /\bsub\b/);
    assert.match(claims, /\bexp\b/);
    assert.match(claims, new RegExp(username));

    await page.getByRole('button', { name: 'Call the protected route' }).click();
    await page.locator('[data-testid=api-protected][data-status="200"]').waitFor();
    assert.match(await page.getByTestId('api-protected').innerText(), /your access token is valid/);

    await page.getByRole('button', { name: 'Call the admin route' }).click();
    await page.locator('[data-testid=api-admin][data-status="403"]').waitFor();
    assert.match(await page.getByTestId('api-admin').innerText(), /admin group/);
    await page.getByTestId('attributes').waitFor();
    await screenshot(page, '06-profile');
    assert.ok(bearerTokens.length > 0, 'the app sent its access token to the API');
  });

  test('a reload keeps the session', async () => {
    await page.reload();
    await page.getByTestId('profile-username').waitFor();
    assert.equal(await page.getByTestId('profile-username').innerText(), username);
    assert.equal(await page.getByTestId('whoami').innerText(), username);
  });

  test('a signed-in home page (the user, the API through auth.fetch) downloads the session core only', async () => {
    await go('/');
    await page.reload();
    await page.getByTestId('feed-personal').first().waitFor();
    assert.equal(await page.getByTestId('whoami').innerText(), username);
    const wasm = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')));
    assert.equal(wasm.length, 1, `one .wasm: ${wasm}`);
    assert.match(wasm[0], /cognito_wasm_bg/);
  });

  test('signing out ends the session: the profile redirects and the API refuses', async () => {
    await signOut();
    assert.match(await notice(), /signed out/);
    await page.getByTestId('feed-public').first().waitFor();
    assert.equal(await page.getByTestId('feed-personal').count(), 0);

    // Nothing that looks like a token is left in storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.doesNotMatch(stored, /eyJ[\w-]+\.eyJ/);

    await go('/profile');
    await page.waitForURL(/#\/signin\?next=/);
    const status = await page.evaluate(async (api) => (await fetch(`${api}/api/protected`)).status, env.apiUrl);
    assert.equal(status, 401);
  });

  test('the seeded admin sees the admin group, the admin route answers 200, and signs out everywhere', async () => {
    // The sign-in page was opened with ?next=/profile: signing in lands on the profile.
    await signIn(env.admin, env.adminPassword);
    await page.waitForURL(/#\/profile$/);
    await page.getByTestId('profile-groups').waitFor();
    assert.match(await page.getByTestId('profile-groups').innerText(), /\badmin\b/);
    await page.getByRole('button', { name: 'Call the admin route' }).click();
    await page.locator('[data-testid=api-admin][data-status="200"]').waitFor();
    assert.match(await page.getByTestId('api-admin').innerText(), /you are an admin/);
    await screenshot(page, '07-profile-admin');

    await page.getByRole('button', { name: 'Sign out on all devices' }).click();
    await page.waitForURL(/#\/$/);
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    assert.match(await notice(), /signed out on all your devices/);
  });

  test('a forgotten password: ask for a code, choose a new password, sign in with it', async () => {
    await go(`/signin?username=${username}`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(/#\/forgot/);
    assert.equal(await page.locator('input[name=username]').inputValue(), username);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByTestId('code-sent').waitFor();
    // The emulator accepts any code (the real one is only in a response header the browser API does not expose).
    await page.locator('input[name=code]').fill('123456');
    await page.locator('input[name=new-password]').fill(NEW_PASSWORD);
    await page.locator('input[name=repeat]').fill(NEW_PASSWORD);
    await screenshot(page, '08-forgot-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL(/#\/signin\?username=/);
    assert.match(await notice(), /password has been changed/);

    await signIn(username, PASSWORD);
    await page.locator('[role=alert]').waitFor();
    assert.equal(await alertText(), 'Incorrect username or password.');

    await signIn(username, NEW_PASSWORD);
    await page.waitForURL(/#\/$/);
    assert.equal(await page.getByTestId('whoami').innerText(), username);
    await signOut();
  });

  test('changing the password on the profile (the current one is checked)', async () => {
    await go('/signin?next=/profile');
    await signIn(username, NEW_PASSWORD);
    await page.waitForURL(/#\/profile$/);
    const form = page.getByTestId('change-password');
    const change = async (current, next) => {
      await form.locator('input[name=current-password]').fill(current);
      await form.locator('input[name=new-password]').fill(next);
      await form.locator('input[name=repeat]').fill(next);
      await form.getByRole('button', { name: 'Change password' }).click();
    };
    await change('Not!MyPassw0rd', PASSWORD);
    await form.locator('[role=alert]').waitFor();
    assert.equal(await form.locator('[role=alert]').innerText(), 'Your current password is not right.');
    await change(NEW_PASSWORD, PASSWORD);
    await page.getByTestId('password-changed').waitFor();
    await screenshot(page, '09-change-password');
    await signOut();

    await go('/signin');
    await signIn(username, PASSWORD);
    await page.waitForURL(/#\/$/);
    assert.equal(await page.getByTestId('whoami').innerText(), username);
    await signOut();
  });

  test('an account created by an administrator must choose a new password', async () => {
    const invited = uniqueName('invited');
    await cognito('AdminCreateUser', {
      UserPoolId: env.userPoolId,
      Username: invited,
      TemporaryPassword: 'Temp0rary!Pass',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${invited}@example.com` }],
    });
    await go('/signin');
    await signIn(invited, 'Temp0rary!Pass');
    const form = page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED]');
    await form.waitFor();
    await page.locator('input[name=new-password]').fill(NEW_PASSWORD);
    await page.locator('input[name=repeat]').fill(NEW_PASSWORD);
    await screenshot(page, '10-new-password-required');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/#\/$/);
    assert.equal(await page.getByTestId('whoami').innerText(), invited);
    await signOut();
  });

  test('a user with an authenticator app is asked for its code', async () => {
    // Set up through the API as the user would have on a settings page: associate, verify, prefer TOTP.
    const name = uniqueName('totp');
    await cognito('AdminCreateUser', {
      UserPoolId: env.userPoolId,
      Username: name,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
    });
    await cognito('AdminSetUserPassword', { UserPoolId: env.userPoolId, Username: name, Password: PASSWORD, Permanent: true });
    const { AuthenticationResult: tokens } = await cognito('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: env.clientId,
      AuthParameters: { USERNAME: name, PASSWORD },
    });
    const { SecretCode: secret } = await cognito('AssociateSoftwareToken', { AccessToken: tokens.AccessToken });
    await cognito('VerifySoftwareToken', { AccessToken: tokens.AccessToken, UserCode: totp(secret) });
    await cognito('SetUserMFAPreference', {
      AccessToken: tokens.AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });

    await go('/signin');
    await signIn(name, PASSWORD);
    await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_TOTP_CODE]').waitFor();
    await page.locator('input[name=code]').fill(totp(secret));
    await screenshot(page, '11-totp-code');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/#\/$/);
    assert.equal(await page.getByTestId('whoami').innerText(), name);
    await signOut();
  });

  test('the security page: a new email confirmed with its code, an authenticator app enrolled, then asked for', async () => {
    const name = uniqueName('sec');
    await cognito('AdminCreateUser', {
      UserPoolId: env.userPoolId,
      Username: name,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    });
    await cognito('AdminSetUserPassword', { UserPoolId: env.userPoolId, Username: name, Password: PASSWORD, Permanent: true });
    // The emulator "emails" its codes in a response header (exposed to pages by CORS).
    const codes = [];
    const keepCode = (response) => {
      const code = response.headers()['x-emulator-confirmation-code'];
      if (code) codes.push(code);
    };
    page.on('response', keepCode);
    try {
      await go('/signin');
      await signIn(name, PASSWORD);
      await page.waitForURL(/#\/$/);
      await go('/security');

      await page.locator('input[name=new-email]').fill(`${name}@new.example.com`);
      await page.getByRole('button', { name: 'Change email' }).click();
      await page.getByTestId('email-confirm').waitFor();
      assert.equal(await page.getByTestId('security-email-verified').innerText(), 'not verified');
      await page.locator('input[name=email-code]').fill(codes.at(-1));
      await page.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page.getByTestId('email-done').waitFor();
      await page.getByText('verified', { exact: true }).waitFor();
      assert.equal(await page.getByTestId('security-email').innerText(), `${name}@new.example.com`);

      await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      const secret = await page.getByTestId('totp-secret').innerText();
      await page.locator('input[name=totp-code]').fill(totp(secret));
      await screenshot(page, '12-security');
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.locator('[data-testid=mfa-TOTP][data-preferred=true]').waitFor();
      await signOut();

      await go('/signin');
      await signIn(name, PASSWORD);
      await page.locator('form[data-step=CONFIRM_SIGN_IN_WITH_TOTP_CODE]').waitFor();
      await page.locator('input[name=code]').fill(totp(secret));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/#\/$/);
      assert.equal(await page.getByTestId('whoami').innerText(), name);
      await signOut();
    } finally {
      page.off('response', keepCode);
    }
  });

  test('no uncaught errors and no Content-Security-Policy violations on the way', () => {
    assert.deepEqual(problems, []);
  });
});
