// The app every bundler builds: it imports the package by name, as an app does, and runs a few real calls against
// the Cognito emulator named in the page's query (endpoint, userPoolId, clientId, username, password). The outcome
// goes to `window.testResult` and the page's text for bundlers.test.mjs to read.
import { CognitoAuth, CognitoWasmError, verifyToken } from 'cognito-wasm';

const query = new URLSearchParams(location.search);
const pool = { userPoolId: query.get('userPoolId'), clientId: query.get('clientId'), endpoint: query.get('endpoint') };

/** The .wasm files the page has fetched so far. */
const wasmFetched = () => performance.getEntriesByType('resource').filter((e) => /\.wasm(\?|$)/.test(e.name)).length;

async function run() {
  const auth = new CognitoAuth(pool);
  const before = await auth.currentUser();
  // The session core answers currentUser: the module with the flows is fetched on the first sign-in.
  const wasmBeforeSignIn = wasmFetched();
  const wrong = await auth.signIn({ username: query.get('username'), password: 'not-the-password-1A' }).then(
    () => 'resolved',
    (e) => (e instanceof CognitoWasmError ? `${e.name}/${e.code}` : `not a CognitoWasmError: ${e}`),
  );
  const { isSignedIn, nextStep } = await auth.signIn({ username: query.get('username'), password: query.get('password') });
  const user = await auth.currentUser();
  const claims = await verifyToken(await auth.getAccessToken(), { ...pool, tokenUse: 'access' });
  await auth.signOut();
  return {
    before,
    wasmBeforeSignIn,
    wasmAtEnd: wasmFetched(),
    wrong,
    isSignedIn,
    signInStep: nextStep.signInStep,
    username: user?.username,
    tokenUsername: claims.username,
    after: await auth.currentUser(),
  };
}

run().then(
  (result) => { window.testResult = { ok: true, ...result }; },
  (e) => { window.testResult = { ok: false, error: `${e?.name}: ${e?.message}` }; },
).finally(() => {
  document.querySelector('#status').textContent = JSON.stringify(window.testResult);
});
