// Tabs of one browser share a session: several pages of ONE Chromium context (one localStorage, real Web Locks),
// each with its own CognitoAuth over localStorage, refresh at (nearly) the same moment. A counting proxy in front of
// the Cognito emulator counts the refresh requests that reach it (InitiateAuth REFRESH_TOKEN_AUTH and
// GetTokensFromRefreshToken) and holds each one for a while, so that every tab asks while the first refresh is in
// flight. Exactly one refresh may reach the emulator per race; every tab must get the same new access token, and
// none may be signed out, also with refresh-token rotation (the emulator's pool option `refreshTokenRotation`: a
// spent refresh token is refused at once).
//
// Tokens expire without waiting an hour: an init script lets the test move each page's Date.now() (the emulator's
// clock does not move, so new tokens are issued at real time and the client corrects for the offset with their
// iat). The counting tests force the refresh (getAccessToken({ forceRefresh: true }) in every tab at once) and
// also let the tokens really expire; the rotation races alternate the two, and since every expired round moves the
// clocks about an hour further, the key set's 6-hour lifetime also runs out on the way (a JWKS refetch mid-run).
// Needs the built package (pkg/), Chromium and the emulator (scripts/e2e.sh starts it); under CI=true a missing one
// fails the suite.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { env, launchBrowser, packagePageServer, missingEmulator, missingForBrowserSuite, openPage } from './support.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/tabs/', import.meta.url));

/** How long the proxy holds each refresh request before forwarding it: the window in which the other tabs ask. */
const HOLD_REFRESH_MS = 250;
const USERNAME = 'tabby';
const PASSWORD = 'Passw0rd1';

const skip =
  missingForBrowserSuite([['pkg/cognito_wasm_bg.wasm', 'pkg/ is not built (npm run build)']]) || missingEmulator();


/** Which refresh a Cognito request is (`'REFRESH_TOKEN_AUTH'`, `'GetTokensFromRefreshToken'`), or null. */
function refreshKind(target, body) {
  const operation = target?.replace(/^AWSCognitoIdentityProviderService\./, '');
  if (operation === 'GetTokensFromRefreshToken') return operation;
  if (operation !== 'InitiateAuth') return null;
  try {
    const flow = JSON.parse(body).AuthFlow;
    return flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN' ? 'REFRESH_TOKEN_AUTH' : null;
  } catch {
    return null;
  }
}

/**
 * A proxy in front of the emulator that logs every refresh request (kind, the refresh token it carries, the
 * emulator's status, its time window in real ms) and holds each one HOLD_REFRESH_MS before forwarding it.
 * Everything else (preflights, the JWKS, sign-in) goes through at once.
 */
function countingProxy(target) {
  const upstream = new URL(target);
  let log = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const kind = req.method === 'POST' ? refreshKind(req.headers['x-amz-target'], body.toString()) : null;
      let entry = null;
      if (kind) {
        let token = null;
        try {
          const json = JSON.parse(body.toString());
          token = json.RefreshToken ?? json.AuthParameters?.REFRESH_TOKEN ?? null;
        } catch {}
        entry = { kind, token, startMs: Date.now(), endMs: null, status: null };
        log.push(entry);
      }
      const forward = () => {
        const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
        delete headers.connection;
        const out = httpRequest(
          { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
          (answer) => {
            if (entry) entry.status = answer.statusCode;
            res.writeHead(answer.statusCode, answer.headers);
            answer.pipe(res);
            answer.on('end', () => {
              if (entry) entry.endMs = Date.now();
            });
          },
        );
        out.on('error', (error) => {
          if (entry) entry.status = `proxy: ${error.message}`;
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        out.end(body);
      };
      if (kind) setTimeout(forward, HOLD_REFRESH_MS);
      else forward();
    });
  });
  return {
    server,
    /** The refresh requests logged since the last call. */
    takeLog() {
      const taken = log;
      log = [];
      return taken;
    },
  };
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** A fresh pool on the emulator (test isolation) with the test's user; `options` as /_emulator/pool takes them. */
async function freshPool(options = {}) {
  const response = await fetch(`${env.endpoint.replace(/\/+$/, '')}/_emulator/pool`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seedUsers: [{ username: USERNAME, password: PASSWORD }], ...options }),
  });
  if (!response.ok) throw new Error(`/_emulator/pool answered ${response.status}: ${await response.text()}`);
  return response.json();
}

function claimsOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Lets the test move a page's Date.now() (what the package reads its clock from); timers and performance.now()
// keep real time.
function clockScript() {
  const realDateNow = Date.now.bind(Date);
  let shiftMs = 0;
  Date.now = () => realDateNow() + shiftMs;
  Object.defineProperty(window, '__clock', {
    value: Object.freeze({
      set(ms) {
        shiftMs = ms;
      },
    }),
  });
}

describe('tabs of one browser share one refresh (Web Locks over localStorage)', { skip }, () => {
  let browser;
  let pageServer;
  let pageUrl;
  let proxy;
  let proxyUrl;
  const contexts = [];

  before(async () => {
    pageServer = packagePageServer(fixtures, 'tab.js');
    pageUrl = await listen(pageServer);
    proxy = countingProxy(env.endpoint);
    proxyUrl = await listen(proxy.server);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    for (const server of [pageServer, proxy?.server]) {
      server?.closeAllConnections?.();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    }
  });

  /**
   * Opens `count` tabs in one new browser context, each with a CognitoAuth for `pool` (through the counting
   * proxy, `extra` options added), signs in in the first, and waits until every tab has the session in memory.
   */
  async function openTabs(count, pool, extra = {}) {
    const context = await browser.newContext();
    contexts.push(context);
    await context.addInitScript(clockScript);
    const options = { userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: proxyUrl, ...extra };
    const url = `${pageUrl}/?options=${encodeURIComponent(JSON.stringify(options))}`;
    const tabs = [];
    for (let i = 0; i < count; i++) {
      const { page, problems, consoleErrors } = await openPage(context);
      page.setDefaultTimeout(15_000);
      await page.goto(url);
      try {
        await page.waitForFunction(() => window.tab);
      } catch {
        throw new Error(`tab ${i} did not start; console errors: ${JSON.stringify(consoleErrors)}`);
      }
      tabs.push({ page, problems });
    }
    assert.ok(await tabs[0].page.evaluate(() => window.tab.hasWebLocks), 'this Chromium has navigator.locks');
    const signedIn = await tabs[0].page.evaluate(
      ([username, password]) => window.tab.call('signIn', { username, password }),
      [USERNAME, PASSWORD],
    );
    assert.equal(signedIn.value?.isSignedIn, true, JSON.stringify(signedIn));
    for (const [i, { page }] of tabs.entries()) {
      const user = await page.evaluate(() => window.tab.call('currentUser'));
      assert.equal(user.value?.username, USERNAME, `tab ${i}: ${JSON.stringify(user)}`);
    }
    await clearEvents(tabs);
    return { context, tabs, storageKey: `CognitoWasm.${pool.clientId}.session` };
  }

  async function clearEvents(tabs) {
    for (const { page } of tabs) await page.evaluate(() => window.tab.events.splice(0));
  }

  function storedSession({ tabs, storageKey }) {
    return tabs[0].page.evaluate((key) => JSON.parse(window.localStorage.getItem(key) ?? 'null'), storageKey);
  }

  /**
   * Moves every tab's clock so that, in Cognito's time as the stored session corrects it, the stored tokens
   * expired `pastSecs` ago.
   */
  async function expireTokens(session, pastSecs = 5) {
    const stored = await storedSession(session);
    const { exp } = claimsOf(stored.accessToken);
    const shiftMs = (exp + pastSecs - (stored.clockOffset ?? 0)) * 1000 - Date.now();
    for (const { page } of session.tabs) await page.evaluate((ms) => window.__clock.set(ms), shiftMs);
    return shiftMs;
  }

  /**
   * Every tab calls getAccessToken(`options`) at the same real instant. Returns the tabs' results, the refresh
   * requests that reached the emulator, and each tab's auth events during the race.
   */
  async function race(session, options) {
    const { tabs } = session;
    const before = await storedSession(session);
    const earlier = proxy.takeLog(); // refreshes since the last race: there should be none
    const at = Date.now() + 150 + 15 * tabs.length;
    const results = await Promise.all(
      tabs.map(({ page }) => page.evaluate(([start, opts]) => window.tab.race(start, opts), [at, options])),
    );
    await sleep(50); // the storage events of the last write reach every tab
    const refreshes = proxy.takeLog();
    const events = [];
    for (const { page } of tabs) events.push(await page.evaluate(() => window.tab.events.splice(0)));
    const after = await storedSession(session);
    return { before, after, results, refreshes, events, earlier };
  }

  /** What every race must show: one refresh, one new token for all, no sign-out, the session stored. */
  function checkRace(label, { before, after, results, refreshes, events, earlier }, kind) {
    assert.equal(earlier.length, 0, `${label}: ${earlier.length} refresh request(s) before the race`);
    const errors = results.map((r, i) => r.error && `tab ${i}: ${r.error}`).filter(Boolean);
    assert.deepEqual(errors, [], `${label}: every tab got a token`);
    const tokens = new Set(results.map((r) => r.token));
    const requests = refreshes.map((r) => ({
      kind: r.kind,
      status: r.status,
      window: [r.startMs, r.endMs],
      sent: r.token === before.refreshToken ? 'the stored refresh token' : 'another refresh token',
    }));
    assert.equal(
      refreshes.length,
      1,
      `${label}: ${refreshes.length} refresh requests reached the emulator, and the tabs got ${tokens.size} ` +
        `different access tokens; the requests: ${JSON.stringify(requests)}`,
    );
    const [refresh] = refreshes;
    assert.equal(refresh.kind, kind, label);
    assert.equal(refresh.status, 200, label);
    assert.equal(refresh.token, before.refreshToken, `${label}: the refresh sent the stored refresh token`);
    assert.equal(tokens.size, 1, `${label}: every tab got the same access token`);
    const [token] = tokens;
    assert.notEqual(token, before.accessToken, `${label}: a new access token`);
    // Every tab asked while the refresh was in flight: the race was real.
    for (const [i, r] of results.entries()) {
      const late = Math.round(r.startedAt - refresh.endMs);
      assert.ok(r.startedAt < refresh.endMs, `${label}: tab ${i} asked ${late} ms after the refresh had ended`);
    }
    for (const [i, tabEvents] of events.entries()) {
      assert.ok(!tabEvents.includes('signedOut'), `${label}: tab ${i} was signed out: ${tabEvents}`);
      assert.ok(!tabEvents.includes('tokenRefresh_failure'), `${label}: tab ${i}: ${tabEvents}`);
    }
    assert.ok(after, `${label}: storage keeps a session`);
    assert.equal(after.accessToken, token, `${label}: storage holds the new tokens`);
    assert.ok(after.refreshToken, `${label}: storage keeps a refresh token`);
    return token;
  }

  /** One line for the log: the refresh requests of a race (their statuses) and how close together the tabs asked. */
  function describeRace(label, { results, refreshes }) {
    const starts = results.map((r) => r.startedAt);
    const spread = Math.round(Math.max(...starts) - Math.min(...starts));
    const statuses = refreshes.map((r) => r.status).join(', ');
    const tokens = new Set(results.map((r) => r.token ?? r.error)).size;
    return (
      `${label}: ${refreshes.length} refresh request(s) reached the emulator (status ${statuses}); ` +
      `${tokens} distinct answer(s) among the tabs, which asked within ${spread} ms`
    );
  }

  async function checkNoProblems(session) {
    for (const [i, { problems }] of session.tabs.entries()) assert.deepEqual(problems, [], `tab ${i}`);
  }

  for (const count of [3, 10]) {
    test(`${count} tabs forcing a refresh at once: one refresh request, one new token for all`, async () => {
      const pool = await freshPool();
      const session = await openTabs(count, pool);
      const outcome = await race(session, { forceRefresh: true });
      console.log(describeRace(`${count} tabs, forceRefresh`, outcome));
      checkRace(`${count} tabs, forceRefresh`, outcome, 'REFRESH_TOKEN_AUTH');
      await checkNoProblems(session);
      await session.context.close();
    });
  }

  for (const count of [3, 10]) {
    test(`${count} tabs whose tokens expired: one refresh request, one new token for all`, async () => {
      const pool = await freshPool();
      const session = await openTabs(count, pool);
      await expireTokens(session);
      const outcome = await race(session, undefined);
      console.log(describeRace(`${count} tabs, expired tokens`, outcome));
      const token = checkRace(`${count} tabs, expired tokens`, outcome, 'REFRESH_TOKEN_AUTH');
      // The new tokens are fresh on the moved clocks (corrected by their iat): asking again sends nothing.
      for (const [i, { page }] of session.tabs.entries()) {
        const again = await page.evaluate(() => window.tab.call('getAccessToken'));
        assert.equal(again.value, token, `tab ${i}: ${JSON.stringify(again)}`);
      }
      assert.equal(proxy.takeLog().length, 0, 'no refresh after the race');
      await checkNoProblems(session);
      await session.context.close();
    });
  }

  test('refresh-token rotation (GetTokensFromRefreshToken): 20 races of 3 tabs, one refresh each, nobody signed out', async () => {
    const pool = await freshPool({ refreshTokenRotation: true });
    const session = await openTabs(3, pool, { refreshMethod: 'GetTokensFromRefreshToken' });
    const races = [];
    for (let round = 1; round <= 20; round++) {
      // Odd rounds: the tokens expired (clocks moved past exp); even rounds: every tab forces a refresh.
      const expired = round % 2 === 1;
      if (expired) await expireTokens(session);
      const outcome = await race(session, expired ? undefined : { forceRefresh: true });
      outcome.users = [];
      for (const { page } of session.tabs) outcome.users.push(await page.evaluate(() => window.tab.call('currentUser')));
      races.push({ label: `rotation race ${round} (${expired ? 'expired' : 'forceRefresh'})`, outcome });
      if (!outcome.after) break; // signed out: the next races cannot run
    }
    for (const { label, outcome } of races) console.log(describeRace(label, outcome));
    const counts = races.map(({ outcome }) => outcome.refreshes.length);
    console.log(`rotation, ${races.length} races of 3 tabs: refresh requests per race ${counts.join(',')}`);
    for (const { label, outcome } of races) {
      checkRace(label, outcome, 'GetTokensFromRefreshToken');
      assert.notEqual(outcome.after.refreshToken, outcome.before.refreshToken, `${label}: the refresh token rotated`);
      for (const [i, user] of outcome.users.entries()) {
        assert.equal(user.value?.username, USERNAME, `${label}: tab ${i} is signed in: ${JSON.stringify(user)}`);
      }
    }
    // The refresh token left in storage is the live one: the emulator accepts it.
    const stored = await storedSession(session);
    const check = await fetch(`${env.endpoint.replace(/\/+$/, '')}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
      },
      body: JSON.stringify({ RefreshToken: stored.refreshToken, ClientId: pool.clientId }),
    });
    assert.equal(check.status, 200, `the stored refresh token is live: ${await check.text()}`);
    await checkNoProblems(session);
    await session.context.close();
  });
});
