// The NotificationOutbox on the search store (Elasticsearch or OpenSearch), for the
// distributed deployment: `vigil notify` writes it and every `vigil api` replica reads
// the same delivery status and dead letters and queues test sends there. It speaks the
// REST API both products share, through the search store's client seam.
//
// How the port's promises hold on a cluster:
// - Idempotency: a delivery's document id is its key and it is written with `_create`
//   (op_type create), so a key the index holds is never written twice (409 = repeat).
// - Every write refreshes before it resolves: the next `due`, list or status read sees
//   it. Notifications are alert-paced (a few per second at most), so this is cheap.
// - The numeric delivery id the api uses is derived from the key (52 bits of its
//   sha256), the same in every process, so no sequence has to be shared.
// - Several `vigil notify` replicas may send from one outbox: a delivery is claimed
//   before it is sent (a lease: `lease_owner` until `lease_until`), written with
//   optimistic concurrency (if_seq_no / if_primary_term of the version read), so of two
//   replicas claiming at once one write wins and the other gets 409 and leaves it. A
//   send or failure is recorded the same way, and only by the lease's holder.
import { createHash } from 'node:crypto';
import { NotFoundError, UnavailableError } from '../errors.ts';
import {
  notificationPayloadSchema,
  type ChannelInfo,
  type DeliveryAttempt,
  type DigestUnitCount,
  type NewDelivery,
  type NotificationOutbox,
} from '../ports/notifications.ts';
import type { Scope } from '../ports/scope.ts';
import { isoTime as iso, toDelivery, type DeliveryRecord } from './delivery-record.ts';
import { productClient } from '../store/search/product-client.ts';
import type { SearchClient } from '../store/search/search-client.ts';

export interface SearchNotificationOutboxOptions {
  flavor: 'elasticsearch' | 'opensearch';
  nodes: string[];
  username?: string | undefined;
  password?: string | undefined;
  tlsCaFile?: string | undefined;
  indexPrefix: string;
  /** Tests only: a Transport class for @elastic/elasticsearch against OpenSearch. */
  transport?: unknown;
}

interface DeliveryDoc extends DeliveryRecord {
  unit_name: string | null;
  attempt_log: Array<{ at: number; ok: boolean; error: string | null }>;
  /** The notify replica sending it, until `lease_until` (epoch ms); absent in documents written before claims. */
  lease_owner?: string | null;
  lease_until?: number | null;
}

/** A document as read, with the version a conditional write must match. */
interface Versioned {
  doc: DeliveryDoc;
  seqNo: number;
  primaryTerm: number;
}

const keyword = { type: 'keyword' } as const;
const long = { type: 'long' } as const;
const DELIVERY_MAPPING = {
  id: long,
  key: keyword,
  channel: keyword,
  kind: keyword,
  alert_id: keyword,
  unit: keyword,
  unit_name: keyword,
  state: keyword,
  attempts: { type: 'integer' },
  created_at: long,
  due_at: long,
  sent_at: long,
  last_error: { type: 'keyword', index: false },
  digest_key: keyword,
  payload: { type: 'object', enabled: false },
  attempt_log: { type: 'object', enabled: false },
  lease_owner: keyword,
  lease_until: long,
};
const CHANNEL_MAPPING = { name: keyword, type: keyword, unit: keyword, language: keyword };
/** Most documents one list answers (dead letters, an alert's deliveries, admissions in a minute). */
const MAX_LIST = 10_000;

/** 52 bits of the key's sha256: a safe integer, the same in every process. */
export function deliveryId(key: string): number {
  return parseInt(createHash('sha256').update(key).digest('hex').slice(0, 13), 16);
}

function newDoc(delivery: NewDelivery): DeliveryDoc {
  return {
    id: deliveryId(delivery.key),
    key: delivery.key,
    channel: delivery.channel,
    kind: delivery.payload.type,
    alert_id: delivery.alertId,
    unit: delivery.unit,
    unit_name: delivery.payload.type === 'alert' ? delivery.payload.alert.unit.name : null,
    state: delivery.state,
    attempts: 0,
    created_at: delivery.createdAt,
    due_at: delivery.dueAt,
    sent_at: null,
    last_error: null,
    digest_key: delivery.digestKey ?? null,
    payload: delivery.payload,
    attempt_log: [],
    lease_owner: null,
    lease_until: null,
  };
}

