import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CognitoAuth } from 'cognito-wasm';
import { loadConfig, oauthOptions } from './config.js';
import { messageFor } from './errors.js';
import { navigate, safeNext } from './router.js';
import { App } from './App.jsx';
import { NotConfigured } from './pages/NotConfigured.jsx';
import './styles.css';

const root = createRoot(document.getElementById('root'));
const config = await loadConfig();

let auth = null;
let problem = null;
if (config.missing.length === 0) {
  try {
    auth = new CognitoAuth({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.authFlow ? { authFlow: config.authFlow } : {}),
      // The demo API usually runs on another origin (another port): auth.fetch sends the token there only if listed.
      ...(config.apiOrigin ? { apiOrigins: [config.apiOrigin] } : {}),
      // Managed login ("Continue with Google", the hosted sign-in) when the pool has a domain.
      ...(config.oauthDomain ? { oauth: oauthOptions(config.oauthDomain) } : {}),
    });
    followRedirectSignIn(auth);
  } catch (error) {
    console.error(error);
    problem = error;
  }
}

/**
 * On the page managed login sends the browser back to, CognitoAuth completes the sign-in as it is created, before
 * the app renders: listen at once. The sign-in page passes the route to go to as the customState; a failure (a
 * cancelled sign-in, a callback this browser did not start) is shown on the sign-in page.
 */
function followRedirectSignIn(auth) {
  auth.onAuthChange(({ event, data }) => {
    if (event === 'customOAuthState') {
      navigate(safeNext(data), { replace: true });
    } else if (event === 'signInWithRedirect_failure') {
      console.warn(data?.error);
      navigate('/signin', { replace: true, notice: messageFor(data?.error, 'redirect'), noticeKind: 'error' });
    }
  });
}

root.render(
  <StrictMode>
    {auth ? <App auth={auth} config={config} /> : <NotConfigured config={config} error={problem} />}
  </StrictMode>,
);
