// The npm package in Node without a server: entry-point resolution, verifyToken against a locally signed
// JWKS, configuration errors and custom storage; and the tarball `npm pack` makes, installed into an empty project.
// Run after `npm run build` (scripts/test.sh does both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A self-reference by the package's own name: resolved through package.json "exports".
import { CognitoAuth, verifyToken } from 'cognito-wasm';
import * as entry from 'cognito-wasm';
import { localSigner, rejectsWith, tamperPayload } from './support.mjs';

const POOL = 'us-east-1_NodeTestPool';
const CLIENT = 'nodeclient123';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;

test('the package name resolves to the "node" export condition (js/node.js)', () => {
  const resolved = fileURLToPath(import.meta.resolve('cognito-wasm'));
  assert.match(resolved, /[/\\]js[/\\]node\.js$/);
  assert.deepEqual(Object.keys(entry).sort(), ['CognitoAuth', 'CognitoWasmError', 'verifyToken']);
  assert.equal(typeof CognitoAuth, 'function');
  assert.equal(typeof verifyToken, 'function');
});

test('cognito-wasm/react resolves through "exports" to js/react.js (react itself is an optional peer)', () => {
  const resolved = fileURLToPath(import.meta.resolve('cognito-wasm/react'));
  assert.match(resolved, /[/\\]js[/\\]react\.js$/);
});

// ----- verifyToken with a local key (no request is made when `jwks` is given) -----

const signer = localSigner();
const now = Math.floor(Date.now() / 1000);
const accessClaims = {
  iss: ISSUER, sub: 'user-sub-1', client_id: CLIENT, token_use: 'access', scope: 'aws.cognito.signin.user.admin',
  iat: now, auth_time: now, exp: now + 3600, jti: 'j1', username: 'alice', 'cognito:groups': ['admin'],
};
const idClaims = {
  iss: ISSUER, sub: 'user-sub-1', aud: CLIENT, token_use: 'id', iat: now, auth_time: now, exp: now + 3600,
  'cognito:username': 'alice', email: 'alice@example.com', email_verified: true,
};
const base = { userPoolId: POOL, clientId: CLIENT, jwks: signer.jwks };

test('verifyToken accepts good access and id tokens and returns their claims', async () => {
  const claims = await verifyToken(signer.signToken(accessClaims), { ...base, tokenUse: 'access' });
  assert.equal(claims.username, 'alice');
  assert.equal(claims.exp, accessClaims.exp);
  assert.deepEqual(claims['cognito:groups'], ['admin']);
  const id = await verifyToken(signer.signToken(idClaims), { ...base, tokenUse: 'id', groups: [] });
  assert.equal(id.email, 'alice@example.com');
  assert.equal(id.email_verified, true);
  await verifyToken(signer.signToken(accessClaims), { ...base, tokenUse: 'access', groups: ['admin'] });
});

