// The packed package in every bundler an app uses: Vite (build and dev server), webpack 5, Rollup and esbuild each
// build app/ (the `build:*` scripts of package.json, with the settings the README gives), and the build, served over
// HTTP, runs in headless Chromium against the Cognito emulator: the wasm is fetched from the build (as
// application/wasm) and instantiated, a wrong password is a CognitoServiceError, a user of a fresh pool signs in,
// `currentUser()` names them, their access token passes `verifyToken`, and sign-out signs them out.
// Run by run.sh, which unpacks the package into node_modules/cognito-wasm first; needs the emulator
// (COGNITO_EMULATOR_INFO: scripts/test.sh starts it) and Chromium, and skips without them (fails under CI=true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, missingForBrowserSuite, openPage } from '../e2e/support.mjs';
import { emulatorInfo, freshPool } from '../node/support.mjs';
import { skipSuiteUnlessCI } from '../support/ci.mjs';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const ROOT = join(HERE, '..', '..');
const USER = { username: 'bundled', password: 'Bundled-Passw0rd' };

const skip = skipSuiteUnlessCI(
  !existsSync(join(HERE, 'node_modules', 'cognito-wasm', 'package.json'))
    ? 'tests/bundlers/node_modules/cognito-wasm is missing (run tests/bundlers/run.sh: it packs the package there)'
    : !existsSync(join(HERE, 'node_modules', 'vite'))
      ? 'tests/bundlers/node_modules is missing (run scripts/bootstrap.sh, or tests/bundlers/run.sh)'
      : !process.env.COGNITO_EMULATOR_INFO
        ? 'COGNITO_EMULATOR_INFO is not set (run through npm test, which starts the Cognito emulator)'
        : false,
) || missingForBrowserSuite();

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** A static server for one build directory, as any web server serves a built app. */
async function serve(dir) {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Runs `npm run <script>` here; fails with its output. */
function npmRun(script) {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: HERE, encoding: 'utf8', timeout: 180_000 });
  assert.equal(result.error, undefined, `npm run ${script}: ${result.error}`);
  assert.equal(result.status, 0, `npm run ${script} failed:\n${result.stdout}${result.stderr}`);
}

