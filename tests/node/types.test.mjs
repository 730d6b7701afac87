// The hand-written declarations (js/index.d.ts) against what the package really returns and how the README uses it,
// compiled by the TypeScript compiler (`tsc --strict --noEmit`, lib ES2022 + DOM):
//
// - target/ts-samples/samples.ts, written by `cargo test` (tests/ts_samples.rs): the JSON of every result shape the
//   Rust side produces (every optional field present, minimal, every step), each typed by the declared return type
//   of the method that resolves to it. A key the declarations do not name, a missing required key or a step name
//   outside the declared union fails the compile. Without that file the test skips (fails under CI=true).
// - the README's JavaScript examples (its ```js blocks that use the package), as they stand, plus the calls its API
//   table shows with their optional inputs left out (`signOut()`, `getAccessToken()`, ...).
//
// Each compile also takes a canary file with one mistake of each kind, whose errors must all be reported: proof that
// the options in use do catch drift. (`useUnknownInCatchVariables` is off because the README's JavaScript reads
// `err.code` in a `catch`, as JavaScript may; nothing else relaxes `--strict`.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { api } from '../../js/auth.js';
import { skipUnlessCI } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'target', 'ts-samples');
const SAMPLES = join(OUT, 'samples.ts');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const NO_TSC = 'node_modules/typescript is missing (run scripts/bootstrap.sh or npm ci)';
const NO_SAMPLES = 'target/ts-samples/samples.ts is missing (cargo test --test ts_samples writes it)';

// The methods of CognitoAuth that do not go through the wasm's Core.call (so have no Rust result to sample).
const NOT_CORE_CALLS = new Set(['constructor', 'fetch', 'onAuthChange', 'free']);

// One mistake of each kind the check is for; each line must give its error.
const CANARY = `import type { CognitoAuth } from "../../js/index.js";
export const excess: Awaited<ReturnType<CognitoAuth["signIn"]>> = { isSignedIn: true, nextStep: { signInStep: "DONE", notDeclared: 1 } };
export const missing: Awaited<ReturnType<CognitoAuth["currentUser"]>> = { username: "a", userId: "u", groups: [], claims: {} };
export const unknownStep: Awaited<ReturnType<CognitoAuth["signIn"]>> = { isSignedIn: false, nextStep: { signInStep: "NOT_A_STEP" } };
export const wrongType: Awaited<ReturnType<CognitoAuth["signUp"]>> = { isSignUpComplete: "yes", nextStep: { signUpStep: "DONE" } };
`;
const CANARY_ERRORS = [
  [2, 'TS2353'], // Object literal may only specify known properties
  [3, 'TS2741'], // Property 'expiresAt' is missing
  [4, 'TS2322'], // not assignable to type 'SignInStep'
  [5, 'TS2322'], // string not assignable to boolean
];

/** Runs tsc on `files` (paths under OUT); returns its diagnostics as [{ file, line, code, text }]. */
function compile(files) {
  const result = spawnSync(process.execPath, [
    TSC, '--strict', '--noEmit', '--pretty', 'false',
    '--lib', 'es2022,dom', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--useUnknownInCatchVariables', 'false',
    ...files,
  ], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, `tsc did not run: ${result.error}`);
  const output = `${result.stdout}${result.stderr}`;
  const diagnostics = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) diagnostics.push({ file: m[1], line: Number(m[2]), code: m[3], text: m[4] });
    else if (line.trim()) diagnostics.push({ file: null, line: 0, code: 'output', text: line });
  }
  if (result.status !== 0) assert.ok(diagnostics.length > 0, `tsc exited ${result.status} with no diagnostics`);
  return diagnostics;
}

/** Asserts the canary's errors are all there and that nothing else failed. */
function assertOnlyCanaryErrors(diagnostics, canary) {
  const canaryName = relative(ROOT, canary);
  const others = diagnostics.filter((d) => d.file !== canaryName);
  assert.deepEqual(others.map((d) => `${d.file}(${d.line}): ${d.code} ${d.text}`), [],
    'the declarations must accept every sample');
  const got = diagnostics.filter((d) => d.file === canaryName).map((d) => [d.line, d.code]);
  assert.deepEqual(got, CANARY_ERRORS, 'tsc must reject each mistake of the canary (else the check proves nothing)');
}

