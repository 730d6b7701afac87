// Serves the built app (www/dist) and its runtime config.json, so one build can point at any user pool, emulator or
// API without a rebuild. Plain node:http, no dependencies.
//
// Run: COGNITO_USER_POOL_ID=... COGNITO_CLIENT_ID=... [COGNITO_ENDPOINT=...] [COGNITO_OAUTH_DOMAIN=...]
//      API_URL=http://127.0.0.1:8787
//      [APP_PORT=5173] [APP_HOST=127.0.0.1] [APP_DIST=www/dist] node server/static.mjs
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function originOf(url) {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/** The origin of a managed-login domain: a bare domain (`x.auth.us-east-1.amazoncognito.com`) is https. */
function domainOriginOf(domain) {
  if (!domain) return null;
  return originOf(/^https?:\/\//i.test(domain) ? domain : `https://${domain}`);
}

/**
 * The Content-Security-Policy of the app: scripts only from this origin (plus 'wasm-unsafe-eval', which compiling
 * WebAssembly needs), and network calls only to the user pool, its managed-login domain (the app fetches
 * /oauth2/token there; the sign-in pages themselves are navigations, which connect-src does not cover) and the API.
 */
export function contentSecurityPolicy(appConfig) {
  const region = (appConfig.userPoolId ?? '').split('_')[0];
  const cognito = originOf(appConfig.endpoint) ?? (region ? `https://cognito-idp.${region}.amazonaws.com` : null);
  const connect = ["'self'", cognito, domainOriginOf(appConfig.oauthDomain), originOf(appConfig.apiUrl)].filter(Boolean);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Creates the static server (not listening yet). options: { dist, appConfig: { userPoolId, clientId, ... } } */
export function createStaticServer({ dist, appConfig }) {
  const root = resolve(dist);
  const configJson = JSON.stringify(appConfig);
  const securityHeaders = {
    'Content-Security-Policy': contentSecurityPolicy(appConfig),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };

  async function sendFile(request, response, path) {
    const body = await readFile(path);
    const immutable = path.startsWith(join(root, 'assets') + sep);
    response.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      // Hashed assets never change; index.html must be re-read so a new build is picked up.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...securityHeaders,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  return http.createServer(async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      if (pathname === '/config.json') {
        response.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
          ...securityHeaders,
        });
        response.end(request.method === 'HEAD' ? undefined : configJson);
        return;
      }
      let relative;
      try {
        relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
      } catch {
        response.writeHead(400).end();
        return;
      }
      const path = resolve(root, relative);
      if (path !== root && !path.startsWith(root + sep)) {
        response.writeHead(404).end();
        return;
      }
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) {
        await sendFile(request, response, path);
      } else if (info?.isDirectory() || !extname(path)) {
        // Routes live in the hash, but be kind to a typed path: answer with the app.
        await sendFile(request, response, join(root, 'index.html'));
      } else {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      }
    } catch (error) {
      console.error('[app]', error);
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    }
  });
}

/** The app's config.json from the environment. */
export function appConfigFromEnv(env = process.env) {
  const config = {
    userPoolId: env.COGNITO_USER_POOL_ID,
    clientId: env.COGNITO_CLIENT_ID,
    endpoint: env.COGNITO_ENDPOINT || undefined,
    // Managed login (the "Continue with Google" and hosted sign-in buttons): the pool's domain.
    oauthDomain: env.COGNITO_OAUTH_DOMAIN || undefined,
    apiUrl: env.API_URL || 'http://127.0.0.1:8787',
    authFlow: env.COGNITO_AUTH_FLOW || undefined,
  };
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

async function main() {
  const appConfig = appConfigFromEnv();
  if (!appConfig.userPoolId || !appConfig.clientId) {
    console.error('Set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID (and COGNITO_ENDPOINT for an emulator).');
    process.exit(2);
  }
  const dist = process.env.APP_DIST || fileURLToPath(new URL('../dist', import.meta.url));
  const host = process.env.APP_HOST || '127.0.0.1';
  const port = Number(process.env.APP_PORT || 5173);
  const server = createStaticServer({ dist, appConfig });
  server.listen(port, host, () => {
    console.log(`[app] serving ${dist} on http://${host}:${server.address().port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
