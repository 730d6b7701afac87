// The demo API (www/server/api.mjs) over HTTP, with real tokens from the Cognito emulator obtained through the
// package itself in Node.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { env, missingServers } from './support.mjs';

const get = (path, headers = {}) => fetch(`${env.apiUrl}${path}`, { headers });
const bearer = (token) => ({ Authorization: `Bearer ${token}` });

/** Signs in with the package in Node (memory storage) and returns its tokens. */
async function tokensOf(username, password) {
  const { CognitoAuth } = await import('cognito-wasm');
  const auth = new CognitoAuth({
    userPoolId: env.userPoolId,
    clientId: env.clientId,
    endpoint: env.endpoint,
    storage: 'memory',
  });
  try {
    const output = await auth.signIn({ username, password });
    assert.equal(output.nextStep.signInStep, 'DONE', `sign-in of ${username} did not finish`);
    return { access: await auth.getAccessToken(), id: await auth.getIdToken() };
  } finally {
    auth.free();
  }
}

/** The same token with one character of its signature changed (not the last: its low bits may be padding). */
function forge(token) {
  const [header, payload, signature] = token.split('.');
  const at = Math.floor(signature.length / 2);
  const swapped = signature[at] === 'A' ? 'B' : 'A';
  return [header, payload, signature.slice(0, at) + swapped + signature.slice(at + 1)].join('.');
}

const skip = missingServers();

describe('demo API', { skip }, () => {
  let user;
  let admin;

  before(async () => {
    user = await tokensOf(env.user, env.userPassword);
    admin = await tokensOf(env.admin, env.adminPassword);
  });

  test('GET /api/public answers anyone', async () => {
    const response = await get('/api/public');
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.ok(body.items.length > 0);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  test('GET /api/feed without a token has only public items', async () => {
    const body = await (await get('/api/feed')).json();
    assert.equal(body.personalised, false);
    assert.ok(body.items.length > 0);
    assert.ok(body.items.every((item) => !item.personal));
  });

  test('GET /api/protected without a token is 401 with a Bearer challenge', async () => {
    const response = await get('/api/protected');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="/);
    assert.equal((await response.json()).error, 'unauthorized');
  });

  test('GET /api/admin without a token is 401, not 403', async () => {
    const response = await get('/api/admin');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  test('a malformed Authorization header is 400', async () => {
    const response = await get('/api/protected', { Authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, 'invalid_request');
  });

  test('a token with a forged signature is 401 invalid_token', async () => {
    const response = await get('/api/protected', bearer(forge(user.access)));
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const body = await response.json();
    assert.equal(body.error, 'invalid_token');
    assert.equal(body.code, 'JwtInvalidSignature');
  });

  test('garbage in place of a token is 401 invalid_token', async () => {
    const response = await get('/api/protected', bearer('not.a.jwt'));
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, 'invalid_token');
  });

  test('an ID token is refused where an access token is required', async () => {
    const response = await get('/api/protected', bearer(user.id));
    assert.equal(response.status, 401);
    assert.equal((await response.json()).error, 'invalid_token');
  });

  test('a normal user: protected 200, personalised feed, admin 403', async () => {
    const protectedResponse = await get('/api/protected', bearer(user.access));
    assert.equal(protectedResponse.status, 200);
    const body = await protectedResponse.json();
    assert.equal(body.username, env.user);
    assert.deepEqual(body.groups, []);

    const feed = await (await get('/api/feed', bearer(user.access))).json();
    assert.equal(feed.personalised, true);
    assert.ok(feed.items.some((item) => item.personal && item.title.includes(env.user)));

    const adminResponse = await get('/api/admin', bearer(user.access));
    assert.equal(adminResponse.status, 403);
    assert.equal((await adminResponse.json()).error, 'forbidden');
  });

  test('a member of the admin group: admin 200', async () => {
    const response = await get('/api/admin', bearer(admin.access));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.username, env.admin);
    assert.ok(body.groups.includes('admin'));
  });

  test('CORS: the app origin may call with a token; other origins get no grant', async () => {
    const appOrigin = new URL(env.appUrl).origin;
    const preflight = await fetch(`${env.apiUrl}/api/protected`, {
      method: 'OPTIONS',
      headers: { Origin: appOrigin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), appOrigin);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/i);

    const allowed = await get('/api/public', { Origin: appOrigin });
    assert.equal(allowed.headers.get('access-control-allow-origin'), appOrigin);
    const foreign = await get('/api/public', { Origin: 'https://evil.example' });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  test('unknown routes are 404 and other methods 405', async () => {
    assert.equal((await get('/api/nope')).status, 404);
    const post = await fetch(`${env.apiUrl}/api/public`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });
});
