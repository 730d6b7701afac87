// Calls to the demo API. Signed-in calls go through `auth.fetch`, which adds the access token (the API's origin is
// in `apiOrigins`, see main.jsx) and, on a 401, retries once with refreshed tokens.

/** GETs `path` from the API; resolves to `{ status, ok, body }` (body is the parsed JSON, or null). */
export async function apiGet({ auth, config, signedIn }, path) {
  const url = `${config.apiUrl}${path}`;
  const init = { headers: { Accept: 'application/json' } };
  const response = signedIn ? await auth.fetch(url, init) : await fetch(url, init);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { status: response.status, ok: response.ok, body };
}
