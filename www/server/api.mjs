// The demo API: a plain node:http server whose protected routes trust a request only when its access token passes
// cognito-wasm's verifyToken (RS256 signature against the pool's JWKS, issuer, client id, token use, expiry).
//
//   GET /api/public     anyone
//   GET /api/feed       anyone; personalised items when a valid access token is sent
//   GET /api/protected  401 (with WWW-Authenticate: Bearer) unless a valid access token is sent
//   GET /api/admin      as /api/protected, and 403 unless the token's cognito:groups includes "admin"
//
// Run: COGNITO_USER_POOL_ID=... COGNITO_CLIENT_ID=... [COGNITO_ENDPOINT=...] [API_PORT=8787] [APP_ORIGIN=...]
//      node server/api.mjs
import http from 'node:http';
import { pathToFileURL } from 'node:url';

const REALM = 'lumen-demo';
// A bearer token as RFC 6750 defines it (b64token); anything else in the header is malformed.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/;

const PUBLIC_ITEMS = [
  {
    id: 'p1',
    tag: 'Release',
    title: 'Sign-in without the SDK weight',
    body: 'SRP, sessions and token refresh run in WebAssembly; the app only calls signIn and friends.',
  },
  {
    id: 'p2',
    tag: 'Security',
    title: 'Every token is checked in the browser',
    body: 'Tokens from the user pool are verified (RS256, issuer, audience, expiry) before the app trusts them.',
  },
  {
    id: 'p3',
    tag: 'Guide',
    title: 'One API, two checks',
    body: 'This API verifies the same access token again on the server, with the same package running in Node.',
  },
];

/** The items that only this user sees; built from the verified claims. */
function personalItems(claims) {
  const username = String(claims.username ?? claims['cognito:username'] ?? 'you');
  const groups = groupsOf(claims);
  const expires = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'unknown';
  return [
    {
      id: 'u1',
      personal: true,
      title: `Good to see you, ${username}`,
      body: 'This item came from the API because your access token passed its checks.',
    },
    {
      id: 'u2',
      personal: true,
      title: groups.length ? `Your groups: ${groups.join(', ')}` : 'You are not in any group yet',
      body: groups.includes('admin') ? 'As an admin you can call /api/admin.' : 'Admins can call /api/admin; you get a 403.',
    },
    {
      id: 'u3',
      personal: true,
      title: 'Your session',
      body: `Your access token is valid until ${expires}; the app refreshes it before then.`,
    },
  ];
}

function groupsOf(claims) {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group) => typeof group === 'string') : [];
}

/**
 * Creates the API server (not listening yet).
 * options: { userPoolId, clientId, endpoint?, allowedOrigins?: string[] | '*', verify?: verifyToken, log? }
 */
