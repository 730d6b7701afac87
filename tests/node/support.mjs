// Helpers for the Node tests of the npm package (not a test file: node --test picks *.test.mjs only).
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SKIP_NO_EMULATOR = 'COGNITO_EMULATOR_INFO not set (run through npm test)';

// Skips a test that lacks the emulator, or under CI=true fails it (see tests/support/ci.mjs).
export { skipUnlessCI } from '../support/ci.mjs';

/** The emulator's info file ({ endpoint, userPoolId, clientId, seedUsers }), or null without one. */
export function emulatorInfo() {
  const path = process.env.COGNITO_EMULATOR_INFO;
  if (!path) return null;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * A fresh pool (isolation) with confirmed seed users [{ username, password, email? }] and the emulator's pool
 * options (`mfa`, `mfaFactors`, `deviceConfiguration`, ...: tests/emulator/README.md).
 */
export async function freshPool(info, seedUsers = [], options = {}) {
  const response = await fetch(`${info.endpoint}/_emulator/pool`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...options, seedUsers }),
  });
  if (!response.ok) throw new Error(`/_emulator/pool answered ${response.status}: ${await response.text()}`);
  const pool = await response.json();
  return { ...pool, endpoint: info.endpoint };
}

/** A synchronous store over a Map (`map` shows what the client wrote), for `storage`. */
export function memoryStore() {
  const map = new Map();
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { map.set(k, String(v)); },
    removeItem: (k) => { map.delete(k); },
  };
}

/** Calls a Cognito operation on the emulator directly; resolves to { status, body }. */
export async function cognitoCall(endpoint, operation, body) {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

export function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

/** Flips one character in the middle of the token's payload segment. */
export function tamperPayload(token) {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(payload.length / 2);
  const flipped = payload[i] === 'A' ? 'B' : 'A';
  return [header, payload.slice(0, i) + flipped + payload.slice(i + 1), signature].join('.');
}

/** A local RS256 signer and its JWKS, to test verifyToken without any server. */
export function localSigner(kid = 'node-test-kid') {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks = { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
  const signToken = (claims, header = {}) => {
    const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...header }));
    const body = base64url(JSON.stringify(claims));
    const input = `${head}.${body}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };
  return { jwks, signToken };
}

/** Asserts that `promiseOrFn` rejects/throws an Error with `name` and `code`; returns the error. */
export async function rejectsWith(assert, promiseOrFn, name, code) {
  let error;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${name}/${code}, but nothing was thrown`);
  assert.ok(error instanceof Error, `not an Error: ${error}`);
  assert.equal(error.name, name, `name of ${error.message}`);
  if (Array.isArray(code)) {
    assert.ok(code.includes(error.code), `code ${error.code} not in ${code}: ${error.message}`);
  } else {
    assert.equal(error.code, code, error.message);
  }
  assert.equal(typeof error.message, 'string');
  return error;
}

/** Wraps globalThis.fetch to record every request the package makes; call restore() when done. */
export function recordFetches() {
  const original = globalThis.fetch;
  const requests = [];
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const target = input?.headers?.get?.('x-amz-target') ?? init?.headers?.['x-amz-target'] ?? null;
    requests.push({ url, target });
    return original(input, init);
  };
  return { requests, restore: () => { globalThis.fetch = original; } };
}

/**
 * Wraps globalThis.fetch to keep the codes the emulator "sends" (the `x-emulator-confirmation-code` header of
 * its replies: sign-in email/SMS codes, attribute verification codes). `latest()` is the last one; call
 * restore() when done.
 */
export function captureCodes() {
  const original = globalThis.fetch;
  const codes = [];
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const code = response.headers.get('x-emulator-confirmation-code');
    if (code) codes.push(code);
    return response;
  };
  return {
    codes,
    latest: () => codes.at(-1),
    restore: () => { globalThis.fetch = original; },
  };
}
