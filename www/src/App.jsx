import { useState } from 'react';
import { useCurrentUser } from 'cognito-wasm/react';
import { AppContext, useApp } from './context.js';
import { Link, navigate, useRoute } from './router.js';
import { Alert } from './components.jsx';
import { messageFor } from './errors.js';
import { Home } from './pages/Home.jsx';
import { SignUp } from './pages/SignUp.jsx';
import { Confirm } from './pages/Confirm.jsx';
import { SignIn } from './pages/SignIn.jsx';
import { Forgot } from './pages/Forgot.jsx';
import { Profile } from './pages/Profile.jsx';
import { Security } from './pages/Security.jsx';
import { SignOut } from './pages/SignOut.jsx';
import { NotFound } from './pages/NotFound.jsx';

const ROUTES = {
  '/': Home,
  '/signup': SignUp,
  '/confirm': Confirm,
  '/signin': SignIn,
  '/forgot': Forgot,
  '/profile': Profile,
  '/security': Security,
  '/signout': SignOut,
};

export function App({ auth, config }) {
  const session = useCurrentUser(auth);
  const route = useRoute();
  const Screen = ROUTES[route.path] ?? NotFound;
  return (
    <AppContext.Provider value={{ auth, config, session }}>
      <Header route={route} />
      <main className="main">
        <Alert kind={route.noticeKind} testId="notice">
          {route.notice}
        </Alert>
        {/* Keyed by the whole location, so each visit starts with fresh form state. */}
        <Screen key={`${route.path}?${route.query}`} query={route.query} />
      </main>
      <footer className="footer">
        Lumen is the demo app of <strong>cognito-wasm</strong>: Cognito sign-in, SRP and RS256 token checks in
        WebAssembly.
      </footer>
    </AppContext.Provider>
  );
}

function Header({ route }) {
  const { auth, session } = useApp();
  const current = (path) => (route.path === path ? 'page' : undefined);
  return (
    <header className="header">
      <div className="header__inner">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          Lumen
        </Link>
        <nav className="nav" aria-label="Main">
          <Link to="/" aria-current={current('/')}>
            Home
          </Link>
          <Link to="/profile" aria-current={current('/profile')}>
            Profile
          </Link>
          <Link to="/security" aria-current={current('/security')}>
            Security
          </Link>
        </nav>
        <div className="nav nav--account">
          {session.loading && !session.user ? (
            <span className="muted" aria-label="Loading">…</span>
          ) : session.user ? (
            <AccountMenu auth={auth} user={session.user} />
          ) : (
            <>
              <Link to="/signin" className="button button--ghost">
                Sign in
              </Link>
              <Link to="/signup" className="button button--primary">
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

function AccountMenu({ auth, user }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function signOut() {
    setBusy(true);
    try {
      await auth.signOut();
      navigate('/', { notice: 'You have been signed out.' });
    } catch (caught) {
      // The package clears the local session even when the network call fails; say so, but stay calm.
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <span className="whoami" data-testid="whoami" title={user.email ?? user.username}>
        {user.username}
      </span>
      <button type="button" className="button button--ghost" onClick={signOut} disabled={busy}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error && <span className="error-inline">{messageFor(error)}</span>}
    </>
  );
}