export function createApiServer(options) {
  const { userPoolId, clientId, endpoint, verify } = options;
  if (!userPoolId || !clientId) throw new Error('createApiServer: userPoolId and clientId are required');
  if (typeof verify !== 'function') throw new Error('createApiServer: pass verify (cognito-wasm verifyToken)');
  const allowedOrigins = options.allowedOrigins ?? '*';
  const log = options.log ?? (() => {});

  /** Resolves to `{ claims }`, `{ missing: true }`, or `{ failure: { status, error, code, description } }`. */
  async function authenticate(request) {
    const header = request.headers.authorization;
    if (header === undefined) return { missing: true };
    const match = BEARER.exec(header);
    if (!match) {
      return { failure: { status: 400, error: 'invalid_request', code: 'MalformedAuthorization', description: 'expected "Bearer <token>"' } };
    }
    try {
      const claims = await verify(match[1], {
        userPoolId,
        clientId,
        tokenUse: 'access',
        ...(endpoint ? { endpoint } : {}),
      });
      return { claims };
    } catch (error) {
      if (error?.name === 'TokenError') {
        return { failure: { status: 401, error: 'invalid_token', code: error.code, description: error.message } };
      }
      // The keys could not be fetched or the configuration is wrong: the token was not judged, so do not answer
      // 401 (the client would refresh and retry for nothing).
      log(`token check failed: ${error?.name} ${error?.code}: ${error?.message}`);
      return { failure: { status: 503, error: 'temporarily_unavailable', code: error?.code ?? 'Unknown', description: 'the token could not be checked' } };
    }
  }

  function corsHeaders(request) {
    const origin = request.headers.origin;
    if (!origin) return {};
    const allowed = allowedOrigins === '*' || allowedOrigins.includes(origin);
    if (!allowed) return { Vary: 'Origin' };
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'WWW-Authenticate',
      Vary: 'Origin',
    };
  }

  function send(request, response, status, body, extraHeaders = {}) {
    const payload = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...corsHeaders(request),
      ...extraHeaders,
    });
    response.end(request.method === 'HEAD' ? undefined : payload);
  }

  function challenge(request, response, failure) {
    if (!failure) {
      send(request, response, 401, { error: 'unauthorized', message: 'Sign in to call this route.' }, {
        'WWW-Authenticate': `Bearer realm="${REALM}"`,
      });
      return;
    }
    const { status, error, code, description } = failure;
    const headers =
      status === 503
        ? {}
        : { 'WWW-Authenticate': `Bearer realm="${REALM}", error="${error}", error_description="${code}"` };
    send(request, response, status, { error, code, message: `Your token was not accepted: ${description}` }, headers);
  }

  const routes = {
    '/api/public': async (request, response) => {
      send(request, response, 200, { message: 'Hello from the public route.', items: PUBLIC_ITEMS });
    },
    '/api/feed': async (request, response) => {
      const result = await authenticate(request);
      if (result.failure) return challenge(request, response, result.failure);
      const personalised = Boolean(result.claims);
      const items = personalised ? [...personalItems(result.claims), ...PUBLIC_ITEMS] : PUBLIC_ITEMS;
      send(request, response, 200, { personalised, items });
    },
    '/api/protected': async (request, response) => {
      const result = await authenticate(request);
      if (!result.claims) return challenge(request, response, result.failure);
      const { claims } = result;
      send(request, response, 200, {
        message: `Hello ${claims.username}, your access token is valid.`,
        username: claims.username,
        sub: claims.sub,
        groups: groupsOf(claims),
        scope: claims.scope,
        expiresAt: claims.exp,
      });
    },
    '/api/admin': async (request, response) => {
      const result = await authenticate(request);
      if (!result.claims) return challenge(request, response, result.failure);
      const groups = groupsOf(result.claims);
      if (!groups.includes('admin')) {
        send(request, response, 403, {
          error: 'forbidden',
          message: 'Only members of the admin group may call this route.',
          groups,
        });
        return;
      }
      send(request, response, 200, {
        message: `Welcome, ${result.claims.username}: you are an admin.`,
        username: result.claims.username,
        groups,
      });
    },
  };

  return http.createServer(async (request, response) => {
    const started = Date.now();
    response.on('finish', () => log(`${request.method} ${request.url} ${response.statusCode} ${Date.now() - started}ms`));
    try {
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      const route = routes[pathname];
      if (request.method === 'OPTIONS') {
        // CORS preflight: the app sends Authorization, which makes its GETs non-simple requests.
        response.writeHead(204, {
          ...corsHeaders(request),
          'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
          'Access-Control-Max-Age': '600',
        });
        response.end();
        return;
      }
      if (!route) {
        send(request, response, 404, { error: 'not_found', message: `No route ${pathname}.` });
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        send(request, response, 405, { error: 'method_not_allowed', message: 'Use GET.' }, { Allow: 'GET, HEAD, OPTIONS' });
        return;
      }
      await route(request, response);
    } catch (error) {
      log(`internal error: ${error?.stack ?? error}`);
      if (!response.headersSent) send(request, response, 500, { error: 'internal', message: 'Internal error.' });
      else response.destroy();
    }
  });
}

/** Reads the API's settings from the environment. */
export function configFromEnv(env = process.env) {
  const origins = (env.APP_ORIGIN ?? '*').trim();
  return {
    userPoolId: env.COGNITO_USER_POOL_ID,
    clientId: env.COGNITO_CLIENT_ID,
    endpoint: env.COGNITO_ENDPOINT || undefined,
    allowedOrigins: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()).filter(Boolean),
    host: env.API_HOST || '127.0.0.1',
    port: Number(env.API_PORT || 8787),
  };
}

async function main() {
  const config = configFromEnv();
  if (!config.userPoolId || !config.clientId) {
    console.error('Set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID (and COGNITO_ENDPOINT for an emulator).');
    process.exit(2);
  }
  const { verifyToken } = await import('cognito-wasm');
  const quiet = process.env.API_QUIET === '1';
  const server = createApiServer({
    ...config,
    verify: verifyToken,
    log: quiet ? () => {} : (line) => console.log(`[api] ${line}`),
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address();
    console.log(`[api] listening on http://${config.host}:${port} (pool ${config.userPoolId})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
