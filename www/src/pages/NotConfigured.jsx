import { Page } from '../components.jsx';
import { messageFor } from '../errors.js';

// Shown instead of the app when it does not know its user pool, or CognitoAuth refused the configuration.
export function NotConfigured({ config, error }) {
  return (
    <main className="main">
      <Page title={error ? 'Lumen could not start' : 'Lumen is not configured'} narrow>
        <div className="card">
          {error ? (
            <p role="alert">
              {error.code === 'InvalidConfig' ? messageFor(error) : 'The app could not start.'} ({error.message})
            </p>
          ) : (
            <p role="alert">Missing: {config.missing.join(', ')}.</p>
          )}
          <p className="muted">
            Put a <code>config.json</code> next to <code>index.html</code>:
          </p>
          <pre className="mono">{`{ "userPoolId": "us-east-1_…", "clientId": "…", "apiUrl": "http://localhost:8787" }`}</pre>
          <p className="muted">
            or build with <code>VITE_COGNITO_USER_POOL_ID</code>, <code>VITE_COGNITO_CLIENT_ID</code>,{' '}
            <code>VITE_COGNITO_ENDPOINT</code> and <code>VITE_API_URL</code> set.
          </p>
        </div>
      </Page>
    </main>
  );
}
