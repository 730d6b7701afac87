import { useCallback, useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { RequireAuth } from 'cognito-wasm/react';
import { useApp } from '../context.js';
import { currentPath, navigate } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { messageFor } from '../errors.js';

const APP_NAME = 'Lumen';
const FACTOR_NAMES = { TOTP: 'Authenticator app', EMAIL: 'Email code', SMS: 'Text message' };

const toSignIn = ({ error }) => {
  if (error || currentPath() !== '/security') return;
  navigate('/signin?next=/security', { replace: true, notice: 'Please sign in to manage your security settings.' });
};

export function Security() {
  const { auth } = useApp();
  return (
    <RequireAuth
      auth={auth}
      redirect={toSignIn}
      loading={<p className="muted page">Loading…</p>}
      fallback={<p className="muted page">Your settings cannot be shown right now. Check your connection and reload.</p>}
    >
      {() => <SecurityBody />}
    </RequireAuth>
  );
}

function SecurityBody() {
  const { auth } = useApp();
  const [preference, setPreference] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const reload = useCallback(() => {
    auth.fetchMFAPreference().then(setPreference, setLoadError);
  }, [auth]);
  useEffect(reload, [reload]);

  return (
    <Page title="Security" lead="Two-factor sign-in, passkeys, your email address and the devices you stay signed in on.">
      <Alert>{loadError && messageFor(loadError)}</Alert>
      <div className="grid">
        <TwoFactor preference={preference} onChange={reload} />
        <AuthenticatorApp enabled={preference?.enabled?.includes('TOTP')} onEnabled={reload} />
        <EmailAddress />
        <Passkeys />
        <Devices />
      </div>
    </Page>
  );
}

/** The enabled factors, which one is asked for, and turning them off. */
function TwoFactor({ preference, onChange }) {
  const { auth } = useApp();
  const [busy, error, run] = useAction();
  const enabled = preference?.enabled ?? [];
  const set = (settings) => run(() => auth.updateMFAPreference(settings)).then(onChange);
  const key = { TOTP: 'totp', EMAIL: 'email', SMS: 'sms' };
  return (
    <Card>
      <h2 className="card__title">Two-factor sign-in</h2>
      <Alert>{error && messageFor(error)}</Alert>
      {preference === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <ul className="list" data-testid="mfa-factors">
          {['TOTP', 'EMAIL'].map((factor) => {
            const on = enabled.includes(factor);
            const preferred = preference.preferred === factor;
            return (
              <li key={factor} data-testid={`mfa-${factor}`} data-enabled={on} data-preferred={preferred}>
                <strong>{FACTOR_NAMES[factor]}</strong>{' '}
                <span className="muted">{preferred ? 'asked for at sign-in' : on ? 'on' : 'off'}</span>
                <div className="actions">
                  {!preferred && (factor === 'EMAIL' || on) && (
                    <button type="button" className="button button--ghost" disabled={busy}
                      onClick={() => set({ [key[factor]]: 'PREFERRED' })}>
                      Use {FACTOR_NAMES[factor].toLowerCase()}
                    </button>
                  )}
                  {on && (
                    <button type="button" className="button button--ghost" disabled={busy}
                      onClick={() => set({ [key[factor]]: 'DISABLED' })}>
                      Turn off
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/** Enrols an authenticator app: a QR code of its otpauth:// URI (and the secret to type), then its first code. */
function AuthenticatorApp({ enabled, onEnabled }) {
  const { auth, session } = useApp();
  const [setup, setSetup] = useState(null); // { sharedSecret, qr }
  const [code, setCode] = useState('');
  const [busy, error, run] = useAction();

  async function start() {
    const details = await run(() => auth.setUpTOTP());
    if (!details) return;
    const uri = details.getSetupUri(APP_NAME, session.user?.email ?? undefined);
    setSetup({ sharedSecret: details.sharedSecret, qr: await QRCode.toDataURL(uri.href) });
  }

  async function verify(event) {
    event.preventDefault();
    const done = await run(async () => {
      await auth.verifyTOTPSetup({ code: code.trim(), options: { friendlyDeviceName: 'Lumen demo' } });
      await auth.updateMFAPreference({ totp: 'PREFERRED' });
      return true;
    });
    if (done) {
      setSetup(null);
      setCode('');
      onEnabled();
    }
  }

  return (
    <Card>
      <h2 className="card__title">Authenticator app</h2>
      <Alert>{error && messageFor(error)}</Alert>
      {setup ? (
        <form onSubmit={verify} data-testid="totp-setup">
          <p>Scan this code with your authenticator app, or type the key.</p>
          <img src={setup.qr} alt="QR code for your authenticator app" width="180" height="180" />
          <p className="mono" data-testid="totp-secret">{setup.sharedSecret}</p>
          <Field label="Code from the app" name="totp-code" value={code} onChange={setCode} inputMode="numeric"
            autoComplete="one-time-code" />
          <Submit busy={busy}>Turn on</Submit>
        </form>
      ) : (
        <>
          <p className="muted" data-testid="totp-status">
            {enabled ? 'An authenticator app is set up.' : 'Use an app such as 1Password or Google Authenticator.'}
          </p>
          <button type="button" className="button button--primary" onClick={start} disabled={busy}>
            {enabled ? 'Set up another app' : 'Set up an authenticator app'}
          </button>
        </>
      )}
    </Card>
  );
}

/** Changes the email address; the new one counts once the emailed code confirms it. */
function EmailAddress() {
  const { auth } = useApp();
  const [attributes, setAttributes] = useState(null);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState(null); // the codeDeliveryDetails of a change awaiting its code
  const [done, setDone] = useState('');
  const [busy, error, run] = useAction();
  const load = useCallback(() => auth.fetchUserAttributes().then(setAttributes, () => {}), [auth]);
  useEffect(() => {
    load();
  }, [load]);

  async function change(event) {
    event.preventDefault();
    setDone('');
    const result = await run(() =>
      auth.updateUserAttribute({ userAttribute: { attributeKey: 'email', value: email.trim() } }));
    if (!result) return;
    // The address and its status shown with the code form are the ones the change left.
    await load();
    if (result.nextStep.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE') {
      setPending(result.nextStep.codeDeliveryDetails ?? {});
    } else {
      setDone('Your email address is changed.');
    }
  }

  async function confirm(event) {
    event.preventDefault();
    const ok = await run(async () => {
      await auth.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code.trim() });
      return true;
    });
    if (ok) {
      await load();
      setPending(null);
      setCode('');
      setEmail('');
      setDone('Your new email address is confirmed.');
    }
  }

  const resend = () => run(() => auth.sendUserAttributeVerificationCode({ userAttributeKey: 'email' }));

  return (
    <Card>
      <h2 className="card__title">Email address</h2>
      <Alert>{error && messageFor(error)}</Alert>
      <Alert kind="info" testId="email-done">{done}</Alert>
      <p>
        <span data-testid="security-email">{attributes?.email ?? '—'}</span>{' '}
        <span className="muted" data-testid="security-email-verified">
          {attributes ? (attributes.email_verified === 'true' ? 'verified' : 'not verified') : ''}
        </span>
      </p>
      {pending ? (
        <form onSubmit={confirm} data-testid="email-confirm">
          <p>We sent a code to {pending.destination ?? 'your new address'}.</p>
          <Field label="Code" name="email-code" value={code} onChange={setCode} inputMode="numeric"
            autoComplete="one-time-code" />
          <div className="actions">
            <Submit busy={busy}>Confirm</Submit>
            <button type="button" className="button button--ghost" onClick={resend} disabled={busy}>
              Send a new code
            </button>
          </div>
        </form>
      ) : (
        <form onSubmit={change}>
          <Field label="New email address" name="new-email" type="email" value={email} onChange={setEmail}
            autoComplete="email" />
          <Submit busy={busy}>Change email</Submit>
        </form>
      )}
    </Card>
  );
}

/** The devices remembered for this account; this one can be remembered, any can be forgotten. */
function Devices() {
  const { auth } = useApp();
  const [devices, setDevices] = useState(null);
  const [busy, error, run] = useAction();
  const load = useCallback(() => auth.fetchDevices().then(setDevices, () => setDevices([])), [auth]);
  useEffect(() => {
    load();
  }, [load]);

  const remember = () => run(() => auth.rememberDevice()).then(load);
  const forget = (id) => run(() => auth.forgetDevice({ device: { id } })).then(load);

  return (
    <Card>
      <h2 className="card__title">Devices</h2>
      <p className="muted">A remembered device may skip the second step when you sign in.</p>
      <Alert>{error && messageFor(error)}</Alert>
      {devices === null ? (
        <p className="muted">Loading…</p>
      ) : devices.length === 0 ? (
        <p className="muted" data-testid="devices-none">No remembered devices.</p>
      ) : (
        <ul className="list" data-testid="devices">
          {devices.map((device) => (
            <li key={device.id} data-testid="device">
              <strong>{device.name ?? device.id}</strong>{' '}
              <span className="muted">
                {device.lastAuthenticatedDate ? `last used ${device.lastAuthenticatedDate.toLocaleString()}` : ''}
              </span>
              <div className="actions">
                <button type="button" className="button button--ghost" disabled={busy}
                  onClick={() => forget(device.id)}>
                  Forget
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--ghost" onClick={remember} disabled={busy}>
        Remember this device
      </button>
    </Card>
  );
}

/** The user's passkeys: add one (the browser asks the authenticator), list them, remove one. */
function Passkeys() {
  const { auth } = useApp();
  const [passkeys, setPasskeys] = useState(null);
  const [busy, error, run] = useAction();
  const load = useCallback(
    () => auth.listWebAuthnCredentials().then(({ credentials }) => setPasskeys(credentials), () => setPasskeys([])),
    [auth],
  );
  useEffect(() => {
    load();
  }, [load]);

  const add = () => run(() => auth.associateWebAuthnCredential()).then(load);
  const remove = (credentialId) => run(() => auth.deleteWebAuthnCredential({ credentialId })).then(load);

  return (
    <Card>
      <h2 className="card__title">Passkeys</h2>
      <p className="muted">Sign in with your fingerprint, face or screen lock instead of a password.</p>
      <Alert>{error && messageFor(error)}</Alert>
      {passkeys === null ? (
        <p className="muted">Loading…</p>
      ) : passkeys.length === 0 ? (
        <p className="muted" data-testid="passkeys-none">No passkeys yet.</p>
      ) : (
        <ul className="list" data-testid="passkeys">
          {passkeys.map((passkey) => (
            <li key={passkey.credentialId} data-testid="passkey">
              <strong>{passkey.friendlyCredentialName ?? 'Passkey'}</strong>{' '}
              <span className="muted">{passkey.createdAt ? `added ${passkey.createdAt.toLocaleString()}` : ''}</span>
              <div className="actions">
                <button type="button" className="button button--ghost" disabled={busy}
                  onClick={() => remove(passkey.credentialId)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--ghost" onClick={add} disabled={busy}>
        Add a passkey
      </button>
    </Card>
  );
}
