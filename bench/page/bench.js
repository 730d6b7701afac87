// The in-page half of the benchmarks: bundled by run.mjs (esbuild, platform browser) and driven through
// `window.bench.*` by Playwright. Every peer runs in this one page; cognito-wasm is loaded with a dynamic import of
// the package files served under /cw/ (the repository root), so its instantiation can be timed on its own.
import {
  AuthenticationDetails as IdentityAuthenticationDetails,
  AuthenticationHelper as IdentityAuthenticationHelper,
  CognitoUser as IdentityCognitoUser,
  CognitoUserPool as IdentityCognitoUserPool,
} from 'amazon-cognito-identity-js';
import IdentityBigInteger from 'amazon-cognito-identity-js/es/BigInteger.js';
import { Sha256 as IdentitySha256 } from '@aws-crypto/sha256-js';
import { Buffer } from 'buffer';
// Amplify v6 keeps its SRP code in @aws-amplify/auth internals that its "exports" map does not expose, so they are
// imported by file path (the same files Amplify's signIn runs).
import AmplifyAuthenticationHelper from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/AuthenticationHelper/AuthenticationHelper.mjs';
import AmplifyBigInteger from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/BigInteger/BigInteger.mjs';
import { calculateA as amplifyCalculateA } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/calculate/calculateA.mjs';
import { INIT_N as AMPLIFY_INIT_N } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/constants.mjs';
import { getSignatureString as amplifyGetSignatureString } from '../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/getSignatureString.mjs';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { Amplify } from 'aws-amplify';
import { signIn as amplifySignIn, getCurrentUser as amplifyGetCurrentUser } from 'aws-amplify/auth';

const now = () => performance.now();

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(samples) {
  return {
    medianMs: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    runs: samples.length,
    samplesMs: samples.map((s) => Number(s.toFixed(4))),
  };
}

// Times `once` `runs` times after `warmup` untimed calls. With `batch` > 1 each sample is the mean of that many
// back-to-back calls, so that sub-millisecond operations are not lost in the timer's resolution.
async function measure(once, { warmup = 3, runs = 21, batch = 1 } = {}) {
  let last;
  for (let i = 0; i < warmup; i++) last = await once(i);
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const start = now();
    for (let b = 0; b < batch; b++) last = await once(r * batch + b);
    samples.push((now() - start) / batch);
  }
  return { ...summary(samples), batch, last };
}

// ---------------------------------------------------------------- SRP: one PASSWORD_VERIFIER answer from a fixed a

// amazon-cognito-identity-js draws `a` in its constructor; this subclass hands it the vector's `a` instead, so one
// `new` + getLargeAValue + getPasswordAuthenticationKey + the HMAC is exactly what CognitoUser.authenticateUser does.
let identityFixedA = null;
class IdentityFixedHelper extends IdentityAuthenticationHelper {
  generateRandomSmallA() {
    return identityFixedA;
  }
}

function identitySrpOnce(v) {
  const helper = new IdentityFixedHelper(v.poolName);
  let signature;
  helper.getLargeAValue((errA, largeA) => {
    if (errA) throw errA;
    if (largeA.toString(16) !== v.expectA) throw new Error('amazon-cognito-identity-js: A differs from the vector');
    const serverB = new IdentityBigInteger(v.B_hex, 16);
    const salt = new IdentityBigInteger(v.salt_hex, 16);
    helper.getPasswordAuthenticationKey(v.username, v.password, serverB, salt, (err, hkdf) => {
      if (err) throw err;
      // As CognitoUser.authenticateUser does it.
      const message = Buffer.concat([
        Buffer.from(v.poolName, 'utf8'),
        Buffer.from(v.username, 'utf8'),
        Buffer.from(v.secretBlock_b64, 'base64'),
        Buffer.from(v.timestamp, 'utf8'),
      ]);
      const mac = new IdentitySha256(hkdf);
      mac.update(message);
      signature = Buffer.from(mac.digestSync()).toString('base64');
    });
  });
  return signature;
}

async function amplifySrpOnce(v) {
  // As getAuthenticationHelper + handlePasswordVerifierChallenge do it, with the vector's `a`.
  const N = new AmplifyBigInteger(AMPLIFY_INIT_N, 16);
  const g = new AmplifyBigInteger('2', 16);
  const a = new AmplifyBigInteger(v.a_hex, 16);
  const A = await amplifyCalculateA({ a, g, N });
  const helper = new AmplifyAuthenticationHelper({ userPoolName: v.poolName, a, g, A, N });
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: v.username,
    password: v.password,
    serverBValue: new AmplifyBigInteger(v.B_hex, 16),
    salt: new AmplifyBigInteger(v.salt_hex, 16),
  });
  return amplifyGetSignatureString({
    userPoolName: v.poolName,
    username: v.username,
    challengeParameters: { SECRET_BLOCK: v.secretBlock_b64 },
    dateNow: v.timestamp,
    hkdf,
  });
}

