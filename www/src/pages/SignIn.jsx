import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useApp } from '../context.js';
import { Link, navigate, safeNext } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { messageFor } from '../errors.js';
import { PASSWORD_HINT } from './SignUp.jsx';

const MFA_LABELS = { TOTP: 'Authenticator app', SMS: 'Text message (SMS)', EMAIL: 'Email' };

export function SignIn({ query }) {
  const { auth, config, session } = useApp();
  const [username, setUsername] = useState(query.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState(null); // the `nextStep` of the last answer, while a challenge is open
  const [busy, error, run] = useAction();
  const next = safeNext(query.get('next'));

  // Every answer of signIn/confirmSignIn goes through here: each `nextStep` has its own screen.
  async function follow(output) {
    if (!output) return;
    const { nextStep } = output;
    switch (nextStep.signInStep) {
      case 'DONE':
        await session.refresh();
        navigate(next, { notice: null, replace: true });
        return;
      case 'CONFIRM_SIGN_UP':
        navigate(`/confirm?username=${encodeURIComponent(username.trim())}`, {
          notice: 'Your account is not confirmed yet. Enter the code we sent you, or ask for a new one.',
        });
        return;
      case 'RESET_PASSWORD':
        navigate(`/forgot?username=${encodeURIComponent(username.trim())}`, {
          notice: 'You need to choose a new password before you can sign in.',
        });
        return;
      default:
        setStep(nextStep);
    }
  }

  async function submitCredentials(event) {
    event.preventDefault();
    await follow(await run(() => auth.signIn({ username: username.trim(), password })));
  }

  // Password-less first factors (USER_AUTH): the passkey is asked of the browser inside signIn.
  const signInWith = (preferredChallenge) =>
    run(() => auth.signIn({ username: username.trim(), options: { authFlowType: 'USER_AUTH', preferredChallenge } })).then(follow);

  // Managed login: the browser leaves for the pool's pages and comes back signed in; `next` rides along as the
  // customState (main.jsx goes there). Only a failure to start lands here.
  const signInWithRedirect = (provider) =>
    run(() => auth.signInWithRedirect({ ...(provider ? { provider } : {}), customState: next }));

  const answer = (challengeResponse, userAttributes) =>
    run(() => auth.confirmSignIn(userAttributes ? { challengeResponse, options: { userAttributes } } : { challengeResponse })).then(follow);

  const restart = () => {
    setStep(null);
    setPassword('');
  };

  let body;
  if (!step && session.user) {
    body = (
      <div data-testid="already-signed-in">
        <p>
          You are signed in as <strong>{session.user.username}</strong>.
        </p>
        <div className="actions">
          <Link to={next} className="button button--primary">
            Continue
          </Link>
          <Link to="/signout" className="button button--link">
            Sign out
          </Link>
        </div>
      </div>
    );
  } else if (!step) {
    body = (
      <form onSubmit={submitCredentials}>
        <Alert>{error && messageFor(error)}</Alert>
        <Field label="Username" value={username} onChange={setUsername} autoComplete="username" name="username" />
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" name="password" />
        <div className="actions">
          <Submit busy={busy} busyLabel="Signing in…">
            Sign in
          </Submit>
          <Link to="/forgot" query={{ username: username.trim() }} className="button button--link">
            Forgot your password?
          </Link>
        </div>
        <div className="actions">
          <button type="button" className="button button--ghost" disabled={busy} onClick={() => signInWith('WEB_AUTHN')}>
            Sign in with a passkey
          </button>
          <button type="button" className="button button--ghost" disabled={busy} onClick={() => signInWith('EMAIL_OTP')}>
            Email me a code
          </button>
        </div>
        {config.oauthDomain && (
          <div className="actions" data-testid="managed-login">
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => signInWithRedirect('Google')}>
              {/* The emulator's Google is a stand-in page (an `endpoint` means an emulator or a proxy, not AWS). */}
              Continue with Google{config.endpoint ? ' (emulated)' : ''}
            </button>
            <button type="button" className="button button--ghost" disabled={busy} onClick={() => signInWithRedirect()}>
              Use the hosted sign-in
            </button>
          </div>
        )}
      </form>
    );
  } else {
    body = (
      <ChallengeForm step={step} busy={busy} error={error} onAnswer={answer} onCancel={restart} />
    );
  }

  return (
    <Page title="Sign in" narrow>
      <Card>{body}</Card>
      <p className="aside">
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </Page>
  );
}

