// Where auth.fetch sends the access token, against the Cognito emulator: only to the page's origin and the origins
// in `apiOrigins`, never over plain http except to loopback hosts, and elsewhere nothing is sent at all (no
// connection, no DNS lookup); and a 401 forces at most one refresh every few seconds, however many calls get one.
// Skips without COGNITO_EMULATOR_INFO (scripts/test.sh sets it); fails under CI=true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer } from 'node:http';

import { CognitoAuth } from 'cognito-wasm';
import { SKIP_NO_EMULATOR, emulatorInfo, freshPool, recordFetches, rejectsWith, skipUnlessCI } from './support.mjs';

const info = emulatorInfo();
const REFRESH = 'AWSCognitoIdentityProviderService.InitiateAuth';

function authFor(pool, apiOrigins) {
  return new CognitoAuth({
    userPoolId: pool.userPoolId, clientId: pool.clientId, endpoint: pool.endpoint, storage: 'memory', apiOrigins,
  });
}

/** An HTTP server on `host` that answers `status` and counts connections and requests. */
async function apiServer(host, status = 200) {
  const seen = { connections: 0, requests: [] };
  const server = createServer((req, res) => {
    seen.requests.push({ url: req.url, auth: req.headers.authorization ?? null });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{}');
  });
  server.on('connection', () => { seen.connections += 1; });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const origin = `http://${host}:${server.address().port}`;
  return { seen, origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Records the host names looked up through node:dns (what fetch's connections use) until restore(). */
function recordLookups() {
  const original = dns.lookup;
  const hosts = [];
  dns.lookup = function lookup(hostname, ...rest) {
    hosts.push(hostname);
    return original.call(this, hostname, ...rest);
  };
  return { hosts, restore: () => { dns.lookup = original; } };
}

test('auth.fetch sends the token to a listed origin and nothing at all to an unlisted one', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'olga', password: 'Passw0rd1' }]);
  const listed = await apiServer('127.0.0.1');
  const otherPort = await apiServer('127.0.0.1');
  const otherAddress = await apiServer('127.0.0.2');
  try {
    const auth = authFor(pool, [listed.origin]);
    await auth.signIn({ username: 'olga', password: 'Passw0rd1' });
    const token = await auth.getAccessToken();

    const response = await auth.fetch(`${listed.origin}/orders?page=2`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 200);
    assert.deepEqual(listed.seen.requests, [{ url: '/orders?page=2', auth: `Bearer ${token}` }]);

    const recorder = recordFetches();
    try {
      for (const server of [otherPort, otherAddress]) {
        for (const url of [`${server.origin}/orders`, new URL(`${server.origin}/orders`)]) {
          await rejectsWith(assert, auth.fetch(url), 'UsageError', 'OriginNotAllowed');
        }
        // A Request object is judged by its URL as well.
        await rejectsWith(assert, auth.fetch(new Request(`${server.origin}/x`)), 'UsageError', 'OriginNotAllowed');
      }
      // Lookalikes of the listed origin: userinfo, another scheme.
      await rejectsWith(assert, auth.fetch(`https://${new URL(listed.origin).host}/x`), 'UsageError', 'OriginNotAllowed');
    } finally {
      recorder.restore();
    }
    assert.deepEqual(recorder.requests, [], 'fetch was never called');
    for (const server of [otherPort, otherAddress]) {
      assert.equal(server.seen.connections, 0, `${server.origin} saw no connection`);
      assert.deepEqual(server.seen.requests, []);
    }
    // Credentials in the URL: refused before anything (the Request constructor already refuses them in Node).
    await rejectsWith(assert, auth.fetch(`http://user:pw@${new URL(listed.origin).host}/x`), 'UsageError',
      ['InvalidArgument', 'OriginNotAllowed']);
    assert.equal(listed.seen.requests.length, 1);
    auth.free();
  } finally {
    await Promise.all([listed.close(), otherPort.close(), otherAddress.close()]);
  }
});

