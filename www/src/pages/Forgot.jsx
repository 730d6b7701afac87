import { useState } from 'react';
import { useApp } from '../context.js';
import { Link, navigate } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { messageFor } from '../errors.js';
import { PASSWORD_HINT } from './SignUp.jsx';

export function Forgot({ query }) {
  const { auth } = useApp();
  const [username, setUsername] = useState(query.get('username') ?? '');
  const [sentTo, setSentTo] = useState(null); // set once a code is on its way: the second step
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [busy, error, run] = useAction();

  async function requestCode(event) {
    event?.preventDefault();
    const output = await run(() => auth.resetPassword({ username: username.trim() }));
    if (!output) return;
    if (output.nextStep.resetPasswordStep === 'DONE') {
      navigate(`/signin?username=${encodeURIComponent(username.trim())}`, { notice: 'Your password has been reset.' });
      return;
    }
    setSentTo(output.nextStep.codeDeliveryDetails?.destination ?? 'your email address');
  }

  async function confirm(event) {
    event.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const done = await run(async () => {
      await auth.confirmResetPassword({ username: username.trim(), confirmationCode: code.trim(), newPassword: password });
      return true;
    });
    if (done) {
      navigate(`/signin?username=${encodeURIComponent(username.trim())}`, {
        notice: 'Your password has been changed. Sign in with the new one.',
      });
    }
  }

  const message = mismatch ? 'The two passwords are not the same.' : error && messageFor(error, 'forgot');
  return (
    <Page title="Reset your password" narrow>
      <Card>
        {sentTo === null ? (
          <form onSubmit={requestCode}>
            <p className="muted">Enter your username and we will send you a code to choose a new password.</p>
            <Alert>{message}</Alert>
            <Field label="Username" value={username} onChange={setUsername} autoComplete="username" name="username" />
            <Submit busy={busy} busyLabel="Sending…">
              Send me a code
            </Submit>
          </form>
        ) : (
          <form onSubmit={confirm}>
            <Alert kind="success" testId="code-sent">{`We sent a code to ${sentTo}.`}</Alert>
            <Alert>{message}</Alert>
            <Field label="Code" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" name="code" />
            <Field label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" name="new-password" hint={PASSWORD_HINT} />
            <Field label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" name="repeat" />
            <div className="actions">
              <Submit busy={busy} busyLabel="Saving…">
                Set new password
              </Submit>
              <button type="button" className="button button--link" onClick={() => requestCode()} disabled={busy}>
                Send the code again
              </button>
            </div>
          </form>
        )}
      </Card>
      <p className="aside">
        Remembered it? <Link to="/signin">Sign in</Link>
      </p>
    </Page>
  );
}
