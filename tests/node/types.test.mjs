// The hand-written declarations (js/index.d.ts) against what the package really returns and how apps use it,
// compiled by the TypeScript compiler (`tsc --strict`, `skipLibCheck: false`, so the declarations themselves are
// checked too) in two settings, as the package's users compile:
//
// - a browser app: lib ES2022 + DOM, `module: esnext`, `moduleResolution: bundler`, no @types/node;
// - a Node back end: lib ES2022 without DOM, `module`/`moduleResolution: nodenext`, @types/node.
//
// What is compiled, in both settings:
// - target/ts-samples/samples.ts, written by `cargo test` (tests/ts_samples.rs): the JSON of every result shape the
//   Rust side produces (every optional field present, minimal, every step), each typed by the declared return type
//   of the method that resolves to it. A key the declarations do not name, a missing required key or a step name
//   outside the declared union fails the compile. Without that file the test skips (fails under CI=true).
// - the README's JavaScript examples (its ```js blocks that use the package), as they stand, plus the calls its API
//   table shows with their optional inputs left out (`signOut()`, `getAccessToken()`, `auth.fetch(url)`, ...);
// - the README's React examples (```jsx, with `cognito-wasm/react` and @types/react), in the browser setting;
// - a small app of each kind (tests/node/ts-apps/): browser-app.ts in the browser setting, node-api.ts (a server
//   that checks Bearer tokens with verifyToken) in the Node one.
// 'cognito-wasm' resolves as in an app, through package.json "exports" (a self-reference: the "types" condition).
//
// Each compile also takes a canary with one mistake of each kind, whose errors must all be reported: proof that the
// settings do catch drift, that declaration files are checked, and that the Node setting really has no DOM.
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
const APPS = join(ROOT, 'tests', 'node', 'ts-apps');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPES_NODE = join(ROOT, 'node_modules', '@types', 'node', 'package.json');

const NO_TSC = 'node_modules/typescript is missing (run scripts/bootstrap.sh or npm ci)';
const NO_TYPES_NODE = 'node_modules/@types/node is missing (run scripts/bootstrap.sh or npm ci)';
const NO_SAMPLES = 'target/ts-samples/samples.ts is missing (cargo test --test ts_samples writes it)';

// The methods of CognitoAuth that do not go through the wasm's Core.call (so have no Rust result to sample).
const NOT_CORE_CALLS = new Set(['constructor', 'fetch', 'onAuthChange', 'free']);

// One mistake of each kind the check is for; each line must give its error.
const CANARY = `import type { CognitoAuth } from "cognito-wasm";
export const excess: Awaited<ReturnType<CognitoAuth["signIn"]>> = { isSignedIn: true, nextStep: { signInStep: "DONE", notDeclared: 1 } };
export const missing: Awaited<ReturnType<CognitoAuth["currentUser"]>> = { username: "a", userId: "u", groups: [], claims: {} };
export const unknownStep: Awaited<ReturnType<CognitoAuth["signIn"]>> = { isSignedIn: false, nextStep: { signInStep: "NOT_A_STEP" } };
export const wrongType: Awaited<ReturnType<CognitoAuth["signUp"]>> = { isSignUpComplete: "yes", nextStep: { signUpStep: "DONE" } };
export declare const auth: CognitoAuth;
export const required = () => auth.signIn();
`;
const CANARY_ERRORS = [
  [2, 'TS2353'], // Object literal may only specify known properties
  [3, 'TS2741'], // Property 'expiresAt' is missing
  [4, 'TS2322'], // not assignable to type 'SignInStep'
  [5, 'TS2322'], // string not assignable to boolean
  [7, 'TS2554'], // Expected 1 arguments, but got 0
];
// A declaration file with an error: reported only when declaration files are checked (`skipLibCheck: false`).
const CANARY_DTS = 'export declare const broken: NotDeclaredAnywhere;\n';
const CANARY_DTS_ERRORS = [[1, 'TS2304']];

