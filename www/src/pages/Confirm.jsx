import { useState } from 'react';
import { useApp } from '../context.js';
import { Link, navigate } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { messageFor } from '../errors.js';

export function Confirm({ query }) {
  const { auth } = useApp();
  const [username, setUsername] = useState(query.get('username') ?? '');
  const [code, setCode] = useState('');
  const [busy, error, run] = useAction();
  const [resending, resendError, runResend] = useAction();
  const [resent, setResent] = useState(null);

  async function submit(event) {
    event.preventDefault();
    const output = await run(() => auth.confirmSignUp({ username: username.trim(), confirmationCode: code.trim() }));
    if (!output) return;
    navigate(`/signin?username=${encodeURIComponent(username.trim())}`, {
      notice: 'Your account is confirmed. Sign in to continue.',
    });
  }

  async function resend() {
    setResent(null);
    if (!username.trim()) return;
    const details = await runResend(() => auth.resendSignUpCode({ username: username.trim() }));
    if (!details) return;
    setResent(`We sent a new code${details.destination ? ` to ${details.destination}` : ''}.`);
  }

  return (
    <Page title="Confirm your account" lead="Enter the code we sent you by email." narrow>
      <Card>
        <form onSubmit={submit}>
          <Alert>{error && messageFor(error, 'confirm')}</Alert>
          <Alert>{resendError && messageFor(resendError, 'resend')}</Alert>
          <Alert kind="success" testId="resent">
            {resent}
          </Alert>
          <Field label="Username" value={username} onChange={setUsername} autoComplete="username" name="username" />
          <Field label="Confirmation code" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" name="code" />
          <div className="actions">
            <Submit busy={busy} busyLabel="Confirming…">
              Confirm account
            </Submit>
            <button type="button" className="button button--link" onClick={resend} disabled={resending || !username.trim()}>
              {resending ? 'Sending…' : 'Send me a new code'}
            </button>
          </div>
        </form>
      </Card>
      <p className="aside">
        Already confirmed? <Link to="/signin">Sign in</Link>
      </p>
    </Page>
  );
}
