// Wires the notify stage for `vigil notify` and `vigil start`: reads the routing file,
// takes the data dir's notify lock on the embedded bus (one group member there), and
// starts the stage over the given bus and outbox with the configured senders, console
// link, retry policy, metrics, and notify.yml watched for edits.
import { lockDataDir } from '../core/adapters/data-dir-lock.ts';
import { ConfigError, type VigilConfig } from '../core/config.ts';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/log.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { NotificationOutbox } from '../core/ports/notifications.ts';
import { loadNotifyConfig, NotifyConfigError } from '../notify/load-notify-config.ts';
import type { NotifyConfig } from '../notify/notify-config.ts';
import { NOTIFY_GROUP, startNotifyStage } from '../notify/notify-stage.ts';

export interface WiredNotify {
  config: NotifyConfig;
  stop(): Promise<void>;
}

/** The routing file, or null when there is none; a broken one is a ConfigError naming each problem. */
export function readNotifyConfig(config: VigilConfig): NotifyConfig | null {
  try {
    return loadNotifyConfig(config.notify.rulesFile);
  } catch (error) {
    if (error instanceof NotifyConfigError) throw new ConfigError(error.problems.map((problem) => `VIGIL_NOTIFY_RULES_FILE: ${problem}`));
    throw error;
  }
}

export async function wireNotify(
  config: VigilConfig,
  notifyConfig: NotifyConfig,
  deps: { bus: Bus; outbox: NotificationOutbox; log: Logger; what: string; metrics?: Registry },
): Promise<WiredNotify> {
  // The embedded bus has one member per group; on Kafka notify replicas share the group and claim deliveries.
  const lock = config.bus === 'embedded' ? lockDataDir(config.dataDir, NOTIFY_GROUP, deps.what) : { release: () => undefined };
  try {
    const stage = await startNotifyStage({
      bus: deps.bus,
      outbox: deps.outbox,
      config: notifyConfig,
      senders: { smtp: config.notify.smtp, telegramApiUrl: config.notify.telegramApiUrl, timeoutMs: config.notify.timeoutMs, configFile: config.notify.rulesFile },
      consoleUrl: config.notify.consoleUrl,
      utcOffsetMinutes: config.correlation.utcOffsetMinutes,
      retry: { maxAttempts: config.notify.maxAttempts, baseDelayMs: config.notify.retryBaseMs, maxDelayMs: 3_600_000 },
      log: deps.log,
      configFile: config.notify.rulesFile,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    });
    return {
      config: notifyConfig,
      async stop() {
        await stage.stop();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    if (error instanceof NotifyConfigError) throw new ConfigError(error.problems.map((problem) => `VIGIL_NOTIFY_RULES_FILE: ${problem}`));
    throw error;
  }
}