test('auth.fetch never sends the token over plain http to a host that is not a loopback one', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'pia', password: 'Passw0rd1' }]);
  const plain = 'http://api.cognito-wasm-test.invalid';
  // Such an origin cannot even be listed.
  await rejectsWith(assert, () => authFor(pool, [plain]), 'UsageError', 'InvalidConfig');
  await rejectsWith(assert, () => authFor(pool, ['https://api.example.com/v1']), 'UsageError', 'InvalidConfig');

  const auth = authFor(pool, ['https://api.cognito-wasm-test.invalid']);
  await auth.signIn({ username: 'pia', password: 'Passw0rd1' });

  // The control: a plain fetch to such a host is looked up (and fails), so the recording below would see one.
  const control = recordLookups();
  try {
    await fetch(`${plain}/control`).catch(() => {});
  } finally {
    control.restore();
  }
  assert.ok(control.hosts.includes('api.cognito-wasm-test.invalid'), `lookups seen: ${control.hosts}`);

  const lookups = recordLookups();
  const recorder = recordFetches();
  try {
    for (const url of [`${plain}/orders`, 'http://10.0.0.1/orders', 'http://localhost.cognito-wasm-test.invalid/x']) {
      await rejectsWith(assert, auth.fetch(url), 'UsageError', 'OriginNotAllowed');
    }
    // Over https the listed origin would get it (the request then fails: the host does not exist).
    await rejectsWith(assert, auth.fetch('https://api.cognito-wasm-test.invalid/orders'), 'NetworkError', 'NetworkError');
  } finally {
    recorder.restore();
    lookups.restore();
  }
  assert.deepEqual(recorder.requests.map((r) => r.url), ['https://api.cognito-wasm-test.invalid/orders'],
    'only the https request was attempted');
  assert.deepEqual(lookups.hosts, ['api.cognito-wasm-test.invalid'], 'and only its host looked up');
  auth.free();
});

test('in a page, its own origin gets the token without being listed', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'quinn', password: 'Passw0rd1' }]);
  const page = await apiServer('127.0.0.1');
  const other = await apiServer('127.0.0.1');
  const hadLocation = Object.hasOwn(globalThis, 'location');
  const previous = globalThis.location;
  globalThis.location = { origin: page.origin };
  try {
    const auth = authFor(pool, []);
    await auth.signIn({ username: 'quinn', password: 'Passw0rd1' });
    const response = await auth.fetch(`${page.origin}/me`);
    assert.equal(response.status, 200);
    assert.deepEqual(page.seen.requests, [{ url: '/me', auth: `Bearer ${await auth.getAccessToken()}` }]);
    await rejectsWith(assert, auth.fetch(`${other.origin}/me`), 'UsageError', 'OriginNotAllowed');
    assert.equal(other.seen.connections, 0);
    // An opaque origin ("null": a sandboxed frame, a file) is no origin.
    globalThis.location = { origin: 'null' };
    await rejectsWith(assert, auth.fetch(`${page.origin}/me`), 'UsageError', 'OriginNotAllowed');
    assert.equal(page.seen.requests.length, 1);
    auth.free();
  } finally {
    if (hadLocation) globalThis.location = previous;
    else delete globalThis.location;
    await Promise.all([page.close(), other.close()]);
  }
});

test('50 calls to an endpoint that always answers 401 make at most one refresh', async (t) => {
  if (!info) return skipUnlessCI(t, SKIP_NO_EMULATOR);
  const pool = await freshPool(info, [{ username: 'rosa', password: 'Passw0rd1' }]);
  const api = await apiServer('127.0.0.1', 401);
  try {
    const auth = authFor(pool, [api.origin]);
    await auth.signIn({ username: 'rosa', password: 'Passw0rd1' });
    const before = await auth.getAccessToken();
    const events = [];
    auth.onAuthChange((e) => events.push(e.event));

    const recorder = recordFetches();
    let together;
    const oneByOne = [];
    try {
      together = await Promise.all(Array.from({ length: 50 }, (_, i) => auth.fetch(`${api.origin}/a/${i}`)));
      for (let i = 0; i < 50; i += 1) oneByOne.push(await auth.fetch(`${api.origin}/b/${i}`));
    } finally {
      recorder.restore();
    }
    assert.ok([...together, ...oneByOne].every((r) => r.status === 401), 'each gets the 401');
    const refreshes = recorder.requests.filter((r) => r.target === REFRESH);
    assert.equal(refreshes.length, 1, JSON.stringify(recorder.requests.filter((r) => r.target)));
    assert.deepEqual(events, ['tokenRefresh']);
    const after = await auth.getAccessToken();
    assert.notEqual(after, before);
    // Together: each went out with the old token and was retried once with the new one. One by one: the new
    // token was refused already, so no retry.
    const a = api.seen.requests.filter((r) => r.url.startsWith('/a/'));
    const b = api.seen.requests.filter((r) => r.url.startsWith('/b/'));
    assert.equal(a.length, 100);
    assert.equal(a.filter((r) => r.auth === `Bearer ${before}`).length, 50);
    assert.equal(a.filter((r) => r.auth === `Bearer ${after}`).length, 50);
    assert.equal(b.length, 50);
    assert.ok(b.every((r) => r.auth === `Bearer ${after}`));
    auth.free();
  } finally {
    await api.close();
  }
});