function ChallengeForm({ step, busy, error, onAnswer, onCancel }) {
  const kind = step.signInStep;
  const [value, setValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const [attributes, setAttributes] = useState({});
  const [mismatch, setMismatch] = useState(false);
  const allowed = step.allowedMFATypes?.length ? step.allowedMFATypes : ['TOTP', 'SMS', 'EMAIL'];
  const [mfa, setMfa] = useState(allowed[0]);

  function submit(event) {
    event.preventDefault();
    if (kind === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') {
      if (value !== repeat) {
        setMismatch(true);
        return;
      }
      setMismatch(false);
      const missing = step.missingAttributes ?? [];
      onAnswer(value, missing.length ? Object.fromEntries(missing.map((name) => [name, attributes[name] ?? ''])) : undefined);
    } else if (kind === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION' || kind === 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION') {
      onAnswer(mfa);
    } else {
      onAnswer(value.trim());
    }
  }

  const message = mismatch ? 'The two passwords are not the same.' : error && messageFor(error, 'mfa');
  const destination = step.codeDeliveryDetails?.destination;
  let title;
  let fields;
  switch (kind) {
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      title = 'Choose a new password';
      fields = (
        <>
          <p className="muted">Your account was created for you with a temporary password. Pick your own to continue.</p>
          <Field label="New password" type="password" value={value} onChange={setValue} autoComplete="new-password" name="new-password" hint={PASSWORD_HINT} />
          <Field label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" name="repeat" />
          {(step.missingAttributes ?? []).map((name) => (
            <Field
              key={name}
              label={attributeLabel(name)}
              value={attributes[name] ?? ''}
              onChange={(text) => setAttributes((all) => ({ ...all, [name]: text }))}
              name={name}
            />
          ))}
        </>
      );
      break;
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      title = 'Two-step verification';
      fields = <CodeField label="Code from your authenticator app" value={value} onChange={setValue} />;
      break;
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      title = 'Two-step verification';
      fields = (
        <>
          <p className="muted">We sent a code{destination ? ` to ${destination}` : ''}.</p>
          <CodeField label="Verification code" value={value} onChange={setValue} />
        </>
      );
      break;
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION': {
      const setup = kind === 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION';
      title = setup ? 'Set up two-step verification' : 'How do you want to verify it is you?';
      fields = (
        <fieldset className="choices">
          <legend className="muted">
            {setup
              ? 'Your account needs a second step when you sign in. Which one do you want?'
              : 'Pick one of the methods set up for your account.'}
          </legend>
          {allowed.map((type) => (
            <label key={type} className="choice">
              <input type="radio" name="mfa" value={type} checked={mfa === type} onChange={() => setMfa(type)} />
              {MFA_LABELS[type] ?? type}
            </label>
          ))}
        </fieldset>
      );
      break;
    }
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
      title = 'Set up codes by email';
      fields = (
        <>
          <p className="muted">Which address should the sign-in codes go to?</p>
          <Field label="Email address" type="email" value={value} onChange={setValue} autoComplete="email" name="mfa-email" />
        </>
      );
      break;
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': {
      title = 'Set up your authenticator app';
      const secret = step.totpSetupDetails?.sharedSecret ?? '';
      fields = (
        <>
          <p className="muted">Your account needs two-step verification. Add this key to your authenticator app, then enter the code it shows.</p>
          <TotpQrCode details={step.totpSetupDetails} />
          <code className="secret" data-testid="totp-secret">{secret}</code>
          <CodeField label="Code from your authenticator app" value={value} onChange={setValue} />
        </>
      );
      break;
    }
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE':
      title = 'One more step';
      fields = (
        <>
          {step.additionalInfo && Object.keys(step.additionalInfo).length > 0 && (
            <dl className="claims">
              {Object.entries(step.additionalInfo).map(([key, text]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{text}</dd>
                </div>
              ))}
            </dl>
          )}
          <Field label="Your answer" value={value} onChange={setValue} name="answer" autoComplete="off" />
        </>
      );
      break;
    default:
      title = 'This sign-in step is not supported';
      fields = <p className="muted">The user pool asked for “{kind}”, which this app does not handle.</p>;
  }

  return (
    <form onSubmit={submit} data-step={kind}>
      <h2 className="card__title">{title}</h2>
      <Alert>{message}</Alert>
      {fields}
      <div className="actions">
        <Submit busy={busy} busyLabel="Checking…">
          Continue
        </Submit>
        <button type="button" className="button button--link" onClick={onCancel}>
          Start over
        </button>
      </div>
    </form>
  );
}

function CodeField({ label, value, onChange }) {
  return (
    <Field label={label} value={value} onChange={onChange} name="code" autoComplete="one-time-code" inputMode="numeric" pattern="[0-9]*" />
  );
}

function attributeLabel(name) {
  const plain = name.replace(/^(userAttributes\.)?(custom:)?/, '').replace(/_/g, ' ');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** The QR code an authenticator app scans: the step's `otpauth://` URI. */
function TotpQrCode({ details }) {
  const [src, setSrc] = useState(null);
  useEffect(() => {
    if (!details?.getSetupUri) return undefined;
    let cancelled = false;
    QRCode.toDataURL(details.getSetupUri('Lumen').href).then((url) => !cancelled && setSrc(url), () => {});
    return () => {
      cancelled = true;
    };
  }, [details]);
  return src ? <img src={src} alt="QR code for your authenticator app" width="180" height="180" /> : null;
}
