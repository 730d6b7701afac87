// One Amplify v6 app's use of auth, written once and run twice: over the real `aws-amplify` and over
// `cognito-wasm/amplify` (differential.test.mjs). `lib` is what the app imports: { configure, Hub, signUp, ... }.
// Every step records its outcome (the result or the error's name) and the Hub events it caused, normalised so that
// what differs between two runs by nature (tokens, subs, pool ids, times) compares equal.

/** Values that differ between two runs by nature, replaced by labels numbered in order of first appearance. */
export function normaliser(pool) {
  const labels = new Map();
  const label = (kind, value) => {
    const key = `${kind}:${value}`;
    if (!labels.has(key)) labels.set(key, `<${kind}#${[...labels.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1}>`);
    return labels.get(key);
  };
  const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time']);
  const normalise = (value, key) => {
    if (value === undefined || typeof value === 'function') return undefined;
    if (value instanceof Error) return { error: value.name };
    if (Array.isArray(value)) return value.map((v) => normalise(v));
    if (value && typeof value === 'object') {
      // A token as Amplify hands it out: { payload, toString() } with toString() the JWT itself.
      if (typeof value.toString === 'function' && Object.hasOwn(value, 'toString') && 'payload' in value) {
        const jwt = value.toString();
        return { jwt: /^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt) ? label('jwt', jwt) : `not a JWT: ${jwt}`, payload: normalise(value.payload) };
      }
      const out = {};
      for (const k of Object.keys(value).sort()) {
        const v = normalise(value[k], k);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    if (typeof value === 'number' && TIME_CLAIMS.has(key)) return '<time>';
    if (typeof value === 'string') {
      let s = value.split(pool.userPoolId).join('<pool>').split(pool.clientId).join('<client>');
      s = s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => label('id', id));
      return s;
    }
    return value;
  };
  return (value) => normalise(value);
}

/** Runs `fn`, recording the AuthFlow of every InitiateAuth request it makes; resolves to { result, authFlows }. */
async function recordingAuthFlows(fn) {
  const original = globalThis.fetch;
  const authFlows = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (request.headers.get('x-amz-target')?.endsWith('.InitiateAuth')) {
      authFlows.push(JSON.parse(await request.clone().text()).AuthFlow);
    }
    return original(request);
  };
  try {
    return { result: await fn(), authFlows };
  } finally {
    globalThis.fetch = original;
  }
}

/**
 * Runs the scenario over `lib` in a fresh pool; resolves to [{ step, outcome, events }] (normalised).
 * `setup` gives the pool and helpers: { pool, cognitoCall(op, body) }.
 */