test('verifyToken rejects tampered, expired, misdirected and foreign tokens with typed errors', async () => {
  const token = signer.signToken(accessClaims);
  const access = { ...base, tokenUse: 'access' };
  await rejectsWith(assert, verifyToken(tamperPayload(token), access), 'TokenError',
    ['JwtInvalidSignature', 'JwtMalformed']);
  const [h, p] = token.split('.');
  await rejectsWith(assert, verifyToken(`${h}.${p}.${'A'.repeat(342)}`, access), 'TokenError', 'JwtInvalidSignature');
  await rejectsWith(assert, verifyToken(token, { ...access, now: now + 7200 }), 'TokenError', 'JwtExpired');
  await rejectsWith(assert, verifyToken(token, { ...base, tokenUse: 'id' }), 'TokenError', 'JwtInvalidTokenUse');
  await rejectsWith(assert, verifyToken(token, { ...access, clientId: 'someoneelse1' }), 'TokenError',
    'JwtInvalidClientId');
  await rejectsWith(assert, verifyToken(signer.signToken(idClaims), { ...base, clientId: 'someoneelse1', tokenUse: 'id' }),
    'TokenError', 'JwtInvalidAudience');
  await rejectsWith(assert, verifyToken(token, { ...access, userPoolId: 'us-east-1_Other' }), 'TokenError',
    'JwtInvalidIssuer');
  await rejectsWith(assert, verifyToken(token, { ...access, groups: ['root'] }), 'TokenError', 'JwtMissingGroup');
  await rejectsWith(assert, verifyToken(token, { ...access, scopes: ['openid'] }), 'TokenError', 'JwtMissingScope');
  // Signed by another key under the same kid: the signature does not match the published key.
  const impostor = localSigner('node-test-kid');
  await rejectsWith(assert, verifyToken(impostor.signToken(accessClaims), access), 'TokenError',
    'JwtInvalidSignature');
  await rejectsWith(assert, verifyToken(signer.signToken(accessClaims, { kid: 'unknown' }), access), 'TokenError',
    'KidNotFound');
  await rejectsWith(assert, verifyToken(signer.signToken(accessClaims, { alg: 'none' }), access), 'TokenError',
    'JwtInvalidAlgorithm');
  await rejectsWith(assert, verifyToken('not-a-jwt', access), 'TokenError', 'JwtMalformed');
  await rejectsWith(assert, verifyToken(signer.signToken({ ...accessClaims, iat: now + 3600, exp: now + 7200 }), access),
    'TokenError', 'JwtIssuedInFuture');
});

test('verifyToken keeps the last given jwks parsed, but never checks a token against a stale one', async () => {
  const access = { ...base, tokenUse: 'access' };
  const other = localSigner('node-test-kid');
  const token = signer.signToken(accessClaims);
  const otherToken = other.signToken(accessClaims);
  await verifyToken(token, access);
  await verifyToken(token, access);
  // Same kid, another key: each token verifies only against the set that holds its own key.
  await rejectsWith(assert, verifyToken(token, { ...access, jwks: other.jwks }), 'TokenError', 'JwtInvalidSignature');
  await verifyToken(otherToken, { ...access, jwks: other.jwks });
  await rejectsWith(assert, verifyToken(otherToken, access), 'TokenError', 'JwtInvalidSignature');
  // The same document as a new object, and then changed in place, is read afresh.
  await verifyToken(token, { ...access, jwks: structuredClone(signer.jwks) });
  const changed = structuredClone(signer.jwks);
  changed.keys[0].n = other.jwks.keys[0].n;
  await rejectsWith(assert, verifyToken(token, { ...access, jwks: changed }), 'TokenError', 'JwtInvalidSignature');
  await rejectsWith(assert, verifyToken(token, { ...access, jwks: { keys: 'nope' } }), 'TokenError', 'JwksInvalid');
  await verifyToken(token, access);
});

test('verifyToken takes the jwks as JSON text too, read as it is', async () => {
  const access = { ...base, tokenUse: 'access' };
  const token = signer.signToken(accessClaims);
  await verifyToken(token, { ...access, jwks: JSON.stringify(signer.jwks) });
  // A member named twice: JSON.parse would keep the last one silently; the text is read as sent, and refused.
  const keys = JSON.stringify(signer.jwks.keys);
  const twice = `{"keys":${keys},"keys":${keys}}`;
  await rejectsWith(assert, verifyToken(token, { ...access, jwks: twice }), 'TokenError', 'JwksInvalid');
  await rejectsWith(assert, verifyToken(token, { ...access, jwks: 'not json' }), 'TokenError', 'JwksInvalid');
});

test('verifyToken rejects bad options as UsageError', async () => {
  const token = signer.signToken(accessClaims);
  await rejectsWith(assert, verifyToken(token, { ...base, tokenUse: 'refresh' }), 'UsageError', 'InvalidArgument');
  await rejectsWith(assert, verifyToken(token, { ...base, tokenUse: 'access', userPoolId: 'nope' }), 'UsageError',
    'InvalidConfig');
});

// ----- CognitoAuth configuration -----

function assertInvalidConfig(options) {
  assert.throws(() => new CognitoAuth(options), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'UsageError');
    assert.equal(e.code, 'InvalidConfig', e.message);
    return true;
  }, JSON.stringify(options));
}

