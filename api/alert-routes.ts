// Alerts for the console: the list (filters, any sort, keyset pages with no depth
// limit), group counts, the histogram over time, one alert with the events behind it, and triage changes, one
// at a time or in bulk. A change is published on the alerts topic too, so every console
// watching that unit sees it without reloading, and it is audited like any other.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { NotFoundError, VigilError } from '../core/errors.ts';
import { TOPICS, type Bus } from '../core/ports/bus.ts';
import { MAX_HISTOGRAM_BUCKETS, MIN_HISTOGRAM_BUCKETS } from '../core/ports/alert-histogram.ts';
import type { Scope } from '../core/ports/scope.ts';
import { alertGroupFields, alertSortFields, type AlertFilter, type AlertSort, type Store } from '../core/ports/store.ts';
import { alertPatchSchema, alertStatusSchema, severitySchema, type Alert, type AlertPatch } from '../core/schemas/alert.ts';
import { recordAudit } from './audit-record.ts';
import { ruleCatalog } from './rule-catalog.ts';
import { parseRequest } from './parse-request.ts';
import { commaList, pagingParams, timeRangeParams } from './query-params.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

/** Most alerts one bulk triage request may change. */
export const MAX_BULK_TRIAGE = 500;

/** `severity` ascending, `-severity` descending; the default is `-time`, newest first. */
const sortParam = z
  .string()
  .regex(new RegExp(`^-?(${alertSortFields.join('|')})$`), `one of ${alertSortFields.join(', ')}, with a leading - for descending`)
  .transform((value): AlertSort => {
    const descending = value.startsWith('-');
    return { field: (descending ? value.slice(1) : value) as AlertSort['field'], direction: descending ? 'desc' : 'asc' };
  });

const alertFilterParams = {
  status: commaList(alertStatusSchema).optional(),
  severity: commaList(severitySchema).optional(),
  rule: z.string().max(200).optional(),
  host: z.string().max(500).optional(),
  unit: z.string().max(200).optional(),
  tactic: z.string().max(100).optional(),
  /** A username; `me` is the caller, `none` the unassigned alerts. */
  assignee: z.string().min(1).max(200).optional(),
  /** Text in the rule title, rule id or host. */
  q: z.string().max(500).optional(),
  ...timeRangeParams,
};
const alertQuerySchema = z.object({ ...alertFilterParams, sort: sortParam.optional(), ...pagingParams });
const groupQuerySchema = z.object({ ...alertFilterParams, by: z.enum(alertGroupFields) });
/** `buckets`: about how many bars the range is cut into. */
const histogramQuerySchema = z.object({
  ...alertFilterParams,
  buckets: z.coerce.number().int().min(MIN_HISTOGRAM_BUCKETS).max(MAX_HISTOGRAM_BUCKETS).default(60),
});
const idParams = z.object({ id: z.string().min(1).max(200) });
const bulkTriageSchema = z
  .object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_BULK_TRIAGE),
    status: alertStatusSchema.optional(),
    assignee: z.string().max(200).nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.assignee !== undefined || p.note !== undefined, {
    message: 'give at least one of status, assignee, note',
  });

type FilterParams = z.infer<z.ZodObject<typeof alertFilterParams>>;

/** The query string's filter as the Store's; `assignee=me` is the caller. */
function alertFilter(params: FilterParams, username: string): AlertFilter {
  const { q, assignee, ...rest } = params;
  const filter: AlertFilter = { ...rest };
  if (q !== undefined && q.trim() !== '') filter.text = q;
  if (assignee !== undefined) filter.assignee = assignee === 'none' ? null : assignee === 'me' ? username : assignee;
  return filter;
}

/** Where the Sigma files are when the composition does not say (as core/config.ts defaults). */
const DEFAULT_RULES_DIR = process.env['VIGIL_RULES_DIR'] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'rules');

