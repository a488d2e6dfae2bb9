// The host page at /hosts/:name.
import type { RouteObject } from 'react-router';
import { HostPage } from './components/host-page.tsx';

export const hostsRoutes: RouteObject[] = [{ path: 'hosts/:name', element: <HostPage /> }];
