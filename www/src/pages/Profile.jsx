import { useEffect, useState } from 'react';
import { RequireAuth } from 'cognito-wasm/react';
import { useApp } from '../context.js';
import { currentPath, navigate } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { PASSWORD_HINT } from './SignUp.jsx';
import { apiGet } from '../api.js';
import { messageFor } from '../errors.js';

// Only when nobody is signed in (a failed read, e.g. offline, leaves the session in place: the fallback says so), and
// only while the profile is still the page being shown: a sign-out from the header has already moved on to Home by
// the time the gate learns that nobody is signed in.
const toSignIn = ({ error }) => {
  if (error || currentPath() !== '/profile') return;
  navigate('/signin?next=/profile', { replace: true, notice: 'Please sign in to see your profile.' });
};

export function Profile() {
  const { auth } = useApp();
  return (
    <RequireAuth
      auth={auth}
      redirect={toSignIn}
      loading={<p className="muted page">Loading your profile…</p>}
      fallback={<p className="muted page">Your profile cannot be shown right now. Check your connection and reload.</p>}
    >
      {(user) => <ProfileBody user={user} />}
    </RequireAuth>
  );
}

function ProfileBody({ user }) {
  const { auth } = useApp();
  const [attributes, setAttributes] = useState(null);
  const [attributesError, setAttributesError] = useState(null);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    let cancelled = false;
    auth.fetchUserAttributes().then(
      (found) => !cancelled && setAttributes(found),
      (error) => !cancelled && setAttributesError(error),
    );
    return () => {
      cancelled = true;
    };
  }, [auth]);

  async function signOutEverywhere() {
    setSigningOut(true);
    try {
      await auth.signOut({ global: true });
    } catch (error) {
      console.warn(error);
    }
    navigate('/', { notice: 'You have been signed out on all your devices.' });
  }

  const groups = user.groups ?? [];
  return (
    <Page title="Your profile">
      <div className="grid">
        <Card>
          <h2 className="card__title">Account</h2>
          <dl className="facts">
            <div>
              <dt>Username</dt>
              <dd data-testid="profile-username">{user.username}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd data-testid="profile-email">{user.email ?? attributes?.email ?? '—'}</dd>
            </div>
            <div>
              <dt>User id</dt>
              <dd className="mono">{user.userId}</dd>
            </div>
            <div>
              <dt>Groups</dt>
              <dd data-testid="profile-groups">
                {groups.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  groups.map((group) => (
                    <span key={group} className="badge">
                      {group}
                    </span>
                  ))
                )}
              </dd>
            </div>
            <div>
              <dt>Session valid until</dt>
              <dd>{new Date(user.expiresAt).toLocaleString()}</dd>
            </div>
          </dl>
          <div className="actions">
            <button type="button" className="button button--ghost" onClick={signOutEverywhere} disabled={signingOut}>
              {signingOut ? 'Signing out…' : 'Sign out on all devices'}
            </button>
          </div>
        </Card>

        <Card>
          <h2 className="card__title">The demo API</h2>
          <p className="muted">
            These calls carry your access token. The API checks its signature against the pool's keys with
            cognito-wasm's <code>verifyToken</code>, in Node.
          </p>
          <ApiCall path="/api/protected" label="Call the protected route" testId="api-protected" />
          <ApiCall path="/api/admin" label="Call the admin route" testId="api-admin" />
        </Card>
      </div>

      <Card className="card--wide">
        <h2 className="card__title">Verified claims</h2>
        <p className="muted">Read from your tokens after cognito-wasm checked their RS256 signature, issuer, audience and expiry.</p>
        <table className="claims-table" data-testid="claims">
          <tbody>
            {Object.entries(user.claims ?? {}).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="mono">{formatClaim(name, value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <ChangePassword />

      <Card className="card--wide">
        <h2 className="card__title">Attributes</h2>
        <Alert>{attributesError && messageFor(attributesError)}</Alert>
        {attributes ? (
          <table className="claims-table" data-testid="attributes">
            <tbody>
              {Object.entries(attributes).map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className="mono">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          !attributesError && <p className="muted">Loading…</p>
        )}
      </Card>
    </Page>
  );
}

function ChangePassword() {
  const { auth } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const [busy, error, run] = useAction();

  async function submit(event) {
    event.preventDefault();
    setDone(false);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const changed = await run(async () => {
      await auth.updatePassword({ oldPassword: current, newPassword: next });
      return true;
    });
    if (changed) {
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    }
  }

  return (
    <Card className="card--wide">
      <h2 className="card__title">Change your password</h2>
      <form onSubmit={submit} className="form-row" data-testid="change-password">
        <Alert>{mismatch ? 'The two passwords are not the same.' : error && messageFor(error, 'changePassword')}</Alert>
        <Alert kind="success" testId="password-changed">
          {done ? 'Your password has been changed.' : null}
        </Alert>
        <Field label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" name="current-password" />
        <Field label="New password" type="password" value={next} onChange={setNext} autoComplete="new-password" name="new-password" hint={PASSWORD_HINT} />
        <Field label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" name="repeat" />
        <Submit busy={busy} busyLabel="Saving…">
          Change password
        </Submit>
      </form>
    </Card>
  );
}

function ApiCall({ path, label, testId }) {
  const { auth, config } = useApp();
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);

  async function call() {
    setBusy(true);
    try {
      const { status, body } = await apiGet({ auth, config, signedIn: true }, path);
      setResult({ status, text: body?.message ?? JSON.stringify(body) });
    } catch (error) {
      setResult({ status: null, text: messageFor(error) });
    } finally {
      setBusy(false);
    }
  }

  const kind = result == null ? '' : result.status >= 200 && result.status < 300 ? 'ok' : 'denied';
  return (
    <div className="api-call">
      <button type="button" className="button button--ghost" onClick={call} disabled={busy}>
        {busy ? 'Calling…' : label}
      </button>
      <code className="api-call__path">GET {path}</code>
      {result && (
        <output className={`api-result api-result--${kind}`} data-testid={testId} data-status={result.status ?? 'error'}>
          <strong>{result.status ?? 'failed'}</strong> {result.text}
        </output>
      )}
    </div>
  );
}

function formatClaim(name, value) {
  if (['exp', 'iat', 'auth_time'].includes(name) && typeof value === 'number') {
    return `${value} (${new Date(value * 1000).toLocaleString()})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
