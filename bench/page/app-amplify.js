// The same minimal app page as app-cognito-wasm.js, with Amplify v6 (`userPoolEndpoint` from the query).
import { Amplify } from 'aws-amplify';
import { getCurrentUser, signIn } from 'aws-amplify/auth';

const params = new URLSearchParams(location.search);
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: params.get('pool'),
      userPoolClientId: params.get('client'),
      userPoolEndpoint: params.get('endpoint'),
    },
  },
});

const answered = (user) => ({ atMs: performance.now(), username: user?.username ?? null });
const failed = (err) => ({ atMs: performance.now(), error: `${err?.name}: ${err?.message}` });

window.benchApp = {
  startup: params.get('mode') === 'startup' ? getCurrentUser().then(answered, failed) : null,
  async signIn(username, password) {
    const start = performance.now();
    const out = await signIn({ username, password });
    const ms = performance.now() - start;
    if (!out.isSignedIn) throw new Error(`amplify: sign-in stopped at ${out.nextStep?.signInStep}`);
    return { ms };
  },
  async currentUser() {
    return (await getCurrentUser())?.username ?? null;
  },
};
