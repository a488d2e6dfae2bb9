// Keeps a process's indicator index in step with the intel folder and the TAXII
// feeds: builds it at start, rebuilds it when a file changes (watch-intel.ts) or a
// pull brings new indicators (taxii-feeds.ts), and hands the detect stage the index in
// force. A rebuild makes a whole new index and swaps it in with one assignment, so a
// batch always sees one consistent index. A file that fails to parse is reported and
// skipped; the other lists keep loading.
import type { Logger } from '../../core/log.ts';
import { buildIndicatorIndex, type IndexCounts, type IndicatorIndex } from './indicator-index.ts';
import type { Indicator } from './indicator.ts';
import { loadIntelFolder } from './load-intel-folder.ts';
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
  /** Rebuilds now from the folder and the feeds' indicators held. */
  reload(): IntelStatus;
  /** Pulls every TAXII feed now, rebuilding if anything changed. */
  pullFeeds(): Promise<IntelStatus>;
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
  debounceMs?: number;
}

export function startIntelReloader(options: IntelReloaderOptions): IntelReloader {
  const log = options.log.child({ stage: 'intel' });
  let feeds: TaxiiFeeds | undefined;

  const build = (): { index: IndicatorIndex; status: IntelStatus } => {
    const started = performance.now();
    const lists = loadIntelFolder(options.intelDir);
    const sources: (readonly Indicator[])[] = lists.map((list) => list.indicators);
    if (feeds !== undefined) sources.push(...feeds.indicators());
    const index = buildIndicatorIndex(sources, options.maxIndicators);
    const status: IntelStatus = {
      ...index.counts(),
      lists: lists.map((list) => ({ name: list.name, indicators: list.indicators.length, skipped: list.skipped })),
      feeds: [],
      problems: lists.flatMap((list) => list.problems),
    };
    for (const problem of status.problems) log.warn(problem);
    if (status.dropped > 0) log.error({ dropped: status.dropped, max: options.maxIndicators }, 'the indicator index is full (VIGIL_INTEL_MAX_INDICATORS); the rest are not matched');
    log.info({ loaded: status.loaded, byKind: status.byKind, lists: lists.length, ms: Math.round(performance.now() - started) }, 'intel indicators loaded');
    return { index, status };
  };

  let state = build();
  /** The feeds' part is read live: a failed pull changes no index but must still show. */
  const status = (): IntelStatus => ({ ...state.status, feeds: feeds?.status() ?? [] });
  const rebuild = (cause: 'files' | 'taxii'): IntelStatus => {
    state = build();
    options.onReload?.(status(), cause);
    return status();
  };
  const safely = (cause: 'files' | 'taxii') => () => {
    try {
      rebuild(cause);
    } catch (error) {
      log.error({ err: error }, 'rebuilding the intel index failed; the previous index keeps matching');
    }
  };

  if (options.taxiiFeeds !== undefined && options.taxiiFeeds.length > 0) {
    feeds = startTaxiiFeeds(options.taxiiFeeds, { log: options.log, onChange: safely('taxii'), schedule: options.watch !== false });
  }
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
    close() {
      watcher?.close();
      feeds?.close();
    },
  };
}
