// What a TAXII feed has pulled, kept across restarts: per collection the `added_after`
// cursor and the indicators held (by STIX id, so a later version still replaces its
// predecessor), and the identities that name sources. With it a restarted detect asks
// each collection only for what was added since, and matches the indicators it had
// from its first batch on.
//
// Where: one JSON file per feed in <VIGIL_DATA_DIR>/taxii/, not beside the intel
// folder (that folder is watched, so writing there would trigger reloads, and it ships
// inside the rules folder, which may be read-only or under version control) and not in
// the Store (its port keeps events and alerts, no process state; and this is a cache:
// without it, or when it is unreadable, a full pull rebuilds it, so a detect replica on
// a fresh disk loses nothing). Written to a temporary file and renamed: a crash leaves
// the old state or the new, never half of one. A state file written for another
// discovery URL, api root or collection list is ignored (a full pull follows).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INDICATOR_KINDS, type Indicator } from './indicator.ts';
import type { TaxiiFeed } from './taxii-config.ts';

const indicatorSchema = z.object({
  kind: z.enum(INDICATOR_KINDS),
  value: z.string().min(1),
  list: z.string(),
  source: z.string(),
  confidence: z.number().optional(),
  tags: z.array(z.string()),
  expires: z.number().optional(),
});

const stateSchema = z.object({
  version: z.literal(1),
  feed: z.object({ discovery: z.string(), apiRoot: z.string().nullable(), collections: z.array(z.string()).nullable() }),
  lastPull: z.string().optional(),
  identities: z.record(z.string(), z.string()),
  collections: z.record(
    z.string(),
    z.object({
      addedLast: z.string().optional(),
      byId: z.record(z.string(), z.array(indicatorSchema)),
    }),
  ),
});

export interface FeedSnapshot {
  lastPull?: string;
  identities: Map<string, string>;
  collections: Map<string, { addedLast?: string; byId: Map<string, Indicator[]> }>;
}

const stateFile = (dir: string, feed: TaxiiFeed) => path.join(dir, `${feed.name}.json`);
const identityOf = (feed: TaxiiFeed) => ({ discovery: feed.discovery, apiRoot: feed.apiRoot ?? null, collections: feed.collections ? [...feed.collections] : null });

/** The feed's saved state, or undefined (none, unreadable, or saved for a different feed configuration) with why. */
export function readFeedState(dir: string, feed: TaxiiFeed): { snapshot?: FeedSnapshot; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(stateFile(dir, feed), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `cannot read ${stateFile(dir, feed)}: ${(error as Error).message}` };
  }
  let parsed: z.infer<typeof stateSchema>;
  try {
    parsed = stateSchema.parse(JSON.parse(text));
  } catch (error) {
    return { problem: `${stateFile(dir, feed)} is not a TAXII state file (${(error as Error).message.slice(0, 200)}); pulling everything again` };
  }
  if (JSON.stringify(parsed.feed) !== JSON.stringify(identityOf(feed))) return { problem: `${stateFile(dir, feed)} was saved for another configuration of the feed; pulling everything again` };
  const collections = new Map<string, { addedLast?: string; byId: Map<string, Indicator[]> }>();
  for (const [key, held] of Object.entries(parsed.collections)) {
    const byId = new Map<string, Indicator[]>(Object.entries(held.byId).map(([id, list]) => [id, list.map(stripUndefined)]));
    collections.set(key, held.addedLast === undefined ? { byId } : { addedLast: held.addedLast, byId });
  }
  return { snapshot: { ...(parsed.lastPull === undefined ? {} : { lastPull: parsed.lastPull }), identities: new Map(Object.entries(parsed.identities)), collections } };
}

export function writeFeedState(dir: string, feed: TaxiiFeed, snapshot: FeedSnapshot): void {
  fs.mkdirSync(dir, { recursive: true });
  const state = {
    version: 1,
    feed: identityOf(feed),
    ...(snapshot.lastPull === undefined ? {} : { lastPull: snapshot.lastPull }),
    identities: Object.fromEntries(snapshot.identities),
    collections: Object.fromEntries(
      [...snapshot.collections].map(([key, held]) => [key, { ...(held.addedLast === undefined ? {} : { addedLast: held.addedLast }), byId: Object.fromEntries(held.byId) }]),
    ),
  };
  const file = stateFile(dir, feed);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state));
  fs.renameSync(temporary, file);
}

/** zod's optional keys come back as present-but-undefined in some shapes; an Indicator has them absent. */
function stripUndefined(indicator: z.infer<typeof indicatorSchema>): Indicator {
  return {
    kind: indicator.kind,
    value: indicator.value,
    list: indicator.list,
    source: indicator.source,
    tags: indicator.tags,
    ...(indicator.confidence === undefined ? {} : { confidence: indicator.confidence }),
    ...(indicator.expires === undefined ? {} : { expires: indicator.expires }),
  };
}
