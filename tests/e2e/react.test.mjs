// `cognito-wasm/react` (js/react.js) in Chromium with React 19, against a scripted stand-in for CognitoAuth
// (tests/e2e/fixtures/react-harness): the test decides when and how each currentUser() call answers. Needs neither
// the wasm build nor the emulator; needs www's node_modules (React, Vite) and Chromium.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, missingForBrowserSuite, openPage } from './support.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const www = join(root, 'www');
const harnessDir = fileURLToPath(new URL('./fixtures/react-harness/', import.meta.url));

const skip = missingForBrowserSuite([['www/node_modules/vite', 'www/node_modules is missing (npm ci in www)']]);

describe('cognito-wasm/react in Chromium', { skip }, () => {
  let outDir;
  let server;
  let browser;
  let page;
  let problems;

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'react-harness-'));
    const { build } = await import(join(www, 'node_modules/vite/dist/node/index.js'));
    const moduleDir = (name) => join(www, 'node_modules', name);
    await build({
      root: harnessDir,
      configFile: false,
      logLevel: 'warn',
      resolve: {
        // The harness lives outside www/: take React from there, and the hook from the repo's js/ directly.
        alias: {
          'cognito-wasm/react': join(root, 'js/react.js'),
          'react-dom': moduleDir('react-dom'),
          react: moduleDir('react'),
        },
      },
      build: { outDir, emptyOutDir: true, minify: false },
    });
    const { createStaticServer } = await import(join(www, 'server/static.mjs'));
    server = createStaticServer({ dist: outDir, appConfig: { userPoolId: 'us-east-1_harness', clientId: 'harness' } });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    ({ page, problems } = await openPage(await browser.newContext()));
    page.setDefaultTimeout(5_000);
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.harness && document.getElementById('probe0'));
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  const call = (name, ...args) => page.evaluate(([fn, rest]) => window.harness[fn](...rest), [name, args]);
  const text = (id) => page.evaluate((elementId) => document.getElementById(elementId)?.textContent ?? null, id);
  /** Waits until probe `id` shows `expected` ({ user, loading, error }). */
  async function expectProbe(id, expected) {
    const want = JSON.stringify({ user: null, loading: false, error: null, ...expected });
    try {
      await page.waitForFunction(([elementId, value]) => document.getElementById(elementId)?.textContent === value, [id, want]);
    } catch {
      assert.equal(await text(id), want);
    }
  }
  async function expectText(id, expected) {
    try {
      await page.waitForFunction(([elementId, value]) => document.getElementById(elementId)?.textContent === value, [id, expected]);
    } catch {
      assert.equal(await text(id), expected);
    }
  }

  test('every component shares one read; loading until it answers', async () => {
    await expectProbe('probe0', { loading: true });
    await expectProbe('probe1', { loading: true });
    assert.equal(await call('calls'), 1);
    assert.equal(await call('listeners'), 1);
    await call('answer', 'alice');
    await expectProbe('probe0', { user: 'alice' });
    await expectProbe('probe1', { user: 'alice' });
  });

  test('a sign-in shows loading until the new read answers', async () => {
    await call('emit', 'signedIn');
    await expectProbe('probe0', { user: 'alice', loading: true });
    await call('answer', 'bob');
    await expectProbe('probe0', { user: 'bob' });
  });

  test('a sign-out drops the user at once', async () => {
    await call('emit', 'signedOut');
    await expectProbe('probe1', { loading: true });
    await call('answer', null);
    await expectProbe('probe1', {});
  });

  test('an older answer that arrives late is ignored', async () => {
    await call('emit', 'tokenRefresh');
    await call('emit', 'tokenRefresh');
    assert.equal(await call('pending'), 2);
    await call('answer', 'newer', 1);
    await expectProbe('probe0', { user: 'newer' });
    await call('answer', 'older', 0);
    await page.waitForTimeout(50);
    await expectProbe('probe0', { user: 'newer' });
  });

  test('a failed read shows its error and no user', async () => {
    await call('emit', 'tokenRefresh');
    await call('fail', 'StorageError');
    await expectProbe('probe0', { error: 'StorageError' });
  });

  test('RequireAuth: children when signed in, loading, then fallback and redirect when signed out', async () => {
    await call('emit', 'signedIn');
    await call('answer', 'carol');
    await expectProbe('probe0', { user: 'carol' });
    await call('setShown', { gate: true });
    await expectText('gate', 'secret for carol');
    assert.deepEqual(await page.evaluate(() => window.harness.redirects), []);

    await call('emit', 'signedOut');
    await expectText('gate', 'loading');
    await call('answer', null);
    await expectText('gate', 'fallback');
    assert.deepEqual(await page.evaluate(() => window.harness.redirects), [null]);
  });

  test('a failed refresh is not a reason to read the user again', async () => {
    const before = await call('calls');
    await call('emit', 'tokenRefresh_failure');
    await page.waitForTimeout(50);
    assert.equal(await call('calls'), before);
    assert.equal(await call('pending'), 0);
  });

  test('RequireAuth with a URL stays when the read failed, and goes once nobody is signed in', async () => {
    await call('emit', 'tokenRefresh');
    await call('fail', 'NetworkError');
    await expectProbe('probe0', { error: 'NetworkError' });
    await call('setShown', { gateString: true });
    await page.waitForTimeout(100);
    assert.notEqual(await page.evaluate(() => window.location.hash), '#/signin');
    assert.equal(await text('gate2'), '');
    await call('emit', 'signedOut');
    await call('answer', null);
    await page.waitForFunction(() => window.location.hash === '#/signin');
  });

  test('RequireAuth with a URL goes there when nobody is signed in', async () => {
    await call('setShown', { gateString: true });
    await page.waitForFunction(() => window.location.hash === '#/signin');
    assert.equal(await text('gate2'), '');
  });

  test('the last component to unmount stops listening; the next one reads again', async () => {
    assert.equal(await call('listeners'), 1);
    await call('setShown', { probes: 0, gate: false, gateString: false });
    await page.waitForFunction(() => window.harness.listeners() === 0);
    const before = await call('calls');
    await call('setShown', { probes: 1 });
    await page.waitForFunction(() => window.harness.listeners() === 1);
    assert.equal(await call('calls'), before + 1);
    await call('answer', 'dave');
    await expectProbe('probe0', { user: 'dave' });
  });

  test('no uncaught errors', () => {
    assert.deepEqual(problems, []);
  });
});
