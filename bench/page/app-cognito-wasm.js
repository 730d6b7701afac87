// A minimal app page for the sign-in and start-up benchmarks (run.mjs bundles it with esbuild --minify and serves
// it with the .wasm beside it). The pool comes from the query: `pool`, `client`, `endpoint`; with `mode=startup` the
// page asks for the current user as soon as it runs and records when the answer came (ms since navigation start).
import { CognitoAuth } from 'cognito-wasm';

const params = new URLSearchParams(location.search);
const auth = new CognitoAuth({
  userPoolId: params.get('pool'),
  clientId: params.get('client'),
  endpoint: params.get('endpoint'),
  storage: 'local',
});

const answered = (user) => ({ atMs: performance.now(), username: user?.username ?? null });
const failed = (err) => ({ atMs: performance.now(), error: `${err?.name}: ${err?.message}` });

window.benchApp = {
  startup: params.get('mode') === 'startup' ? auth.currentUser().then(answered, failed) : null,
  async signIn(username, password) {
    const start = performance.now();
    const out = await auth.signIn({ username, password });
    const ms = performance.now() - start;
    if (!out.isSignedIn) throw new Error(`cognito-wasm: sign-in stopped at ${out.nextStep?.signInStep}`);
    return { ms };
  },
  async currentUser() {
    return (await auth.currentUser())?.username ?? null;
  },
};
