// A tiny hash router: routes are `#/path?query`, so the app works from any static host without rewrite rules.
import { createElement, useEffect, useState } from 'react';

// A message for the next page ("Your account is confirmed"), kept out of the URL so that a reload drops it. It belongs
// to one location and is forgotten as soon as the user goes anywhere else.
let notice = null; // { path, text, kind: 'info' | 'error' }

function parseHash(hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

function currentRoute() {
  const route = parseHash(window.location.hash);
  if (notice && notice.path !== route.path) notice = null;
  return { ...route, notice: notice ? notice.text : null, noticeKind: notice?.kind ?? 'info' };
}

/** The path of the location right now (it changes before the hashchange event re-renders the app). */
export function currentPath() {
  return parseHash(window.location.hash).path;
}

/** Builds `#/path?key=value` from a path and an optional object of query parameters (empty values are dropped). */
export function href(path, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value != null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

/** Where to go after signing in: only routes of this app (a `next` such as '//evil.example' is ignored). */
export function safeNext(next) {
  return typeof next === 'string' && /^\/[a-z]*$/i.test(next) ? next : '/';
}

/**
 * Goes to a route; `notice` is shown once on the next page (an error with `noticeKind: 'error'`); `replace` keeps the
 * current page out of history.
 */
export function navigate(to, { notice: text = null, noticeKind = 'info', replace = false } = {}) {
  const target = to.startsWith('#') ? to : `#${to}`;
  notice = text ? { path: parseHash(target).path, text, kind: noticeKind } : null;
  if (window.location.hash === target) {
    // Same route: no hashchange event, so announce it ourselves (the notice must still show).
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (replace) {
    window.location.replace(target);
  } else {
    window.location.hash = target;
  }
}

/** The current route `{ path, query, notice, noticeKind }`, updated on every hash change. */
export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** An anchor to a route: `<Link to="/profile">`. */
export function Link({ to, query, children, ...rest }) {
  return createElement('a', { href: href(to, query), ...rest }, children);
}
