// Where the app finds its Cognito pool and its API. In order of precedence:
//   1. `window.COGNITO_DEMO_CONFIG`, injected by a page that embeds the app;
//   2. `config.json` next to index.html, written at deploy time (so one build can point at any pool or emulator);
//   3. Vite env at build time: VITE_COGNITO_USER_POOL_ID, VITE_COGNITO_CLIENT_ID, VITE_COGNITO_ENDPOINT, VITE_API_URL,
//      VITE_COGNITO_OAUTH_DOMAIN.
// `oauthDomain` (optional) turns on managed login: the pool's domain, or the emulator's domain URL.
const env = import.meta.env;

const FROM_ENV = {
  userPoolId: env.VITE_COGNITO_USER_POOL_ID,
  clientId: env.VITE_COGNITO_CLIENT_ID,
  endpoint: env.VITE_COGNITO_ENDPOINT,
  apiUrl: env.VITE_API_URL,
  authFlow: env.VITE_COGNITO_AUTH_FLOW,
  oauthDomain: env.VITE_COGNITO_OAUTH_DOMAIN,
};

const KEYS = ['userPoolId', 'clientId', 'endpoint', 'apiUrl', 'authFlow', 'oauthDomain'];

function pick(source) {
  const out = {};
  if (!source || typeof source !== 'object') return out;
  for (const key of KEYS) {
    const value = source[key];
    if (typeof value === 'string' && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

async function fetchConfigFile() {
  try {
    const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
    // A dev server answers unknown paths with index.html: only a JSON answer counts.
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('json')) return {};
    return pick(await response.json());
  } catch {
    return {};
  }
}

/**
 * The API's origin when it is not the page's own: `auth.fetch` sends the access token only to the page's origin and
 * to the origins listed in `apiOrigins`, so an API elsewhere must be listed. Null for a relative `apiUrl`.
 */
function apiOriginOf(apiUrl) {
  if (!apiUrl || typeof location === 'undefined') return null;
  try {
    const { origin } = new URL(apiUrl, location.href);
    return origin === location.origin ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The `oauth` option of CognitoAuth for managed login at `domain`: the browser comes back to this page (its URL
 * without query or hash: routes live in the hash), after sign-in and after sign-out; the app client must list that
 * URL in its callback and sign-out URLs. The admin scope lets the profile page read and change the user's attributes.
 */
export function oauthOptions(domain) {
  const here = `${location.origin}${location.pathname}`;
  return {
    domain,
    scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    redirectSignIn: [here],
    redirectSignOut: [here],
    responseType: 'code',
  };
}

/** Resolves to `{ userPoolId, clientId, endpoint?, apiUrl, apiOrigin, authFlow?, oauthDomain?, missing: string[] }`. */
export async function loadConfig() {
  const injected = typeof window !== 'undefined' ? pick(window.COGNITO_DEMO_CONFIG) : {};
  const fromFile = injected.userPoolId ? {} : await fetchConfigFile();
  const config = { apiUrl: '', ...pick(FROM_ENV), ...fromFile, ...injected };
  config.apiUrl = config.apiUrl.replace(/\/+$/, '');
  config.apiOrigin = apiOriginOf(config.apiUrl);
  config.missing = ['userPoolId', 'clientId'].filter((key) => !config[key]);
  return config;
}
