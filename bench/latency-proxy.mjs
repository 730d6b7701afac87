// A latency proxy for the sign-in benchmarks: an HTTP server on 127.0.0.1 that holds every request (CORS preflights
// included) for a fixed delay, then forwards it unchanged to the Cognito emulator and streams the answer back. The
// emulator answers the preflights itself (it allows any origin and the requested headers); the proxy adds nothing.
// Every request is logged with its time window (arrival at the proxy to the last byte of the answer), so that
// run.mjs (and tests/node/round-trips.test.mjs) can count requests and sequential round trips.
//
// As a module: `const proxy = await startLatencyProxy({ target, delayMs })`; `proxy.url`, `proxy.takeLog()`,
// `proxy.close()`. As a program: `node bench/latency-proxy.mjs TARGET_URL [DELAY_MS=50] [PORT=0]` prints its URL and
// one JSON line per request.
import { Agent, createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

const BROWSER_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'origin',
  'referer',
  'user-agent',
  'accept-encoding',
  'accept-language',
]);

function forwardHeaders(raw, host) {
  const headers = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
  }
  headers.host = host;
  return headers;
}

export function startLatencyProxy({ target, delayMs = 50, port = 0, onRequest } = {}) {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const clock = () => performance.timeOrigin + performance.now();
  let log = [];
  let seq = 0;

  const server = createServer((req, res) => {
    const entry = {
      seq: seq++,
      method: req.method,
      path: req.url,
      target: req.headers['x-amz-target']?.replace(/^AWSCognitoIdentityProviderService\./, '') ?? null,
      preflight: req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined,
      // For a preflight, the headers the browser asks to send; else the request's own header names (what the
      // browser adds to every request left out).
      headers:
        req.headers['access-control-request-headers'] ??
        Object.keys(req.headers)
          .filter((h) => !BROWSER_HEADERS.has(h) && !h.startsWith('sec-'))
          .join(','),
      startMs: clock(),
      endMs: null,
      status: null,
    };
    log.push(entry);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const body = Buffer.concat(chunks);
        const headers = forwardHeaders(req.headers, upstream.host);
        if (body.length || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
        const out = httpRequest(
          {
            protocol: upstream.protocol,
            hostname: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers,
            agent,
          },
          (answer) => {
            entry.status = answer.statusCode;
            const back = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (!HOP_BY_HOP.has(name.toLowerCase())) back[name] = value;
            }
            res.writeHead(answer.statusCode, answer.statusMessage, back);
            answer.pipe(res);
          },
        );
        out.on('error', (err) => {
          entry.status = 502;
          entry.error = err.message;
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`latency proxy: ${err.message}`);
        });
        out.end(body);
      }, delayMs);
    });
    res.on('finish', () => {
      entry.endMs = clock();
      onRequest?.(entry);
    });
    res.on('close', () => {
      if (entry.endMs === null) {
        entry.endMs = clock();
        entry.aborted = true;
        onRequest?.(entry);
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url,
        delayMs,
        // The requests logged since the last call (those still open included, with `endMs: null`).
        takeLog() {
          const taken = log;
          log = [];
          return taken;
        },
        close() {
          agent.destroy();
          server.closeAllConnections?.();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

// Requests whose time windows overlap form one round; rounds that follow each other are sequential round trips.
export function roundTrips(entries) {
  const windows = entries
    .map((e) => [e.startMs, e.endMs ?? Infinity])
    .sort((x, y) => x[0] - y[0]);
  let rounds = 0;
  let end = -Infinity;
  for (const [start, stop] of windows) {
    if (start >= end) rounds++;
    end = Math.max(end, stop);
  }
  return rounds;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [target, delay = '50', port = '0'] = process.argv.slice(2);
  if (!target) {
    console.error('usage: node bench/latency-proxy.mjs TARGET_URL [DELAY_MS=50] [PORT=0]');
    process.exit(2);
  }
  const proxy = await startLatencyProxy({
    target,
    delayMs: Number(delay),
    port: Number(port),
    onRequest: (e) => console.log(JSON.stringify(e)),
  });
  console.error(`latency proxy ${proxy.url} -> ${target} (+${proxy.delayMs} ms per request)`);
}
