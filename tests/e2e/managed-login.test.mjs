// Managed login (signInWithRedirect) in the demo app, in headless Chromium, through real redirects against the
// Cognito emulator's hosted pages (scripts/e2e.sh starts its pool with `--oauth`: the app's page is the callback and
// the sign-out URL, the domain has the stand-in Google): the hosted sign-in form, the federated provider, a callback
// with a state this browser did not start, a provider's cancel (an error redirect), a reloaded (spent) code, and
// sign-out through the domain's /logout. The session then behaves like any other: auth.fetch to the demo API, a
// refresh once the tokens expire, a second tab that shares it.
//
// Each test has its own browser context (its own localStorage and its own cookie of the emulator's domain).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { env, launchBrowser, missingForBrowserSuite, missingServers, openApp, openPage, screenshot, uniqueName } from './support.mjs';

const skip =
  missingServers() ||
  missingForBrowserSuite() ||
  (env.oauthUrl ? false : 'the emulator has no managed login (scripts/e2e.sh starts it with --oauth)');

const EMULATOR = env.endpoint?.replace(/\/+$/, '');
const GOOGLE_PAGE = `${EMULATOR}/_emulator/idp/Google/authorize`;
const SESSION_KEY = `CognitoWasm.${env.clientId}.session`;
const PENDING_KEY = `CognitoWasm.${env.clientId}.oauth`;

// Lets the test move a page's Date.now() (what the package reads its clock from), so tokens expire without waiting.
function clockScript() {
  const realDateNow = Date.now.bind(Date);
  let shiftMs = 0;
  Date.now = () => realDateNow() + shiftMs;
  Object.defineProperty(window, '__clock', { value: Object.freeze({ set: (ms) => (shiftMs = ms) }) });
}

const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** What the emulator's managed-login endpoints did (`/_emulator/oauth-log`), for the app's pool. */
async function oauthLog() {
  const response = await fetch(`${EMULATOR}/_emulator/oauth-log?userPoolId=${encodeURIComponent(env.userPoolId)}`);
  assert.equal(response.status, 200);
  return (await response.json()).events;
}
const tokenRequests = async () => (await oauthLog()).filter((e) => e.event === 'token' || e.event === 'token_error');