const COMMON_OPTIONS = { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022' };

/** The two settings: compiler options, the app compiled in it, and its own canary (what it must not have). */
const SETTINGS = {
  browser: {
    what: 'a browser app (lib ES2022 + DOM, moduleResolution bundler)',
    compilerOptions: {
      lib: ['es2022', 'dom', 'dom.iterable'], module: 'esnext', moduleResolution: 'bundler', types: [], jsx: 'react-jsx',
    },
    app: 'browser-app.ts',
    // No @types/node here: `process` is not declared.
    canary: 'export const env = process.env;\n',
    canaryErrors: [[1, 'TS2591']],
  },
  node: {
    what: 'a Node back end (module/moduleResolution nodenext, @types/node, no DOM lib)',
    compilerOptions: { lib: ['es2022'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] },
    app: 'node-api.ts',
    // No DOM here: `Document` is not declared.
    canary: 'export const page: Document | undefined = undefined;\n',
    canaryErrors: [[1, 'TS2304']],
  },
};

/**
 * Writes the canaries for `setting` under OUT/<setting>/ and returns [path, expected [line, code] list] pairs.
 */
function writeCanaries(name) {
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  const canaries = [
    ['canary.ts', CANARY, CANARY_ERRORS],
    ['canary-lib.d.ts', CANARY_DTS, CANARY_DTS_ERRORS],
    ['canary-setting.ts', SETTINGS[name].canary, SETTINGS[name].canaryErrors],
  ];
  return canaries.map(([file, text, errors]) => {
    writeFileSync(join(dir, file), text);
    return [join(dir, file), errors];
  });
}

/**
 * Runs tsc in `setting` on `files` plus that setting's canaries (through a tsconfig.json under OUT/<setting>/);
 * asserts that the canaries give exactly their errors and that nothing else fails.
 */
function typeCheck(name, files) {
  const canaries = writeCanaries(name);
  const dir = join(OUT, name);
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: { ...COMMON_OPTIONS, ...SETTINGS[name].compilerOptions },
    files: [...files, ...canaries.map(([path]) => path)],
  }, null, 2));
  const result = spawnSync(process.execPath, [TSC, '-p', tsconfig, '--pretty', 'false'],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.error, undefined, `tsc did not run: ${result.error}`);
  const output = `${result.stdout}${result.stderr}`;
  const diagnostics = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) diagnostics.push({ file: m[1], line: Number(m[2]), code: m[3], text: m[4] });
    else if (line.trim()) diagnostics.push({ file: null, line: 0, code: 'output', text: line });
  }
  if (result.status !== 0) assert.ok(diagnostics.length > 0, `tsc exited ${result.status} with no diagnostics`);
  const canaryNames = new Set(canaries.map(([path]) => relative(ROOT, path)));
  const others = diagnostics.filter((d) => !canaryNames.has(d.file));
  assert.deepEqual(others.map((d) => `${d.file}(${d.line}): ${d.code} ${d.text}`), [],
    `the declarations must compile in ${SETTINGS[name].what} and accept every sample`);
  for (const [path, errors] of canaries) {
    const got = diagnostics.filter((d) => d.file === relative(ROOT, path)).map((d) => [d.line, d.code]);
    assert.deepEqual(got, errors, `tsc must reject each mistake of ${relative(ROOT, path)} (else the check proves nothing)`);
  }
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

/** Writes each of the README's ```jsx examples (React, with cognito-wasm/react) as a module under OUT; returns their paths. */
function writeReadmeJsx() {
  const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/^```jsx\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.some((code) => code.includes("from 'cognito-wasm/react'")), 'the React example is among them');
  mkdirSync(OUT, { recursive: true });
  return blocks.map((code, i) => {
    const path = join(OUT, `readme-react-${i + 1}.tsx`);
    writeFileSync(path, `// Written by tests/node/types.test.mjs from README.md's examples. Do not edit.\n${code}export {};\n`);
    return path;
  });
}

/** Writes the README's examples as TypeScript under OUT; returns the file's path. */
function writeReadme() {
  const { text, blocks } = readmeAsTypeScript();
  assert.ok(blocks.length >= 3, `README examples found: ${blocks.length}`);
  assert.ok(text.includes("auth.fetch('/api/orders')"), 'the quick example is among them');
  assert.ok(text.includes('verifyToken(token'), 'the back-end example is among them');
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, 'readme.ts');
  writeFileSync(path, text);
  return path;
}

for (const [name, setting] of Object.entries(SETTINGS)) {
  test(`the README's examples and ${setting.what} type-check against the declarations (tsc --strict, skipLibCheck false)`, (t) => {
    if (!existsSync(TSC)) return skipUnlessCI(t, NO_TSC);
    if (!existsSync(TYPES_NODE)) return skipUnlessCI(t, NO_TYPES_NODE);
    // The React examples need the DOM (and @types/react, which a React app has): the browser setting only.
    const react = name === 'browser' ? writeReadmeJsx() : [];
    typeCheck(name, [writeReadme(), ...react, join(APPS, setting.app)]);
  });

  test(`every result the Rust side produces type-checks against the declarations in ${setting.what}`, (t) => {
    if (!existsSync(SAMPLES)) return skipUnlessCI(t, NO_SAMPLES);
    if (!existsSync(TSC)) return skipUnlessCI(t, NO_TSC);
    if (!existsSync(TYPES_NODE)) return skipUnlessCI(t, NO_TYPES_NODE);
    const samples = readFileSync(SAMPLES, 'utf8');

    // Every CognitoAuth method that resolves to a Rust result has samples.
    const { CognitoAuth } = api({});
    const sampled = new Set([...samples.matchAll(/CognitoAuth\["(\w+)"\]/g)].map((m) => m[1]));
    const methods = Object.getOwnPropertyNames(CognitoAuth.prototype).filter((m) => !NOT_CORE_CALLS.has(m));
    assert.deepEqual(methods.filter((m) => !sampled.has(m)), [], 'CognitoAuth methods without samples');
    assert.match(samples, /typeof verifyToken/, 'verifyToken has samples');

    typeCheck(name, [SAMPLES]);
  });
}
