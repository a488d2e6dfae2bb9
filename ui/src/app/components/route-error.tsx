// What a route shows when it has no page (404) or when rendering it threw: said plainly,
// with a way on, instead of a blank screen.
import { Link, useLocation, useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../lib/api-client.ts';

export function NotFound() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <main className="console-main">
      <div className="page-message" role="alert">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body', { path: location.pathname })}</p>
        <Link to="/alerts">{t('notFound.home')}</Link>
      </div>
    </main>
  );
}

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <main className="console-main">
      <div className="page-message" role="alert">
        <h1>{t('routeError.title')}</h1>
        <p>{describeError(error)}</p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          {t('routeError.reload')}
        </button>
      </div>
    </main>
  );
}
