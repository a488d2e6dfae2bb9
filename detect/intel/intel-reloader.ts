// Keeps a process's indicator index in step with the intel folder and the TAXII
// feeds: builds it at start, rebuilds it when a file changes (watch-intel.ts) or a
// pull brings new indicators (taxii-feeds.ts), and hands the detect stage the index in
// force. A rebuild makes a whole new index beside the old one, giving the event loop
// back as it goes, and swaps it in with one assignment: a batch always sees one
// consistent index, and detection keeps running on the old lists until the new ones
// are in. A file that fails to parse is reported and skipped; the other lists load.
import type { Registry } from 'prom-client';
import type { Logger } from '../../core/log.ts';
import { IndicatorIndex, type IndexCounts } from './indicator-index.ts';
import { intelMetrics } from './intel-metrics.ts';
import { listNames, loadIntelList } from './load-intel-folder.ts';
import type { TaxiiFeed } from './taxii-config.ts';
import { startTaxiiFeeds, type TaxiiFeedStatus, type TaxiiFeeds } from './taxii-feeds.ts';
import { watchIntel } from './watch-intel.ts';

export interface IntelStatus extends IndexCounts {
  /** Lists read from the folder, with what each loaded and skipped. */
  readonly lists: readonly { name: string; indicators: number; skipped: number }[];
  readonly feeds: readonly TaxiiFeedStatus[];
  /** Problems of the latest load (`file:line: message`), capped per file. */
  readonly problems: readonly string[];
}

export interface IntelReloader {
  /** The index in force; a new object after every rebuild. */
  current(): IndicatorIndex;
  status(): IntelStatus;
  /** Rebuilds from the folder and the feeds' indicators held; the index in force keeps matching meanwhile. */
  reload(): Promise<IntelStatus>;
  /** Pulls every TAXII feed now, rebuilding if anything changed. */
  pullFeeds(): Promise<IntelStatus>;
  /** Counts the intel rule ids one event fired (the hits metric); a no-op without metrics. */
  countHits(ids: readonly string[]): void;
  close(): void;
}

export interface IntelReloaderOptions {
  intelDir: string;
  taxiiFeeds?: readonly TaxiiFeed[];
  /** VIGIL_INTEL_MAX_INDICATORS: more are dropped, and counted. */
  maxIndicators?: number;
  log: Logger;
  /** Told after every rebuild, with the cause. */
  onReload?: (status: IntelStatus, cause: 'files' | 'taxii') => void;
  /** false: load once, never watch nor schedule pulls (tools, tests). */
  watch?: boolean;
  /** Where the TAXII feeds keep their cursors and indicators across restarts (taxii-state.ts); none: memory only. */
  taxiiStateDir?: string;
  /** The process's metrics registry: indicators per list, hits, last rebuild and failures. */
  metrics?: Registry;
  debounceMs?: number;
}

/** Indicators added between two turns of the event loop during a rebuild. */
const YIELD_EVERY = 50_000;

function runNow<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

async function runYielding<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export function startIntelReloader(options: IntelReloaderOptions): IntelReloader {
  const log = options.log.child({ stage: 'intel' });
  const metrics = options.metrics ? intelMetrics(options.metrics) : undefined;
  // Started before the first build, so indicators restored from the feeds' saved state match from the start.
  let onTaxiiChange = (): void => undefined;
  const feeds: TaxiiFeeds | undefined =
    options.taxiiFeeds !== undefined && options.taxiiFeeds.length > 0
      ? startTaxiiFeeds(options.taxiiFeeds, {
          log: options.log,
          onChange: () => onTaxiiChange(),
          schedule: options.watch !== false,
          ...(options.taxiiStateDir === undefined ? {} : { stateDir: options.taxiiStateDir }),
        })
      : undefined;

  /**
   * Builds a new index, yielding (`yield`) between lists and every YIELD_EVERY
   * indicators: the first build runs straight through (detection must not start
   * without the lists), a rebuild gives the event loop back at each step, so batches
   * keep flowing, matched against the index in force, while a large list loads.
   */
  function* build(): Generator<void, { index: IndicatorIndex; status: IntelStatus }> {
    const started = performance.now();
    // One list parsed at a time and added, so a reload holds the old index, the new one
    // and a single list's parsed indicators, not every list's at once.
    const index = new IndicatorIndex(options.maxIndicators);
    const lists: IntelStatus['lists'][number][] = [];
    const problems: string[] = [];
    for (const [name, path] of listNames(options.intelDir)) {
      const list = loadIntelList(name, path, options.intelDir);
      yield;
      for (let i = 0; i < list.indicators.length; i++) {
        index.add(list.indicators[i]!);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) yield;
      }
      lists.push({ name, indicators: list.indicators.length, skipped: list.skipped });
      problems.push(...list.problems);
    }
    let added = 0;
    for (const indicators of feeds?.indicators() ?? []) {
      for (const indicator of indicators) index.add(indicator);
      added += indicators.length;
      if (added >= YIELD_EVERY) {
        added = 0;
        yield;
      }
    }
    const status: IntelStatus = { ...index.counts(), lists, feeds: [], problems };
    metrics?.loaded([...lists, ...(feeds?.status() ?? []).map((feed) => ({ name: feed.name, indicators: feed.indicators }))], Date.now());
    for (const problem of status.problems) log.warn(problem);
    if (status.dropped > 0) log.error({ dropped: status.dropped, max: options.maxIndicators }, 'the indicator index is full (VIGIL_INTEL_MAX_INDICATORS); the rest are not matched');
    log.info({ loaded: status.loaded, byKind: status.byKind, lists: lists.length, ms: Math.round(performance.now() - started) }, 'intel indicators loaded');
    return { index, status };
  }

  let state = runNow(build());
  /** The feeds' part is read live: a failed pull changes no index but must still show. */
  const status = (): IntelStatus => ({ ...state.status, feeds: feeds?.status() ?? [] });
  // Rebuilds run one at a time; changes arriving meanwhile share the one queued after it.
  let queued: Promise<IntelStatus> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const rebuild = (cause: 'files' | 'taxii'): Promise<IntelStatus> => {
    if (queued !== undefined) return queued;
    const next = running.then(async () => {
      queued = undefined;
      state = await runYielding(build());
      options.onReload?.(status(), cause);
      return status();
    });
    queued = next;
    running = next.catch(() => undefined);
    return next;
  };
  const safely = (cause: 'files' | 'taxii') => () => {
    rebuild(cause).catch((error: unknown) => {
      metrics?.reloadFailed();
      log.error({ err: error }, 'rebuilding the intel index failed; the previous index keeps matching');
    });
  };

  onTaxiiChange = safely('taxii');
  const watcher =
    options.watch === false
      ? undefined
      : watchIntel(options.intelDir, safely('files'), (error) => log.warn({ err: error }, 'cannot watch the intel folder; list changes need a restart'), options.debounceMs);

  return {
    current: () => state.index,
    status,
    reload: () => rebuild('files'),
    async pullFeeds() {
      if (feeds !== undefined && (await feeds.pullAll())) return rebuild('taxii');
      return status();
    },
    countHits: (ids) => metrics?.hits(ids),
    close() {
      watcher?.close();
      feeds?.close();
    },
  };
}