export async function alertRoutes(app: FastifyInstance, deps: { accounts: Accounts; store: Store; bus: Bus; rulesDir?: string }) {
  const rules = ruleCatalog(deps.rulesDir ?? DEFAULT_RULES_DIR);
  const anyone = requireUser(deps.accounts);
  const triagers = requireUser(deps.accounts, 'admin', 'analyst');

  app.get('/api/v1/alerts', { preHandler: anyone }, async (request) => {
    const { sort, limit, cursor, ...params } = parseRequest(alertQuerySchema, request.query, 'query');
    const user = signedIn(request);
    return deps.store.searchAlerts(
      { ...alertFilter(params, user.username), limit, ...(sort === undefined ? {} : { sort }), ...(cursor === undefined ? {} : { cursor }) },
      scopeOf(user),
    );
  });

  app.get('/api/v1/alerts/groups', { preHandler: anyone }, async (request) => {
    const { by, ...params } = parseRequest(groupQuerySchema, request.query, 'query');
    const user = signedIn(request);
    return { by, ...(await deps.store.groupAlerts(alertFilter(params, user.username), by, scopeOf(user))) };
  });

  // The workbench's histogram: the same filter as the list, per time bucket and severity.
  app.get('/api/v1/alerts/histogram', { preHandler: anyone }, async (request) => {
    const { buckets, ...params } = parseRequest(histogramQuerySchema, request.query, 'query');
    const user = signedIn(request);
    return deps.store.alertHistogram({ ...alertFilter(params, user.username), buckets }, scopeOf(user));
  });

  app.get('/api/v1/alerts/:id', { preHandler: anyone }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const scope = scopeOf(signedIn(request));
    const alert = await deps.store.getAlert(id, scope);
    if (!alert) throw new NotFoundError(`no alert ${id}`, 'api');
    // A unit's alert shows only that unit's events: an event id alone is not an
    // identity (another unit may have posted the same id), the unit is part of it.
    const evidenceScope: Scope = alert.organization.id === '*' ? scope : { kind: 'units', units: [alert.organization.id] };
    const [events, ruleInfo] = await Promise.all([deps.store.getEvents(alert.event_ids, evidenceScope), rules.get(alert.rule.id)]);
    // rule_info: the Sigma file's description, false positives and references (null
    // when the rule is not among this server's files).
    return { alert, events, rule_info: ruleInfo };
  });

  app.patch('/api/v1/alerts/:id', { preHandler: triagers }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const patch = parseRequest(alertPatchSchema, request.body, 'body');
    const alert = await triage(deps, request, id, patch);
    await deps.bus.publish(TOPICS.alerts, [{ key: alert.id, value: Buffer.from(JSON.stringify(alert)) }]);
    return { alert };
  });

  // Bulk triage: the same change applied to each alert as PATCH would, each recorded in
  // its history and the audit log. Alerts the caller may not see fail as not found, one
  // by one, and are left untouched; the others are changed.
  app.post('/api/v1/alerts/triage', { preHandler: triagers }, async (request) => {
    const { ids, ...patch } = parseRequest(bulkTriageSchema, request.body, 'body');
    const updated: Alert[] = [];
    const failed: { id: string; code: string; message: string }[] = [];
    for (const id of new Set(ids)) {
      try {
        updated.push(await triage(deps, request, id, patch));
      } catch (error) {
        if (!(error instanceof VigilError) || error.status >= 500) throw error;
        failed.push({ id, code: error.code, message: error.message });
      }
    }
    if (updated.length > 0) {
      await deps.bus.publish(
        TOPICS.alerts,
        updated.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })),
      );
    }
    return { updated, failed };
  });
}

/** One person's change to one alert, recorded in its history (by the store) and audited. */
async function triage(deps: { accounts: Accounts; store: Store }, request: FastifyRequest, id: string, patch: AlertPatch): Promise<Alert> {
  const user = signedIn(request);
  const before = await deps.store.getAlert(id, scopeOf(user));
  const alert = await deps.store.updateAlert(id, patch, { username: user.username }, scopeOf(user));
  // Triage is a change like any other: audited, about the alert's unit (`*`: SOC-only).
  await recordAudit(deps.accounts, request, {
    action: 'alert.update',
    target: id,
    units: alert.organization.id === '*' ? [] : [alert.organization.id],
    before: before ? { status: before.status, assignee: before.assignee } : null,
    after: { status: alert.status, assignee: alert.assignee, ...(patch.note !== undefined ? { note: patch.note } : {}) },
  });
  return alert;
}
