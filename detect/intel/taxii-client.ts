// A TAXII 2.1 client, just what pulling indicators takes: server discovery → the api
// roots → their readable collections → a collection's objects, page by page. Paging
// follows the server: `next` when it gives one (TAXII 2.1), else `added_after` set to
// the X-TAXII-Date-Added-Last header. The newest date added seen is the cursor for the
// next pull, so a scheduled pull asks only for what was added since. Responses are
// validated with zod; a failure is a TaxiiError naming the URL.
import { z } from 'zod';
import { VigilError } from '../../core/errors.ts';
import type { TaxiiFeed } from './taxii-config.ts';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** A bound on pages per pull, so a server that always says `more` cannot hold a pull forever. */
const MAX_PAGES = 10_000;

export class TaxiiError extends VigilError {
  constructor(message: string, readonly url: string, status?: number) {
    super('taxii_failed', `${message} (${url})`, 'detect', 502, { url, status });
    this.name = 'TaxiiError';
  }
}

const discoverySchema = z.looseObject({ default: z.string().optional(), api_roots: z.array(z.string()).optional() });
const collectionsSchema = z.looseObject({
  collections: z
    .array(z.looseObject({ id: z.string(), title: z.string().optional(), can_read: z.boolean() }))
    .optional(),
});
const envelopeSchema = z.looseObject({
  more: z.boolean().optional(),
  next: z.string().optional(),
  objects: z.array(z.looseObject({ type: z.string() })).optional(),
});

export interface TaxiiCollection {
  readonly apiRoot: string;
  readonly id: string;
  readonly title: string;
}

export interface CollectionPage {
  readonly objects: readonly Record<string, unknown>[];
  /** The newest X-TAXII-Date-Added-Last seen: the `added_after` of the next pull. */
  readonly addedLast?: string;
}

async function getJson<T>(feed: TaxiiFeed, url: string, schema: z.ZodType<T>): Promise<{ body: T; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: TAXII_MEDIA_TYPE, ...(feed.authorization === undefined ? {} : { authorization: feed.authorization }) },
      signal: AbortSignal.timeout(feed.timeoutMs),
    });
  } catch (error) {
    throw new TaxiiError(`cannot reach the TAXII server: ${(error as Error).message}`, url);
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => '')).slice(0, 200);
    throw new TaxiiError(`HTTP ${response.status}${detail === '' ? '' : `: ${detail}`}`, url, response.status);
  }
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new TaxiiError(`unexpected answer: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, url);
  return { body: parsed.data, headers: response.headers };
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The collections to pull: the configured ones, else every readable one of the api root (or roots). */
export async function discoverCollections(feed: TaxiiFeed): Promise<TaxiiCollection[]> {
  let roots: string[];
  if (feed.apiRoot !== undefined) {
    roots = [feed.apiRoot];
  } else {
    const { body } = await getJson(feed, feed.discovery, discoverySchema);
    const listed = body.default !== undefined ? [body.default] : (body.api_roots ?? []);
    roots = listed.map((root) => new URL(root, feed.discovery).toString());
    if (roots.length === 0) throw new TaxiiError('the server lists no api root', feed.discovery);
  }
  const found: TaxiiCollection[] = [];
  for (const root of roots.map(withSlash)) {
    const { body } = await getJson(feed, `${root}collections/`, collectionsSchema);
    for (const collection of body.collections ?? []) {
      const wanted = feed.collections === undefined ? collection.can_read : feed.collections.includes(collection.id);
      if (wanted) found.push({ apiRoot: root, id: collection.id, title: collection.title ?? collection.id });
    }
  }
  const missing = (feed.collections ?? []).filter((id) => !found.some((collection) => collection.id === id));
  if (missing.length > 0) throw new TaxiiError(`no such collection: ${missing.join(', ')}`, roots.join(', '));
  return found;
}

/** Every object added to the collection after `addedAfter` (all of them without one). */
export async function pullCollection(feed: TaxiiFeed, collection: TaxiiCollection, addedAfter?: string): Promise<CollectionPage> {
  const base = `${collection.apiRoot}collections/${encodeURIComponent(collection.id)}/objects/`;
  const objects: Record<string, unknown>[] = [];
  let addedLast = addedAfter;
  let after = addedAfter;
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(feed.pageSize) });
    if (after !== undefined) query.set('added_after', after);
    if (next !== undefined) query.set('next', next);
    const { body, headers } = await getJson(feed, `${base}?${query}`, envelopeSchema);
    objects.push(...(body.objects ?? []));
    const last = headers.get('x-taxii-date-added-last') ?? undefined;
    if (last !== undefined && (addedLast === undefined || Date.parse(last) > Date.parse(addedLast))) addedLast = last;
    if (body.more !== true) break;
    if (body.next !== undefined) {
      next = body.next;
    } else if (last !== undefined && last !== after) {
      after = last;
    } else {
      throw new TaxiiError('the server says there is more but gives no way to ask for it', base);
    }
  }
  return { objects, ...(addedLast === undefined ? {} : { addedLast }) };
}