export async function openSearchNotificationOutbox(options: SearchNotificationOutboxOptions): Promise<NotificationOutbox> {
  const client: SearchClient = productClient(options);
  const deliveries = `${options.indexPrefix}-notify-deliveries`;
  const channels = `${options.indexPrefix}-notify-channels`;

  const fail = (what: string, answer: { status: number; body: unknown }): never => {
    throw new UnavailableError(`notification outbox: ${what} failed (${answer.status}): ${JSON.stringify(answer.body).slice(0, 300)}`, 'store');
  };

  try {
    for (const [index, properties] of [
      [deliveries, DELIVERY_MAPPING],
      [channels, CHANNEL_MAPPING],
    ] as const) {
      const exists = await client.request({ method: 'HEAD', path: `/${index}` });
      if (exists.status === 200) {
        // An index made before a field was added (the lease fields) learns it; adding fields is allowed on a live index.
        const mapped = await client.request({ method: 'PUT', path: `/${index}/_mapping`, body: { properties } });
        if (mapped.status >= 300) fail(`updating the mapping of ${index}`, mapped);
        continue;
      }
      const created = await client.request<{ error?: { type?: string } }>({
        method: 'PUT',
        path: `/${index}`,
        body: { settings: { number_of_shards: 1, 'index.auto_expand_replicas': '0-1' }, mappings: { dynamic: 'strict', properties } },
      });
      if (created.status >= 300 && created.body.error?.type !== 'resource_already_exists_exception') fail(`creating ${index}`, created);
    }
  } catch (error) {
    await client.close();
    throw error;
  }

  async function search(query: unknown, sort: unknown[], size: number): Promise<DeliveryDoc[]> {
    const answer = await client.request<{ hits?: { hits: Array<{ _source: DeliveryDoc }> } }>({
      method: 'POST',
      path: `/${deliveries}/_search`,
      body: { query, sort, size, track_total_hits: false },
    });
    if (answer.status >= 300) fail('a search', answer);
    return (answer.body.hits?.hits ?? []).map((hit) => hit._source);
  }

  async function byId(id: number): Promise<DeliveryDoc | null> {
    return (await versionOf(id))?.doc ?? null;
  }

  /** The delivery with its version (every write refreshes, so a search sees the latest). */
  async function versionOf(id: number): Promise<Versioned | null> {
    const answer = await client.request<{ hits?: { hits: Array<{ _source: DeliveryDoc; _seq_no: number; _primary_term: number }> } }>({
      method: 'POST',
      path: `/${deliveries}/_search`,
      body: { query: { term: { id } }, size: 1, seq_no_primary_term: true, track_total_hits: false },
    });
    if (answer.status >= 300) fail('a lookup', answer);
    const hit = answer.body.hits?.hits[0];
    return hit ? { doc: hit._source, seqNo: hit._seq_no, primaryTerm: hit._primary_term } : null;
  }

  /**
   * Writes `change` over the version read, only if nobody wrote it since (if_seq_no,
   * if_primary_term). Answers the new document, or null when another writer got there first.
   */
  async function update(read: Versioned, change: Partial<DeliveryDoc>): Promise<DeliveryDoc | null> {
    const next = { ...read.doc, ...change };
    const answer = await client.request({
      method: 'PUT',
      path: `/${deliveries}/_doc/${encodeURIComponent(read.doc.key)}`,
      querystring: { refresh: 'true', if_seq_no: String(read.seqNo), if_primary_term: String(read.primaryTerm) },
      body: next,
    });
    if (answer.status === 409) return null;
    if (answer.status >= 300) fail('an update', answer);
    return next;
  }

  /**
   * Applies `change` to the delivery unless `allowed` refuses what is stored; a write lost
   * to a concurrent one (an api requeue, a claim) is read again and retried. Answers the
   * result, or null when refused or the delivery is gone.
   */
  async function modify(id: number, allowed: (doc: DeliveryDoc) => boolean, change: (doc: DeliveryDoc) => Partial<DeliveryDoc>): Promise<DeliveryDoc | null> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const read = await versionOf(id);
      if (!read || !allowed(read.doc)) return null;
      const written = await update(read, change(read.doc));
      if (written) return written;
    }
    throw new UnavailableError(`notification outbox: delivery ${id} kept changing under five conditional writes`, 'store');
  }

  const holds = (owner: string | undefined) => (doc: DeliveryDoc) => owner === undefined || doc.lease_owner === owner;

  async function recordDocs(docs: readonly DeliveryDoc[]): Promise<string[]> {
    if (docs.length === 0) return [];
    // Within one call the first of a repeated key wins, as one transaction would have it.
    const seen = new Set<string>();
    const ordered = docs.filter((doc) => !seen.has(doc.key) && seen.add(doc.key));
    const ndjson = ordered.map((doc) => `${JSON.stringify({ create: { _index: deliveries, _id: doc.key } })}\n${JSON.stringify(doc)}\n`).join('');
    const answer = await client.request<{ items?: Array<{ create: { status: number; error?: unknown } }> }>({
      method: 'POST',
      path: '/_bulk',
      querystring: { refresh: 'true' },
      ndjson,
    });
    if (answer.status >= 300) fail('recording deliveries', answer);
    const inserted: string[] = [];
    (answer.body.items ?? []).forEach((item, i) => {
      if (item.create.status < 300) inserted.push(ordered[i]!.key);
      else if (item.create.status !== 409) fail(`recording ${ordered[i]!.key}`, { status: item.create.status, body: item.create.error });
    });
    return inserted;
  }

  return {
    async registerChannels(list: readonly ChannelInfo[]) {
      const cleared = await client.request({ method: 'POST', path: `/${channels}/_delete_by_query`, querystring: { refresh: 'true', conflicts: 'proceed' }, body: { query: { match_all: {} } } });
      if (cleared.status >= 300) fail('clearing channels', cleared);
      if (list.length === 0) return;
      const ndjson = list.map((c) => `${JSON.stringify({ index: { _index: channels, _id: c.name } })}\n${JSON.stringify(c)}\n`).join('');
      const answer = await client.request({ method: 'POST', path: '/_bulk', querystring: { refresh: 'true' }, ndjson });
      if (answer.status >= 300) fail('registering channels', answer);
    },
    async listChannels() {
      const answer = await client.request<{ hits?: { hits: Array<{ _source: ChannelInfo }> } }>({
        method: 'POST',
        path: `/${channels}/_search`,
        body: { query: { match_all: {} }, sort: [{ name: 'asc' }], size: MAX_LIST },
      });
      if (answer.status >= 300) fail('listing channels', answer);
      return (answer.body.hits?.hits ?? []).map((hit) => hit._source);
    },
    async record(list) {
      return recordDocs(list.map(newDoc));
    },
    async existingKeys(keys) {
      if (keys.length === 0) return new Set();
      const answer = await client.request<{ docs: Array<{ _id: string; found: boolean }> }>({ method: 'POST', path: `/${deliveries}/_mget`, querystring: { _source: false }, body: { ids: keys } });
      if (answer.status >= 300) fail('looking up keys', answer);
      return new Set(answer.body.docs.filter((doc) => doc.found).map((doc) => doc._id));
    },
    async due(now, limit) {
      const docs = await search(
        {
          bool: {
            filter: [{ term: { state: 'pending' } }, { range: { due_at: { lte: now } } }],
            // Not claimed, or its claim ran out.
            must_not: [{ range: { lease_until: { gt: now } } }],
          },
        },
        [{ due_at: 'asc' }, { created_at: 'asc' }, { key: 'asc' }],
        limit,
      );
      return docs.map(toDelivery);
    },
    async claim(id, owner, now, leaseMs) {
      const read = await versionOf(id);
      if (!read) return null;
      const { doc } = read;
      if (doc.state !== 'pending' || doc.due_at > now || (doc.lease_until ?? 0) > now) return null;
      // A 409 means another replica claimed (or changed) it first: it is theirs.
      const claimed = await update(read, { lease_owner: owner, lease_until: now + leaseMs });
      return claimed ? toDelivery(claimed) : null;
    },
    async nextDue() {
      const [doc] = await search({ term: { state: 'pending' } }, [{ due_at: 'asc' }], 1);
      return doc?.due_at ?? null;
    },
    async pendingByChannel() {
      const answer = await client.request<{ aggregations?: { channels: { buckets: Array<{ key: string; doc_count: number }> } } }>({
        method: 'POST',
        path: `/${deliveries}/_search`,
        body: { size: 0, query: { term: { state: 'pending' } }, aggs: { channels: { terms: { field: 'channel', size: MAX_LIST, order: { _key: 'asc' } } } } },
      });
      if (answer.status >= 300) fail('counting pending deliveries', answer);
      return (answer.body.aggregations?.channels.buckets ?? []).map((bucket) => ({ channel: bucket.key, count: bucket.doc_count }));
    },
    async markSent(id, at, owner) {
      const written = await modify(id, holds(owner), (doc) => ({
        state: 'sent',
        attempts: doc.attempts + 1,
        sent_at: at,
        last_error: null,
        attempt_log: [...doc.attempt_log, { at, ok: true, error: null }],
        lease_owner: null,
        lease_until: null,
      }));
      return written !== null;
    },
    async markFailed(id, at, error, outcome, owner) {
      const written = await modify(id, holds(owner), (doc) => ({
        state: outcome.next === 'retry' ? 'pending' : outcome.next,
        attempts: doc.attempts + 1,
        due_at: outcome.next === 'retry' ? outcome.at : doc.due_at,
        last_error: error,
        attempt_log: [...doc.attempt_log, { at, ok: false, error }],
        lease_owner: null,
        lease_until: null,
      }));
      return written !== null;
    },
    async digestCounts(digestKey) {
      const answer = await client.request<{ aggregations?: { units: { buckets: Array<{ key: string; doc_count: number; name: { buckets: Array<{ key: string }> } }> } } }>({
        method: 'POST',
        path: `/${deliveries}/_search`,
        body: {
          size: 0,
          query: { bool: { filter: [{ term: { digest_key: digestKey } }, { term: { state: 'folded' } }] } },
          aggs: { units: { terms: { field: 'unit', size: MAX_LIST, missing: '*' }, aggs: { name: { terms: { field: 'unit_name', size: 1 } } } } },
        },
      });
      if (answer.status >= 300) fail('counting a digest', answer);
      return (answer.body.aggregations?.units.buckets ?? [])
        .map((bucket): DigestUnitCount => ({ unit: bucket.key, unitName: bucket.name.buckets[0]?.key ?? '', count: bucket.doc_count }))
        .sort((a, b) => b.count - a.count || a.unit.localeCompare(b.unit));
    },
    async admissionsSince(since) {
      const docs = await search(
        { bool: { filter: [{ range: { created_at: { gte: since } } }, { term: { kind: 'alert' } }], must_not: [{ term: { state: 'folded' } }] } },
        [{ created_at: 'asc' }],
        MAX_LIST,
      );
      return docs.map((doc) => ({ channel: doc.channel, at: doc.created_at }));
    },
    async openDigests() {
      const docs = await search({ bool: { filter: [{ term: { kind: 'digest' } }, { term: { state: 'pending' } }] } }, [], MAX_LIST);
      return docs.flatMap((doc) => {
        const payload = notificationPayloadSchema.parse(doc.payload);
        return payload.type === 'digest' ? [{ channel: doc.channel, key: doc.key, windowStart: payload.windowStart, windowEnd: payload.windowEnd }] : [];
      });
    },
    async deadLetters(scope: Scope, limit) {
      const filter: unknown[] = [{ term: { state: 'dead' } }];
      if (scope.kind === 'units') filter.push({ terms: { unit: [...scope.units].filter((unit) => unit !== '*') } });
      const docs = await search({ bool: { filter } }, [{ created_at: 'desc' }, { key: 'desc' }], limit);
      return docs.map(toDelivery);
    },
    async deliveriesForAlert(alertId) {
      const docs = await search({ term: { alert_id: alertId } }, [{ created_at: 'asc' }, { key: 'asc' }], MAX_LIST);
      return docs.map((doc) => ({
        ...toDelivery(doc),
        attemptLog: doc.attempt_log.map((a): DeliveryAttempt => ({ at: iso(a.at), ok: a.ok, error: a.error })),
      }));
    },
    async getDelivery(id) {
      const doc = await byId(id);
      return doc ? toDelivery(doc) : null;
    },
    async requeue(id, now) {
      const written = await modify(id, (doc) => doc.state === 'dead', () => ({ state: 'pending', attempts: 0, due_at: now, lease_owner: null, lease_until: null }));
      return written ? toDelivery(written) : null;
    },
    async prune(before) {
      const answer = await client.request<{ deleted?: number }>({
        method: 'POST',
        path: `/${deliveries}/_delete_by_query`,
        querystring: { refresh: 'true', conflicts: 'proceed' },
        body: { query: { bool: { filter: [{ range: { created_at: { lt: before } } }, { terms: { state: ['sent', 'folded', 'failed'] } }] } } },
      });
      if (answer.status >= 300) fail('pruning', answer);
      return answer.body.deleted ?? 0;
    },
    async requestTest(channel, requestedBy, now) {
      const found = await client.request<{ found?: boolean; _source?: ChannelInfo }>({ method: 'GET', path: `/${channels}/_doc/${encodeURIComponent(channel)}` });
      if (found.status === 404 || !found.body.found || !found.body._source) throw new NotFoundError(`no notification channel ${channel}`, 'api');
      const key = `test:${channel}:${now}:${createHash('sha256').update(`${requestedBy}|${process.pid}|${Math.random()}`).digest('hex').slice(0, 12)}`;
      const delivery: NewDelivery = { key, channel, alertId: null, unit: found.body._source.unit, payload: { type: 'test', requestedBy }, state: 'pending', createdAt: now, dueAt: now };
      await recordDocs([newDoc(delivery)]);
      return toDelivery(newDoc(delivery));
    },
    async close() {
      await client.close();
    },
  };
}
