import { useEffect, useRef } from 'react';
import { useApp } from '../context.js';
import { navigate } from '../router.js';
import { Page } from '../components.jsx';

// `#/signout` signs out and goes home, so that a plain link can end the session.
export function SignOut() {
  const { auth } = useApp();
  const started = useRef(false); // effects run twice in development (StrictMode): sign out once
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    auth
      .signOut()
      .catch((error) => console.warn(error))
      .finally(() => navigate('/', { replace: true, notice: 'You have been signed out.' }));
  }, [auth]);
  return <Page title="Signing out…" narrow />;
}
