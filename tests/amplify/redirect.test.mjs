// Managed login against the reference: one app's signInWithRedirect scenario runs in headless Chromium through real
// redirects over the real aws-amplify (6.22.1, bundled with esbuild) and, with the import changed, over
// `cognito-wasm/amplify`, each in a fresh pool of the Cognito emulator, and every step's outcome must be the same:
// the authorize request, the Hub events of the page the browser comes back to, the URL it is left at, the user and
// the tokens, a reloaded (spent) callback, a forced refresh, the sign-out through /logout, the stand-in Google, a
// provider's cancel, a callback with a state the browser did not start, and the refusals. aws-amplify accepting the
// emulator's pages, redirects, token answers and logout is also the check that the emulator is faithful where
// Amplify looks.
//
// aws-amplify puts https:// before the domain, so both get the domain `127.0.0.1:PORT/_domain/NAME` of the emulator's
// HTTPS listener (`--https-port`; its certificate is self-signed, so the browser context ignores certificate errors).
// Skips without the emulator (scripts/test.sh starts it), Chromium or tests/amplify/node_modules; fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { emulatorInfo, freshPool, SKIP_NO_EMULATOR } from '../node/support.mjs';
import { launchBrowser, missingForBrowserSuite } from '../e2e/support.mjs';
import { skipSuiteUnlessCI } from '../support/ci.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');
const BUILD = join(HERE, 'node_modules', '.redirect');
const info = emulatorInfo();
const PASSWORD = 'Passw0rd1';
const LIBRARIES = ['amplify', 'ours'];

const skip =
  skipSuiteUnlessCI(!info && SKIP_NO_EMULATOR) ||
  skipSuiteUnlessCI(info && !info.httpsEndpoint && 'the emulator has no HTTPS listener (scripts/test.sh starts it with --https-port 0)') ||
  skipSuiteUnlessCI(!existsSync(join(HERE, 'node_modules', 'esbuild')) && 'tests/amplify/node_modules is missing (cd tests/amplify && npm ci)') ||
  missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]);

// The app: the same code over either library; only the import lines differ. Its Hub events are kept in
// sessionStorage, so that those of a page the browser then leaves (sign-out) are still there.
const IMPORTS = {
  amplify: `import { Amplify } from 'aws-amplify';
import { Hub } from 'aws-amplify/utils';
import { signInWithRedirect, signOut, getCurrentUser, fetchAuthSession } from 'aws-amplify/auth';`,
  ours: `import { Amplify, Hub, signInWithRedirect, signOut, getCurrentUser, fetchAuthSession } from 'cognito-wasm/amplify';`,
};
const APP = `
const HUB = 'hub';
Hub.listen('auth', ({ payload: { event, data } }) => {
  const entry = event === 'signedIn' ? { event, username: data.username }
    : event === 'signInWithRedirect_failure' ? { event, error: data?.error?.name }
    : event === 'customOAuthState' ? { event, data } : { event };
  sessionStorage.setItem(HUB, JSON.stringify([...JSON.parse(sessionStorage.getItem(HUB) ?? '[]'), entry]));
});
Amplify.configure(window.CONFIG);
window.app = {
  signInWithRedirect, signOut, getCurrentUser,
  // The session's tokens as text (a token object does not cross to the test).
  tokens: async (options) => {
    const { tokens } = await fetchAuthSession(options);
    return { access: tokens?.accessToken.toString(), id: tokens?.idToken?.toString() };
  },
  configure: (config) => Amplify.configure(config),
  hub: () => {
    const events = JSON.parse(sessionStorage.getItem(HUB) ?? '[]');
    sessionStorage.removeItem(HUB);
    return events;
  },
};
`;

/** What a call settled with: its value, or its error's name. */
const SETTLE = `window.settle = (promise) => promise.then((value) => ({ value }), (e) => ({ error: e?.name ?? String(e) }));`;

function page(library, config) {
  const importMap = library === 'ours'
    ? '<script type="importmap">{"imports": {"cognito-wasm": "/js/index.js", "cognito-wasm/amplify": "/js/amplify.js"}}</script>'
    : '';
  return `<!doctype html><meta charset="utf-8"><title>${library}</title>${importMap}
<script>window.CONFIG = ${JSON.stringify(config)}; ${SETTLE}</script>
<script type="module" src="/${library}/app.js"></script>`;
}

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** The app's pages: `/{library}/` (the app, its callback and its sign-out URL) and the scripts. */
function server(configs) {
  return createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://x').pathname);
    const library = LIBRARIES.find((name) => path === `/${name}/`);
    let body = null;
    let type = 'text/html';
    if (library) body = page(library, configs[library]);
    else if (path === '/amplify/app.js' || path === '/ours/app.js') {
      body = readFileSync(join(BUILD, path === '/amplify/app.js' ? 'amplify-app.js' : 'ours-app.js'));
      type = TYPES['.js'];
    } else if (/^\/(js|pkg)\/[\w.-]+$/.test(path) && existsSync(join(ROOT, path))) {
      body = readFileSync(join(ROOT, path));
      type = TYPES[extname(path)] ?? 'application/octet-stream';
    }
    if (body === null) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
}

