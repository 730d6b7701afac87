import { useState } from 'react';
import { useApp } from '../context.js';
import { Link, navigate } from '../router.js';
import { Alert, Card, Field, Page, Submit, useAction } from '../components.jsx';
import { messageFor } from '../errors.js';

export const PASSWORD_HINT = 'At least 8 characters, with upper- and lower-case letters, a number and a symbol.';

export function SignUp() {
  const { auth } = useApp();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, error, run, setError] = useAction();

  async function submit(event) {
    event.preventDefault();
    if (password !== repeat) {
      setError({ code: 'PasswordsDiffer' });
      return;
    }
    const output = await run(() => auth.signUp({ username: username.trim(), password, options: { userAttributes: { email: email.trim() } } }));
    if (!output) return;
    if (output.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
      const to = output.nextStep.codeDeliveryDetails?.destination;
      navigate(`/confirm?username=${encodeURIComponent(username.trim())}`, {
        notice: `Account created. We sent a confirmation code${to ? ` to ${to}` : ''}.`,
      });
    } else {
      navigate(`/signin?username=${encodeURIComponent(username.trim())}`, { notice: 'Account created. You can sign in now.' });
    }
  }

  return (
    <Page title="Create your account" narrow>
      <Card>
        <form onSubmit={submit} noValidate={false}>
          <Alert>{error && (error.code === 'PasswordsDiffer' ? 'The two passwords are not the same.' : messageFor(error))}</Alert>
          <Field label="Username" value={username} onChange={setUsername} autoComplete="username" name="username" />
          <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="email" name="email" />
          <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="new-password" name="password" hint={PASSWORD_HINT} />
          <Field label="Repeat the password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" name="repeat" />
          <Submit busy={busy} busyLabel="Creating your account…">
            Create account
          </Submit>
        </form>
      </Card>
      <p className="aside">
        Already have an account? <Link to="/signin">Sign in</Link> · Got a code? <Link to="/confirm">Confirm your account</Link>
      </p>
    </Page>
  );
}
