import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CognitoAuth } from 'cognito-wasm';
import { loadConfig } from './config.js';
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
    });
  } catch (error) {
    console.error(error);
    problem = error;
  }
}

root.render(
  <StrictMode>
    {auth ? <App auth={auth} config={config} /> : <NotConfigured config={config} error={problem} />}
  </StrictMode>,
);
