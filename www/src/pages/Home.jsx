import { useEffect, useState } from 'react';
import { useApp } from '../context.js';
import { Link } from '../router.js';
import { Alert, Page } from '../components.jsx';
import { apiGet } from '../api.js';
import { messageFor } from '../errors.js';

export function Home() {
  const { auth, config, session } = useApp();
  const { user, loading } = session;
  const [feed, setFeed] = useState({ state: 'loading', items: [], personalised: false, error: null });

  // The feed is public; with a session the same call carries the access token and the API adds personal items.
  const signedIn = Boolean(user);
  useEffect(() => {
    if (loading) return undefined;
    let cancelled = false;
    setFeed((previous) => ({ ...previous, state: 'loading', error: null }));
    apiGet({ auth, config, signedIn }, '/api/feed').then(
      (result) => {
        if (cancelled) return;
        if (!result.ok || !Array.isArray(result.body?.items)) {
          const error = result.body?.message ?? `the API answered HTTP ${result.status}`;
          setFeed({ state: 'error', items: [], personalised: false, error });
        } else {
          setFeed({ state: 'ready', items: result.body.items, personalised: Boolean(result.body.personalised), error: null });
        }
      },
      (error) => {
        if (!cancelled) setFeed({ state: 'error', items: [], personalised: false, error: messageFor(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [auth, config, signedIn, loading]);

  return (
    <Page>
      <div className="hero">
        {user ? (
          <>
            <h1>Welcome back, {user.username}</h1>
            <p className="lead">Here is what is new, with a few things picked for you.</p>
          </>
        ) : (
          <>
            <h1>Lumen</h1>
            <p className="lead">
              A small reading feed. Anyone can read the public stories; create an account to get your own picks.
            </p>
            <div className="hero__actions">
              <Link to="/signup" className="button button--primary">
                Create an account
              </Link>
              <Link to="/signin" className="button button--ghost">
                I already have one
              </Link>
            </div>
          </>
        )}
      </div>

      <h2 className="section-title">
        Your feed {feed.personalised && <span className="badge">personalised</span>}
      </h2>
      <Alert testId="feed-error">{feed.state === 'error' ? `The feed could not be loaded: ${feed.error}` : null}</Alert>
      {feed.state === 'loading' && feed.items.length === 0 ? (
        <p className="muted">Loading the feed…</p>
      ) : (
        <ul className="feed" data-testid="feed" aria-busy={feed.state === 'loading'}>
          {feed.items.map((item) => (
            <li key={item.id} className={item.personal ? 'feed__item feed__item--personal' : 'feed__item'} data-testid={item.personal ? 'feed-personal' : 'feed-public'}>
              <span className="feed__tag">{item.personal ? 'For you' : item.tag}</span>
              <h3>{item.title}</h3>
              <p>{item.body}</p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
