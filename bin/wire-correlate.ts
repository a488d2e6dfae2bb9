// Wires the correlate stage to its bus, store, rule set, checkpoints and the correlation
// settings, the same way in the all-in-one detection thread and in a `vigil correlate`
// process. Checkpoints go where the partitions they describe live: with the embedded
// bus, to correlation.db beside it; with Kafka, to the compacted TOPICS.correlateState,
// so whichever replica is assigned a partition restores it and no replica keeps state
// on its own disk.
import type { VigilConfig } from '../core/config.ts';
import { BacklogEstimator, readTopicProgress } from '../core/health/backlog.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { TOPICS, type Bus } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import { ALERT_EVENT_SAMPLE_CAP } from '../core/schemas/alert.ts';
import { startCorrelateStage, type CorrelateStage } from '../detect/correlation/correlate-stage.ts';
import { createBusCheckpointStore } from '../detect/correlation/bus-checkpoint-store.ts';
import { openSqliteCheckpointStore } from '../detect/correlation/sqlite-checkpoint-store.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';
import { withIntelRules } from '../detect/intel/intel-rule.ts';
import type { RulesReloader } from '../detect/rules-reloader.ts';
import { correlationsWithoutDisabled, type RuleSwitchWatcher } from '../detect/rule-switches.ts';

export interface WiredCorrelate {
  stage: CorrelateStage;
  /** Stops the stage (checkpointing its partitions), then closes the checkpoints. */
  stop(): Promise<void>;
}

export async function wireCorrelate(
  config: VigilConfig,
  deps: { bus: Bus; store: Store; rules: RulesReloader; metrics: Metrics; log: Logger; switches?: RuleSwitchWatcher },
): Promise<WiredCorrelate> {
  const { correlation } = config;
  // Partition state: correlation.db in all-in-one; the compacted topic in a cluster, so any replica can restore any partition.
  const checkpoints = config.bus === 'kafka' ? createBusCheckpointStore(deps.bus) : openSqliteCheckpointStore(config.dataDir);
  // Fed at every health read (published every few seconds), which is what its rates span.
  const backlogEstimator = new BacklogEstimator();
  const stage = await startCorrelateStage({
    bus: deps.bus,
    store: deps.store,
    checkpoints,
    // Intel hits are matches of synthetic rules (detect/intel/intel-rule.ts) whose metadata their ids carry.
    // Switched-off correlations are left out of the engine (detect/rule-switches.ts), so a chained one cannot fire through its inner one.
    rules: () => {
      const correlation = deps.rules.current().correlation;
      return withIntelRules(deps.switches ? correlationsWithoutDisabled(correlation, deps.switches.disabled()) : correlation);
    },
    metrics: deps.metrics,
    log: deps.log,
    detectLag: () => deps.bus.lag(TOPICS.events, DETECT_GROUP),
    detectBacklog: async () => {
      const backlog = backlogEstimator.add(await readTopicProgress(deps.bus, TOPICS.events, DETECT_GROUP));
      deps.metrics.detectionBacklogEvents.set(backlog.events);
      deps.metrics.detectionCatchUpSeconds.set(backlog.catchUpSeconds ?? -1);
      return backlog;
    },
    options: {
      limits: {
        allowedLatenessMs: correlation.allowedLatenessMs,
        maxGroupsPerRule: correlation.maxGroupsPerRule,
        maxEntriesPerGroup: correlation.maxEntriesPerGroup,
        sampleSize: ALERT_EVENT_SAMPLE_CAP,
      },
      alertGroupWindowMs: correlation.alertGroupWindowMs,
      silence: {
        agentSilentAfterMs: correlation.silentAgentMs,
        unitSilentAfterMs: correlation.silentUnitMs,
        utcOffsetMinutes: correlation.utcOffsetMinutes,
      },
      idleAdvance: correlation.idleAdvance,
      sourceIdleMs: config.time.sourceIdleMs,
    },
  });
  return {
    stage,
    async stop() {
      await stage.stop();
      await checkpoints.close();
    },
  };
}
