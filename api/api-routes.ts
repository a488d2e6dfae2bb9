// The api stage: every REST route of the console plus the static console itself. The
// WebSocket hub is started separately (stream-hub.ts) because it owns a bus subscription.
// Hooks here apply to these routes only (fastify scopes them to this plugin), so agents'
// POST /api/v1/events, which authenticates by a bearer key, is not subject to them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Accounts } from '../core/accounts/accounts.ts';
import { createLoginThrottle } from '../core/accounts/login-throttle.ts';
import type { SecurityConfig } from '../core/config.ts';
import { ForbiddenError } from '../core/errors.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { NotificationOutbox } from '../core/ports/notifications.ts';
import type { Store } from '../core/ports/store.ts';
import type { DetectionHealth } from '../core/schemas/detection-health.ts';
import { adminRoutes } from './admin-routes.ts';
import { alertRoutes } from './alert-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { authRoutes } from './auth-routes.ts';
import { eventRoutes } from './event-routes.ts';
import { healthRoutes } from './health-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import { reportRoutes, type ReportSettings } from './report-routes.ts';
import { rulesRoutes, type RuleTestRunner, type RulesStatus } from './rules-routes.ts';
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
  /** Login throttling (config.security); the configuration defaults when absent. */
  security?: Pick<SecurityConfig, 'loginMaxFailures' | 'loginWindowMs'>;
  /** The notifications outbox (notify.db); without it the notification routes are not served. */
  notifications?: NotificationOutbox;
  /** notify.yml (VIGIL_NOTIFY_RULES_FILE), shown read-only to admins in the console. */ notifyRulesFile?: string;
  /** Where the alert detail reads each rule's Sigma file; the package's rules/ when absent. */
  rulesDir?: string;
  /** "Test this rule" on pasted events, built by bin/ from the detect engine; without it the test route answers 503. */ testRule?: RuleTestRunner;
  /** The SOC's local time and triage targets for reports; their defaults when absent. */
  report?: ReportSettings;
  /** When an agent counts as silent on the dashboard (config.correlation.silentAgentMs); 2 hours when absent. */
  silentAgentMs?: number;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Defence in depth beside SameSite=Strict: a state-changing request that says it comes
 * from a page of another origin is refused. Browsers send Origin on every cross-origin
 * and every non-GET request; tools that send none (curl) are not a browser to protect.
 */
export function refuseForeignOrigin(request: FastifyRequest): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null; // `null` (sandboxed pages, file:) and garbage are foreign.
  }
  if (host === null || host === '' || host !== request.headers.host) {
    throw new ForbiddenError(`requests from ${origin.slice(0, 200)} are not accepted; use the console of this server`, 'api');
  }
}

export async function apiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  await app.register(fastifyCookie);
  app.addHook('onRequest', async (request) => refuseForeignOrigin(request));
  const security = deps.security ?? { loginMaxFailures: 10, loginWindowMs: 15 * 60_000 };
  const loginThrottle = createLoginThrottle({ maxFailures: security.loginMaxFailures, windowMs: security.loginWindowMs });
  await authRoutes(app, { ...deps, loginThrottle });
  await alertRoutes(app, deps);
  await eventRoutes(app, deps);
  await adminRoutes(app, deps);
  await auditRoutes(app, deps);
  await rulesRoutes(app, deps);
  await healthRoutes(app, deps);
  await reportRoutes(app, deps);
  await dashboardRoutes(app, deps);
  if (deps.notifications) await notificationRoutes(app, { ...deps, notifications: deps.notifications });
  await staticUi(app, deps);
}