describe('the packed package in each bundler, in Chromium against the Cognito emulator', { skip }, () => {
  let browser;
  let pool;

  before(async () => {
    pool = await freshPool(emulatorInfo(), [USER]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** Loads the app at `url` in a fresh context; asserts what it did and that it fetched the wasm from `url`. */
  async function checkApp(url) {
    const context = await browser.newContext();
    try {
      const { page, problems, consoleErrors } = await openPage(context);
      const wasm = [];
      const requested = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('response', (response) => {
        if (/\.wasm(\?|$)/.test(response.url())) {
          wasm.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] });
        }
      });
      const query = new URLSearchParams({
        endpoint: pool.endpoint, userPoolId: pool.userPoolId, clientId: pool.clientId, ...USER,
      });
      // An uncaught error (say, the wasm failing to load: the entry's top-level await rejects) ends the wait.
      const pageError = new Promise((resolve) => {
        page.once('pageerror', (error) => resolve({ ok: false, error: `page error: ${error.message}` }));
      });
      await page.goto(`${url}?${query}`);
      const result = await Promise.race([
        page.waitForFunction(() => window.testResult, null, { timeout: 60_000 }).then((handle) => handle.jsonValue()),
        pageError,
      ]).catch((error) => ({ ok: false, error: `no result: ${error.message}` }));
      assert.deepEqual(result, {
        ok: true,
        before: null,
        wasmBeforeSignIn: 1,
        wasmAtEnd: 2,
        wrong: 'CognitoServiceError/NotAuthorizedException',
        isSignedIn: true,
        signInStep: 'DONE',
        username: USER.username,
        tokenUsername: USER.username,
        after: null,
      }, `the app's calls (console errors: ${JSON.stringify(consoleErrors)})`);
      // The session core, then the module with the flows.
      assert.equal(wasm.length, 2, `two .wasm requests: ${JSON.stringify(wasm)}`);
      assert.notEqual(wasm[0].url, wasm[1].url);
      for (const { url: wasmUrl, status, type } of wasm) {
        assert.ok(wasmUrl.startsWith(url), `the .wasm comes from the app's server: ${wasmUrl}`);
        assert.equal(status, 200);
        assert.equal(type, 'application/wasm');
      }
      assert.deepEqual(problems, []);
      return { wasmUrls: wasm.map((w) => w.url), requested };
    } finally {
      await context.close();
    }
  }

  for (const bundler of ['vite', 'webpack', 'rollup', 'esbuild']) {
    test(`${bundler}: the build loads the wasm it emitted and signs a user in`, async () => {
      npmRun(`build:${bundler}`);
      const dist = join(HERE, 'dist', bundler);
      const server = await serve(dist);
      try {
        const { wasmUrls } = await checkApp(server.url);
        // Each .wasm is a file of the build (not inlined, not fetched from node_modules).
        for (const wasmUrl of wasmUrls) {
          assert.ok(existsSync(join(dist, new URL(wasmUrl).pathname)), `${wasmUrl} is in dist/${bundler}`);
        }
      } finally {
        await server.close();
      }
    });
  }

  // With the README's setting the package is served as it is; without it (Vite 8 pre-bundles it, and rewrites the
  // glue's `new URL(..., import.meta.url)` to the package's own .wasm; Vite 7 and earlier did not).
  // (Vite serves files outside the app's root under /@fs/: the paths are compared by their ends.)
  for (const [setting, config, served] of [
    ["optimizeDeps.exclude, the README's setting", { configFile: join(HERE, 'vite.config.js') },
      '/node_modules/cognito-wasm/js/index.js'],
    ['no setting, pre-bundled', { configFile: false, logLevel: 'warn', optimizeDeps: { force: true } },
      '/node_modules/.vite/deps/cognito-wasm.js'],
  ]) {
    test(`vite: the dev server (${setting}) serves the package and the app signs a user in`, async () => {
      const { createServer: createViteServer } = await import('vite');
      const server = await createViteServer({
        ...config,
        root: join(HERE, 'app'),
        server: { host: '127.0.0.1', port: 0 },
      });
      await server.listen();
      try {
        const url = server.resolvedUrls.local[0];
        const { wasmUrls, requested } = await checkApp(url);
        assert.ok(requested.some((r) => new URL(r).pathname.endsWith(served)), `${served} among ${requested}`);
        assert.deepEqual(wasmUrls.map((u) => new URL(u).pathname.replace(/^.*(\/node_modules\/)/, '$1')), [
          '/node_modules/cognito-wasm/pkg/cognito_wasm_bg.wasm',
          '/node_modules/cognito-wasm/pkg/cognito_wasm_flows_bg.wasm',
        ]);
      } finally {
        await server.close();
      }
    });
  }

  test("the README gives each bundler's setting as these builds use it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const scripts = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8')).scripts;
    assert.ok(readme.includes("optimizeDeps: { exclude: ['cognito-wasm'] }"), 'the Vite setting');
    assert.match(readFileSync(join(HERE, 'vite.config.js'), 'utf8'), /optimizeDeps: \{ exclude: \['cognito-wasm'\] \}/);
    const copy = 'cp node_modules/cognito-wasm/pkg/*.wasm';
    assert.ok(readme.includes(copy) && scripts['build:esbuild'].includes(copy), 'the esbuild copy');
    const flags = '--bundle --splitting --format=esm';
    assert.ok(readme.includes(flags) && scripts['build:esbuild'].includes(flags), 'the esbuild flags');
    assert.ok(readme.includes('@web/rollup-plugin-import-meta-assets'), 'the Rollup plugin');
  });
});
