// `vigil notify`: tails the alerts topic as the notify consumer group, records the
// notifications each alert is owed in the outbox (<dataDir>/notify.db) and sends them
// by email, webhook, Telegram and Slack/Teams as notify.yml routes them. One per data
// dir (the outbox has one writer); the api reads the same outbox.
import { openBus } from '../core/adapters/open-bus.ts';
import { openNotificationOutbox } from '../core/adapters/open-notification-outbox.ts';
import { ensureVigilTopics } from '../core/adapters/vigil-topics.ts';
import { ConfigError, type VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createMetrics } from '../core/metrics.ts';
import { serveProcess, type RunningProcess } from './serve-process.ts';
import { readNotifyConfig, wireNotify } from './wire-notify.ts';

export async function startNotifyProcess(config: VigilConfig, log: Logger): Promise<RunningProcess> {
  const notifyConfig = readNotifyConfig(config);
  if (notifyConfig === null) {
    throw new ConfigError([`VIGIL_NOTIFY_RULES_FILE: ${config.notify.rulesFile} does not exist; write the channels and routing rules there (see the README)`]);
  }
  const metrics = createMetrics();
  const bus = await openBus(config, log);
  await ensureVigilTopics(bus, config.partitions, config.busRetentionHours * 3_600_000, { log });
  const outbox = await openNotificationOutbox(config, log);
  let notify;
  try {
    notify = await wireNotify(config, notifyConfig, { bus, outbox, log, what: 'vigil notify', metrics: metrics.registry });
  } catch (error) {
    await bus.close();
    await outbox.close();
    throw error;
  }
  return serveProcess({
    name: 'notify',
    config,
    log,
    metrics,
    summary: `notifying ${notifyConfig.channels.length} channel(s) by ${notifyConfig.rules.length} rule(s) from ${config.notify.rulesFile}`,
    async stop() {
      await notify.stop();
      await bus.close();
      await outbox.close();
    },
  });
}
