// The unit page at /units/:id.
import type { RouteObject } from 'react-router';
import { UnitPage } from './components/unit-page.tsx';

export const unitsRoutes: RouteObject[] = [{ path: 'units/:id', element: <UnitPage /> }];