async function buildApps() {
  const esbuild = await import('esbuild');
  mkdirSync(BUILD, { recursive: true });
  writeFileSync(join(BUILD, 'amplify-entry.js'), `${IMPORTS.amplify}\n${APP}`);
  await esbuild.build({
    entryPoints: [join(BUILD, 'amplify-entry.js')], outfile: join(BUILD, 'amplify-app.js'),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning',
  });
  // Ours is served as it is: the page's import map resolves `cognito-wasm` as a bundler would.
  writeFileSync(join(BUILD, 'ours-app.js'), `${IMPORTS.ours}\n${APP}`);
}

/** The claims of a JWT (what both libraries hand out is checked by the emulator's signature). */
const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** A federated user's name with its number (which differs per pool) left out. */
const federated = (name) => name?.replace(/^google_\d+$/, 'google_…');

/**
 * The scenario over one library, in its own pool and browser context; resolves to each step's outcome. Steps
 * record what an app sees (results, error names, Hub events, the page's URL) and what the browser sent.
 */
async function scenario(browser, library, origin, configs) {
  const pool = await freshPool(info, [{ username: 'olive', password: PASSWORD, email: 'olive@example.com' }], {
    oauth: { callbackUrls: [`${origin}/${library}/`], logoutUrls: [`${origin}/${library}/`], identityProviders: ['COGNITO', 'Google'] },
  });
  const domain = pool.oauth.url.replace(/^https?:\/\/[^/]+/, new URL(info.httpsEndpoint).host);
  const app = `${origin}/${library}/`;
  configs[library] = {
    Auth: {
      Cognito: {
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.clientId,
        userPoolEndpoint: pool.endpoint,
        loginWith: {
          oauth: {
            domain,
            scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
            redirectSignIn: [app],
            redirectSignOut: [app],
            responseType: 'code',
          },
        },
      },
    },
  };
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const tab = await context.newPage();
  tab.setDefaultTimeout(20_000);
  const problems = [];
  tab.on('pageerror', (e) => problems.push(e.message));
  const navigations = [];
  tab.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === tab.mainFrame()) navigations.push(request.url());
  });
  const steps = {};
  const load = async (url = app) => {
    await tab.goto(url);
    await tab.waitForFunction(() => window.app);
  };
  const call = (expression, arg) => tab.evaluate(`settle(${expression})`.replace('ARG', JSON.stringify(arg ?? null)));
  /**
   * Starts a call that leaves the page (signInWithRedirect, signOut) without waiting for it here (the page may be
   * gone first); what it settled with is kept in sessionStorage and read by `left()` once back on the app.
   */
  const leave = (method, arg) => tab.evaluate(([m, a]) => {
    settle(window.app[m](a ?? undefined)).then((outcome) => sessionStorage.setItem('left', JSON.stringify(outcome)));
  }, [method, arg ?? null]);
  const left = () => tab.evaluate(() => {
    const outcome = JSON.parse(sessionStorage.getItem('left'));
    sessionStorage.removeItem('left');
    return outcome;
  });
  const hub = async () => (await tab.evaluate(() => window.app.hub()))
    .map((e) => (e.username ? { ...e, username: federated(e.username) } : e));
  /** The page's URL, a code in it left out (a forged one is random). */
  const url = () => tab.url().replace(app, '{app}').replace(/code=[\w-]+/, 'code={code}');
  /** Waits for the Hub event that ends a callback page's sign-in. */
  const callbackDone = () => tab.waitForFunction(() => (JSON.parse(sessionStorage.getItem('hub') ?? '[]'))
    .some((e) => e.event === 'signedIn' || e.event === 'signInWithRedirect_failure'));
  /** The authorize request the last sign-in made: its parameters' names in order, and the ones compared. */
  const authorize = () => {
    const url = new URL(navigations.findLast((u) => u.includes('/oauth2/authorize?')));
    const p = url.searchParams;
    return {
      endpoint: `${url.origin}${url.pathname}`.replace(domain, '{domain}'),
      names: [...p.keys()],
      redirect_uri: p.get('redirect_uri') === app,
      response_type: p.get('response_type'),
      identity_provider: p.get('identity_provider'),
      scope: p.get('scope'),
      code_challenge_method: p.get('code_challenge_method'),
      challenge: /^[A-Za-z0-9_-]{43}$/.test(p.get('code_challenge')),
      state: /^[A-Za-z0-9]{32}(-[0-9a-fu]+)?$/.test(p.get('state')),
      // The customState after the '-': Amplify's urlSafeEncode (hex digits per UTF-16 unit).
      customState: p.get('state').split('-')[1] ?? null,
    };
  };
  /** The user and the tokens a signed-in app reads. */
  const session = async () => {
    const user = await call('app.getCurrentUser()');
    const { value: { access, id } } = await call('app.tokens()');
    return {
      user: user.error ?? { username: federated(user.value.username), userIdIsSub: user.value.userId === claimsOf(id).sub },
      access: access && {
        token_use: claimsOf(access).token_use,
        scope: claimsOf(access).scope,
        username: federated(claimsOf(access).username),
        groups: claimsOf(access)['cognito:groups']?.map((g) => g.replace(pool.userPoolId, '{pool}')),
      },
      id: id && {
        aud: claimsOf(id).aud === pool.clientId,
        email: claimsOf(id).email,
        identities: claimsOf(id).identities?.map(({ providerName, providerType }) => ({ providerName, providerType })),
      },
    };
  };

  try {
    // 1. The hosted sign-in, with a custom state, through the emulator's form.
    await load();
    await leave('signInWithRedirect', { customState: 'cart 42 ✓' });
    await tab.waitForURL((url) => url.pathname.endsWith('/login'));
    steps.authorize = authorize();
    await tab.locator('#signInFormUsername').fill('olive');
    await tab.locator('#signInFormPassword').fill(PASSWORD);
    await tab.locator('button[name=signInSubmitButton]').click();
    await tab.waitForURL((url) => url.href.startsWith(app));
    await tab.waitForFunction(() => window.app);
    await callbackDone();
    const callback = navigations.findLast((u) => u.startsWith(`${app}?code=`));
    steps.callback = { started: await left(), events: await hub(), url: url(), ...(await session()) };

    // 2. The callback URL loaded again: its code is spent and nothing is under way; still signed in, no events.
    await load(callback);
    steps.reloaded = { ...(await session()), events: await hub() };

    // 3. A forced refresh of the hosted-UI session, and a second sign-in refused while signed in.
    const before = (await call('app.tokens()')).value.access;
    const refreshed = await call('app.tokens(ARG)', { forceRefresh: true });
    steps.refresh = {
      renewed: refreshed.value.access !== before,
      events: await hub(),
      again: await call('app.signInWithRedirect()'),
    };

    // 4. Sign-out: the tokens cleared, then the domain's /logout, back at the sign-out URL signed out.
    const signedOut = tab.waitForURL((url) => url.href === app && navigations.some((u) => u.includes('/logout?')));
    await leave('signOut');
    await signedOut;
    await tab.waitForFunction(() => window.app);
    const logout = new URL(navigations.findLast((u) => u.includes('/logout?')));
    steps.logout = {
      endpoint: `${logout.origin}${logout.pathname}`.replace(domain, '{domain}'),
      names: [...logout.searchParams.keys()],
      client_id: logout.searchParams.get('client_id') === pool.clientId,
      logout_uri: logout.searchParams.get('logout_uri') === app,
      signedOut: await left(),
      events: await hub(),
      ...(await session()),
    };

    // 5. The stand-in Google: a federated user, in the pool's Google group.
    await leave('signInWithRedirect', { provider: 'Google' });
    await tab.waitForURL((url) => url.pathname.endsWith('/_emulator/idp/Google/authorize'));
    steps.googleAuthorize = authorize();
    await tab.locator('#idpEmail').fill('fed@example.com');
    await tab.locator('#idpName').fill('Fed Eration');
    await tab.locator('button[name=action][value=sign_in]').click();
    await tab.waitForURL((url) => url.href.startsWith(app));
    await tab.waitForFunction(() => window.app);
    await callbackDone();
    steps.google = { started: await left(), events: await hub(), url: url(), ...(await session()) };
    await leave('signOut');
    await tab.waitForURL((url) => url.href === app && navigations.filter((u) => u.includes('/logout?')).length === 2);
    await tab.waitForFunction(() => window.app);
    await hub();
    await left();

    // 6. The provider's cancel: Cognito's error redirect.
    await leave('signInWithRedirect', { provider: 'Google' });
    await tab.waitForURL((url) => url.pathname.endsWith('/_emulator/idp/Google/authorize'));
    await tab.locator('button[name=action][value=cancel]').click();
    await tab.waitForURL((url) => url.href.startsWith(app));
    await tab.waitForFunction(() => window.app);
    await callbackDone();
    const errorRedirect = new URL(navigations.findLast((u) => u.startsWith(`${app}?`)));
    steps.cancelled = {
      query: [...errorRedirect.searchParams.keys()].sort(),
      error: errorRedirect.searchParams.get('error'),
      started: await left(),
      events: await hub(),
      url: url(),
      ...(await session()),
    };

    // 7. A callback with a state this browser did not start, while its own sign-in is pending.
    await leave('signInWithRedirect');
    await tab.waitForURL((url) => url.pathname.endsWith('/login'));
    await load(`${app}?code=${crypto.randomUUID()}&state=forged`);
    await callbackDone();
    steps.forged = { started: await left(), events: await hub(), url: url(), ...(await session()) };

    // 8. Configured without managed login.
    const { loginWith, ...plain } = configs[library].Auth.Cognito;
    await tab.evaluate((config) => window.app.configure(config), { Auth: { Cognito: plain } });
    steps.notConfigured = await call('app.signInWithRedirect()');

    steps.problems = problems;
    return steps;
  } finally {
    await context.close();
  }
}

