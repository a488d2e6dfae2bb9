// `vigil ingest`: the HTTP receiver for agents and sensors. Authenticates each post's
// agent key, validates the events and answers 202 once they are durable on the bus.
// Stateless: run as many replicas as the posts need, behind any load balancer.
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { ingestRoutes } from '../ingest/ingest-routes.ts';
import { parseSyslogListeners } from '../ingest/syslog/listener-config.ts';
import { startSyslogIngest } from '../ingest/syslog/syslog-ingest.ts';
import { ingestDeps } from './ingest-deps.ts';
import { startEmbeddedRetention } from './embedded-retention.ts';
import { serveProcess, type RunningProcess } from './serve-process.ts';

export async function startIngestProcess(config: VigilConfig, log: Logger): Promise<RunningProcess> {
  const syslogListeners = parseSyslogListeners(config.syslogListeners);
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const accounts = await openAccounts(config, log);
  const retention = startEmbeddedRetention(bus, config.busRetentionHours, log);
  const syslog = await startSyslogIngest({ listeners: syslogListeners, config, bus, accounts, metrics, log });
  return serveProcess({
    name: 'ingest',
    config,
    log,
    metrics,
    summary: 'accepting events at POST /api/v1/events',
    mount: async (app) => {
      await app.register(async (scope) =>
        ingestRoutes(scope, ingestDeps({ accounts, bus, metrics, log, config })),
      );
    },
    async stop() {
      retention?.stop();
      await syslog.stop();
      await bus.close();
      await accounts.close();
    },
  });
}