let benchModule = null;

async function loadBenchModule(url) {
  if (!benchModule) {
    const glue = await import(/* @vite-ignore */ url);
    await glue.default();
    benchModule = glue;
  }
  return benchModule;
}

// SRP runs round-robin, driven from run.mjs: srpPrepare sets a library up (and warms it up), then each srpSample
// times one sign-in's math, so load from elsewhere on the machine falls on every library alike.
const srpRunners = {};

async function srpPrepare(library, v, { warmup = 3, benchGlueUrl } = {}) {
  let once;
  if (library === 'amazon-cognito-identity-js') {
    identityFixedA = new IdentityBigInteger(v.a_hex, 16);
    once = () => identitySrpOnce(v);
  } else if (library === 'amplify') {
    once = () => amplifySrpOnce(v);
  } else if (library === 'cognito-wasm') {
    const glue = await loadBenchModule(benchGlueUrl);
    if (typeof glue.srpBench !== 'function') throw new Error('the bench package has no srpBench export');
    once = () =>
      glue.srpBench(v.poolId, v.username, v.password, v.a_hex, v.B_hex, v.salt_hex, v.secretBlock_b64, v.timestamp);
  } else {
    throw new Error(`unknown library ${library}`);
  }
  const check = (signature) => {
    if (signature !== v.expectSignature) {
      throw new Error(`${library}: signature ${signature} differs from the vector's ${v.expectSignature}`);
    }
  };
  for (let i = 0; i < warmup; i++) check(await once());
  srpRunners[library] = { once, check };
  return { warmup };
}

async function srpSample(library) {
  const { once, check } = srpRunners[library];
  const start = now();
  const signature = await once();
  const ms = now() - start;
  check(signature);
  return ms;
}

// In a fresh page: the glue module's import, the .wasm download, then init() from the bytes already in memory
// (compile + instantiate + the glue's start-up), each timed on its own.
async function instantiationBreakdown(glueUrl, wasmUrl) {
  const t0 = now();
  const glue = await import(/* @vite-ignore */ glueUrl);
  const t1 = now();
  const bytes = await (await fetch(wasmUrl)).arrayBuffer();
  const t2 = now();
  await glue.default({ module_or_path: bytes });
  const t3 = now();
  return { importGlueMs: t1 - t0, fetchWasmMs: t2 - t1, initFromBytesMs: t3 - t2, wasmBytes: bytes.byteLength };
}

// The request floor of `import('cognito-wasm')` on this machine: the same three sequential loads in a fresh page (a
// module that imports a module that fetches a file), every one of them empty.
async function requestFloor(entryUrl) {
  const t0 = now();
  const entry = await import(/* @vite-ignore */ entryUrl);
  await entry.load();
  return now() - t0;
}

