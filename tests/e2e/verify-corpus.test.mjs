// The adversarial token corpus (tests/jwt/gen-adversarial.mjs) through the built package's `verifyToken` in headless
// Chromium: the cases tests/jwt_adversarial.rs checks natively, each with its exact outcome, in the browser's wasm
// engine and through the public API (the JWKS given as JSON text, exactly as generated). Needs the built package
// (pkg/) and Chromium; not the emulator.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, missingForBrowserSuite, openPage } from './support.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

const skip = missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]);

/** Serves an empty page at / and the package's js/ and pkg/ files, nothing else. */
function packageServer() {
  return createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end('<!doctype html><title>verify corpus</title>');
      return;
    }
    if (!/^\/(js|pkg)\/[\w.-]+$/.test(path)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}

describe('verifyToken in Chromium: the adversarial token corpus', { skip }, () => {
  let workDir;
  let cases;
  let server;
  let browser;
  let page;
  let problems;

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'verify-corpus-'));
    const corpus = join(workDir, 'cases.json');
    execFileSync(process.execPath, [join(root, 'tests/jwt/gen-adversarial.mjs'), corpus], { stdio: 'ignore' });
    cases = JSON.parse(readFileSync(corpus, 'utf8'));
    server = packageServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    ({ page, problems } = await openPage(await browser.newContext()));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('every case gets its exact outcome', async () => {
    assert.ok(cases.length >= 150, `the generator wrote only ${cases.length} cases`);
    const outcomes = await page.evaluate(async (cases) => {
      const { verifyToken } = await import('/js/index.js');
      const results = [];
      for (const c of cases) {
        const issuer = c.issuers[0] ?? '';
        const options = {
          userPoolId: issuer.slice(issuer.lastIndexOf('/') + 1),
          clientId: c.client_id,
          tokenUse: c.token_use,
          issuer: c.issuers,
          jwks: c.jwks,
          now: c.now,
          clockSkewSeconds: c.skew,
          groups: c.required_groups,
          scopes: c.required_scopes,
        };
        try {
          const claims = await verifyToken(c.token, options);
          results.push({ outcome: 'accept', sub: claims.sub, tokenUse: claims.token_use });
        } catch (e) {
          results.push({ outcome: e.code, isError: e instanceof Error, name: e.name, message: String(e.message) });
        }
      }
      return results;
    }, cases);

    const mismatches = [];
    cases.forEach((c, i) => {
      const got = outcomes[i];
      if (got.outcome !== c.expect) {
        mismatches.push(`${c.name}: expected ${c.expect}, got ${got.outcome} ${got.message ?? ''}`);
      } else if (got.outcome === 'accept') {
        assert.equal(got.sub, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', c.name);
        assert.equal(got.tokenUse, c.token_use, c.name);
      } else {
        assert.ok(got.isError, `${c.name}: not an Error`);
        // A token check fails as a TokenError; nothing here is a usage or protocol problem.
        assert.equal(got.name, 'TokenError', `${c.name}: ${got.message}`);
      }
    });
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} cases differ`);
    const accepted = outcomes.filter((o) => o.outcome === 'accept').length;
    console.log(`${cases.length} adversarial cases in Chromium: ${accepted} accepted, ${cases.length - accepted} rejected with their exact code`);
    assert.deepEqual(problems, []);
  });
});
