// Benchmarks cognito-wasm against aws-amplify v6, amazon-cognito-identity-js and aws-jwt-verify, all in one headless
// Chromium page. Prints a markdown table and writes bench/results.json and bench/RESULTS.md. Figures only: nothing
// here asserts on time. A metric that cannot run (package not built, emulator absent) is reported as "n/a" with why.
// The sign-in and start-up rows load minimal app pages (page/app-*.js) instead, and reach the emulator through a
// latency proxy (latency-proxy.mjs) that this script starts on 127.0.0.1.
//
// Environment (set by scripts/bench.sh): COGNITO_EMULATOR_INFO (info file of a running emulator), BENCH_USERNAME and
// BENCH_PASSWORD (a confirmed user in it), CHROMIUM (default /usr/bin/chromium), BENCH_RUNS (default 21).
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { roundTrips, startLatencyProxy } from './latency-proxy.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, '..');
// Where the package's js/, pkg/ and pkg-bench/ are: the repository root (overridable to test the harness itself).
const PKG_ROOT = resolve(process.env.BENCH_PACKAGE_ROOT || ROOT);
const OUT = join(BENCH, 'dist');
const RUNS = Number(process.env.BENCH_RUNS || 21);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const KB = 1024;
const FRESH_PAGES = 9;

const log = (...args) => console.error('    ', ...args);

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---------------------------------------------------------------- helpers

function gzip9(bytes) {
  // GNU gzip -9, as the published figures use; zlib level 9 where gzip is missing.
  const out = spawnSync('gzip', ['-9', '-c', '-n'], { input: bytes, maxBuffer: 64 * 1024 * 1024 });
  return out.status === 0 ? out.stdout.length : gzipSync(bytes, { level: 9 }).length;
}

