// The api stage: every REST route of the console plus the static console itself. The
// WebSocket hub is started separately (stream-hub.ts) because it owns a bus subscription.
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Accounts } from '../core/accounts/accounts.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import type { DetectionHealth } from '../core/schemas/detection-health.ts';
import { adminRoutes } from './admin-routes.ts';
import { alertRoutes } from './alert-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { rulesRoutes, type RulesStatus } from './rules-routes.ts';
import { staticUi } from './static-ui.ts';

export interface ApiDeps {
  accounts: Accounts;
  store: Store;
  bus: Bus;
  uiDir: string;
  sessionHours: number;
  secureCookies: boolean;
  /** What the detector runs now and its last load's problems. */
  rules: () => RulesStatus;
  /** Detection's health for the console's Health view; until wired, GET /api/v1/health answers 503. */
  health?: () => Promise<DetectionHealth>;
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(fastifyCookie);
  await authRoutes(app, deps);
  await alertRoutes(app, deps);
  await eventRoutes(app, deps);
  await adminRoutes(app, deps);
  await rulesRoutes(app, deps);
  await healthRoutes(app, deps);
  await staticUi(app, deps);
}
