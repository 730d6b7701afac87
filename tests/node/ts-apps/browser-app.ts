// A small browser app in TypeScript, as a user of the package writes it: tests/node/types.test.mjs compiles it with
// `tsc --strict`, `skipLibCheck: false`, lib ES2022 + DOM and `moduleResolution: bundler` (it is never run).
import { CognitoAuth, CognitoWasmError, verifyToken } from 'cognito-wasm';
import type { CurrentUser, KeyValueStore, SignInOutput, SignInStep } from 'cognito-wasm';

const auth = new CognitoAuth({
  userPoolId: 'us-east-1_AbC123',
  clientId: '4abcdefghijklmnopqrstuvwxy',
  storage: 'session',
  apiOrigins: ['https://api.example.com'] as const,
  refreshMethod: 'GetTokensFromRefreshToken',
});

// A store over a Map, as an app might wrap a cookie jar.
const items = new Map<string, string>();
const mapStore: KeyValueStore = {
  getItem: (key) => items.get(key) ?? null,
  setItem: (key, value) => void items.set(key, value),
  removeItem: (key) => void items.delete(key),
};
export const inMemory = new CognitoAuth({ userPoolId: 'us-east-1_AbC123', clientId: 'c1', storage: mapStore });
export const inLocalStorage = new CognitoAuth({ userPoolId: 'us-east-1_AbC123', clientId: 'c1', storage: localStorage });

const status = document.querySelector<HTMLParagraphElement>('#status')!;

function show(user: CurrentUser | null): void {
  status.textContent = user ? `${user.username} (${user.groups.join(', ')}), until ${new Date(user.expiresAt)}` : 'signed out';
}

/** What the app asks the user next, for each step Cognito can require. */
function prompt(step: SignInStep): string {
  switch (step) {
    case 'DONE': return '';
    case 'CONFIRM_SIGN_UP': return 'Enter the code we sent you';
    case 'RESET_PASSWORD': return 'Reset your password';
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED': return 'Choose a new password';
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE': return 'Enter your code';
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION': return 'Choose an MFA method';
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': return 'Scan the QR code';
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION': return 'Choose how to verify it is you';
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP': return 'Which email address should the codes go to?';
    case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION': return 'How do you want to sign in?';
    case 'CONFIRM_SIGN_IN_WITH_PASSWORD': return 'Your password';
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE': return 'Answer the challenge';
  }
}

async function signIn(form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  let result: SignInOutput;
  try {
    result = await auth.signIn({ username: String(data.get('username')), password: String(data.get('password')) });
  } catch (err) {
    if (err instanceof CognitoWasmError && err.code === 'NotAuthorizedException') {
      status.textContent = 'Wrong username or password';
      return;
    }
    throw err;
  }
  while (!result.isSignedIn) {
    const { nextStep } = result;
    if (nextStep.totpSetupDetails) console.log('scan', nextStep.totpSetupDetails.getSetupUri('My App').href);
    if (nextStep.codeDeliveryDetails?.destination) console.log('sent to', nextStep.codeDeliveryDetails.destination);
    const answer = window.prompt(prompt(nextStep.signInStep));
    if (answer === null) return;
    result = nextStep.missingAttributes
      ? await auth.confirmSignIn({
        challengeResponse: answer,
        options: { userAttributes: Object.fromEntries(nextStep.missingAttributes.map((name) => [name, ''])) },
      })
      : await auth.confirmSignIn({ challengeResponse: answer });
  }
  show(await auth.currentUser());
}

async function account(): Promise<void> {
  const attributes: Record<string, string> = await auth.fetchUserAttributes();
  const updates = await auth.updateUserAttributes({ userAttributes: { ...attributes, nickname: 'al' } });
  for (const [name, update] of Object.entries(updates)) {
    if (update.nextStep.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE') console.log(`confirm ${name}`);
  }
  await auth.updatePassword({ oldPassword: 'Passw0rd!', newPassword: 'Passw0rd!2' });
  const signUp = await auth.signUp({
    username: 'bob',
    password: 'Passw0rd!',
    options: { userAttributes: { email: 'bob@example.com' }, autoSignIn: true },
  });
  if (!signUp.isSignUpComplete && signUp.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
    const confirmed = await auth.confirmSignUp({ username: 'bob', confirmationCode: '123456' });
    if (confirmed.nextStep.signUpStep === 'COMPLETE_AUTO_SIGN_IN') await auth.autoSignIn();
  }
  const delivery = await auth.resendSignUpCode({ username: 'bob' });
  console.log(delivery.deliveryMedium, delivery.destination);
  const reset = await auth.resetPassword({ username: 'bob' });
  if (!reset.isPasswordReset) {
    await auth.confirmResetPassword({ username: 'bob', confirmationCode: '123456', newPassword: 'Passw0rd!3' });
  }
}

async function orders(): Promise<unknown> {
  const mine = await auth.fetch('/api/orders');
  const theirs = await auth.fetch(new Request('https://api.example.com/orders', { method: 'POST', body: '{}' }));
  const more = await auth.fetch(new URL('https://api.example.com/orders?page=2'), { headers: { Accept: 'application/json' } });
  if (!mine.ok || !theirs.ok || !more.ok) throw new Error(`HTTP ${mine.status}`);
  return mine.json();
}

async function tokens(): Promise<Record<string, unknown>> {
  const access: string = await auth.getAccessToken();
  const id: string = await auth.getIdToken({ forceRefresh: true });
  console.log(id.length);
  return verifyToken(access, { userPoolId: 'us-east-1_AbC123', clientId: 'c1', tokenUse: 'access', scopes: 'openid' });
}

const unsubscribe = auth.onAuthChange(({ event }) => {
  if (event === 'signedOut' || event === 'tokenRefresh_failure') show(null);
});
document.querySelector<HTMLFormElement>('form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(event.currentTarget as HTMLFormElement).catch((err: unknown) => {
    status.textContent = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  });
});
document.querySelector('#sign-out')!.addEventListener('click', () => {
  void auth.signOut();
});
window.addEventListener('pagehide', () => {
  unsubscribe();
  void auth.signOut({ global: false }).finally(() => auth.free());
});

show(await auth.currentUser());
export { account, orders, tokens };
