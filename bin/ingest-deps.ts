// What the ingest routes take, from the config, the same in `vigil start` and `vigil
// ingest`: the bus to publish to, accounts to authenticate agents, the body and event
// limits and the future-time tolerance.
import type { Accounts } from '../core/accounts/accounts.ts';
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { BacklogMonitor, readTopicProgress } from '../core/health/backlog.ts';
import { TOPICS, type Bus } from '../core/ports/bus.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';
import type { BacklogGate } from '../ingest/backlog-gate.ts';
import type { IngestDeps } from '../ingest/ingest-routes.ts';

/**
 * Samples detect's backlog every 2 s (one per process, shared by its ingest routes) and
 * sets the backlog metrics; the gate refuses above VIGIL_INGEST_MAX_BACKLOG.
 */
function backlogGate(deps: { bus: Bus; metrics: Metrics; config: VigilConfig }): BacklogGate | undefined {
  const maxEvents = deps.config.ingestLimits.maxBacklogEvents;
  if (maxEvents <= 0) return undefined;
  const monitor = new BacklogMonitor(async () => readTopicProgress(deps.bus, TOPICS.events, DETECT_GROUP));
  return { maxEvents, current: () => monitor.current() };
}

export function ingestDeps(deps: { accounts: Accounts; bus: Bus; metrics: Metrics; log: Logger; config: VigilConfig }): IngestDeps {
  const settings = {
    accounts: deps.accounts,
    bus: deps.bus,
    metrics: deps.metrics,
    log: deps.log.child({ stage: 'ingest' }),
    maxBodyBytes: deps.config.maxBodyBytes,
    limits: deps.config.ingestLimits,
    futureToleranceMs: deps.config.time.futureToleranceMs,
    keepOriginal: deps.config.keepOriginalEvents,
    rulesDir: deps.config.rulesDir,
    backlog: backlogGate(deps),
  };
  return settings;
}
