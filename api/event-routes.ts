// Event search for the console and for hunting: a time range plus `q` (the event search
// language: field:value, wildcards, free text, AND/OR/NOT, parentheses, ranges; see
// core/query/event-query.ts), and around it the Events view's histogram, field sidebar
// and export. The Store applies the caller's scope to every one of them.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import type { Scope } from '../core/ports/scope.ts';
import type { EventQuery, Store } from '../core/ports/store.ts';
import { csvHeader, csvRow, exportFormats, MAX_EXPORT_EVENTS, ndjsonLine } from '../core/query/event-export.ts';
import { topFieldValues } from '../core/query/field-values.ts';
import { histogramBucketMs } from '../core/query/histogram-bucket.ts';
import { parseRequest } from './parse-request.ts';
import { pagingParams, timeRangeParams } from './query-params.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const qParam = { q: z.string().max(4000).optional() };
const eventQuerySchema = z.object({ ...qParam, ...timeRangeParams, ...pagingParams });
const statsQuerySchema = z.object(timeRangeParams);
const histogramQuerySchema = z.object({ ...qParam, ...timeRangeParams, bars: z.coerce.number().int().min(10).max(200).default(60) });
const fieldsQuerySchema = z.object({ ...qParam, ...timeRangeParams });
const exportQuerySchema = z.object({
  ...qParam,
  ...timeRangeParams,
  format: z.enum(exportFormats).default('csv'),
  limit: z.coerce.number().int().min(1).max(MAX_EXPORT_EVENTS).default(MAX_EXPORT_EVENTS),
});

/** A histogram without `from` covers the week before `to` (or now). */
const DEFAULT_HISTOGRAM_RANGE_MS = 7 * 86_400_000;
/** The newest matching events the field sidebar counts. */
export const FIELD_SAMPLE_SIZE = 500;
const EXPORT_PAGE = 1000;

export async function eventRoutes(app: FastifyInstance, deps: { accounts: Accounts; store: Store }) {
  const anyone = requireUser(deps.accounts);

  app.get('/api/v1/events', { preHandler: anyone }, async (request) => {
    const query = parseRequest(eventQuerySchema, request.query, 'query');
    return deps.store.searchEvents(query, scopeOf(signedIn(request)));
  });

  // Matches per time bucket, every bucket of [from, to) present (zeros included), so the
  // console draws the bars as they come.
  app.get('/api/v1/events/histogram', { preHandler: anyone }, async (request) => {
    const query = parseRequest(histogramQuerySchema, request.query, 'query');
    const toMs = query.to === undefined ? Date.now() : Date.parse(query.to);
    const fromMs = query.from === undefined ? toMs - DEFAULT_HISTOGRAM_RANGE_MS : Date.parse(query.from);
    const from = new Date(fromMs).toISOString();
    const to = new Date(Math.max(toMs, fromMs + 1000)).toISOString();
    const bucketMs = histogramBucketMs(Date.parse(to) - fromMs, query.bars);
    const answer = await deps.store.eventHistogram({ q: query.q ?? '', from, to, bucketMs }, scopeOf(signedIn(request)));
    const counts = new Map(answer.buckets.map((b) => [Date.parse(b.start), b.count]));
    const buckets: { start: string; count: number }[] = [];
    for (let start = fromMs; start < Date.parse(to); start += bucketMs) {
      buckets.push({ start: new Date(start).toISOString(), count: counts.get(start) ?? 0 });
    }
    return { from, to, bucketMs, buckets, total: answer.buckets.reduce((sum, b) => sum + b.count, 0) };
  });

  // Top values per field among the newest FIELD_SAMPLE_SIZE matches (a sample: says so).
  app.get('/api/v1/events/fields', { preHandler: anyone }, async (request) => {
    const query = parseRequest(fieldsQuerySchema, request.query, 'query');
    const page = await deps.store.searchEvents({ ...query, limit: FIELD_SAMPLE_SIZE }, scopeOf(signedIn(request)));
    return { sampled: page.items.length, sampleSize: FIELD_SAMPLE_SIZE, fields: topFieldValues(page.items) };
  });

  // A download of the matches, newest first, at most `limit` (≤ MAX_EXPORT_EVENTS), streamed
  // page by page. The first page is read before answering, so a bad query is a plain 400.
  app.get('/api/v1/events/export', { preHandler: anyone }, async (request, reply) => {
    const query = parseRequest(exportQuerySchema, request.query, 'query');
    const scope = scopeOf(signedIn(request));
    const search: EventQuery = { ...(query.q === undefined ? {} : { q: query.q }), ...timeRange(query), limit: Math.min(EXPORT_PAGE, query.limit) };
    const first = await deps.store.searchEvents(search, scope);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const lines = exportLines(deps.store, scope, search, first, query.limit, query.format);
    return reply
      .header('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="vigil-events-${stamp}.${query.format}"`)
      .header('x-vigil-export-limit', String(query.limit))
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  });

  app.get('/api/v1/stats', { preHandler: anyone }, async (request) => {
    const query = parseRequest(statsQuerySchema, request.query, 'query');
    return deps.store.stats(query, scopeOf(signedIn(request)));
  });
}

function timeRange(query: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } {
  return { ...(query.from === undefined ? {} : { from: query.from }), ...(query.to === undefined ? {} : { to: query.to }) };
}

/** The export's text, one page of events at a time, until `limit` events or the last page. */
async function* exportLines(
  store: Store,
  scope: Scope,
  search: EventQuery,
  first: Awaited<ReturnType<Store['searchEvents']>>,
  limit: number,
  format: 'csv' | 'ndjson',
): AsyncGenerator<string> {
  const line = format === 'csv' ? csvRow : ndjsonLine;
  if (format === 'csv') yield csvHeader();
  let page = first;
  let written = 0;
  for (;;) {
    const take = page.items.slice(0, limit - written);
    if (take.length > 0) yield take.map(line).join('');
    written += take.length;
    if (written >= limit || page.next === null) return;
    page = await store.searchEvents({ ...search, limit: Math.min(EXPORT_PAGE, limit - written), cursor: page.next }, scope);
  }
}