function writeCanary() {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, 'canary.ts');
  writeFileSync(path, CANARY);
  return path;
}

/**
 * The README's ```js blocks that use the package, each in its own async function (they use top-level `await` and
 * repeat names), their imports merged at the top; the names they leave free are declared.
 */
function readmeAsTypeScript() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1])
    .filter((code) => /from 'cognito-wasm'|\bauth\./.test(code));
  const imported = new Set(['CognitoAuth']);
  const bodies = blocks.map((code, i) => {
    const body = code.split('\n').filter((line) => {
      const m = /^import \{([^}]*)\} from '([^']+)';$/.exec(line.trim());
      if (!m) return true;
      assert.equal(m[2], 'cognito-wasm', `README imports from ${m[2]}`);
      for (const name of m[1].split(',')) imported.add(name.trim());
      return false;
    });
    return `async function readmeExample${i + 1}() {\n${body.map((l) => `  ${l}`.trimEnd()).join('\n')}\n}`;
  });
  const text = [
    '// Written by tests/node/types.test.mjs from README.md\'s examples. Do not edit.',
    `import { ${[...imported].sort().join(', ')} } from 'cognito-wasm';`,
    '',
    '// What the examples take as given.',
    'declare const auth: CognitoAuth;',
    'declare const token: string, userPoolId: string, clientId: string, username: string, password: string;',
    'declare function showWrongPassword(): void;',
    '',
    ...bodies,
    '',
    '// The calls the API table shows, with their optional inputs left out and given.',
    'async function apiTableCalls() {',
    '  await auth.signOut();',
    '  await auth.signOut({ global: true });',
    '  const access: string = await auth.getAccessToken();',
    '  const fresh: string = await auth.getAccessToken({ forceRefresh: true });',
    '  const id: string = await auth.getIdToken();',
    "  const res: Response = await auth.fetch('/api/orders');",
    "  const posted: Response = await auth.fetch(new URL('https://api.example.com/orders'), { method: 'POST', body: '{}' });",
    '  const user = await auth.currentUser();',
    '  const expiresInMs: number | undefined = user ? user.expiresAt - Date.now() : undefined;',
    "  const unsubscribe: () => void = auth.onAuthChange(({ event }) => { if (event === 'signedOut') unsubscribe(); });",
    '  auth.free();',
    '  return [access, fresh, id, res, posted, expiresInMs];',
    '}',
    '',
    'export { apiTableCalls, ' + bodies.map((_, i) => `readmeExample${i + 1}`).join(', ') + ' };',
    '',
  ].join('\n');
  return { text, blocks };
}

test('the README\'s examples type-check against js/index.d.ts (tsc --strict)', (t) => {
  if (!existsSync(TSC)) return skipUnlessCI(t, NO_TSC);
  const { text, blocks } = readmeAsTypeScript();
  assert.ok(blocks.length >= 3, `README examples found: ${blocks.length}`);
  assert.ok(text.includes("auth.fetch('/api/orders')"), 'the quick example is among them');
  const path = join(OUT, 'readme.ts');
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path, text);
  const canary = writeCanary();
  assertOnlyCanaryErrors(compile([path, canary]), canary);
});

test('every result the Rust side produces type-checks against js/index.d.ts (tsc --strict)', (t) => {
  if (!existsSync(SAMPLES)) return skipUnlessCI(t, NO_SAMPLES);
  if (!existsSync(TSC)) return skipUnlessCI(t, NO_TSC);
  const samples = readFileSync(SAMPLES, 'utf8');

  // Every CognitoAuth method that resolves to a Rust result has samples.
  const { CognitoAuth } = api({});
  const sampled = new Set([...samples.matchAll(/CognitoAuth\["(\w+)"\]/g)].map((m) => m[1]));
  const methods = Object.getOwnPropertyNames(CognitoAuth.prototype).filter((m) => !NOT_CORE_CALLS.has(m));
  assert.deepEqual(methods.filter((m) => !sampled.has(m)), [], 'CognitoAuth methods without samples');
  assert.match(samples, /typeof verifyToken/, 'verifyToken has samples');

  const canary = writeCanary();
  assertOnlyCanaryErrors(compile([SAMPLES, canary]), canary);
});
