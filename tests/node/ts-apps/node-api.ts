// A small Node back end in TypeScript that checks Cognito access tokens with verifyToken: tests/node/types.test.mjs
// compiles it with `tsc --strict`, `skipLibCheck: false`, `module`/`moduleResolution: nodenext`, @types/node and no
// DOM lib (it is never run).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { CognitoAuth, CognitoWasmError, verifyToken, type VerifyTokenOptions } from 'cognito-wasm';

const options: VerifyTokenOptions = {
  userPoolId: process.env.COGNITO_USER_POOL_ID ?? 'us-east-1_AbC123',
  clientId: process.env.COGNITO_CLIENT_ID ?? 'c1',
  tokenUse: 'access',
  issuer: ['https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123'],
  clockSkewSeconds: 30,
};
// Keys read from disk (no request), as an object or as the file's text.
const jwksText = await readFile(new URL('./jwks.json', import.meta.url), 'utf8');
const jwks = JSON.parse(jwksText) as { keys: object[] };

async function claimsOf(req: IncomingMessage, groups?: string[]): Promise<Record<string, unknown> | null> {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  try {
    return await verifyToken(header.slice('Bearer '.length), { ...options, groups, jwks });
  } catch (err) {
    if (err instanceof CognitoWasmError && err.name === 'TokenError') return null;
    throw err;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const claims = await claimsOf(req, req.url?.startsWith('/admin') ? ['admin'] : undefined);
  if (!claims) {
    res.writeHead(401).end();
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const idClaims = await verifyToken(String(claims.sub), { ...options, tokenUse: 'id', jwks: jwksText, now });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ claims, idClaims }));
}

// A server-side client too: memory storage (the default without a window), the API's origin allowed explicitly.
const service = new CognitoAuth({
  userPoolId: options.userPoolId,
  clientId: options.clientId,
  storage: 'memory',
  apiOrigins: 'https://api.example.com',
  requestTimeoutMs: 5000,
});
await service.signIn({ username: 'service', password: process.env.SERVICE_PASSWORD ?? '' });
const upstream: Response = await service.fetch('https://api.example.com/health');
const token: string = await service.getAccessToken();
console.log(upstream.status, token.length, (await service.currentUser())?.userId);
await service.signOut();
service.free();

createServer((req, res) => {
  handle(req, res).catch(() => res.writeHead(500).end());
}).listen(8080);
