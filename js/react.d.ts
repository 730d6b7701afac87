// Types for `cognito-wasm/react`. React is an optional peer dependency: only apps that import this entry need it.
import type { ReactNode } from 'react';
import type { CognitoAuth } from './index.js';

/** What `auth.currentUser()` resolves to when someone is signed in. */
export type CurrentUser = NonNullable<Awaited<ReturnType<CognitoAuth['currentUser']>>>;

/** The state `useCurrentUser` follows. */
export interface CurrentUserState {
  /** The signed-in user, or null when nobody is signed in (or while the first read is under way). */
  user: CurrentUser | null;
  /** True until the first answer of `currentUser()`, and after every sign-in or sign-out until the new answer. */
  loading: boolean;
  /** The last failure of `currentUser()` (the user is then null), else null. */
  error: Error | null;
  /** Reads the user again and resolves to it, e.g. right after a sign-in before showing a protected page. */
  refresh(): Promise<CurrentUser | null>;
}

/**
 * Follows the signed-in user of `auth` through `auth.onAuthChange`. Every component that passes the same instance
 * shares one state, so `currentUser()` runs once per change.
 */
export function useCurrentUser(auth: CognitoAuth): CurrentUserState;

export interface RequireAuthProps {
  /** The app's CognitoAuth instance. */
  auth: CognitoAuth;
  /** Shown while a user is signed in; a function receives the user. */
  children?: ReactNode | ((user: CurrentUser) => ReactNode);
  /** Shown when nobody is signed in (default: nothing). */
  fallback?: ReactNode;
  /** Shown while the session is being read (default: nothing). */
  loading?: ReactNode;
  /**
   * Where to go when nobody is signed in: a URL for `location.replace` (e.g. '#/signin'), not followed when
   * `currentUser()` failed (offline, say: the session is still there), or a function that navigates itself (it is
   * also called on such a failure, and receives the error).
   */
  redirect?: string | ((info: { error: Error | null }) => void);
}

/** Renders its children only while a user is signed in; otherwise the fallback, and goes to `redirect` if given. */
export function RequireAuth(props: RequireAuthProps): ReactNode;
