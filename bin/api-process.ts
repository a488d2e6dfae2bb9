// `vigil api`: the console, its REST API and the live alert stream. Each replica tails
// the alerts topic without committing (every replica streams every alert to its own
// WebSocket clients) and the health topic for the console's Health view. Creates the
// first admin, unit and agent key on a first start (the only process that does).
import { bootstrapAccounts } from '../core/accounts/bootstrap.ts';
import { openAccounts } from '../core/adapters/open-accounts.ts';
import { openBus } from '../core/adapters/open-bus.ts';
import { openNotificationOutbox } from '../core/adapters/open-notification-outbox.ts';
import { openStore } from '../core/adapters/open-store.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import type { VigilConfig } from '../core/config.ts';
import { UnavailableError } from '../core/errors.ts';
import { HEALTH_EVERY_MS } from '../core/health/health-publisher.ts';
import { startHealthBoard } from '../core/health/health-board.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { apiRoutes } from '../api/api-routes.ts';
import { STREAM_PATH, startStreamHub } from '../api/stream-hub.ts';
import { apiDeps } from './api-deps.ts';
import { serveProcess, type RunningProcess } from './serve-process.ts';

const NOT_REPORTED = 'no correlate process has reported its rule set in the last minute';

export async function startApiProcess(config: VigilConfig, log: Logger): Promise<RunningProcess> {
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const store = await openStore(config, log);
  const accounts = await openAccounts(config, log);
  const bootstrap = await bootstrapAccounts(accounts, config);
  const board = startHealthBoard({ bus, log });
  const hub = await startStreamHub({ bus, accounts, metrics, log });
  // What `vigil notify` recorded in this data dir (delivery status, dead letters, test sends).
  const notifications = await openNotificationOutbox(config, log);

  const notes: string[] = [];
  if (bootstrap.generatedAdminPassword) {
    notes.push(`  sign in as admin with password ${bootstrap.generatedAdminPassword}   (generated now and shown only this once)`);
  }
  if (bootstrap.generatedAgentKey) {
    notes.push(`  agent key for unit "${bootstrap.unitId}": ${bootstrap.generatedAgentKey}   (shown only this once)`);
  }

  return serveProcess({
    name: 'api',
    config,
    log,
    metrics,
    summary: `console, REST API and alert stream (${STREAM_PATH})`,
    notes,
    mount: async (app) => {
      await app.register(async (scope) =>
        apiRoutes(scope, apiDeps(config, {
          accounts,
          store,
          bus,
          notifications,
          rules: () => board.rules() ?? { loaded: 0, errors: [NOT_REPORTED] },
          health: async () => {
            const health = board.detection();
            if (health === null) {
              throw new UnavailableError(`no correlate process has reported its health in the last ${(3 * HEALTH_EVERY_MS) / 1000} s`, 'api');
            }
            return health;
          },
        })),
      );
      app.server.on('upgrade', (request, socket, head) => {
        if (new URL(request.url ?? '/', 'http://localhost').pathname === STREAM_PATH) hub.handleUpgrade(request, socket, head);
        else socket.destroy();
      });
    },
    drain: () => hub.stop(),
    async stop() {
      await board.stop();
      await bus.close();
      await store.close();
      await accounts.close();
      await notifications.close();
    },
  });
}