test('signInWithRedirect over cognito-wasm/amplify matches aws-amplify in Chromium, through real redirects', { skip, timeout: 240_000 }, async (t) => {
  await buildApps();
  const configs = {};
  const http = server(configs);
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${http.address().port}`;
  const browser = await launchBrowser();
  const outcomes = {};
  try {
    for (const library of LIBRARIES) outcomes[library] = await scenario(browser, library, origin, configs);
  } finally {
    await browser.close();
    http.close();
  }
  const { amplify, ours } = outcomes;
  t.diagnostic(`aws-amplify: ${JSON.stringify(amplify)}`);

  // The differences we keep, each checked to be real (else this is stale), then left out of the comparison:
  // 1. Ours sends a nonce of its own and checks the ID token's; Amplify sends one only when given, and checks none.
  for (const step of ['authorize', 'googleAuthorize']) {
    assert.ok(!amplify[step].names.includes('nonce') && ours[step].names.includes('nonce'), `${step}: the nonce`);
    ours[step].names = ours[step].names.filter((name) => name !== 'nonce');
  }
  // 2. A customState character above U+00FF (here ✓, U+2713): Amplify writes its 4 hex digits, which its own decoder
  //    reads back as two other characters; ours writes `u` before them, and the text comes back as it was given.
  assert.deepEqual([amplify.authorize.customState, ours.authorize.customState], ['63617274203432202713', '6361727420343220u2713']);
  assert.deepEqual([amplify.callback.events[0]?.data, ours.callback.events[0]?.data], ['cart 42 \'\u0013', 'cart 42 ✓']);
  ours.authorize.customState = amplify.authorize.customState;
  ours.callback.events[0].data = amplify.callback.events[0].data;
  // 3. A failed callback: Amplify leaves its parameters (Cognito's error, or the forged code and state) in the URL;
  //    ours removes them, as after a sign-in, so a reload does not show the failure again.
  for (const step of ['cancelled', 'forged']) {
    assert.ok(amplify[step].url.startsWith('{app}?') && ours[step].url === '{app}', `${step}: the URL`);
    ours[step].url = amplify[step].url;
  }

  for (const step of Object.keys(amplify)) {
    assert.deepEqual(ours[step], amplify[step], `step ${step}: cognito-wasm/amplify differs from aws-amplify`);
  }
  assert.deepEqual(Object.keys(ours), Object.keys(amplify));

  // And what the scenario is about, so that two libraries failing alike cannot pass.
  assert.deepEqual(amplify.callback.events.map((e) => e.event), ['customOAuthState', 'signInWithRedirect', 'signedIn']);
  assert.equal(amplify.callback.url, '{app}');
  assert.deepEqual(amplify.callback.user, { username: 'olive', userIdIsSub: true });
  assert.deepEqual(amplify.reloaded.events, []);
  assert.equal(amplify.refresh.renewed, true);
  assert.equal(amplify.refresh.again.error, 'UserAlreadyAuthenticatedException');
  assert.equal(amplify.logout.user, 'UserUnAuthenticatedException');
  assert.deepEqual(amplify.google.access.groups, ['{pool}_Google']);
  assert.deepEqual(amplify.cancelled.events, [{ event: 'signInWithRedirect_failure', error: 'OAuthSignInException' }]);
  assert.deepEqual(amplify.forged.events, [{ event: 'signInWithRedirect_failure', error: 'oauthSignInError' }]);
  assert.equal(amplify.notConfigured.error, 'OAuthNotConfigureException');
  assert.deepEqual(amplify.problems, []);
});