test('a bad userPoolId throws InvalidConfig synchronously', () => {
  for (const options of [
    { userPoolId: 'bad', clientId: CLIENT },
    { userPoolId: 'nowhere_AbC', clientId: CLIENT },
    { userPoolId: 'us-east-1_a/b', clientId: CLIENT },
    { userPoolId: POOL, clientId: 'has space' },
    { userPoolId: POOL, clientId: CLIENT, endpoint: 'ftp://example.com' },
    { userPoolId: POOL, clientId: CLIENT, authFlow: 'CUSTOM_AUTH' },
    { userPoolId: POOL, clientId: CLIENT, clockSkewSeconds: 9999 },
  ]) {
    assertInvalidConfig(options);
  }
});

// The constructor's contract (README, src/client/input.rs): every bad option is 'InvalidConfig', including the
// missing or wrongly typed ones that the shared option readers call InvalidArgument.
test('missing or wrongly typed constructor options throw InvalidConfig too', () => {
  for (const options of [
    undefined,
    {},
    { userPoolId: POOL },
    { userPoolId: POOL, clientId: '' },
    { userPoolId: 42, clientId: CLIENT },
    { userPoolId: POOL, clientId: CLIENT, clockSkewSeconds: 'x' },
  ]) {
    assertInvalidConfig(options);
  }
});

test('a bad storage option throws InvalidConfig', () => {
  for (const storage of ['bogus', 'localStorage', 42, true, { getItem() { return null; } },
    { getItem() { return null; }, setItem() {} }, { getItem: 1, setItem() {}, removeItem() {} }]) {
    assertInvalidConfig({ userPoolId: POOL, clientId: CLIENT, storage });
  }
});

test("'local' and 'session' storage need a window: InvalidConfig in Node", () => {
  for (const storage of ['local', 'session']) {
    assertInvalidConfig({ userPoolId: POOL, clientId: CLIENT, storage });
  }
});

test('without a storage option Node uses memory', async () => {
  const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT });
  assert.equal(await auth.currentUser(), null);
  auth.free();
});

test('a custom storage object is read through getItem', async () => {
  const reads = [];
  const storage = {
    getItem(key) { reads.push(key); return null; },
    setItem() { throw new Error('nothing should be written'); },
    removeItem() {},
  };
  const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage });
  assert.equal(await auth.currentUser(), null);
  assert.ok(reads.includes(`CognitoWasm.${CLIENT}.session`), `reads: ${reads}`);
  await rejectsWith(assert, auth.getAccessToken(), 'UsageError', 'NotSignedIn');
  auth.free();
});

test('a corrupted stored session reads as signed out and is removed', async () => {
  const map = new Map([[`CognitoWasm.${CLIENT}.session`, '{"v":1,"garbage":true}']]);
  const storage = {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, v),
    removeItem: (k) => map.delete(k),
  };
  const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage });
  assert.equal(await auth.currentUser(), null);
  assert.equal(map.has(`CognitoWasm.${CLIENT}.session`), false);
  auth.free();
});

// ----- transport failures, against local servers (no emulator needed) -----

async function withServer(handler, body) {
  const { createServer } = await import('node:http');
  const sockets = new Set();
  const server = createServer(handler);
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body(`http://127.0.0.1:${server.address().port}`);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
}

