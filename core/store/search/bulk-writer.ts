// Events to the cluster in bulk requests: one `create` per event into the daily index
// of its @timestamp, with the identity-derived _id (event-identity.ts), so a replay is
// answered 409 per item and changes nothing. Items refused with 429/5xx (and whole
// requests that fail so) are sent again with backoff (bulk-retry.ts); only the items
// still missing travel on a retry. No refresh per batch: detect writes 500 events at
// a time and throughput matters; reads see them after the index's refresh interval,
// or after Store.refresh().
import { UnavailableError, VigilError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { SecurityEvent } from '../../schemas/event.ts';
import { toUtcIso } from '../search-bounds.ts';
import { backoffDelayMs, eventItemOutcome, isRetryable, sleep, type RetryPolicy } from './bulk-retry.ts';
import { eventDocumentIdAt } from './event-identity.ts';
import type { IndexNames } from './index-names.ts';
import type { SearchClient } from './search-client.ts';
import { eventSearchFields, SEARCH_FIELD } from './search-fields.ts';

/** Items per request; several requests for larger calls keep each one a few MB at most. */
export const BULK_CHUNK = 1000;

interface BulkAnswer {
  errors: boolean;
  items: Record<string, { status: number; error?: unknown }>[];
}

interface Pending {
  action: string;
  source: string;
}

export async function writeEventsInBulk(
  client: SearchClient,
  names: IndexNames,
  events: readonly SecurityEvent[],
  policy: RetryPolicy,
  log?: Logger,
): Promise<void> {
  // The same event twice in one call is one document: sending both would answer the
  // second 409 anyway, so send it once.
  const byId = new Map<string, Pending>();
  for (const event of events) {
    const item = bulkItem(event, names);
    if (!byId.has(item.id)) byId.set(item.id, item);
  }
  const items = [...byId.values()];
  for (let start = 0; start < items.length; start += BULK_CHUNK) {
    await writeChunk(client, items.slice(start, start + BULK_CHUNK), policy, log);
  }
}

/**
 * One event's `create` line and source: the event as written plus its search fields.
 * The source is the event's JSON with the search fields spliced in before its closing
 * brace, not a spread copy of the event serialized again: detect does this for every
 * event, and the copy showed in its profile. An event that carries a field of the same
 * name (agents may send any name) gets the copy, which replaces it, as before.
 */
export function bulkItem(event: SecurityEvent, names: IndexNames): Pending & { id: string } {
  const time = toUtcIso(event['@timestamp'], '@timestamp');
  const id = eventDocumentIdAt(event, time);
  const action = `{"create":{"_index":${JSON.stringify(names.eventsIndexFor(time))},"_id":${JSON.stringify(id)}}}`;
  const fields = eventSearchFields(event, id);
  const json = JSON.stringify(event);
  const source =
    SEARCH_FIELD in event || json.length < 3
      ? JSON.stringify({ ...event, [SEARCH_FIELD]: fields })
      : `${json.slice(0, -1)},${JSON.stringify(SEARCH_FIELD)}:${JSON.stringify(fields)}}`;
  return { id, action, source };
}

async function writeChunk(client: SearchClient, chunk: Pending[], policy: RetryPolicy, log?: Logger): Promise<void> {
  let pending = chunk;
  let lastProblem = '';
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) await sleep(backoffDelayMs(attempt - 1, policy));
    const ndjson = pending.map((item) => `${item.action}\n${item.source}\n`).join('');
    let answer;
    try {
      answer = await client.request<BulkAnswer>({ method: 'POST', path: '/_bulk', ndjson });
    } catch (error) {
      lastProblem = String(error);
      continue; // No answer at all (connection lost): the whole request again.
    }
    if (answer.status !== 200) {
      lastProblem = `bulk answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`;
      if (isRetryable(answer.status)) continue;
      throw new VigilError('store_failed', `search store: ${lastProblem}`, 'store');
    }
    const retry: Pending[] = [];
    const failed: unknown[] = [];
    answer.body.items.forEach((entry, i) => {
      const result = Object.values(entry)[0];
      const item = pending[i];
      if (result === undefined || item === undefined) return;
      const outcome = eventItemOutcome(result.status);
      if (outcome === 'retry') retry.push(item);
      if (outcome === 'failed') failed.push({ status: result.status, error: result.error });
    });
    if (failed.length > 0) {
      // Mappings are dynamic: false with ignore_malformed, so no event value should get
      // here; if one does, say which, and let the caller not commit past it.
      throw new VigilError('store_rejected', `search store: ${failed.length} events refused: ${JSON.stringify(failed.slice(0, 3))}`, 'store', 500, failed);
    }
    if (retry.length === 0) return;
    lastProblem = `${retry.length} of ${pending.length} events refused with 429/5xx`;
    log?.warn({ attempt, retrying: retry.length }, 'search store: bulk items refused, retrying');
    pending = retry;
  }
  throw new UnavailableError(`search store: events not written after ${policy.maxAttempts} attempts: ${lastProblem}`, 'store');
}
