// Shared set-up of the end-to-end tests. scripts/e2e.sh starts the Cognito emulator, the demo API and the built app,
// and passes their addresses in the environment; without them (plain `node --test tests/e2e/`) the suites that need
// them skip, and so do the browser suites without Chromium. Under CI=true those skips are failures instead
// (tests/support/ci.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipSuiteUnlessCI } from '../support/ci.mjs';

export const env = {
  appUrl: process.env.E2E_APP_URL,
  apiUrl: process.env.E2E_API_URL,
  endpoint: process.env.COGNITO_EMULATOR_ENDPOINT,
  userPoolId: process.env.COGNITO_EMULATOR_POOL_ID,
  clientId: process.env.COGNITO_EMULATOR_CLIENT_ID,
  oauthUrl: process.env.COGNITO_EMULATOR_OAUTH_URL, // the startup pool's managed-login domain URL (with --oauth)
  user: process.env.E2E_USER ?? 'demo',
  userPassword: process.env.E2E_USER_PASSWORD ?? 'Passw0rd!',
  admin: process.env.E2E_ADMIN ?? 'admin',
  adminPassword: process.env.E2E_ADMIN_PASSWORD ?? 'Passw0rd!',
};

/**
 * Why a suite that needs the servers scripts/e2e.sh starts (emulator, demo API, app) cannot run here, or false when
 * it can. Logs it as a skip; under CI=true adds a failing test instead. Pass it as `{ skip }` to node:test.
 */
export function missingServers() {
  const ready = env.appUrl && env.apiUrl && env.endpoint && env.userPoolId && env.clientId;
  return skipSuiteUnlessCI(
    ready ? false : 'run through scripts/e2e.sh (it starts the Cognito emulator, the demo API and the app)',
  );
}

/**
 * Why a suite that needs only the Cognito emulator (scripts/e2e.sh starts it) cannot run here, or false when it
 * can. Logs it as a skip; under CI=true adds a failing test instead. Pass it as `{ skip }` to node:test.
 */
export function missingEmulator() {
  return skipSuiteUnlessCI(
    env.endpoint ? false : 'COGNITO_EMULATOR_ENDPOINT is not set (run through scripts/e2e.sh: it starts the Cognito emulator)',
  );
}

/**
 * Why a browser suite cannot run here, or false when it can: the first of `needs` ([path under the repository,
 * what to do]) that is missing, then playwright-core and Chromium, which every browser suite needs. Logs it as a
 * skip; under CI=true adds a failing test instead. Pass it as `{ skip }` to node:test.
 */
export function missingForBrowserSuite(needs = []) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const checks = [
    ...needs.map(([path, what]) => [join(root, path), what]),
    [join(root, 'node_modules/playwright-core'), 'node_modules/playwright-core is missing (npm install at the root)'],
    [chromium, `no Chromium at ${chromium}`],
  ];
  const missing = checks.find(([path]) => !existsSync(path));
  return skipSuiteUnlessCI(missing ? missing[1] : false);
}

export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches the system Chromium through playwright-core (never a downloaded browser). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Opens a page that records what must never happen in the app: uncaught exceptions and Content-Security-Policy
 * violations. `problems` lists them; tests assert it stays empty.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  const consoleErrors = []; // every console error, for diagnosing a page that does not start
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    consoleErrors.push(text);
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  return { page, problems, consoleErrors };
}

/**
 * Opens the app and waits until it has rendered its header; fails at once, with what the console said, when it
 * does not start (rather than letting every test time out).
 */
export async function openApp(page, url, consoleErrors) {
  await page.goto(url);
  try {
    await page.locator('header.header').waitFor({ timeout: 15_000 });
  } catch {
    const root = await page.locator('#root').innerText().catch(() => '');
    throw new Error(`the app did not start at ${url}; console errors: ${JSON.stringify(consoleErrors)}; page: ${root}`);
  }
}

export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

/** A call to the emulator's Cognito API (admin calls are accepted unsigned there). */
export async function cognito(operation, body) {
  const response = await fetch(`${env.endpoint.replace(/\/+$/, '')}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new Error(`${operation}: HTTP ${response.status} ${json.__type ?? ''} ${json.message ?? text}`);
  }
  return json;
}

/** A username nobody has used yet in this emulator. */
export function uniqueName(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

const PAGE_TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

/**
 * A server for a test page that loads the built package: `/` is `fixtures/index.html`, `/<script>` its script, and
 * `/js/…` and `/pkg/…` the package's files; nothing else.
 */
export function packagePageServer(fixtures, script) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return createServer((req, res) => {
    const path = normalize(new URL(req.url, 'http://x').pathname);
    let file = null;
    if (path === '/') file = join(fixtures, 'index.html');
    else if (path === `/${script}`) file = join(fixtures, script);
    else if (/^\/(js|pkg)\/[\w.-]+$/.test(path)) file = join(root, path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': PAGE_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}
