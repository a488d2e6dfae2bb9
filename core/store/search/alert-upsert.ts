// Alert writes that never lose an analyst's triage to a concurrent detection write, or
// the reverse, across any number of processes: read the alert (real-time get, with its
// _seq_no and _primary_term), merge (alert-triage.ts, the embedded store's rules),
// write only if nobody wrote in between (if_seq_no/if_primary_term, or `create` for a
// new one); on a conflict read again and merge again.
//
// No refresh on alert writes. A console fetches an alert right after its WebSocket
// frame arrives: that is getAlert, a real-time get by id, which sees every
// acknowledged write without a refresh; and a refresh per alert write (`true` costs
// a tiny segment each time, `wait_for` up to the refresh interval, 1 s) would spend
// the POST-to-frame latency budget (p99 < 1 s). Alert lists (searches) see the write
// within the refresh interval, as events do.
import { NotFoundError, UnavailableError, VigilError } from '../../errors.ts';
import { scopeAllows, type Actor, type Scope } from '../../ports/scope.ts';
import type { Alert, AlertPatch } from '../../schemas/alert.ts';
import { applyAlertPatch, keepTriage } from '../alert-triage.ts';
import { backoffDelayMs, isRetryable, sleep, type RetryPolicy } from './bulk-retry.ts';
import { storedDocument, storeFailure } from './search-page.ts';
import type { SearchClient } from './search-client.ts';
import { SEARCH_FIELD } from './search-fields.ts';

interface Versioned {
  alert: Alert;
  seqNo: number;
  primaryTerm: number;
}

interface GetAnswer {
  found: boolean;
  _source?: Alert;
  _seq_no?: number;
  _primary_term?: number;
}

interface BulkAnswer {
  items: Record<string, { status: number; error?: unknown }>[];
}

/**
 * The document as indexed: the alert plus the fields top-hosts and threat grouping count
 * by. The threat is a correlation's grouped signature, else a single-event alert's own.
 */
function alertDocument(alert: Alert): Record<string, unknown> {
  const threat = alert.group['rule.name'] ?? alert.threat ?? null;
  return { ...alert, [SEARCH_FIELD]: { host: alert.host.name ?? alert.host.id ?? null, threat } };
}

function versioned(answer: GetAnswer): Versioned | null {
  if (!answer.found || answer._source === undefined) return null;
  return { alert: storedDocument(answer._source), seqNo: answer._seq_no ?? 0, primaryTerm: answer._primary_term ?? 0 };
}

export async function getAlertVersion(client: SearchClient, index: string, id: string): Promise<Versioned | null> {
  const answer = await client.request<GetAnswer>({ method: 'GET', path: `/${index}/_doc/${encodeURIComponent(id)}` });
  if (answer.status === 404) return null;
  if (answer.status !== 200) throw storeFailure('get alert', answer.status, answer.body);
  return versioned(answer.body);
}

async function getAlertVersions(client: SearchClient, index: string, ids: string[]): Promise<Map<string, Versioned>> {
  const answer = await client.request<{ docs: (GetAnswer & { _id: string })[] }>({
    method: 'POST',
    path: `/${index}/_mget`,
    body: { ids },
  });
  if (answer.status !== 200) throw storeFailure('get alerts', answer.status, answer.body);
  const found = new Map<string, Versioned>();
  for (const doc of answer.body.docs) {
    const version = versioned(doc);
    if (version !== null) found.set(doc._id, version);
  }
  return found;
}

/**
 * Upserts by id and answers the alerts as stored, in the order given. The same id
 * twice in one call is written twice, in order, the second merged onto the first, as
 * the embedded store's transaction does.
 */
export async function upsertAlerts(client: SearchClient, index: string, alerts: readonly Alert[], policy: RetryPolicy): Promise<Alert[]> {
  const stored: Alert[] = new Array<Alert>(alerts.length);
  // Waves: the n-th occurrence of each id goes in wave n.
  const waves: number[][] = [];
  const seen = new Map<string, number>();
  alerts.forEach((alert, i) => {
    const n = seen.get(alert.id) ?? 0;
    seen.set(alert.id, n + 1);
    (waves[n] ??= []).push(i);
  });
  for (const wave of waves) {
    let pending = wave;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= policy.maxAttempts) {
        throw new UnavailableError(`search store: ${pending.length} alerts not written after ${policy.maxAttempts} attempts`, 'store');
      }
      if (attempt > 0) await sleep(backoffDelayMs(attempt - 1, policy));
      pending = await upsertOnce(client, index, alerts, pending, stored);
    }
  }
  return stored;
}

/** One read-merge-write round; answers the positions to try again (conflicts, 429/5xx). */
async function upsertOnce(client: SearchClient, index: string, alerts: readonly Alert[], positions: number[], stored: Alert[]): Promise<number[]> {
  const existing = await getAlertVersions(client, index, positions.map((i) => alerts[i]!.id));
  const lines: string[] = [];
  const merged: Alert[] = [];
  for (const i of positions) {
    const alert = alerts[i]!;
    const current = existing.get(alert.id);
    const next = current === undefined ? alert : keepTriage(current.alert, alert);
    merged.push(next);
    const meta = current === undefined
      ? { create: { _index: index, _id: alert.id } }
      : { index: { _index: index, _id: alert.id, if_seq_no: current.seqNo, if_primary_term: current.primaryTerm } };
    lines.push(JSON.stringify(meta), JSON.stringify(alertDocument(next)));
  }
  const answer = await client.request<BulkAnswer>({ method: 'POST', path: '/_bulk', ndjson: `${lines.join('\n')}\n` });
  if (answer.status !== 200) {
    if (isRetryable(answer.status)) return positions;
    throw storeFailure('write alerts', answer.status, answer.body);
  }
  const again: number[] = [];
  answer.body.items.forEach((entry, k) => {
    const result = Object.values(entry)[0];
    const i = positions[k];
    if (result === undefined || i === undefined) return;
    if (result.status >= 200 && result.status < 300) stored[i] = merged[k]!;
    // 409: someone wrote this alert since we read it (or created it first): merge again.
    else if (result.status === 409 || isRetryable(result.status)) again.push(i);
    else throw new VigilError('store_rejected', `search store: alert ${alerts[i]!.id} refused (${result.status}): ${JSON.stringify(result.error)}`, 'store');
  });
  return again;
}

/** A person's change, merged onto the latest version; the same NotFoundError for "missing" and "not yours". */
export async function patchAlert(
  client: SearchClient,
  index: string,
  request: { id: string; patch: AlertPatch; actor: Actor; scope: Scope; at: string },
  policy: RetryPolicy,
): Promise<Alert> {
  const notFound = () => new NotFoundError(`alert ${request.id} not found`, 'store');
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await sleep(backoffDelayMs(attempt - 1, policy));
    const current = await getAlertVersion(client, index, request.id);
    if (current === null || !scopeAllows(request.scope, current.alert.organization.id)) throw notFound();
    const next = applyAlertPatch(current.alert, request.patch, request.actor, request.at);
    const answer = await client.request({
      method: 'PUT',
      path: `/${index}/_doc/${encodeURIComponent(request.id)}`,
      querystring: { if_seq_no: current.seqNo, if_primary_term: current.primaryTerm },
      body: alertDocument(next),
    });
    if (answer.status === 200 || answer.status === 201) return next;
    if (answer.status !== 409 && !isRetryable(answer.status)) throw storeFailure('update alert', answer.status, answer.body);
  }
  throw new UnavailableError(`search store: alert ${request.id} not updated after ${policy.maxAttempts} attempts`, 'store');
}