// Brotli at its maximum quality (11) and window (24 bits), as a server pre-compressing static files would.
function brotli11(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
      [zlibConstants.BROTLI_PARAM_LGWIN]: zlibConstants.BROTLI_MAX_WINDOW_BITS,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

function cognitoWasmState() {
  const wasm = join(PKG_ROOT, 'pkg', 'cognito_wasm_bg.wasm');
  const benchDir = join(PKG_ROOT, 'pkg-bench');
  let benchGlue = null;
  if (existsSync(benchDir)) {
    const candidates = readdirSync(benchDir).filter((f) => f.endsWith('.js'));
    benchGlue =
      candidates.find((f) => readFileSync(join(benchDir, f), 'utf8').includes('srpBench')) ?? null;
  }
  return {
    built: existsSync(wasm) && existsSync(join(PKG_ROOT, 'pkg', 'cognito_wasm.js')),
    benchGlue: benchGlue && `/cw/pkg-bench/${benchGlue}`,
  };
}

function gitDescribe() {
  try {
    return execFileSync('git', ['-C', ROOT, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {}
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {}
  return { nproc, cpu, node: process.version };
}

// ---------------------------------------------------------------- bundle sizes

const cognitoWasmResolver = {
  name: 'cognito-wasm-from-repo',
  setup(build) {
    // The package is the repository root; its browser entry is js/index.js.
    build.onResolve({ filter: /^cognito-wasm$/ }, () => ({ path: join(PKG_ROOT, 'js', 'index.js') }));
  },
};

/** How every bundle here is built: an app's production build (esbuild --bundle --minify, ES modules). */
const APP_BUILD = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
  plugins: [cognitoWasmResolver],
};

async function bundle(entry, outfile, extra = {}) {
  await esbuild.build({ ...APP_BUILD, entryPoints: [entry], outfile, ...extra });
  return outfile;
}

/**
 * A code-split build of `entry` (esbuild --splitting), as an app ships it: `eager` are the files a page loads at start
 * (the entry and what it imports statically), `lazy` the chunks behind dynamic imports (the flows module's glue and
 * helpers, fetched on first use).
 */
async function bundleSplit(entry, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  const { metafile } = await esbuild.build({ ...APP_BUILD, entryPoints: [entry], outdir, splitting: true, metafile: true });
  const outputs = metafile.outputs;
  const entryFile = Object.keys(outputs).find((f) => outputs[f].entryPoint);
  const eager = new Set([entryFile]);
  for (const f of eager) {
    for (const i of outputs[f].imports) if (i.kind === 'import-statement') eager.add(i.path);
  }
  const lazy = Object.keys(outputs).filter((f) => f.endsWith('.js') && !eager.has(f));
  return { eager: [...eager].map((f) => resolve(f)), lazy: lazy.map((f) => resolve(f)) };
}

/** Each file compressed on its own (as it is served), the sizes added up. */
function sizeOf(files) {
  const parts = files.map((f) => {
    const bytes = readFileSync(f);
    return {
      file: f.startsWith(PKG_ROOT) ? f.slice(PKG_ROOT.length + 1) : f,
      raw: bytes.length,
      gzip: gzip9(bytes),
      brotli: brotli11(bytes),
    };
  });
  return {
    raw: parts.reduce((n, p) => n + p.raw, 0),
    gzip: parts.reduce((n, p) => n + p.gzip, 0),
    brotli: parts.reduce((n, p) => n + p.brotli, 0),
    parts,
  };
}

async function bundleSizes(state) {
  const apps = {
    amplify: 'amplify.js',
    'amplify (auth category)': 'amplify-auth-category.js',
    'amazon-cognito-identity-js': 'amazon-cognito-identity-js.js',
  };
  const sizes = {};
  const record = (name, size) => {
    sizes[name] = size;
    log(`${name}: ${size.raw} B raw, ${size.gzip} B gzip -9, ${size.brotli} B brotli -q 11`);
  };
  for (const [name, file] of Object.entries(apps)) {
    const dir = name.replace(/[^\w.-]+/g, '-').replace(/-+$/, '');
    record(name, sizeOf([await bundle(join(BENCH, 'apps', file), join(OUT, 'size', dir, 'app.js'))]));
  }
  if (state.built) {
    // esbuild leaves `new URL('….wasm', import.meta.url)` alone: each .wasm ships beside the bundle as it is.
    const coreWasm = join(PKG_ROOT, 'pkg', 'cognito_wasm_bg.wasm');
    const flowsWasm = join(PKG_ROOT, 'pkg', 'cognito_wasm_flows_bg.wasm');
    const entry = await bundleSplit(join(BENCH, 'apps', 'cognito-wasm-entry.js'), join(OUT, 'size', 'cognito-wasm-entry'));
    // What the import downloads at start: the session core; the flows module is fetched on the first call needing it.
    record('cognito-wasm (default entry)', sizeOf([...entry.eager, coreWasm]));
    record('cognito-wasm (flows module, on first use)', sizeOf([...entry.lazy, flowsWasm]));
    // The six basic calls sign in: both modules.
    const app = await bundleSplit(join(BENCH, 'apps', 'cognito-wasm.js'), join(OUT, 'size', 'cognito-wasm'));
    record('cognito-wasm', sizeOf([...app.eager, ...app.lazy, coreWasm, flowsWasm]));
  }
  if (!state.built) {
    sizes['cognito-wasm'] = { na: 'pkg/ is not built (npm run build)' };
    sizes['cognito-wasm (default entry)'] = { na: 'pkg/ is not built (npm run build)' };
    sizes['cognito-wasm (flows module, on first use)'] = { na: 'pkg/ is not built (npm run build)' };
  }
  return sizes;
}

// ---------------------------------------------------------------- fixtures: SRP vector, RSA keys and tokens

function srpVector() {
  const shared = join(ROOT, '..', 'shared', 'vectors', 'srp', 'vectors.json');
  let source;
  let c;
  if (existsSync(shared)) {
    c = JSON.parse(readFileSync(shared, 'utf8')).find((x) => x.id === 'U01_basic_salt_high_bit');
    source = `../shared/vectors/srp/vectors.json ${c.id}`;
  }
  if (!c) {
    c = JSON.parse(readFileSync(join(BENCH, 'fixtures', 'srp-vector.json'), 'utf8'));
    source = `bench/fixtures/srp-vector.json ${c.id}`;
  }
  const i = c.inputs;
  return {
    source,
    vector: {
      poolId: i.poolId,
      poolName: i.poolName,
      username: i.username,
      password: i.password,
      a_hex: i.a_hex,
      B_hex: i.B_hex,
      salt_hex: i.salt_hex,
      secretBlock_b64: i.secretBlock_b64,
      timestamp: i.timestamp,
      expectA: c.outputs.A_hex,
      expectSignature: c.outputs.signature_b64,
    },
  };
}

const TOKEN_POOL = 'us-east-1_BenchPool1';
const TOKEN_CLIENT = '1example23456789benchclient';

// One RSA-2048 key per token: token i is signed by key i, so each "cold" sample meets a key it has never imported.
function tokenFixtures(count) {
  const iat = Math.floor(Date.now() / 1000);
  const tokens = [];
  const jwksList = [];
  for (let i = 0; i < count; i++) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = `bench-key-${i}-${randomUUID()}`;
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
    const header = { kid, alg: 'RS256' };
    // The shape of a Cognito access token.
    const payload = {
      sub: 'bench-user-sub',
      'cognito:groups': ['admins'],
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${TOKEN_POOL}`,
      client_id: TOKEN_CLIENT,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: iat,
      exp: iat + 3600,
      iat,
      jti: randomUUID(),
      username: 'bench-user',
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(signingInput), privateKey);
    tokens.push(`${signingInput}.${base64url(signature)}`);
    jwksList.push({ keys: [jwk] });
  }
  return { tokens, jwksList, nowSeconds: iat + 60 };
}

// ---------------------------------------------------------------- the page

const CONTENT_TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
// Cross-origin isolation gives performance.now() its fine (5 us) resolution.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'credentialless' };

// A static server on 127.0.0.1 (a real origin, so loads go through Chromium's ordinary network stack): the page, its
// bundle, and the package files under /cw/. `?isolated=0` on the page turns cross-origin isolation off (the
// emulator's CORS replies carry no CORP header).
//
// `/app/<name>/` serves a minimal app page (bench/page/app-<name>.js, bundled and minified) the way a deployed app is
// served: the HTML uncached, the bundle and the .wasm cacheable for a year, so that a second load of the page runs
// from a warm HTTP cache. Requests for /app/ files are recorded in `appHits`.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const appHits = [];

function startServer(pageBundle, appBundles = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;
    let headers = {};
    let body = null;
    let type = 'text/html';
    let cache = 'no-store';
    const app = /^\/app\/([\w-]+)\/(index\.html|app\.js|cognito_wasm_bg\.wasm|cognito_wasm_flows_bg\.wasm)?$/.exec(path);
    if (app) {
      appHits.push(path);
      const [, name, file = 'index.html'] = app;
      if (appBundles[name] && file === 'index.html') {
        body = '<!doctype html><title>app</title><script type="module" src="app.js"></script>';
      } else if (appBundles[name] && file === 'app.js') {
        body = readFileSync(appBundles[name]);
        type = CONTENT_TYPES['.js'];
        cache = IMMUTABLE;
      } else if (name === 'cognito-wasm' && appBundles[name] && file.endsWith('.wasm')) {
        // esbuild leaves `new URL('….wasm', import.meta.url)` alone: the .wasm files are beside the bundle.
        body = readFileSync(join(PKG_ROOT, 'pkg', file));
        type = CONTENT_TYPES['.wasm'];
        cache = IMMUTABLE;
      }
    } else if (path === '/' || path === '/index.html') {
      body = '<!doctype html><title>bench</title><script type="module" src="/bench.js"></script>';
      // The document's headers decide isolation; same-origin subresources need none.
      if (url.searchParams.get('isolated') !== '0') headers = ISOLATION;
    } else {
      let file = null;
      if (path === '/bench.js') file = pageBundle;
      else if (FLOOR_FILES[path] !== undefined) {
        body = FLOOR_FILES[path];
        type = CONTENT_TYPES[extname(path)];
      }
      else if (path.startsWith('/cw/')) {
        // The package files: js/, pkg/, pkg-bench/ of the package root, and nothing else.
        const rel = path.slice('/cw/'.length);
        if (/^(js|pkg|pkg-bench)\/[\w.-]+$/.test(rel)) file = join(PKG_ROOT, rel);
      }
      if (file && existsSync(file) && statSync(file).isFile()) {
        body = readFileSync(file);
        type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      }
    }
    if (body === null) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': cache, ...headers });
    res.end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

// The request floor (bench.js `requestFloor`): an entry module importing a module that fetches a file, all empty.
const FLOOR_FILES = {
  '/floor/entry.js': "export { load } from './glue.js';\n",
  '/floor/glue.js': "export async function load() { await (await fetch('/floor/empty.wasm')).arrayBuffer(); }\n",
  '/floor/empty.wasm': '',
};

let ORIGIN = null;

async function openPage(browser, { isolated = true } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const counter = { external: 0, urls: [] };
  page.on('request', (request) => {
    if (!request.url().startsWith(ORIGIN)) {
      counter.external++;
      counter.urls.push(`${request.method()} ${request.url()}`);
    }
  });
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  await page.goto(`${ORIGIN}/${isolated ? '' : '?isolated=0'}`);
  await page.waitForFunction(() => window.bench?.ready === true);
  return { context, page, counter };
}

// Runs one metric, turning a failure into "n/a" with its reason instead of stopping the whole run.
async function attempt(label, fn) {
  try {
    const result = await fn();
    return result;
  } catch (err) {
    const reason = String(err?.message ?? err).split('\n')[0];
    log(`${label}: n/a (${reason})`);
    return { na: reason };
  }
}

// ---------------------------------------------------------------- main

async function main() {
  mkdirSync(OUT, { recursive: true });
  const state = cognitoWasmState();
  const startedAt = new Date();
  const loadAtStart = loadavg()[0];
  console.error(`==> cognito-wasm: ${state.built ? 'pkg/ built' : 'pkg/ missing'}; srpBench: ${state.benchGlue ?? 'pkg-bench/ missing'}`);

  console.error('==> bundle sizes (esbuild --bundle --minify --format=esm, gzip -9)');
  const sizes = await bundleSizes(state);

  console.error('==> fixtures');
  const { source: vectorSource, vector } = srpVector();
  const tokenSet = tokenFixtures(RUNS + 1);
  log(`SRP vector: ${vectorSource}; ${tokenSet.tokens.length} RSA-2048 keys and access tokens`);

  const pageBundle = await bundle(join(BENCH, 'page', 'bench.js'), join(OUT, 'page', 'bench.js'), {
    minify: false,
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    plugins: [],
  });

  // The minimal app pages of the sign-in and start-up rows, bundled as an app would ship them.
  const appBundles = {};
  for (const library of state.built ? APP_LIBRARIES : APP_LIBRARIES.filter((l) => l !== 'cognito-wasm')) {
    appBundles[library] = await bundle(join(BENCH, 'page', `app-${library}.js`), join(OUT, 'app', library, 'app.js'));
  }

  console.error(`==> Chromium (${CHROMIUM})`);
  const server = await startServer(pageBundle, appBundles);
  ORIGIN = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const chromiumVersion = browser.version();
  const results = { srp: {}, verify: {}, currentUser: {}, instantiate: {}, signInLatency: {}, startup: {} };
  try {
    // Instantiation first, each in a fresh context, so no compiled module is cached yet.
    if (state.built) {
      console.error(`==> wasm instantiation: import of the package entry in ${FRESH_PAGES} fresh pages`);
      const fresh = async (fn, arg) => {
        const { context, page } = await openPage(browser);
        try {
          return await page.evaluate(([name, a]) => window.bench[name](...a), [fn, arg]);
        } finally {
          await context.close();
        }
      };
      results.instantiate['cognito-wasm'] = await attempt('instantiation', async () => {
        const samples = [];
        for (let i = 0; i < FRESH_PAGES; i++) samples.push(await fresh('importCognitoWasm', ['/cw/js/index.js']));
        return { medianMs: median(samples), samplesMs: samples };
      });
      results.instantiate['cognito-wasm (init from bytes)'] = await attempt('instantiation from bytes', async () => {
        const samples = [];
        for (let i = 0; i < FRESH_PAGES; i++) {
          samples.push(await fresh('instantiationBreakdown', ['/cw/pkg/cognito_wasm.js', '/cw/pkg/cognito_wasm_bg.wasm']));
        }
        return { medianMs: median(samples.map((s) => s.initFromBytesMs)), samples };
      });
      results.instantiate['request floor'] = await attempt('request floor', async () => {
        const samples = [];
        for (let i = 0; i < FRESH_PAGES; i++) samples.push(await fresh('requestFloor', ['/floor/entry.js']));
        return { medianMs: median(samples), samplesMs: samples };
      });
      results.instantiate['empty module (floor)'] = await attempt('empty module', async () => {
        const samples = [];
        for (let i = 0; i < FRESH_PAGES; i++) samples.push(await fresh('emptyWasmInstantiation', []));
        return { medianMs: median(samples), samplesMs: samples };
      });
      for (const [k, v] of Object.entries(results.instantiate)) if (v.medianMs !== undefined) log(`${k}: ${v.medianMs.toFixed(2)} ms`);
    } else {
      results.instantiate['cognito-wasm'] = { na: 'pkg/ is not built' };
    }

    const { context, page, counter } = await openPage(browser);
    results.crossOriginIsolated = await page.evaluate(() => window.bench.crossOriginIsolated);
    log(`page cross-origin isolated: ${results.crossOriginIsolated}`);

    console.error(`==> SRP: A, then S, HKDF and the signature for one PASSWORD_VERIFIER (median of ${RUNS} after 3 warm-up, libraries round-robin)`);
    const srpLibraries = [];
    for (const library of ['cognito-wasm', 'amplify', 'amazon-cognito-identity-js']) {
      if (library === 'cognito-wasm' && !state.benchGlue) {
        results.srp[library] = { na: 'pkg-bench/ with srpBench is not built' };
        continue;
      }
      const prepared = await attempt(`SRP ${library}`, () =>
        page.evaluate(([lib, v, opts]) => window.bench.srpPrepare(lib, v, opts), [
          library,
          vector,
          { warmup: 3, benchGlueUrl: state.benchGlue },
        ]),
      );
      if (prepared.na) results.srp[library] = prepared;
      else srpLibraries.push(library);
    }
    const srpSamples = Object.fromEntries(srpLibraries.map((l) => [l, []]));
    for (let round = 0; round < RUNS; round++) {
      for (const library of srpLibraries) {
        if (!srpSamples[library]) continue;
        try {
          srpSamples[library].push(await page.evaluate((lib) => window.bench.srpSample(lib), library));
        } catch (err) {
          results.srp[library] = { na: String(err?.message ?? err).split('\n')[0] };
          delete srpSamples[library];
        }
      }
    }
    for (const [library, samples] of Object.entries(srpSamples)) {
      results.srp[library] = await page.evaluate((x) => window.bench.summary(x), samples);
      log(`${library}: ${results.srp[library].medianMs.toFixed(2)} ms`);
    }

    console.error(`==> token verification: RS256 + Cognito access-token claims (cold: ${RUNS} fresh keys; warm: median of ${RUNS} x 20)`);
    const verifyArgs = {
      tokens: tokenSet.tokens,
      jwksList: tokenSet.jwksList,
      userPoolId: TOKEN_POOL,
      clientId: TOKEN_CLIENT,
      nowSeconds: tokenSet.nowSeconds,
      runs: RUNS,
      batch: 20,
      entryUrl: '/cw/js/index.js',
    };
    results.verify['aws-jwt-verify'] = await attempt('verify aws-jwt-verify', () =>
      page.evaluate((args) => window.bench.verifyAwsJwtVerify(args), verifyArgs),
    );
    results.verify['cognito-wasm'] = state.built
      ? await attempt('verify cognito-wasm', () => page.evaluate((args) => window.bench.verifyOurs(args), verifyArgs))
      : { na: 'pkg/ is not built' };
    for (const [k, v] of Object.entries(results.verify)) {
      if (v.warm) log(`${k}: cold ${v.cold.medianMs.toFixed(3)} ms, warm ${v.warm.medianMs.toFixed(4)} ms`);
    }
    await context.close();

    console.error('==> currentUser() over a signed-in session (emulator)');
    const emulator = emulatorConfig();
    if (!emulator.ok) {
      results.currentUser['cognito-wasm'] = { na: emulator.why };
      results.currentUser.amplify = { na: emulator.why };
      results.currentUser['amazon-cognito-identity-js'] = { na: emulator.why };
    } else {
      const args = { ...emulator.config, entryUrl: '/cw/js/index.js', runs: RUNS, batch: 20 };
      const sessionBench = async (setup) => {
        const s = await openPage(browser, { isolated: false });
        try {
          const first = await s.page.evaluate(([fn, a]) => window.bench[fn](a), [setup, args]);
          const settle = () => new Promise((done) => setTimeout(done, 300));
          await settle();
          const before = s.counter.external;
          const warm = await s.page.evaluate((a) => window.bench.currentUserWarm(a), args);
          await settle();
          return {
            ...first,
            warm,
            warmRequests: s.counter.external - before,
            setupRequests: s.counter.urls.slice(0, before),
          };
        } finally {
          await s.context.close();
        }
      };
      results.currentUser['cognito-wasm'] = state.built
        ? await attempt('currentUser cognito-wasm', () => sessionBench('currentUserOursSetup'))
        : { na: 'pkg/ is not built' };
      results.currentUser.amplify = await attempt('currentUser amplify', () => sessionBench('currentUserAmplifySetup'));
      results.currentUser['amazon-cognito-identity-js'] = await attempt('currentUser amazon-cognito-identity-js', () =>
        sessionBench('currentUserIdentitySetup'),
      );
      for (const [k, v] of Object.entries(results.currentUser)) {
        if (v.warm) log(`${k}: ${v.warm.medianMs.toFixed(4)} ms warm, ${v.warmRequests} requests in ${v.warm.runs * v.warm.batch + 5} calls`);
      }
    }

    const appLibraries = APP_LIBRARIES.filter((l) => appBundles[l]);
    const notApp = (why) => Object.fromEntries(APP_LIBRARIES.map((l) => [l, { na: appBundles[l] ? why : 'pkg/ is not built' }]));
    if (!emulator.ok) {
      results.signInLatency = notApp(emulator.why);
      results.startup = notApp(emulator.why);
    } else {
      const proxy = await startLatencyProxy({ target: emulator.config.endpoint, delayMs: PROXY_DELAY_MS });
      try {
        console.error(
          `==> SRP sign-in through a latency proxy (+${PROXY_DELAY_MS} ms per request, ${proxy.url}), fresh page and storage, ${RUNS} runs each`,
        );
        results.signInLatency = {
          ...notApp('not run'),
          ...(await signInThroughProxy(browser, proxy, appLibraries, emulator.config)),
        };
        for (const [k, v] of Object.entries(results.signInLatency)) {
          if (v.medianMs !== undefined) {
            log(`${k}: ${v.medianMs.toFixed(1)} ms; ${v.rounds.median} sequential round trips, ${v.requests.median} requests: ${v.sequence}`);
          }
        }
        console.error(`==> page start to the first currentUser() answer, signed in (warm HTTP cache), ${RUNS} loads each`);
        results.startup = { ...notApp('not run'), ...(await startupAfterSignIn(browser, proxy, appLibraries, emulator.config)) };
        for (const [k, v] of Object.entries(results.startup)) {
          if (v.medianMs !== undefined) {
            log(`${k}: ${v.medianMs.toFixed(1)} ms; per load ${v.proxyRequests.max} requests to the proxy, static fetches ${v.staticFetches}`);
          }
        }
      } finally {
        await proxy.close();
      }
      results.signInLatency.proxyDelayMs = PROXY_DELAY_MS;
    }
  } finally {
    await browser.close();
    server.close();
  }

  const report = {
    date: startedAt.toISOString(),
    commit: gitDescribe(),
    machine: { ...machine(), chromium: chromiumVersion, loadAverage1m: { start: loadAtStart, end: loadavg()[0] } },
    versions: peerVersions(),
    srpVector: vectorSource,
    runs: RUNS,
    freshPages: FRESH_PAGES,
    sizes,
    ...results,
  };
  writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(report, null, 1)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(join(BENCH, 'RESULTS.md'), markdown);
  console.log(markdown);
}

// ---------------------------------------------------------------- sign-in through a latency proxy; start-up

const PROXY_DELAY_MS = 50;
const APP_LIBRARIES = ['cognito-wasm', 'amplify'];

function appUrl(library, config, extra = {}) {
  const query = new URLSearchParams({ pool: config.userPoolId, client: config.clientId, endpoint: config.endpoint, ...extra });
  return `${ORIGIN}/app/${library}/?${query}`;
}

async function openApp(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.benchApp !== undefined);
}

async function newAppPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  return { context, page };
}

// One sign-in's requests, round by round: `[OPTIONS /] → [InitiateAuth, GET jwks.json] → ...`.
function describeRounds(entries) {
  const sorted = [...entries].sort((x, y) => x.startMs - y.startMs);
  const rounds = [];
  let end = -Infinity;
  for (const e of sorted) {
    if (e.startMs >= end) rounds.push([]);
    end = Math.max(end, e.endMs ?? Infinity);
    const what = e.target ?? `${e.method} ${e.path.replace(/^.*\//, '') || '/'}`;
    rounds[rounds.length - 1].push(e.preflight ? `preflight ${e.path.replace(/^.*\//, '') || '/'}` : what);
  }
  return rounds.map((r) => `[${r.join(', ')}]`).join(' → ');
}

const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

// Each run: a fresh browser context (empty storage, HTTP cache and CORS preflight cache, so no JWKS is cached), the
// app page pointed at the proxy, then one timed signIn(). Libraries take turns run by run.
async function signInThroughProxy(browser, proxy, libraries, config) {
  const samples = Object.fromEntries(libraries.map((l) => [l, []]));
  const out = {};
  for (let run = 0; run < RUNS; run++) {
    for (const library of libraries) {
      if (out[library]) continue; // failed earlier
      const { context, page } = await newAppPage(browser);
      try {
        await openApp(page, appUrl(library, { ...config, endpoint: proxy.url }));
        const beforeSignIn = proxy.takeLog();
        const { ms } = await page.evaluate(([u, p]) => window.benchApp.signIn(u, p), [config.username, config.password]);
        const entries = proxy.takeLog();
        await sleep(250);
        const afterSignIn = proxy.takeLog();
        const t0 = Math.min(...entries.map((e) => e.startMs));
        samples[library].push({
          ms,
          rounds: roundTrips(entries),
          requests: entries.length,
          preflights: entries.filter((e) => e.preflight).length,
          sequence: describeRounds(entries),
          beforeSignIn: beforeSignIn.length,
          afterSignIn: afterSignIn.length,
          entries: entries.map(({ method, path, target, preflight, headers, startMs, endMs, status }) => ({
            method,
            path,
            target,
            preflight,
            headers,
            status,
            // ms since the first request of this sign-in reached the proxy
            startMs: Number((startMs - t0).toFixed(2)),
            endMs: endMs === null ? null : Number((endMs - t0).toFixed(2)),
          })),
        });
      } catch (err) {
        const reason = String(err?.message ?? err).split('\n')[0];
        log(`sign-in ${library}: n/a (${reason})`);
        out[library] = { na: reason };
        proxy.takeLog();
      } finally {
        await context.close();
      }
    }
  }
  for (const library of libraries) {
    if (out[library]) continue;
    const s = samples[library];
    const sequences = [...new Set(s.map((x) => x.sequence))];
    out[library] = {
      medianMs: median(s.map((x) => x.ms)),
      samplesMs: s.map((x) => Number(x.ms.toFixed(2))),
      rounds: spread(s.map((x) => x.rounds)),
      requests: spread(s.map((x) => x.requests)),
      preflights: spread(s.map((x) => x.preflights)),
      sequence: sequences[0],
      otherSequences: sequences.slice(1),
      requestsBeforeSignIn: Math.max(...s.map((x) => x.beforeSignIn)),
      requestsAfterSignIn: Math.max(...s.map((x) => x.afterSignIn)),
      firstRun: s[0].entries,
    };
  }
  return out;
}

// Per library, one browser context kept for the whole measurement: the app page is loaded once to sign in (through
// the proxy; cognito-wasm caches the JWKS in storage), loaded once more untimed, then loaded RUNS times with
// `mode=startup` (each a new navigation: `n` changes the document URL, the bundle and .wasm come from the HTTP cache).
// The figure is performance.now() when currentUser() / getCurrentUser() answered: ms since navigation start.
async function startupAfterSignIn(browser, proxy, libraries, config) {
  const proxied = { ...config, endpoint: proxy.url };
  const sessions = {};
  const out = {};
  const load = async (library, n) => {
    const { page } = sessions[library];
    proxy.takeLog();
    appHits.length = 0;
    await page.goto(appUrl(library, proxied, { mode: 'startup', n: String(n) }));
    await page.waitForFunction(() => window.benchApp !== undefined);
    const answer = await page.evaluate(() => window.benchApp.startup);
    if (answer.error || answer.username !== config.username) {
      throw new Error(`the page load did not find the signed-in user: ${answer.error ?? answer.username}`);
    }
    const navigation = await page.evaluate(() => {
      const e = performance.getEntriesByType('navigation')[0];
      return { responseEndMs: e?.responseEnd, domContentLoadedMs: e?.domContentLoadedEventEnd };
    });
    await sleep(50);
    return { atMs: answer.atMs, ...navigation, proxyRequests: proxy.takeLog().length, staticFetches: [...appHits] };
  };
  try {
    for (const library of libraries) {
      try {
        sessions[library] = await newAppPage(browser);
        await openApp(sessions[library].page, appUrl(library, proxied));
        await sessions[library].page.evaluate(([u, p]) => window.benchApp.signIn(u, p), [config.username, config.password]);
        const user = await sessions[library].page.evaluate(() => window.benchApp.currentUser());
        if (user !== config.username) throw new Error(`after the sign-in, the current user is ${user}`);
        await load(library, 'warm-up');
      } catch (err) {
        const reason = String(err?.message ?? err).split('\n')[0];
        log(`start-up ${library}: n/a (${reason})`);
        out[library] = { na: reason };
      }
    }
    const samples = Object.fromEntries(libraries.filter((l) => !out[l]).map((l) => [l, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const library of Object.keys(samples)) {
        if (out[library]) continue;
        try {
          samples[library].push(await load(library, run));
        } catch (err) {
          const reason = String(err?.message ?? err).split('\n')[0];
          log(`start-up ${library}: n/a (${reason})`);
          out[library] = { na: reason };
        }
      }
    }
    for (const [library, s] of Object.entries(samples)) {
      if (out[library]) continue;
      const fetched = [...new Set(s.flatMap((x) => x.staticFetches))].sort();
      out[library] = {
        medianMs: median(s.map((x) => x.atMs)),
        samplesMs: s.map((x) => Number(x.atMs.toFixed(2))),
        responseEndMs: median(s.map((x) => x.responseEndMs)),
        domContentLoadedMs: median(s.map((x) => x.domContentLoadedMs)),
        proxyRequests: spread(s.map((x) => x.proxyRequests)),
        staticFetches: fetched.join(', ') || 'none',
      };
    }
  } finally {
    for (const { context } of Object.values(sessions)) await context.close();
  }
  return out;
}

function emulatorConfig() {
  const info = process.env.COGNITO_EMULATOR_INFO;
  if (!info || !existsSync(info)) return { ok: false, why: 'the Cognito emulator is not running' };
  const data = JSON.parse(readFileSync(info, 'utf8'));
  const username = process.env.BENCH_USERNAME;
  const password = process.env.BENCH_PASSWORD;
  if (!username || !password) return { ok: false, why: 'no seeded user (BENCH_USERNAME/BENCH_PASSWORD)' };
  return {
    ok: true,
    config: { userPoolId: data.userPoolId, clientId: data.clientId, endpoint: data.endpoint, username, password },
  };
}

function peerVersions() {
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(BENCH, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'missing';
    }
  };
  return {
    'aws-amplify': version('aws-amplify'),
    '@aws-amplify/auth': version('@aws-amplify/auth'),
    'amazon-cognito-identity-js': version('amazon-cognito-identity-js'),
    'aws-jwt-verify': version('aws-jwt-verify'),
    esbuild: version('esbuild'),
    'playwright-core': version('playwright-core'),
  };
}

// ---------------------------------------------------------------- the table

const fmtMs = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(3)} ms`);
const fmtBytes = (b) => `${b.toLocaleString('en-US')} B`;
const ratio = (peer, ours) => (ours > 0 ? `${(peer / ours).toFixed(peer / ours >= 10 ? 0 : 1)}×` : '');

function renderMarkdown(r) {
  const NA = 'n/a';
  const ours = 'cognito-wasm';
  const rows = [];
  const cell = (value, fmt, oursValue) => {
    if (value === undefined || value === null) return '—';
    if (typeof value === 'object' && value.na) return NA;
    const text = fmt(value);
    return oursValue !== undefined && oursValue !== null ? `${text} (${ratio(value, oursValue)})` : text;
  };
  const num = (o, key) => (o && typeof o === 'object' && !o.na ? o[key] : o?.na ? o : undefined);

  // Sizes
  const size = r.sizes;
  const oursGzip = size[ours]?.gzip;
  rows.push([
    'Bundle, gzip -9 (JS + wasm; six basic calls)',
    size[ours]?.na ? NA : fmtBytes(oursGzip),
    cell(size.amplify?.gzip, fmtBytes, oursGzip),
    cell(size['amazon-cognito-identity-js']?.gzip, fmtBytes, oursGzip),
    '—',
    `≤ 40 KB (${fmtBytes(40 * KB)})`,
    oursGzip === undefined ? NA : oursGzip <= 40 * KB ? 'yes' : 'no',
  ]);
  const oursRaw = size[ours]?.raw;
  rows.push([
    'Bundle, raw (minified JS + wasm)',
    size[ours]?.na ? NA : fmtBytes(oursRaw),
    cell(size.amplify?.raw, fmtBytes, oursRaw),
    cell(size['amazon-cognito-identity-js']?.raw, fmtBytes, oursRaw),
    '—',
    '—',
    '—',
  ]);

  // The default entry's download, gzip and brotli, beside Amplify's six basic calls and its whole auth category.
  const entry = size[`${ours} (default entry)`];
  const downloadRow = (label, key, peer, withIdentity) => {
    const oursValue = entry?.[key];
    rows.push([
      label,
      entry?.na ? NA : entry ? fmtBytes(oursValue) : '—',
      cell(size[peer]?.na ? size[peer] : size[peer]?.[key], fmtBytes, oursValue),
      withIdentity ? cell(size['amazon-cognito-identity-js']?.[key], fmtBytes, oursValue) : '—',
      '—',
      '—',
      '—',
    ]);
  };
  const entryLabel = "default entry (`import { CognitoAuth, verifyToken } from 'cognito-wasm'`: wasm + minified JS)";
  downloadRow(`Download, gzip -9: the ${entryLabel}; the peers' six basic calls`, 'gzip', 'amplify', true);
  downloadRow(
    "Download, gzip -9: the default entry; Amplify's whole auth category (all of `aws-amplify/auth` + `Amplify`)",
    'gzip',
    'amplify (auth category)',
    false,
  );
  downloadRow("Download, brotli -q 11: the default entry; the peers' six basic calls", 'brotli', 'amplify', true);
  downloadRow(
    "Download, brotli -q 11: the default entry; Amplify's whole auth category",
    'brotli',
    'amplify (auth category)',
    false,
  );
  const flows = size[`${ours} (flows module, on first use)`];
  rows.push([
    'Download on first use, gzip -9: the flows module (sign-up, sign-in, account calls, verifyToken: wasm + JS)',
    flows?.na ? NA : flows ? fmtBytes(flows.gzip) : '—',
    '—',
    '—',
    '—',
    '—',
    '—',
  ]);

  // SRP
  const srp = (k) => num(r.srp[k], 'medianMs');
  const oursSrp = typeof srp(ours) === 'number' ? srp(ours) : undefined;
  const ampSrp = typeof srp('amplify') === 'number' ? srp('amplify') : undefined;
  rows.push([
    `SRP sign-in math (A, S, HKDF, signature), median of ${r.runs}`,
    cell(srp(ours), fmtMs),
    cell(srp('amplify'), fmtMs, oursSrp),
    cell(srp('amazon-cognito-identity-js'), fmtMs, oursSrp),
    '—',
    '≥ 20× faster than Amplify',
    oursSrp && ampSrp ? (ampSrp / oursSrp >= 20 ? `yes (${ratio(ampSrp, oursSrp)})` : `no (${ratio(ampSrp, oursSrp)})`) : NA,
  ]);

  // Verification
  const v = (k, phase) => (r.verify[k]?.na ? r.verify[k] : r.verify[k]?.[phase]?.medianMs);
  const oursCold = typeof v(ours, 'cold') === 'number' ? v(ours, 'cold') : undefined;
  const oursWarm = typeof v(ours, 'warm') === 'number' ? v(ours, 'warm') : undefined;
  const ajvWarm = typeof v('aws-jwt-verify', 'warm') === 'number' ? v('aws-jwt-verify', 'warm') : undefined;
  rows.push([
    'Verify access token (RS256 + claims), cold: new key each time, median',
    cell(v(ours, 'cold'), fmtMs),
    '—',
    '—',
    cell(v('aws-jwt-verify', 'cold'), fmtMs, oursCold),
    '—',
    '—',
  ]);
  rows.push([
    'Verify access token, warm (key cached), median',
    cell(v(ours, 'warm'), fmtMs),
    '—',
    '—',
    cell(v('aws-jwt-verify', 'warm'), fmtMs, oursWarm),
    'within 3× of aws-jwt-verify',
    oursWarm && ajvWarm ? (oursWarm <= 3 * ajvWarm ? `yes (${(oursWarm / ajvWarm).toFixed(1)}× its time)` : `no (${(oursWarm / ajvWarm).toFixed(1)}× its time)`) : NA,
  ]);

  // currentUser
  const cu = r.currentUser;
  const cuOurs = cu[ours]?.warm?.medianMs;
  const cuRequests = cu[ours]?.warmRequests;
  rows.push([
    'currentUser(), warm storage + cached JWKS, median',
    cu[ours]?.na ? NA : cell(cuOurs, fmtMs),
    cu.amplify?.na ? NA : cell(cu.amplify?.warm?.medianMs, fmtMs, cuOurs),
    cu['amazon-cognito-identity-js']?.na ? NA : cell(cu['amazon-cognito-identity-js']?.warm?.medianMs, fmtMs, cuOurs),
    '—',
    '< 1 ms, 0 requests',
    cuOurs === undefined ? NA : cuOurs < 1 && cuRequests === 0 ? `yes (${cuRequests} requests)` : `no (${cuRequests ?? '?'} requests)`,
  ]);

  // SRP sign-in through the latency proxy
  const sl = r.signInLatency ?? {};
  const delay = sl.proxyDelayMs ?? PROXY_DELAY_MS;
  const slMs = (k) => (sl[k]?.na ? sl[k] : sl[k]?.medianMs);
  const oursSl = typeof slMs(ours) === 'number' ? slMs(ours) : undefined;
  rows.push([
    `SRP sign-in wall time through a local proxy adding ${delay} ms to each request (cold JWKS: fresh page and storage), median of ${r.runs}`,
    cell(slMs(ours), fmtMs),
    cell(slMs('amplify'), fmtMs, oursSl),
    '—',
    '—',
    '—',
    '—',
  ]);
  const range = (x) => (x.min === x.max ? `${x.median}` : `${x.median} (${x.min}-${x.max})`);
  const trips = (k) => {
    if (!sl[k]) return '—';
    if (sl[k].na) return NA;
    return `${range(sl[k].rounds)} (${range(sl[k].requests)} requests)`;
  };
  rows.push([
    'SRP sign-in: sequential round trips through that proxy, median (requests, CORS preflights included)',
    trips(ours),
    trips('amplify'),
    '—',
    '—',
    '—',
    '—',
  ]);

  // Start-up
  const su = r.startup ?? {};
  const suMs = (k) => (su[k]?.na ? su[k] : su[k]?.medianMs);
  const oursSu = typeof suMs(ours) === 'number' ? suMs(ours) : undefined;
  rows.push([
    `Page start (navigation start) to the first \`currentUser()\` answer, signed in: warm HTTP cache, JWKS in storage, median of ${r.runs}`,
    cell(suMs(ours), fmtMs),
    cell(suMs('amplify'), fmtMs, oursSu),
    '—',
    '—',
    '—',
    '—',
  ]);

  // Instantiation
  const inst = r.instantiate[ours];
  rows.push([
    `wasm instantiation: \`import('cognito-wasm')\` in a fresh page (3 requests to 127.0.0.1 included), median of ${r.freshPages}`,
    inst?.na ? NA : cell(inst?.medianMs, fmtMs),
    '—',
    '—',
    '—',
    '< 20 ms',
    inst?.medianMs === undefined ? NA : inst.medianMs < 20 ? 'yes' : 'no',
  ]);

  const fromBytes = r.instantiate[`${ours} (init from bytes)`];
  rows.push([
    `wasm init() from the .wasm bytes already in memory (compile + instantiate), median of ${r.freshPages}`,
    fromBytes?.na ? NA : cell(fromBytes?.medianMs, fmtMs),
    '—',
    '—',
    '—',
    '< 20 ms',
    fromBytes?.medianMs === undefined ? NA : fromBytes.medianMs < 20 ? 'yes' : 'no',
  ]);

  const requestFloor = r.instantiate['request floor'];
  rows.push([
    `the same three requests in a fresh page with empty files (this machine's floor for the row two above), median of ${r.freshPages}`,
    requestFloor?.na ? NA : cell(requestFloor?.medianMs, fmtMs),
    '—',
    '—',
    '—',
    '—',
    '—',
  ]);

  const floor = r.instantiate['empty module (floor)']?.medianMs;

  const header = ['metric', 'cognito-wasm', 'Amplify v6', 'amazon-cognito-identity-js', 'aws-jwt-verify', 'target', 'met?'];
  const lines = [
    '## Benchmarks',
    '',
    `Measured ${r.date} on ${r.machine.cpu} (nproc ${r.machine.nproc}), Chromium ${r.machine.chromium} headless, ` +
      `Node ${r.machine.node}; 1-minute load average ${r.machine.loadAverage1m.start.toFixed(2)} at the start, ` +
      `${r.machine.loadAverage1m.end.toFixed(2)} at the end (the machine is shared); commit ${r.commit}.`,
    `Peers: aws-amplify ${r.versions['aws-amplify']} (@aws-amplify/auth ${r.versions['@aws-amplify/auth']}), ` +
      `amazon-cognito-identity-js ${r.versions['amazon-cognito-identity-js']}, aws-jwt-verify ${r.versions['aws-jwt-verify']}; ` +
      `bundled with esbuild ${r.versions.esbuild}.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    'Ratios in parentheses are the peer\'s figure divided by cognito-wasm\'s (above 1× means cognito-wasm is smaller or faster).',
    `SRP: the client side of one USER_SRP_AUTH sign-in from fixed inputs (${r.srpVector}); every library's signature is`,
    'checked against the vector. All timings come from one Chromium page; the peers run their own SRP code (Amplify\'s',
    '@aws-amplify/auth internals, amazon-cognito-identity-js\'s AuthenticationHelper), cognito-wasm its `srpBench` export.',
    'Verification: a Cognito-shaped access token signed with a fresh RSA-2048 key; aws-jwt-verify\'s browser build',
    '(WebCrypto) with `cacheJwks`, cognito-wasm\'s `verifyToken` with `jwks` given. currentUser: Amplify\'s',
    '`getCurrentUser()` and amazon-cognito-identity-js\'s `getCurrentUser()` + `getSession()` read storage and decode the',
    'tokens without checking their signature; cognito-wasm\'s `currentUser()` verifies the ID token against the cached JWKS.',
  ];
  const shipped = (parts) =>
    parts
      .map((p) => {
        const compressed = [`${fmtBytes(p.gzip)} gzip`];
        if (p.brotli !== undefined) compressed.push(`${fmtBytes(p.brotli)} brotli`);
        return `${p.file.replace(/^.*\/dist\//, 'dist/')} ${fmtBytes(p.raw)} (${compressed.join(', ')})`;
      })
      .join(' + ');
  if (r.sizes[ours]?.parts) lines.push(`cognito-wasm ships: ${shipped(r.sizes[ours].parts)}.`);
  if (r.sizes[`${ours} (default entry)`]?.parts) {
    lines.push(
      `The default entry ships: ${shipped(r.sizes[`${ours} (default entry)`].parts)}; the flows module, fetched on the`,
      `first call that needs it: ${shipped(r.sizes[`${ours} (flows module, on first use)`]?.parts ?? [])}. The bundles are`,
      'esbuild --splitting builds: the default entry counts the files a page loads at start. Download rows: each file',
      'compressed on its own (GNU gzip -9 -n; Node zlib brotli at quality 11, window 24) and the sizes added; Amplify\'s',
      'whole auth category is `export * from \'aws-amplify/auth\'` plus `Amplify` (bench/apps/amplify-auth-category.js).',
    );
  }
  if (sl[ours]?.sequence || sl.amplify?.sequence) {
    lines.push(
      `Sign-in through the proxy: bench/latency-proxy.mjs on 127.0.0.1 holds every request ${delay} ms, then forwards it`,
      'to the emulator (which answers the CORS preflights); each run is a fresh browser context with the minimal app page',
      '(bench/page/app-*.js, bundled and minified), so storage, HTTP cache and preflight cache are empty; the time is',
      '`signIn()` alone (for cognito-wasm it includes fetching and compiling the flows module, which the first sign-in',
      'of a page loads). Round trips come from the proxy\'s log: requests whose windows (arrival to last byte of the',
      'answer) overlap count as one round. Amplify is configured with `userPoolEndpoint` = the proxy. Chromium does not',
      "use its preflight cache for a fetch with `cache: 'no-store'`, so such requests each come with their own preflight.",
    );
    for (const k of [ours, 'amplify']) {
      if (!sl[k]?.sequence) continue;
      const others = sl[k].otherSequences?.length ? ` (${sl[k].otherSequences.length} other orders seen: see results.json)` : '';
      const stray = [];
      if (sl[k].requestsBeforeSignIn) stray.push(`${sl[k].requestsBeforeSignIn} requests on page load, before signIn()`);
      if (sl[k].requestsAfterSignIn) stray.push(`${sl[k].requestsAfterSignIn} requests within 250 ms after it resolved`);
      const strayText = stray.length ? `; not counted: ${stray.join(', ')}` : '';
      lines.push(`- ${k === ours ? ours : 'Amplify v6'}: ${sl[k].sequence}${others}${strayText}.`);
    }
  }
  if (su[ours]?.medianMs !== undefined || su.amplify?.medianMs !== undefined) {
    const about = (k) =>
      su[k]?.medianMs === undefined
        ? null
        : `${k === ours ? ours : 'Amplify v6'} ${range(su[k].proxyRequests)} requests to the proxy per load, files fetched: ${su[k].staticFetches}`;
    lines.push(
      'Start-up: per library one browser context signs in on the app page, loads it once more untimed, then loads it',
      `${r.runs} times (each a new navigation in the same tab); the HTML is uncached, the bundle and the .wasm are cached`,
      'for a year. The figure is `performance.now()` when `currentUser()` (Amplify: `getCurrentUser()`) answered,',
      `i.e. ms since navigation start, top-level await of the wasm included. ${[about(ours), about('amplify')].filter(Boolean).join('; ')}.`,
    );
  }
  if (floor !== undefined) {
    lines.push(`Instantiation floor on this machine: an empty wasm module takes ${fmtMs(floor)} to instantiate in a fresh page.`);
  }
  const notes = [];
  const naNotes = (label, obj) => {
    for (const [k, val] of Object.entries(obj ?? {})) if (val?.na) notes.push(`- ${label}, ${k}: n/a — ${val.na}`);
  };
  naNotes('bundle size', r.sizes);
  naNotes('SRP', r.srp);
  naNotes('verification', r.verify);
  naNotes('currentUser', r.currentUser);
  naNotes('instantiation', r.instantiate);
  naNotes('sign-in through the proxy', r.signInLatency);
  naNotes('start-up', r.startup);
  if (notes.length) lines.push('', 'Not measured in this run:', ...notes);
  return `${lines.join('\n')}\n`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