// The floor of the above on this machine: instantiating an empty module in a fresh page.
async function emptyWasmInstantiation() {
  const t0 = now();
  await WebAssembly.instantiate(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  return now() - t0;
}

// ---------------------------------------------------------------- token verification

// Warm means steady state: enough calls first for the engine to have optimised the hot code (V8 tiers wasm up from
// its baseline compiler by use; a few dozen calls still measure part of the baseline code).
const VERIFY_WARMUP = 500;

let cognitoWasm = null;

async function importCognitoWasm(url) {
  const start = now();
  cognitoWasm = await import(/* @vite-ignore */ url);
  return now() - start;
}

async function verifyOurs({ tokens, jwksList, userPoolId, clientId, nowSeconds, runs, batch, entryUrl }) {
  if (!cognitoWasm) await importCognitoWasm(entryUrl);
  const { verifyToken } = cognitoWasm;
  const options = (jwks) => ({ userPoolId, clientId, tokenUse: 'access', jwks, now: nowSeconds });
  // Cold: the first call ever, then one fresh key (never seen before) per sample.
  const firstStart = now();
  const firstClaims = await verifyToken(tokens[0], options(jwksList[0]));
  const firstMs = now() - firstStart;
  if (firstClaims.sub !== 'bench-user-sub') throw new Error('cognito-wasm: unexpected claims');
  const coldSamples = [];
  for (let i = 1; i < tokens.length; i++) {
    const jwks = JSON.parse(JSON.stringify(jwksList[i]));
    const start = now();
    await verifyToken(tokens[i], options(jwks));
    coldSamples.push(now() - start);
  }
  const warm = await measure(() => verifyToken(tokens[0], options(jwksList[0])), { warmup: VERIFY_WARMUP, runs, batch });
  delete warm.last;
  return { firstCallMs: firstMs, cold: summary(coldSamples), warm };
}

async function verifyAwsJwtVerify({ tokens, jwksList, userPoolId, clientId, runs, batch }) {
  const create = (jwks) => {
    const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
    verifier.cacheJwks(jwks);
    return verifier;
  };
  const firstStart = now();
  const firstVerifier = create(jwksList[0]);
  const firstClaims = await firstVerifier.verify(tokens[0]);
  const firstMs = now() - firstStart;
  if (firstClaims.sub !== 'bench-user-sub') throw new Error('aws-jwt-verify: unexpected claims');
  const coldSamples = [];
  for (let i = 1; i < tokens.length; i++) {
    const jwks = JSON.parse(JSON.stringify(jwksList[i]));
    const start = now();
    await create(jwks).verify(tokens[i]);
    coldSamples.push(now() - start);
  }
  const warm = await measure(() => firstVerifier.verify(tokens[0]), { warmup: VERIFY_WARMUP, runs, batch });
  delete warm.last;
  return { firstCallMs: firstMs, cold: summary(coldSamples), warm };
}

// ---------------------------------------------------------------- signed-in session: currentUser()

// Two phases, so that Playwright can count the requests of the warm phase alone.
let currentUserClient = null;

async function currentUserOursSetup({ entryUrl, userPoolId, clientId, endpoint, username, password }) {
  if (!cognitoWasm) await importCognitoWasm(entryUrl);
  const { CognitoAuth } = cognitoWasm;
  const config = { userPoolId, clientId, endpoint, storage: 'local' };
  const signingIn = new CognitoAuth(config);
  const out = await signingIn.signIn({ username, password });
  if (!out.isSignedIn) throw new Error(`cognito-wasm: sign-in stopped at ${out.nextStep?.signInStep}`);
  signingIn.free?.();
  // A fresh client over the stored session, as after a page load; its first call fetches the JWKS.
  const auth = new CognitoAuth(config);
  const firstStart = now();
  const first = await auth.currentUser();
  const firstCallMs = now() - firstStart;
  if (!first || first.username !== username) throw new Error('cognito-wasm: currentUser() did not return the user');
  currentUserClient = () => auth.currentUser();
  return { firstCallMs, storageKeys: Object.keys(localStorage) };
}

async function currentUserAmplifySetup({ userPoolId, clientId, endpoint, username, password }) {
  Amplify.configure({
    Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } },
  });
  const out = await amplifySignIn({ username, password });
  if (!out.isSignedIn) throw new Error(`amplify: sign-in stopped at ${out.nextStep?.signInStep}`);
  const firstStart = now();
  const first = await amplifyGetCurrentUser();
  const firstCallMs = now() - firstStart;
  if (!first?.username) throw new Error('amplify: getCurrentUser() returned no user');
  currentUserClient = () => amplifyGetCurrentUser();
  return { firstCallMs, storageKeys: Object.keys(localStorage) };
}

async function currentUserIdentitySetup({ userPoolId, clientId, endpoint, username, password }) {
  const pool = new IdentityCognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint: `${endpoint}/` });
  await new Promise((resolve, reject) =>
    new IdentityCognitoUser({ Username: username, Pool: pool }).authenticateUser(
      new IdentityAuthenticationDetails({ Username: username, Password: password }),
      { onSuccess: resolve, onFailure: reject },
    ),
  );
  // Its way to the current user: the user from storage, then its session (read from storage, checked for expiry).
  const current = () =>
    new Promise((resolve, reject) => {
      const user = pool.getCurrentUser();
      if (!user) return reject(new Error('amazon-cognito-identity-js: no current user'));
      user.getSession((err, session) =>
        err ? reject(err) : resolve({ username: user.getUsername(), valid: session.isValid() }),
      );
    });
  const firstStart = now();
  const first = await current();
  const firstCallMs = now() - firstStart;
  if (!first.valid) throw new Error('amazon-cognito-identity-js: the session is not valid');
  currentUserClient = current;
  return { firstCallMs, storageKeys: Object.keys(localStorage) };
}

async function currentUserWarm({ runs, batch }) {
  const warm = await measure(currentUserClient, { warmup: 5, runs, batch });
  const user = warm.last;
  delete warm.last;
  if (!user?.username) throw new Error('the warm phase lost the user');
  return warm;
}

window.bench = {
  ready: true,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  srpPrepare,
  srpSample,
  summary,
  importCognitoWasm,
  instantiationBreakdown,
  requestFloor,
  emptyWasmInstantiation,
  verifyOurs,
  verifyAwsJwtVerify,
  currentUserOursSetup,
  currentUserAmplifySetup,
  currentUserIdentitySetup,
  currentUserWarm,
};
