// Keeps the TAXII feeds' indicators current: pulls each feed at start and then every
// `interval_minutes` (sooner after a failure), asking each collection only for what
// was added since the last pull, and holds every STIX indicator by id, so a new version
// replaces the old one and a revoked one disappears. With `stateDir`, each feed's
// cursors and indicators are saved after every pull that moved them (taxii-state.ts)
// and read back at start, so a restart matches at once and pulls only what is new.
// Tells `onChange` after a pull that changed them.
import type { Logger } from '../../core/log.ts';
import type { Indicator } from './indicator.ts';
import { indicatorsFromStix } from './parse-stix.ts';
import { discoverCollections, pullCollection } from './taxii-client.ts';
import type { TaxiiFeed } from './taxii-config.ts';
import { readFeedState, writeFeedState } from './taxii-state.ts';

/** A failed pull is retried after this long, or the feed's interval if shorter. */
const RETRY_MS = 5 * 60_000;

export interface TaxiiFeedStatus {
  readonly name: string;
  readonly collections: number;
  readonly indicators: number;
  /** Objects that were not indicators Vigil can represent, in the latest pull. */
  readonly skipped: number;
  /** Objects the latest pull received (after a restart with saved state: only those added since). */
  readonly received?: number;
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

export interface TaxiiFeedsOptions {
  log: Logger;
  onChange: () => void;
  schedule?: boolean;
  /** Where each feed's cursors and indicators are kept across restarts; none: memory only. */
  stateDir?: string;
}

export function startTaxiiFeeds(feeds: readonly TaxiiFeed[], options: TaxiiFeedsOptions): TaxiiFeeds {
  const log = options.log.child({ stage: 'intel' });
  let closed = false;
  const states: FeedState[] = feeds.map((feed) => {
    const state: FeedState = { feed, collections: new Map(), identities: new Map(), status: { name: feed.name, collections: 0, indicators: 0, skipped: 0 } };
    if (options.stateDir === undefined) return state;
    const { snapshot, problem } = readFeedState(options.stateDir, feed);
    if (problem !== undefined) log.warn({ feed: feed.name }, problem);
    if (snapshot === undefined) return state;
    for (const [key, held] of snapshot.collections) state.collections.set(key, held);
    for (const [id, name] of snapshot.identities) state.identities.set(id, name);
    state.status = { ...state.status, collections: snapshot.collections.size, indicators: countIndicators(state), ...(snapshot.lastPull ? { lastPull: snapshot.lastPull } : {}) };
    log.info({ feed: feed.name, indicators: state.status.indicators }, 'TAXII feed restored from its saved state; pulling only what is new');
    return state;
  });

  const save = (state: FeedState) => {
    if (options.stateDir === undefined) return;
    try {
      writeFeedState(options.stateDir, state.feed, { ...(state.status.lastPull ? { lastPull: state.status.lastPull } : {}), identities: state.identities, collections: state.collections });
    } catch (error) {
      log.warn({ feed: state.feed.name, err: error }, 'cannot save the TAXII feed state; a restart will pull everything again');
    }
  };

  const pull = async (state: FeedState): Promise<boolean> => {
    const { feed } = state;
    let changed = false;
    let moved = false;
    let skipped = 0;
    let received = 0;
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
        received += page.objects.length;
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
        if (page.addedLast !== undefined && page.addedLast !== held.addedLast) {
          held.addedLast = page.addedLast;
          moved = true;
        }
      }
      const indicators = countIndicators(state);
      state.status = { name: feed.name, collections: collections.length, indicators, skipped, received, lastPull: new Date().toISOString() };
      if (changed || moved) save(state);
      log.info({ feed: feed.name, collections: collections.length, indicators, skipped, received, changed }, 'TAXII feed pulled');
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

function countIndicators(state: FeedState): number {
  let indicators = 0;
  for (const held of state.collections.values()) for (const list of held.byId.values()) indicators += list.length;
  return indicators;
}
