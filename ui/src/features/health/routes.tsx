// Detection health at /health.
import type { RouteObject } from 'react-router';
import { useUser } from '../../app/session.tsx';
import { HealthView } from './components/health-view.tsx';

function HealthPage() {
  const user = useUser();
  return (
    <main className="console-main">
      <HealthView unitScoped={user.units !== 'all'} />
    </main>
  );
}

export const healthRoutes: RouteObject[] = [{ path: 'health', element: <HealthPage /> }];
