// React bindings for cognito-wasm (the `cognito-wasm/react` entry): a hook that follows the signed-in user and a gate
// for pages that need one. Plain ESM with React.createElement, so the package needs no JSX build step; react is an
// optional peer dependency and is only loaded by apps that import this file.
import { createElement, Fragment, useEffect, useSyncExternalStore } from 'react';

const INITIAL_STATE = Object.freeze({ user: null, loading: true, error: null });

// One store per CognitoAuth instance, shared by every component that asks about it, so that a header, a page and a
// gate never disagree about who is signed in, and `currentUser()` runs once per change rather than once per component.
const stores = new WeakMap();

function storeFor(auth) {
  if (auth === null || typeof auth !== 'object' || typeof auth.currentUser !== 'function') {
    throw new TypeError('cognito-wasm/react: pass the CognitoAuth instance (got ' + typeof auth + ')');
  }
  let store = stores.get(auth);
  if (!store) {
    store = createStore(auth);
    stores.set(auth, store);
  }
  return store;
}

function createStore(auth) {
  const listeners = new Set();
  let state = INITIAL_STATE;
  let generation = 0;
  let unsubscribeAuth = null;
  let pending = null;

  function setState(next) {
    state = Object.freeze(next);
    for (const listener of listeners) listener();
  }

  // Reads the user again; answers that arrive after a newer request started are dropped, so a slow read issued before
  // a sign-out cannot resurrect the old user.
  function refresh() {
    const mine = ++generation;
    pending = auth.currentUser().then(
      (user) => {
        if (mine === generation) setState({ user: user ?? null, loading: false, error: null });
        return user ?? null;
      },
      (error) => {
        if (mine === generation) setState({ user: null, loading: false, error });
        return null;
      },
    );
    return pending;
  }

  function onAuthChange(change) {
    const event = change && change.event;
    // A failed refresh changes nothing here (the session is kept, and a definite failure is followed by
    // 'signedOut'); reading again would only ask for another refresh.
    if (event === 'tokenRefresh_failure') return;
    // Who is signed in may have changed: say "loading" until we know, so that gates wait instead of redirecting.
    // A token refresh keeps the same user, so the current one stays on screen while the claims are re-read.
    if (event === 'signedIn' || event === 'signedOut') {
      setState({ user: event === 'signedOut' ? null : state.user, loading: true, error: null });
    }
    refresh();
  }

  return {
    getSnapshot: () => state,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        unsubscribeAuth = auth.onAuthChange(onAuthChange);
        // The session may have changed while nobody was listening (or this is the first subscriber): read it now.
        refresh();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && unsubscribeAuth) {
          const unsubscribe = unsubscribeAuth;
          unsubscribeAuth = null;
          unsubscribe();
        }
      };
    },
  };
}

const serverSnapshot = () => INITIAL_STATE;

/**
 * Follows the signed-in user of `auth`: `{ user, loading, error, refresh }`. `user` is `auth.currentUser()`'s answer
 * (null when signed out), `loading` is true until the first answer and after every sign-in or sign-out until the
 * new answer, `error` is the last failure of `currentUser()` (the user is then null), and `refresh()` reads the user
 * again (returns a promise of it), e.g. right after a sign-in before navigating to a protected page.
 */
export function useCurrentUser(auth) {
  const store = storeFor(auth);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
  return { user: state.user, loading: state.loading, error: state.error, refresh: store.refresh };
}

/**
 * Renders `children` only while a user is signed in. While the session is being read it renders `loading` (default
 * nothing). When there is no user it renders `fallback` (default nothing) and, when `redirect` is given, goes
 * there: a string is a URL for `location.replace` (e.g. '#/signin' or '/signin'), followed only when nobody is
 * signed in (not when the read failed, e.g. offline: the session is still there); a function is called with
 * `{ error }` in both cases and does the navigation itself (e.g. a router's navigate), or not.
 */
export function RequireAuth({ auth, children, fallback = null, loading = null, redirect }) {
  const { user, loading: isLoading, error } = useCurrentUser(auth);
  const mustLeave =
    !isLoading && !user && (typeof redirect === 'function' || (redirect != null && !error));

  useEffect(() => {
    if (!mustLeave) return;
    if (typeof redirect === 'function') {
      redirect({ error });
    } else if (typeof window !== 'undefined') {
      window.location.replace(String(redirect));
    }
  }, [mustLeave, redirect, error]);

  if (isLoading) return loading;
  if (!user) return fallback;
  return typeof children === 'function' ? children(user) : createElement(Fragment, null, children);
}
