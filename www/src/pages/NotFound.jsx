import { Link } from '../router.js';
import { Page } from '../components.jsx';

export function NotFound() {
  return (
    <Page title="Page not found" lead="There is nothing at this address." narrow>
      <Link to="/" className="button button--primary">
        Go home
      </Link>
    </Page>
  );
}
