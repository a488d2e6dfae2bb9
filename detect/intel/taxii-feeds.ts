// Keeps the TAXII feeds' indicators current: pulls each feed at start and then every
// `interval_minutes` (sooner after a failure), asking each collection only for what
// was added since the last pull, and holds every STIX indicator by id, so a new version
// replaces the old one and a revoked one disappears. The indicators live in memory: a
// restart pulls the collections again. Tells `onChange` after a pull that changed them.
import type { Logger } from '../../core/log.ts';
import type { Indicator } from './indicator.ts';
import { indicatorsFromStix } from './parse-stix.ts';
import { discoverCollections, pullCollection } from './taxii-client.ts';
import type { TaxiiFeed } from './taxii-config.ts';

/** A failed pull is retried after this long, or the feed's interval if shorter. */
const RETRY_MS = 5 * 60_000;

export interface TaxiiFeedStatus {
  readonly name: string;
  readonly collections: number;
  readonly indicators: number;
  /** Objects that were not indicators Vigil can represent, in the latest pull. */
  readonly skipped: number;
  readonly lastPull?: string;
  readonly lastError?: string;
}

export interface TaxiiFeeds {
  /** The indicators of every feed, one array per STIX indicator. */
  indicators(): Iterable<readonly Indicator[]>;
  status(): TaxiiFeedStatus[];
  /** Pulls every feed now; answers whether any indicator changed. */
  pullAll(): Promise<boolean>;
  close(): void;
}

interface CollectionState {
  addedLast?: string;
  readonly byId: Map<string, Indicator[]>;
}

interface FeedState {
  readonly feed: TaxiiFeed;
  readonly collections: Map<string, CollectionState>;
  readonly identities: Map<string, string>;
  status: TaxiiFeedStatus;
  timer?: NodeJS.Timeout;
  running?: Promise<boolean>;
}

export function startTaxiiFeeds(feeds: readonly TaxiiFeed[], options: { log: Logger; onChange: () => void; schedule?: boolean }): TaxiiFeeds {
  const log = options.log.child({ stage: 'intel' });
  let closed = false;
  const states: FeedState[] = feeds.map((feed) => ({
    feed,
    collections: new Map(),
    identities: new Map(),
    status: { name: feed.name, collections: 0, indicators: 0, skipped: 0 },
  }));

  const pull = async (state: FeedState): Promise<boolean> => {
    const { feed } = state;
    let changed = false;
    let skipped = 0;
    try {
      const collections = await discoverCollections(feed);
      for (const collection of collections) {
        const key = `${collection.apiRoot}|${collection.id}`;
        let held = state.collections.get(key);
        if (held === undefined) {
          held = { byId: new Map() };
          state.collections.set(key, held);
        }
        const page = await pullCollection(feed, collection, held.addedLast);
        for (const object of page.objects) {
          if (object.type === 'identity' && typeof object.id === 'string' && typeof object.name === 'string') state.identities.set(object.id, object.name);
        }
        for (const object of page.objects) {
          if (object.type !== 'indicator' || typeof object.id !== 'string') continue;
          const result = indicatorsFromStix([object], { list: feed.name, file: `taxii ${feed.name}/${collection.title}` }, state.identities);
          skipped += result.skipped;
          for (const problem of result.problems) log.warn({ feed: feed.name }, problem);
          if (result.indicators.length > 0) state.collections.get(key)!.byId.set(object.id, result.indicators);
          else state.collections.get(key)!.byId.delete(object.id);
          changed = true;
        }
        if (page.addedLast !== undefined) held.addedLast = page.addedLast;
      }
      let indicators = 0;
      for (const held of state.collections.values()) for (const list of held.byId.values()) indicators += list.length;
      state.status = { name: feed.name, collections: collections.length, indicators, skipped, lastPull: new Date().toISOString() };
      log.info({ feed: feed.name, collections: collections.length, indicators, skipped, changed }, 'TAXII feed pulled');
    } catch (error) {
      state.status = { ...state.status, lastError: (error as Error).message };
      log.error({ feed: feed.name, err: error }, 'TAXII pull failed; the indicators pulled before keep matching');
    }
    return changed;
  };

  const pullOnce = (state: FeedState): Promise<boolean> => {
    state.running ??= pull(state).finally(() => {
      state.running = undefined;
    });
    return state.running;
  };

  const schedule = (state: FeedState, delayMs: number) => {
    if (closed || options.schedule === false) return;
    state.timer = setTimeout(() => {
      void pullOnce(state).then((changed) => {
        if (changed) options.onChange();
        schedule(state, state.status.lastError === undefined ? state.feed.intervalMs : Math.min(RETRY_MS, state.feed.intervalMs));
      });
    }, delayMs);
    state.timer.unref();
  };
  for (const state of states) schedule(state, 0);

  return {
    *indicators() {
      for (const state of states) for (const held of state.collections.values()) yield* held.byId.values();
    },
    status: () => states.map((state) => state.status),
    async pullAll() {
      const changed = await Promise.all(states.map(pullOnce));
      return changed.some(Boolean);
    },
    close() {
      closed = true;
      for (const state of states) if (state.timer !== undefined) clearTimeout(state.timer);
    },
  };
}