export async function scenario(lib, { pool, cognitoCall }) {
  const norm = normaliser(pool);
  const steps = [];
  let events = [];
  const step = async (name, fn) => {
    let outcome;
    try {
      outcome = { ok: norm(await fn()) ?? null };
    } catch (e) {
      outcome = { error: e?.name ?? String(e) };
    }
    // Let late events arrive before they are counted for this step.
    await new Promise((resolve) => setTimeout(resolve, 20));
    steps.push({ step: name, outcome, events: events.map((e) => norm(e)) });
    events = [];
  };

  await step('configure', () => lib.configure({
    Auth: {
      Cognito: {
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.clientId,
        userPoolEndpoint: pool.endpoint,
        loginWith: { username: true, email: false },
      },
    },
  }));
  const stopListening = lib.Hub.listen('auth', ({ payload }) => {
    const { event, data } = payload;
    events.push(data === undefined ? { event } : { event, data: data?.error ? { error: data.error.name } : data });
  });

  // Signed out.
  await step('getCurrentUser while signed out', () => lib.getCurrentUser());
  await step('fetchAuthSession while signed out', () => lib.fetchAuthSession());
  await step('fetchUserAttributes while signed out', () => lib.fetchUserAttributes());
  await step('updatePassword while signed out', () => lib.updatePassword({ oldPassword: 'Passw0rd1', newPassword: 'Passw0rd2' }));
  await step('confirmSignIn with no sign-in', () => lib.confirmSignIn({ challengeResponse: 'Passw0rd1' }));

  // Sign-up.
  const alice = { username: 'alice', password: 'Passw0rd1' };
  await step('signUp', () => lib.signUp({ ...alice, options: { userAttributes: { email: 'alice@example.com' } } }));
  await step('signUp taken username', () => lib.signUp({ ...alice, options: { userAttributes: { email: 'alice@example.com' } } }));
  await step('signUp weak password', () => lib.signUp({ username: 'bob', password: 'short', options: { userAttributes: { email: 'bob@example.com' } } }));
  await step('signUp without username', () => lib.signUp({ username: '', password: 'Passw0rd1' }));
  await step('signIn unconfirmed user', () => lib.signIn(alice));
  await step('resendSignUpCode', () => lib.resendSignUpCode({ username: 'alice' }));
  await step('resendSignUpCode without username', () => lib.resendSignUpCode({ username: '' }));
  await step('confirmSignUp wrong code', () => lib.confirmSignUp({ username: 'alice', confirmationCode: 'emulator-wrong-1' }));
  await step('confirmSignUp without code', () => lib.confirmSignUp({ username: 'alice', confirmationCode: '' }));
  await step('confirmSignUp', () => lib.confirmSignUp({ username: 'alice', confirmationCode: '123456' }));

  // Sign-in.
  await step('signIn without username', () => lib.signIn({ username: '', password: 'Passw0rd1' }));
  await step('signIn without password', () => lib.signIn({ username: 'alice', password: '' }));
  await step('signIn CUSTOM_WITHOUT_SRP with a password', () => lib.signIn({ username: 'alice', password: 'Passw0rd1', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } }));
  await step('signIn wrong password', () => lib.signIn({ username: 'alice', password: 'Wrong-Passw0rd' }));
  await step('signIn unknown user', () => lib.signIn({ username: 'nobody', password: 'Passw0rd1' }));
  await step('signIn', () => recordingAuthFlows(() => lib.signIn(alice)));
  await step('signIn while signed in', () => lib.signIn(alice));
  await step('getCurrentUser', () => lib.getCurrentUser());
  let first;
  await step('fetchAuthSession', async () => {
    first = await lib.fetchAuthSession();
    return first;
  });
  await step('fetchAuthSession again (same tokens)', async () => {
    const again = await lib.fetchAuthSession();
    return { sameAccessToken: again.tokens.accessToken.toString() === first.tokens.accessToken.toString() };
  });
  await step('fetchAuthSession forceRefresh', async () => {
    const forced = await lib.fetchAuthSession({ forceRefresh: true });
    return { ...forced, newAccessToken: forced.tokens.accessToken.toString() !== first.tokens.accessToken.toString() };
  });

  // Account.
  await step('fetchUserAttributes', () => lib.fetchUserAttributes());
  await step('updateUserAttributes (no code needed)', () => lib.updateUserAttributes({ userAttributes: { given_name: 'Alice' } }));
  await step('updateUserAttributes (email: code sent)', () => lib.updateUserAttributes({ userAttributes: { email: 'alice2@example.com' } }));
  await step('fetchUserAttributes after update', () => lib.fetchUserAttributes());
  await step('updateUserAttribute', () => lib.updateUserAttribute({ userAttribute: { attributeKey: 'family_name', value: 'Liddell' } }));
  await step('sendUserAttributeVerificationCode', () => lib.sendUserAttributeVerificationCode({ userAttributeKey: 'email' }));
  await step('confirmUserAttribute without code', () => lib.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '' }));
  await step('confirmUserAttribute', () => lib.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '123456' }));
  await step('deleteUserAttributes', () => lib.deleteUserAttributes({ userAttributeKeys: ['given_name'] }));
  await step('fetchUserAttributes after verify and delete', () => lib.fetchUserAttributes());
  await step('fetchMFAPreference', () => lib.fetchMFAPreference());
  await step('verifyTOTPSetup without code', () => lib.verifyTOTPSetup({ code: '' }));
  await step('updatePassword wrong old password', () => lib.updatePassword({ oldPassword: 'Wrong-Passw0rd', newPassword: 'Passw0rd2' }));
  await step('updatePassword without new password', () => lib.updatePassword({ oldPassword: 'Passw0rd1', newPassword: '' }));
  await step('updatePassword', () => lib.updatePassword({ oldPassword: 'Passw0rd1', newPassword: 'Passw0rd2' }));

  // Sign-out, local then global.
  await step('signOut', () => lib.signOut());
  await step('getCurrentUser after signOut', () => lib.getCurrentUser());
  await step('signIn old password', () => lib.signIn(alice));
  await step('signIn USER_PASSWORD_AUTH', () => recordingAuthFlows(() =>
    lib.signIn({ username: 'alice', password: 'Passw0rd2', options: { authFlowType: 'USER_PASSWORD_AUTH' } })));
  await step('getCurrentUser (password flow)', () => lib.getCurrentUser());
  await step('signOut global', () => lib.signOut({ global: true }));
  await step('fetchAuthSession after global signOut', () => lib.fetchAuthSession());
  await step('signOut while signed out', () => lib.signOut());

  // Forgotten password.
  await step('resetPassword without username', () => lib.resetPassword({ username: '' }));
  await step('resetPassword', () => lib.resetPassword({ username: 'alice' }));
  await step('confirmResetPassword wrong code', () => lib.confirmResetPassword({ username: 'alice', confirmationCode: 'emulator-wrong-2', newPassword: 'Passw0rd3' }));
  await step('confirmResetPassword without code', () => lib.confirmResetPassword({ username: 'alice', confirmationCode: '', newPassword: 'Passw0rd3' }));
  await step('confirmResetPassword', () => lib.confirmResetPassword({ username: 'alice', confirmationCode: '123456', newPassword: 'Passw0rd3' }));
  await step('signIn after reset', () => lib.signIn({ username: 'alice', password: 'Passw0rd3' }));

  // The session is ended elsewhere (GlobalSignOut by another device): the next refresh is refused.
  await step('session revoked elsewhere, then forceRefresh', async () => {
    const { tokens } = await lib.fetchAuthSession();
    const revoked = await cognitoCall('GlobalSignOut', { AccessToken: tokens.accessToken.toString() });
    if (revoked.status !== 200) throw new Error(`GlobalSignOut: ${revoked.status}`);
    return lib.fetchAuthSession({ forceRefresh: true });
  });
  await step('getCurrentUser after the refused refresh', () => lib.getCurrentUser());

  // Deletion.
  await step('signIn before deleteUser', () => lib.signIn({ username: 'alice', password: 'Passw0rd3' }));
  await step('deleteUser', () => lib.deleteUser());
  await step('getCurrentUser after deleteUser', () => lib.getCurrentUser());
  await step('signIn deleted user', () => lib.signIn({ username: 'alice', password: 'Passw0rd3' }));
  await step('deleteUser while signed out', () => lib.deleteUser());

  // Sign-up with autoSignIn: confirming it says COMPLETE_AUTO_SIGN_IN, and autoSignIn() signs the user in.
  await step('autoSignIn before any sign-up asked for it', () => lib.autoSignIn());
  await step('signUp with autoSignIn', () => lib.signUp({ username: 'erin', password: 'Passw0rd1', options: { userAttributes: { email: 'erin@example.com' }, autoSignIn: true } }));
  await step('confirmSignUp with autoSignIn', () => lib.confirmSignUp({ username: 'erin', confirmationCode: '123456' }));
  await step('autoSignIn', () => lib.autoSignIn());
  await step('getCurrentUser after autoSignIn', () => lib.getCurrentUser());
  await step('signOut after autoSignIn', () => lib.signOut());

  // An admin-created user must choose a password (NEW_PASSWORD_REQUIRED).
  await step('signIn admin-created user', () => lib.signIn({ username: 'carol', password: 'TempPassw0rd1' }));
  await step('confirmSignIn without response', () => lib.confirmSignIn({ challengeResponse: '' }));
  await step('confirmSignIn weak new password', () => lib.confirmSignIn({ challengeResponse: 'short' }));
  await step('confirmSignIn new password', () => lib.confirmSignIn({ challengeResponse: 'Passw0rd9' }));
  await step('getCurrentUser (new password)', () => lib.getCurrentUser());
  await step('signOut at the end', () => lib.signOut());

  stopListening();
  await step('events stop after unsubscribe', async () => {
    await lib.signIn({ username: 'carol', password: 'Passw0rd9' });
    await lib.signOut();
  });
  return steps;
}
