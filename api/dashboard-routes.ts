// The console's dashboard: GET /api/v1/dashboard (every panel over [from, to), for
// what the caller may see, or one unit of it: core/dashboard/build-dashboard.ts) and
// GET /api/v1/dashboard/agents (agents with when each was last seen, for the host and
// unit pages). Anyone signed in may ask; a unit IT officer's answer holds their units
// only, and another unit is 404, as if it did not exist.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { buildDashboard, isSilent } from '../core/dashboard/build-dashboard.ts';
import { NotFoundError } from '../core/errors.ts';
import { scopeAllows } from '../core/ports/scope.ts';
import type { Store } from '../core/ports/store.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

/** VIGIL_SILENT_AGENT_MINUTES's default, until the composition passes the configured one. */
const DEFAULT_SILENT_AGENT_MS = 120 * 60_000;
const DAY_MS = 24 * 3600_000;

const unitParam = z.string().min(1).max(200).optional();

const dashboardQuerySchema = z.object({
  unit: unitParam,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const agentsQuerySchema = z.object({ unit: unitParam });

export interface DashboardDeps {
  accounts: Accounts;
  store: Store;
  /** When an agent counts as silent (config.correlation.silentAgentMs). */
  silentAgentMs?: number;
}

export async function dashboardRoutes(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const anyone = requireUser(deps.accounts);
  const silentAgentMs = deps.silentAgentMs ?? DEFAULT_SILENT_AGENT_MS;

  app.get('/api/v1/dashboard', { preHandler: anyone }, async (request) => {
    const query = parseRequest(dashboardQuerySchema, request.query, 'query');
    const now = Date.now();
    // Without bounds, the last 24 hours; `to` alone ends a 24-hour range, `from` alone runs to now.
    const to = query.to ?? new Date(now).toISOString();
    const from = query.from ?? new Date(Date.parse(to) - DAY_MS).toISOString();
    return buildDashboard(deps, { unit: query.unit ?? null, from, to, silentAgentMs, now }, scopeOf(signedIn(request)));
  });

  app.get('/api/v1/dashboard/agents', { preHandler: anyone }, async (request) => {
    const { unit } = parseRequest(agentsQuerySchema, request.query, 'query');
    const scope = scopeOf(signedIn(request));
    if (unit !== undefined && !scopeAllows(scope, unit)) throw new NotFoundError(`unknown unit "${unit}"`, 'api');
    const agents = await deps.accounts.listAgents(unit === undefined ? scope : { kind: 'units', units: [unit] });
    const now = Date.now();
    return {
      silentAfterMs: silentAgentMs,
      items: agents
        .filter((agent) => agent.revoked === null)
        .sort((a, b) => a.unit.id.localeCompare(b.unit.id) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
        .map((agent) => ({
          id: agent.id,
          name: agent.name,
          unit: agent.unit,
          lastSeen: agent.lastSeen,
          silent: isSilent(agent, now, silentAgentMs),
        })),
    };
  });
}
