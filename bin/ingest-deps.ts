// What the ingest routes take, from the config, the same in `vigil start` and `vigil
// ingest`: the bus to publish to, accounts to authenticate agents, the body and event
// limits and the future-time tolerance.
import type { Accounts } from '../core/accounts/accounts.ts';
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { IngestDeps } from '../ingest/ingest-routes.ts';

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
  };
  return settings;
}
