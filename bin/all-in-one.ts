// The all-in-one composition: ingest, detect and api in one process over the embedded
// Bus, Store and Accounts in VIGIL_DATA_DIR. Ingest and the API share the main thread;
// detect has a thread of its own (detect-worker.ts). This file only wires; each stage
// lives in its own folder and talks to the others through the Bus and Store ports.
import fs from 'node:fs';
import { openEmbeddedAccounts } from '../core/accounts/embedded-accounts.ts';
import { bootstrapAccounts, type BootstrapResult } from '../core/accounts/bootstrap.ts';
import { openEmbeddedBus } from '../core/bus/embedded-bus.ts';
import type { VigilConfig } from '../core/config.ts';
import { UnavailableError } from '../core/errors.ts';
import { createHttpServer } from '../core/http/create-http-server.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { openEmbeddedStore } from '../core/store/embedded-store.ts';
import { ingestRoutes } from '../ingest/ingest-routes.ts';
import { apiRoutes } from '../api/api-routes.ts';
import { STREAM_PATH, startStreamHub } from '../api/stream-hub.ts';
import { startDetectThread } from './detect-thread.ts';
import { startBusRetention } from './bus-retention.ts';

export interface RunningVigil {
  url: string;
  bootstrap: BootstrapResult;
  rules: { loaded: number; errors: string[] };
  stop(): Promise<void>;
}

export async function startAllInOne(config: VigilConfig, log: Logger): Promise<RunningVigil> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const metrics = createMetrics();
  const bus = openEmbeddedBus({ dataDir: config.dataDir });
  const store = openEmbeddedStore({ dataDir: config.dataDir });
  const accounts = openEmbeddedAccounts({ dataDir: config.dataDir });
  const bootstrap = await bootstrapAccounts(accounts, config);

  // Detect runs on its own thread so that ingest's HTTP work and detection use both cores.
  const detect = await startDetectThread(
    { dataDir: config.dataDir, rulesDir: config.rulesDir, logLevel: config.logLevel, correlation: config.correlation },
    log,
  );
  const rules = detect.rules;

  const app = createHttpServer({ log, metrics, readiness: async () => (detect.running ? null : 'the detect thread is restarting'), otherMetrics: () => detect.metrics() });
  await app.register(async (scope) =>
    ingestRoutes(scope, { accounts, bus, metrics, log: log.child({ stage: 'ingest' }), maxBodyBytes: config.maxBodyBytes }),
  );
  await app.register(async (scope) =>
    apiRoutes(scope, {
      accounts,
      store,
      bus,
      uiDir: config.uiDir,
      sessionHours: config.sessionHours,
      secureCookies: config.secureCookies,
      rules: () => detect.rules,
      health: async () => {
        const health = await detect.health();
        if (health === null) throw new UnavailableError('the detect thread did not answer', 'detect');
        return health;
      },
    }),
  );
  const hub = await startStreamHub({ bus, accounts, metrics, log });
  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname === STREAM_PATH) hub.handleUpgrade(request, socket, head);
    else socket.destroy();
  });

  const retention = startBusRetention(bus, config.busRetentionHours, log);

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
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
        clearInterval(retention);
        await hub.stop();
        await app.close();
        await detect.stop();
        await bus.close();
        await store.close();
        await accounts.close();
      })();
      return stopping;
    },
  };
}
