// An api process's side of detection health in a cluster: a tail of TOPICS.health that
// never commits (every api replica reads every snapshot, and leaves no consumer group
// behind), holding the newest snapshot per correlate member. A member that stopped, or
// whose snapshots stopped coming (a lost process), is left out once stale; the rest are
// merged into one view for the console's Health page.
import { decodeRecord } from '../bus/decode-record.ts';
import type { Logger } from '../log.ts';
import { TOPICS, type Bus } from '../ports/bus.ts';
import type { DetectionHealth } from '../schemas/detection-health.ts';
import { HEALTH_EVERY_MS } from './health-publisher.ts';
import { healthSnapshotSchema, type HealthSnapshot } from './health-snapshot.ts';
import { mergeDetectionHealth } from './merge-detection-health.ts';

export interface HealthBoard {
  /** The merged health of the live correlate members; null when none reported lately. */
  detection(): DetectionHealth | null;
  /** The rule load of the member that reported last; null when none reported lately. */
  rules(): { loaded: number; errors: readonly string[] } | null;
  /** Live members' names. */
  members(): string[];
  stop(): Promise<void>;
}

export interface HealthBoardOptions {
  bus: Bus;
  log: Logger;
  /** A snapshot older than this is a lost member's. */
  staleAfterMs?: number;
  clock?: () => number;
}

export function startHealthBoard(options: HealthBoardOptions): HealthBoard {
  const log = options.log.child({ stage: 'api' });
  const staleAfterMs = options.staleAfterMs ?? 3 * HEALTH_EVERY_MS;
  const clock = options.clock ?? Date.now;
  const newest = new Map<string, HealthSnapshot>();

  const subscription = options.bus.subscribe(
    TOPICS.health,
    // commit: false makes each member a tail of its own, which leaves no group behind.
    'vigil-api-health',
    async (batch) => {
      for (const record of batch) {
        const decoded = decodeRecord(record, healthSnapshotSchema);
        if (!decoded.ok) {
          log.warn({ offset: record.offset, problem: decoded.problem }, 'skipping a record that is not a health snapshot');
          continue;
        }
        const seen = newest.get(decoded.value.member);
        if (seen === undefined || seen.at <= decoded.value.at) newest.set(decoded.value.member, decoded.value);
      }
    },
    { commit: false, start: 'earliest', onError: (error) => log.warn({ err: error }, 'reading detection health failed') },
  );

  const live = () => {
    const now = clock();
    return [...newest.values()].filter((s) => s.stopped !== true && s.detection !== null && now - s.at <= staleAfterMs);
  };

  return {
    detection: () => mergeDetectionHealth(live().map((s) => s.detection!)),
    rules() {
      const snapshots = live().sort((a, b) => b.at - a.at);
      return snapshots[0]?.rules ?? null;
    },
    members: () => live().map((s) => s.member),
    stop: () => subscription.stop(),
  };
}
