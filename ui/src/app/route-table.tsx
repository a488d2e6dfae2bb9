// What each feature contributes to the signed-in console: its routes (relative to /,
// rendered inside the console layout) and, rarely, a provider that must outlive any one
// page (the live alert stream keeps its cursor while the analyst is on Events). A
// feature adds itself with one import and one entry per list; the shell (app/routes.tsx)
// never changes for it.
import type { ComponentType, ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { adminRoutes } from '../features/admin/routes.tsx';
import { auditRoutes } from '../features/audit/routes.tsx';
import { dashboardRoutes } from '../features/dashboard/routes.tsx';
import { hostsRoutes } from '../features/hosts/routes.tsx';
import { unitsRoutes } from '../features/units/routes.tsx';
import { accountRoutes } from '../features/auth/routes.tsx';
import { eventsRoutes } from '../features/events/routes.tsx';
import { healthRoutes } from '../features/health/routes.tsx';
import { rulesRoutes } from '../features/rules/routes.tsx';
import { notificationsRoutes } from '../features/notifications/routes.tsx';
import { reportsRoutes } from '../features/reports/routes.tsx';
import { AlertsLiveProvider, alertsRoutes } from '../features/alerts/routes.tsx';

export const consoleRoutes: RouteObject[] = [
  ...alertsRoutes,
  ...eventsRoutes,
  ...healthRoutes,
  ...dashboardRoutes,
  ...hostsRoutes,
  ...unitsRoutes,
  ...rulesRoutes,
  ...reportsRoutes,
  ...notificationsRoutes,
  ...adminRoutes,
  ...auditRoutes,
  ...accountRoutes,
];

/** Wrapped around the signed-in console, outermost first; mounted while signed in. */
export const consoleProviders: ReadonlyArray<ComponentType<{ children: ReactNode }>> = [AlertsLiveProvider];
