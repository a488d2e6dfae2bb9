// `vigil start`: ingest, detect, correlate and api in one process over the adapters the
// config names (embedded by default, in VIGIL_DATA_DIR). Ingest and the API share the
// main thread; detect and correlate have a thread of their own (detection-thread.ts).
// This file only wires; each stage lives in its own folder and talks to the others
// through the Bus and Store ports.
import { bootstrapAccounts, type BootstrapResult } from '../core/accounts/bootstrap.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { lockEmbeddedGroup } from '../core/adapters/data-dir-lock.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { openNotificationOutbox } from '../core/adapters/open-notification-outbox.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import type { VigilConfig } from '../core/config.ts';
import { UnavailableError } from '../core/errors.ts';
import { createHttpServer } from '../core/http/create-http-server.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { ingestRoutes } from '../ingest/ingest-routes.ts';
import { parseSyslogListeners } from '../ingest/syslog/listener-config.ts';
import { startSyslogIngest } from '../ingest/syslog/syslog-ingest.ts';
import { apiDeps } from './api-deps.ts';
import { ingestDeps } from './ingest-deps.ts';
import { apiRoutes } from '../api/api-routes.ts';
import { STREAM_PATH, startStreamHub } from '../api/stream-hub.ts';
import { CORRELATE_GROUP } from '../detect/correlation/correlate-stage.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';
import { rulesAuditEntry } from '../detect/rule-set-diff.ts';
import { startDetectionThread } from './detection-thread-handle.ts';
import { startEmbeddedRetention } from './embedded-retention.ts';
import { listenUrl } from './listen-url.ts';
import { startMonthlyReports } from '../report/start-monthly-reports.ts';
import { readNotifyConfig, wireNotify } from './wire-notify.ts';

export interface RunningVigil {
  url: string;
  bootstrap: BootstrapResult;
  rules: { loaded: number; errors: readonly string[] };
  stop(): Promise<void>;
}

export async function startAllInOne(config: VigilConfig, log: Logger): Promise<RunningVigil> {
  const syslogListeners = parseSyslogListeners(config.syslogListeners);
  // The detection thread consumes as both groups; on the embedded bus nobody else may.
  const detectLock = lockEmbeddedGroup(config, DETECT_GROUP, 'vigil start');
  const correlateLock = lockEmbeddedGroup(config, CORRELATE_GROUP, 'vigil start');
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const store = await openStore(config, log);
  const accounts = await openAccounts(config, log);
  const bootstrap = await bootstrapAccounts(accounts, config);
  // Notifications run here too when a routing file exists; the api reads their outbox either way.
  const notifyConfig = readNotifyConfig(config);
  const notifications = await openNotificationOutbox(config, log);

  // Detect runs on its own thread so that ingest's HTTP work and detection use both cores.
  const detect = await startDetectionThread(config, log, (change) => {
    accounts.appendAudit(rulesAuditEntry(change)).catch((error: unknown) => log.error({ err: error }, 'recording a rules change in the audit log failed'));
  });
  const rules = detect.status;

  const app = createHttpServer({
    log,
    metrics,
    readiness: async () => (detect.running ? null : 'the detect thread is restarting'),
    otherMetrics: () => detect.metrics(),
    metricsToken: config.security.metricsToken,
  });
  await app.register(async (scope) =>
    ingestRoutes(scope, ingestDeps({ accounts, bus, metrics, log, config })),
  );
  await app.register(async (scope) =>
    apiRoutes(scope, apiDeps(config, {
      accounts,
      store,
      bus,
      notifications,
      rules: () => detect.status,
      health: async () => {
        const health = await detect.health();
        if (health === null) throw new UnavailableError('the detect thread did not answer', 'detect');
        return health;
      },
    })),
  );
  const hub = await startStreamHub({ bus, accounts, metrics, log });
  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname === STREAM_PATH) hub.handleUpgrade(request, socket, head);
    else socket.destroy();
  });

  const retention = startEmbeddedRetention(bus, config.busRetentionHours, log);
  const syslog = await startSyslogIngest({ listeners: syslogListeners, config, bus, accounts, metrics, log });
  const notify = notifyConfig ? await wireNotify(config, notifyConfig, { bus, outbox: notifications, log, what: 'vigil start', metrics: metrics.registry }) : null;
  if (!notify) log.info({ file: config.notify.rulesFile }, 'no notification rules file: notifications are off');
  // Monthly unit reports by email, when there is an SMTP server to send them with.
  const reports = config.notify.smtp
    ? startMonthlyReports({ sources: { store, accounts }, report: config.report, smtp: config.notify.smtp, utcOffsetMinutes: config.correlation.utcOffsetMinutes, log })
    : null;

  await app.listen({ host: config.host, port: config.port });
  const url = listenUrl(app.server, config);
  log.info({ url, dataDir: config.dataDir, rules: rules.loaded }, 'listening');

  let stopping: Promise<void> | undefined;
  return {
    url,
    bootstrap,
    rules: { loaded: rules.loaded, errors: rules.errors },
    stop() {
      // Order matters: stop taking posts, then let detect finish and commit its batch,
      // then close the files.
      stopping ??= (async () => {
        retention?.stop();
        reports?.stop();
        await hub.stop();
        await app.close();
        await syslog.stop();
        await detect.stop();
        await notify?.stop();
        await notifications.close();
        await bus.close();
        await store.close();
        await accounts.close();
        detectLock?.release();
        correlateLock?.release();
      })();
      return stopping;
    },
  };
}
