// The notify stage for tests, as `vigil notify` runs it: an embedded bus in a temp data
// dir with the alerts topic, the SQLite outbox, and the stage started from a notify.yml
// text, with fast retries so an outage and its return fit in a test. `publish` puts
// alerts on the topic as the correlate stage does; `settled` waits until the stage has
// committed everything published and has nothing due to send.
import fs from 'node:fs';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { createLogger } from '../../core/log.ts';
import { openEmbeddedNotificationOutbox } from '../../core/notifications/embedded-notification-outbox.ts';
import { TOPICS, type Bus, type Positions } from '../../core/ports/bus.ts';
import type { NotificationOutbox } from '../../core/ports/notifications.ts';
import type { Alert } from '../../core/schemas/alert.ts';
import { parseNotifyConfig } from '../../notify/load-notify-config.ts';
import { NOTIFY_GROUP, startNotifyStage, type NotifyStage, type NotifyStageOptions } from '../../notify/notify-stage.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { waitFor } from './receivers.ts';

export const CONSOLE_URL = 'https://vigil.soc.example';

export interface NotifyHarness {
  dataDir: string;
  bus: Bus;
  outbox: NotificationOutbox;
  stage: NotifyStage;
  publish(alerts: readonly Alert[]): Promise<void>;
  /** Every published alert recorded (the group committed to the end) and nothing due now. */
  settled(): Promise<void>;
  /** Stops the stage (not the bus or outbox): a process restart. */
  restart(options?: Partial<NotifyStageOptions>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<NotifyStageOptions> {
  yaml: string;
  env?: NodeJS.ProcessEnv;
  smtpUrl?: string;
  telegramApiUrl?: string;
}

export async function startNotifyHarness(options: HarnessOptions): Promise<NotifyHarness> {
  const dataDir = makeTempDir('vigil-notify-');
  const bus = openEmbeddedBus({ dataDir, pollIntervalMs: 10 });
  await bus.ensureTopics([{ name: TOPICS.alerts, partitions: 1 }]);
  const outbox = openEmbeddedNotificationOutbox({ dataDir });
  const { yaml, env, smtpUrl, telegramApiUrl, ...overrides } = options;
  const config = parseNotifyConfig(yaml, 'notify.yml', env ?? {});
  const start = (more: Partial<NotifyStageOptions> = {}) =>
    startNotifyStage({
      bus,
      outbox,
      config,
      senders: {
        smtp: smtpUrl ? { url: smtpUrl, from: 'vigil@soc.example', password: undefined } : undefined,
        telegramApiUrl: telegramApiUrl ?? 'http://127.0.0.1:9',
        timeoutMs: 5_000,
      },
      consoleUrl: CONSOLE_URL,
      utcOffsetMinutes: 420,
      log: createLogger('silent'),
      retry: { maxAttempts: 5, baseDelayMs: 30, maxDelayMs: 200 },
      pollMs: 20,
      ...overrides,
      ...more,
    });
  const harness: NotifyHarness = {
    dataDir,
    bus,
    outbox,
    stage: await start(),
    async publish(alerts) {
      await bus.publish(TOPICS.alerts, alerts.map((alert) => ({ key: alert.id, value: Buffer.from(JSON.stringify(alert)) })));
    },
    async settled() {
      await waitFor('the notify group to commit every alert', async () => (await bus.lag(TOPICS.alerts, NOTIFY_GROUP)) === 0);
      await waitFor('nothing due to send', async () => {
        const next = await outbox.nextDue();
        return next === null || next > Date.now();
      });
    },
    async restart(more) {
      await harness.stage.stop();
      harness.stage = await start(more);
    },
    async close() {
      await harness.stage.stop();
      await bus.close();
      await outbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** From offset 0 of the single alerts partition: a replay of the whole topic. */
export const FROM_THE_START: Positions = { 0: -1 };

let sequence = 0;

/** A new alert of `unit`, as the correlate stage raises it. */
export function makeAlert(unit: string, overrides: Partial<Alert> = {}): Alert {
  sequence += 1;
  const time = '2026-12-03T12:35:00.000Z';
  return {
    id: `alert-${unit}-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    rule: { id: 'av-malware', title: 'Phát hiện mã độc', level: 'critical', tags: ['attack.execution'], kind: 'match' },
    severity: 'critical',
    status: 'new',
    assignee: null,
    organization: { id: unit, name: unit === 'unit-a' ? 'Sở Y tế' : unit === 'unit-b' ? 'Sở Tài chính' : unit },
    host: { id: `${unit}-pc-07`, name: `PC-KETOAN-07` },
    group: { 'host.id': `${unit}-pc-07` },
    first_seen: time,
    last_seen: time,
    count: 1,
    event_ids: ['e1'],
    attack: { tactics: ['execution'], techniques: [] },
    notes: [],
    history: [],
    created: time,
    updated: time,
    ...overrides,
  };
}
