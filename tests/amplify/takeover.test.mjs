// A port keeps its users signed in: the real aws-amplify (6.22.1, bundled with esbuild) signs a user in on a page, then
// a page of the same origin that imports `cognito-wasm/amplify` instead finds that user signed in, and Amplify's
// keys (CognitoIdentityServiceProvider.{clientId}.*) are gone from localStorage, replaced by cognito-wasm's session.
// Headless Chromium through playwright-core; the emulator from COGNITO_EMULATOR_INFO (scripts/test.sh starts it).
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
const BUILD = join(HERE, 'node_modules', '.takeover');
const info = emulatorInfo();

const skip =
  skipSuiteUnlessCI(!info && SKIP_NO_EMULATOR) ||
  skipSuiteUnlessCI(!existsSync(join(HERE, 'node_modules', 'esbuild')) && 'tests/amplify/node_modules is missing (cd tests/amplify && npm ci)') ||
  missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]);

// The Amplify app: what it does is driven from the test through window.app.
const AMPLIFY_APP = `
import { Amplify } from 'aws-amplify';
import { signIn, getCurrentUser } from 'aws-amplify/auth';
window.app = {
  configure: (Cognito) => Amplify.configure({ Auth: { Cognito } }),
  signIn, getCurrentUser,
};
`;

const page = (body) => `<!doctype html><meta charset="utf-8"><title>takeover</title>${body}`;
const PAGES = {
  '/amplify.html': page('<script type="module" src="/amplify-app.js"></script>'),
  // The same app ported: the import map stands in for the bundler resolving `cognito-wasm` from node_modules.
  '/ported.html': page(`<script type="importmap">{"imports": {
      "cognito-wasm": "/js/index.js", "cognito-wasm/amplify": "/js/amplify.js"}}</script>
    <script type="module">
      import { configure, getCurrentUser, fetchAuthSession } from 'cognito-wasm/amplify';
      window.app = { configure: (Cognito) => configure({ Auth: { Cognito } }), getCurrentUser, fetchAuthSession };
    </script>`),
};
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

function server() {
  return createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://x').pathname);
    let body = null;
    let type = 'text/html';
    if (PAGES[path]) body = PAGES[path];
    else {
      const file = path === '/amplify-app.js' ? join(BUILD, 'amplify-app.js')
        : /^\/(js|pkg)\/[\w.-]+$/.test(path) ? join(ROOT, path) : null;
      if (file && existsSync(file)) {
        body = readFileSync(file);
        type = TYPES[extname(file)] ?? 'application/octet-stream';
      }
    }
    if (body === null) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': type }).end(body);
  });
}

test('a session aws-amplify stored is taken over by cognito-wasm/amplify on the same origin', { skip, timeout: 120_000 }, async () => {
  const esbuild = await import('esbuild');
  mkdirSync(BUILD, { recursive: true });
  writeFileSync(join(BUILD, 'amplify-entry.js'), AMPLIFY_APP);
  await esbuild.build({
    entryPoints: [join(BUILD, 'amplify-entry.js')], outfile: join(BUILD, 'amplify-app.js'),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning',
  });

  const pool = await freshPool(info, [{ username: 'dora', password: 'Passw0rd1', email: 'dora@example.com' }]);
  const cognito = { userPoolId: pool.userPoolId, userPoolClientId: pool.clientId, userPoolEndpoint: pool.endpoint };
  const http = server();
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${http.address().port}`;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));

    await tab.goto(`${origin}/amplify.html`);
    await tab.waitForFunction(() => window.app);
    const signedIn = await tab.evaluate(async (c) => {
      window.app.configure(c);
      const result = await window.app.signIn({ username: 'dora', password: 'Passw0rd1' });
      return { result, user: await window.app.getCurrentUser() };
    }, cognito);
    assert.deepEqual(signedIn.result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const keys = () => tab.evaluate(() => Object.keys(localStorage).sort());
    const amplifyKeys = (await keys()).filter((k) => k.startsWith(`CognitoIdentityServiceProvider.${pool.clientId}.`));
    assert.ok(amplifyKeys.includes(`CognitoIdentityServiceProvider.${pool.clientId}.LastAuthUser`), String(amplifyKeys));
    assert.ok(amplifyKeys.some((k) => k.endsWith('.refreshToken')), String(amplifyKeys));

    await tab.goto(`${origin}/ported.html`);
    await tab.waitForFunction(() => window.app);
    const ported = await tab.evaluate(async (c) => {
      window.app.configure(c);
      const user = await window.app.getCurrentUser();
      const session = await window.app.fetchAuthSession();
      const refreshed = await window.app.fetchAuthSession({ forceRefresh: true });
      return {
        user,
        username: session.tokens?.accessToken.payload.username,
        refreshedSub: refreshed.tokens?.idToken?.payload.sub,
      };
    }, cognito);
    assert.equal(ported.user.username, 'dora');
    assert.equal(ported.user.userId, signedIn.user.userId);
    assert.equal(ported.username, 'dora');
    assert.equal(ported.refreshedSub, signedIn.user.userId, 'the taken-over refresh token works');
    const after = await keys();
    assert.deepEqual(after.filter((k) => k.startsWith('CognitoIdentityServiceProvider.')), [], "Amplify's keys are gone");
    assert.ok(after.includes(`CognitoWasm.${pool.clientId}.session`), String(after));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    http.close();
  }
});