test('transport failures reject with NetworkError or ProtocolError, never hang or crash', async () => {
  const options = (endpoint, extra = {}) => ({ userPoolId: POOL, clientId: CLIENT, endpoint, storage: 'memory', ...extra });
  const signIn = (endpoint, extra) =>
    new CognitoAuth(options(endpoint, extra)).signIn({ username: 'alice', password: 'Passw0rd1' });

  // Nobody listening.
  const closed = await withServer((_, res) => res.end(), async (url) => url);
  await rejectsWith(assert, signIn(closed), 'NetworkError', 'NetworkError');
  await rejectsWith(assert, verifyToken(signer.signToken(accessClaims), { userPoolId: POOL, clientId: CLIENT,
    endpoint: closed, tokenUse: 'access' }), 'NetworkError', 'NetworkError');

  // A proxy's HTML error page, and moto's XML answer to a request it routed elsewhere.
  await withServer((_, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html>bad gateway</html>'); },
    async (url) => rejectsWith(assert, signIn(url), 'ProtocolError', 'ProtocolError'));
  await withServer((_, res) => { res.writeHead(200, { 'content-type': 'application/xml' }); res.end('<?xml version="1.0"?><x/>'); },
    async (url) => rejectsWith(assert, signIn(url), 'ProtocolError', 'ProtocolError'));
  // A Cognito error type in the header only.
  await withServer((_, res) => {
    res.writeHead(400, { 'x-amzn-errortype': 'TooManyRequestsException:http://internal' });
    res.end();
  }, async (url) => rejectsWith(assert, signIn(url), 'CognitoServiceError', 'TooManyRequestsException'));

  // A body with no Content-Length that never ends: reading stops at the size cap and the rest is cancelled, so
  // the server gets to write little more than what sits in the socket buffers (it would write 100 MB).
  let written = 0;
  let dropped = false;
  await withServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.on('close', () => { dropped = true; });
    const pump = () => {
      while (!dropped && written < 100 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }, async (url) => {
    await rejectsWith(assert, signIn(url), 'ProtocolError', 'ProtocolError');
    for (let i = 0; i < 50 && !dropped; i++) await new Promise((r) => setTimeout(r, 20));
  });
  assert.ok(dropped, 'the connection was dropped');
  assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes`);

  // A server that never answers: requestTimeoutMs bounds the wait.
  await withServer(() => {}, async (url) => {
    const started = Date.now();
    await rejectsWith(assert, signIn(url, { requestTimeoutMs: 300 }), 'NetworkError', 'NetworkError');
    const waited = Date.now() - started;
    assert.ok(waited >= 250 && waited < 5000, `waited ${waited} ms`);
  });
});

test('verifyToken options: issuer lists, clock skew bounds', async () => {
  const expiredAgo = (secs) => signer.signToken({ ...accessClaims, iat: now - 3600 - secs, exp: now - secs });
  const access = { ...base, tokenUse: 'access' };
  // The default skew is 60 s; a configured 120 s accepts a token that expired 100 s ago.
  await rejectsWith(assert, verifyToken(expiredAgo(100), access), 'TokenError', 'JwtExpired');
  await verifyToken(expiredAgo(100), { ...access, clockSkewSeconds: 120 });
  await rejectsWith(assert, verifyToken(expiredAgo(100), { ...access, clockSkewSeconds: 301 }), 'UsageError',
    'InvalidConfig');
  await rejectsWith(assert, verifyToken(expiredAgo(100), { ...access, clockSkewSeconds: -1 }), 'UsageError',
    'InvalidArgument');
  // Several accepted issuers (e.g. a custom domain's), compared exactly.
  const token = signer.signToken(accessClaims);
  await verifyToken(token, { ...access, issuer: ['https://auth.example.com/x', ISSUER] });
  await rejectsWith(assert, verifyToken(token, { ...access, issuer: `${ISSUER}/` }), 'TokenError', 'JwtInvalidIssuer');
});

// ----- the published tarball (`npm pack`) -----

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a command in `cwd`; resolves to its stdout, or rejects with its output. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** The sections of the README a user of the package reads, by their `## ` title. */
function readmeSections(readme, titles) {
  const sections = readme.split(/^(?=## )/m);
  return titles.map((title) => {
    const section = sections.find((s) => s.startsWith(`## ${title}\n`));
    assert.ok(section, `README section "${title}"`);
    return section;
  });
}

test('npm pack: a tarball with the entry points and the wasm, and a package.json without the repository\'s scripts and devDependencies', async (t) => {
  const repoManifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'cognito-wasm-pack-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT));
  // prepack/postpack put the repository's package.json back as it was.
  assert.equal(readFileSync(join(ROOT, 'package.json'), 'utf8'), repoManifest);
  assert.equal(existsSync(join(ROOT, '.package.repo.json')), false, 'postpack restored package.json');

  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files.filter((f) => !/^js\/[\w-]+\.(js|d\.ts)$/.test(f)), [
    'README.md', 'package.json', 'pkg/cognito_wasm.js', 'pkg/cognito_wasm_bg.wasm',
    'pkg/cognito_wasm_flows.js', 'pkg/cognito_wasm_flows_bg.wasm',
  ]);
  for (const f of ['js/index.js', 'js/index.d.ts', 'js/node.js', 'js/auth.js', 'js/react.js', 'js/react.d.ts']) {
    assert.ok(files.includes(f), `${f} is packed`);
  }

  const unpacked = join(dir, 'unpacked');
  mkdirSync(unpacked);
  run('tar', ['-xzf', join(dir, packed.filename), '-C', unpacked, '--strip-components=1'], dir);
  const published = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  const repo = JSON.parse(repoManifest);
  assert.ok(repo.scripts && repo.devDependencies, 'the repository manifest has scripts and devDependencies');
  assert.equal(published.scripts, undefined, 'no scripts in the published package.json');
  assert.equal(published.devDependencies, undefined, 'no devDependencies in the published package.json');
  const { scripts, devDependencies, ...rest } = repo;
  assert.deepEqual(published, rest, 'everything else is the repository manifest\'s');

  // Every file "exports" and "types" name is in the tarball, and every relative import of the shipped JavaScript
  // and declarations resolves inside it.
  const targets = [published.types, ...Object.values(published.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
  for (const target of targets) assert.ok(existsSync(join(unpacked, target)), `${target} is packed`);
  for (const file of files.filter((f) => /\.(js|ts)$/.test(f))) {
    const text = readFileSync(join(unpacked, file), 'utf8').split('\n')
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n'); // code, not comments
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      assert.ok(existsSync(join(unpacked, dirname(file), spec)), `${file} imports ${spec}, which is packed`);
    }
    for (const [, spec] of text.matchAll(/new URL\(\s*['"]([^'"]+)['"],\s*import\.meta\.url\)/g)) {
      assert.ok(existsSync(join(unpacked, dirname(file), spec)), `${file} loads ${spec}, which is packed`);
    }
  }

  // What the package's user reads does not send them to files only a clone of the repository has.
  const readme = readFileSync(join(unpacked, 'README.md'), 'utf8');
  for (const section of readmeSections(readme, ['Install', 'Using it in an app', 'API', 'Configuration', 'Errors'])) {
    const title = section.split('\n')[0];
    const repoPaths = section.match(/`(?:www|src|scripts|tests|bench|fuzz|examples)\/[^`]*`/g) ?? [];
    assert.deepEqual(repoPaths, [], `${title} names paths that are not in the package`);
  }

  // Installed by npm into an empty project, the tarball runs in Node: verifyToken against a local key set, and a
  // client (which reads the wasm from disk).
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, packed.filename)], app);
  writeFileSync(join(app, 'check.mjs'), `
    import { CognitoAuth, CognitoWasmError, verifyToken } from 'cognito-wasm';
    const [token, options] = JSON.parse(process.argv[2]);
    const claims = await verifyToken(token, options);
    const auth = new CognitoAuth({ userPoolId: options.userPoolId, clientId: options.clientId });
    const user = await auth.currentUser();
    const error = await auth.getAccessToken().catch((e) => e);
    console.log(JSON.stringify({ resolved: import.meta.resolve('cognito-wasm'), username: claims.username, user,
      error: error instanceof CognitoWasmError ? error.code : String(error) }));
  `);
  const token = signer.signToken(accessClaims);
  const out = JSON.parse(run(process.execPath, [join(app, 'check.mjs'), JSON.stringify([token, { ...base, tokenUse: 'access' }])], app));
  assert.match(out.resolved, /\/node_modules\/cognito-wasm\/js\/node\.js$/);
  assert.deepEqual({ ...out, resolved: undefined }, { resolved: undefined, username: 'alice', user: null, error: 'NotSignedIn' });
});