describe('managed login in Chromium (the demo app, real redirects, the emulator)', { skip }, () => {
  let browser;
  const contexts = [];

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });

  /**
   * A tab of `context` that records the URLs its top-level navigations requested (each redirect's too) and the
   * Authorization headers sent to the API.
   */
  async function tab(context, route = '/') {
    const { page, problems, consoleErrors } = await openPage(context);
    page.setDefaultTimeout(20_000);
    const visited = [];
    const bearers = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visited.push(request.url());
      const authorization = request.headers().authorization;
      if (request.url().startsWith(env.apiUrl) && authorization) bearers.push(authorization.replace(/^Bearer /, ''));
    });
    await openApp(page, `${env.appUrl}#${route}`, consoleErrors);
    return { page, problems, visited, bearers };
  }

  /** A new browser (context) with one tab of the app at `route`. */
  async function browserAt(route) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    contexts.push(context);
    await context.addInitScript(clockScript);
    return { context, ...(await tab(context, route)) };
  }

  /** The app origin's localStorage item `key` in the page's browser context (wherever the page is now). */
  async function stored(page, key) {
    const { origins } = await page.context().storageState();
    const app = origins.find((o) => o.origin === new URL(env.appUrl).origin);
    return app?.localStorage.find((item) => item.name === key)?.value ?? null;
  }
  const whoami = (page) => page.getByTestId('whoami').innerText();
  const signInLink = (page) => page.getByRole('link', { name: 'Sign in', exact: true });

  /** From the sign-in page: the hosted sign-in, its form filled, back on the app signed in. */
  async function hostedSignIn(page, username = env.user, password = env.userPassword) {
    await page.getByRole('button', { name: 'Use the hosted sign-in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${env.oauthUrl}/login?`));
    await page.locator('#signInFormUsername').fill(username);
    await page.locator('#signInFormPassword').fill(password);
    await page.locator('button[name=signInSubmitButton]').click();
    await page.waitForURL((url) => url.href.startsWith(env.appUrl));
    await page.getByTestId('whoami').waitFor();
  }

  /** The callback URL the browser came back to (with the code and the state), from the tab's navigations. */
  const callbackOf = (visited) => visited.find((url) => url.startsWith(`${env.appUrl}?code=`));

  test('the hosted sign-in: back signed in at the next route, the URL clean; auth.fetch, a refresh, a second tab', async () => {
    const { context, page, problems, visited, bearers } = await browserAt('/signin?next=/profile');
    await screenshot(page, 'managed-login-01-sign-in-buttons');
    await page.getByRole('button', { name: 'Use the hosted sign-in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${env.oauthUrl}/login?`));
    const authorize = new URL(visited.find((url) => url.startsWith(`${env.oauthUrl}/oauth2/authorize?`)));
    assert.equal(authorize.searchParams.get('redirect_uri'), env.appUrl);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(await stored(page, PENDING_KEY), 'the pending sign-in is kept while the browser is away');
    await page.locator('#signInFormUsername').fill(env.user);
    await page.locator('#signInFormPassword').fill(env.userPassword);
    await screenshot(page, 'managed-login-02-hosted-form');
    await page.locator('button[name=signInSubmitButton]').click();

    // Back on the app: signed in, at the route the sign-in page was asked for (the customState), no code or state.
    await page.waitForURL(`${env.appUrl}#/profile`);
    await page.getByTestId('profile-username').waitFor();
    assert.equal(await whoami(page), env.user);
    assert.equal(await page.getByTestId('profile-username').innerText(), env.user);
    assert.ok(callbackOf(visited), `came back through the callback: ${visited}`);
    assert.equal(page.url(), `${env.appUrl}#/profile`);
    assert.equal(await stored(page, PENDING_KEY), null);
    assert.equal(await page.getByTestId('notice').count(), 0);
    const session = JSON.parse(await stored(page, SESSION_KEY));
    assert.match(claimsOf(session.accessToken).scope, /\bopenid\b/, 'the tokens are managed login\'s');

    // auth.fetch sends that access token to the demo API, which accepts it.
    await page.getByRole('button', { name: 'Call the protected route' }).click();
    await page.locator('[data-testid=api-protected][data-status="200"]').waitFor();
    assert.equal(bearers.at(-1), session.accessToken);
    await screenshot(page, 'managed-login-03-profile');

    // The tokens expire (the page's clock moves past exp): the next auth.fetch refreshes with the hosted-UI refresh
    // token, and the API accepts the new access token.
    const refreshes = [];
    page.on('request', (request) => {
      const body = request.postData() ?? '';
      if (/REFRESH_TOKEN|grant_type=refresh_token/.test(body)) refreshes.push(request.url());
    });
    const { exp } = claimsOf(session.accessToken);
    const shiftMs = (exp + 5 - (session.clockOffset ?? 0)) * 1000 - Date.now();
    await page.evaluate((ms) => window.__clock.set(ms), shiftMs);
    const sent = bearers.length;
    await page.getByRole('button', { name: 'Call the protected route' }).click();
    await page.waitForFunction(
      ([key, old]) => JSON.parse(window.localStorage.getItem(key) ?? '{}').accessToken !== old,
      [SESSION_KEY, session.accessToken],
    );
    await page.locator('[data-testid=api-protected][data-status="200"]').waitFor();
    assert.equal(refreshes.length, 1, `one refresh: ${refreshes}`);
    const refreshed = JSON.parse(await stored(page, SESSION_KEY));
    assert.equal(bearers.length, sent + 1, 'one call, with the refreshed token');
    assert.equal(bearers.at(-1), refreshed.accessToken);
    assert.notEqual(refreshed.accessToken, session.accessToken);
    assert.equal(claimsOf(refreshed.accessToken).username, env.user);

    // A second tab of the same browser has the session at once.
    const second = await tab(context, '/profile');
    await second.page.getByTestId('profile-username').waitFor();
    assert.equal(await whoami(second.page), env.user);
    assert.deepEqual(problems, []);
    assert.deepEqual(second.problems, []);
  });

  test('the stand-in Google: a federated google_… user, signed in, in the pool\'s Google group', async () => {
    const { page, problems, visited } = await browserAt('/signin?next=/profile');
    const email = `${uniqueName('fed')}@example.com`;
    await page.getByRole('button', { name: 'Continue with Google (emulated)' }).click();
    await page.waitForURL((url) => url.href.startsWith(GOOGLE_PAGE));
    assert.equal(new URL(visited.find((u) => u.includes('/oauth2/authorize?'))).searchParams.get('identity_provider'), 'Google');
    await page.locator('#idpEmail').fill(email);
    await page.locator('#idpName').fill('Fed Eration');
    await screenshot(page, 'managed-login-04-google-stand-in');
    await page.locator('button[name=action][value=sign_in]').click();

    await page.waitForURL(`${env.appUrl}#/profile`);
    await page.getByTestId('profile-username').waitFor();
    assert.match(await whoami(page), /^google_\d+$/);
    assert.equal(await page.getByTestId('profile-email').innerText(), email);
    assert.match(await page.getByTestId('profile-groups').innerText(), new RegExp(`${env.userPoolId}_Google`));
    await page.getByRole('button', { name: 'Call the protected route' }).click();
    await page.locator('[data-testid=api-protected][data-status="200"]').waitFor();
    await screenshot(page, 'managed-login-05-google-profile');
    assert.deepEqual(problems, []);
  });

  test('a callback with a state this browser did not start: refused and shown, no one signed in', async () => {
    const { page, problems } = await browserAt('/signin');
    await page.getByRole('button', { name: 'Use the hosted sign-in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${env.oauthUrl}/login?`));
    assert.ok(await stored(page, PENDING_KEY), 'a sign-in is pending');
    const before = (await tokenRequests()).length;

    // Someone else's callback (a forged code and state) arrives while this browser's sign-in is pending.
    await page.goto(`${env.appUrl}?code=${crypto.randomUUID()}&state=forged-state`);
    await page.waitForURL(`${env.appUrl}#/signin`);
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(
      await notice.innerText(),
      'This sign-in was not started in this browser, so it was refused. Please start again.',
    );
    await screenshot(page, 'managed-login-06-wrong-state');
    await signInLink(page).waitFor();
    assert.equal(await page.getByTestId('whoami').count(), 0);
    assert.equal(await stored(page, SESSION_KEY), null);
    assert.equal(await stored(page, PENDING_KEY), null, 'the pending sign-in is over');
    assert.equal((await tokenRequests()).length, before, 'the forged code was never sent to the token endpoint');
    assert.deepEqual(problems, []);
  });

  test('the provider\'s cancel comes back as an error redirect: the failure is shown, no one signed in', async () => {
    const { page, problems, visited } = await browserAt('/signin');
    await page.getByRole('button', { name: 'Continue with Google (emulated)' }).click();
    await page.waitForURL((url) => url.href.startsWith(GOOGLE_PAGE));
    await page.locator('button[name=action][value=cancel]').click();

    await page.waitForURL(`${env.appUrl}#/signin`);
    const errorRedirect = new URL(visited.find((url) => url.startsWith(`${env.appUrl}?`)));
    assert.equal(errorRedirect.searchParams.get('error'), 'invalid_request');
    assert.match(errorRedirect.searchParams.get('error_description'), /access_denied/);
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(await notice.innerText(), 'The sign-in did not go through (it was cancelled or refused). Please try again.');
    await screenshot(page, 'managed-login-07-cancelled');
    await signInLink(page).waitFor();
    assert.equal(await stored(page, SESSION_KEY), null);
    assert.equal(await stored(page, PENDING_KEY), null);
    assert.deepEqual(problems, []);
  });

  test('the callback URL loaded again (its code spent): nothing happens, the same session, no error', async () => {
    const { page, problems, visited } = await browserAt('/signin');
    await hostedSignIn(page);
    await page.waitForURL(`${env.appUrl}#/`);
    const callback = callbackOf(visited);
    assert.ok(callback, `came back through the callback: ${visited}`);
    const session = await stored(page, SESSION_KEY);
    const before = (await tokenRequests()).length;

    await page.goto(callback);
    await page.getByTestId('feed-personal').first().waitFor();
    assert.equal(await whoami(page), env.user);
    assert.equal(await page.getByTestId('notice').count(), 0);
    assert.equal(await stored(page, SESSION_KEY), session, 'the session is untouched');
    assert.equal((await tokenRequests()).length, before, 'the spent code was not sent again');
    assert.deepEqual(problems, []);
  });

  test('sign-out goes through the domain\'s /logout and comes back signed out, in every tab', async () => {
    const { context, page, problems, visited } = await browserAt('/signin');
    await hostedSignIn(page);
    const other = await tab(context, '/');
    assert.equal(await whoami(other.page), env.user);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signInLink(page).waitFor();
    const logout = visited.map((url) => new URL(url)).find((url) => url.href.startsWith(`${env.oauthUrl}/logout?`));
    assert.ok(logout, `went through /logout: ${visited}`);
    assert.equal(logout.searchParams.get('client_id'), env.clientId);
    assert.equal(logout.searchParams.get('logout_uri'), env.appUrl);
    assert.ok(page.url().startsWith(env.appUrl), page.url());
    assert.equal(await stored(page, SESSION_KEY), null);
    assert.doesNotMatch(JSON.stringify(await page.context().storageState()), /eyJ[\w-]+\.eyJ/);
    assert.ok((await oauthLog()).some((e) => e.event === 'logout'), 'the emulator ended the hosted session');
    await signInLink(other.page).waitFor();
    await screenshot(page, 'managed-login-08-signed-out');

    // The domain's session ended too: the hosted sign-in asks for the password again.
    await page.goto(`${env.appUrl}#/signin`);
    await page.getByRole('button', { name: 'Use the hosted sign-in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${env.oauthUrl}/login?`));
    await page.locator('#signInFormUsername').waitFor();
    assert.deepEqual(problems, []);
    assert.deepEqual(other.problems, []);
  });
});
