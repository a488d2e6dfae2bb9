// Alerts for the console: list with filters, one alert with the events behind it, and
// triage changes. A change is published on the alerts topic too, so every console
// watching that unit sees it without reloading.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { NotFoundError } from '../core/errors.ts';
import { TOPICS, type Bus } from '../core/ports/bus.ts';
import type { Scope } from '../core/ports/scope.ts';
import type { Store } from '../core/ports/store.ts';
import { alertPatchSchema, alertStatusSchema, severitySchema } from '../core/schemas/alert.ts';
import { recordAudit } from './audit-record.ts';
import { parseRequest } from './parse-request.ts';
import { commaList, pagingParams, timeRangeParams } from './query-params.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const alertQuerySchema = z.object({
  status: commaList(alertStatusSchema).optional(),
  severity: commaList(severitySchema).optional(),
  rule: z.string().max(200).optional(),
  host: z.string().max(500).optional(),
  ...timeRangeParams,
  ...pagingParams,
});
const idParams = z.object({ id: z.string().min(1).max(200) });

export async function alertRoutes(app: FastifyInstance, deps: { accounts: Accounts; store: Store; bus: Bus }) {
  const anyone = requireUser(deps.accounts);
  const triagers = requireUser(deps.accounts, 'admin', 'analyst');

  app.get('/api/v1/alerts', { preHandler: anyone }, async (request) => {
    const query = parseRequest(alertQuerySchema, request.query, 'query');
    return deps.store.searchAlerts(query, scopeOf(signedIn(request)));
  });

  app.get('/api/v1/alerts/:id', { preHandler: anyone }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const scope = scopeOf(signedIn(request));
    const alert = await deps.store.getAlert(id, scope);
    if (!alert) throw new NotFoundError(`no alert ${id}`, 'api');
    // A unit's alert shows only that unit's events: an event id alone is not an
    // identity (another unit may have posted the same id), the unit is part of it.
    const evidenceScope: Scope = alert.organization.id === '*' ? scope : { kind: 'units', units: [alert.organization.id] };
    return { alert, events: await deps.store.getEvents(alert.event_ids, evidenceScope) };
  });

  app.patch('/api/v1/alerts/:id', { preHandler: triagers }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const patch = parseRequest(alertPatchSchema, request.body, 'body');
    const user = signedIn(request);
    const before = await deps.store.getAlert(id, scopeOf(user));
    const alert = await deps.store.updateAlert(id, patch, { username: user.username }, scopeOf(user));
    await deps.bus.publish(TOPICS.alerts, [{ key: alert.id, value: Buffer.from(JSON.stringify(alert)) }]);
    // Triage is a change like any other: audited, about the alert's unit (`*`: SOC-only).
    await recordAudit(deps.accounts, request, {
      action: 'alert.update',
      target: id,
      units: alert.organization.id === '*' ? [] : [alert.organization.id],
      before: before ? { status: before.status, assignee: before.assignee } : null,
      after: { status: alert.status, assignee: alert.assignee, ...(patch.note !== undefined ? { note: patch.note } : {}) },
    });
    return { alert };
  });
}
