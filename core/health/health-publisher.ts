// A correlate process's side of detection health in a cluster: every few seconds it
// publishes a snapshot (its engine health, lag, silent sources, rule load) to the
// compacted TOPICS.health under its member name, and a last one marked `stopped` when it
// shuts down, so the api processes, which cannot ask it directly, show the cluster's
// detection health. A failed publish is logged and tried again on the next tick.
import type { Logger } from '../log.ts';
import { TOPICS, type Bus } from '../ports/bus.ts';
import type { DetectionHealth } from '../schemas/detection-health.ts';
import type { HealthSnapshot } from './health-snapshot.ts';

export const HEALTH_EVERY_MS = 5_000;

export interface HealthPublisherOptions {
  bus: Bus;
  member: string;
  detection: () => Promise<DetectionHealth>;
  rules: () => { loaded: number; errors: readonly string[] };
  log: Logger;
  everyMs?: number;
}

export interface HealthPublisher {
  /** Publishes a snapshot now. */
  publish(): Promise<void>;
  /** Stops the timer and publishes a last snapshot marked stopped. */
  stop(): Promise<void>;
}

export function startHealthPublisher(options: HealthPublisherOptions): HealthPublisher {
  const log = options.log.child({ stage: 'correlate' });
  const send = async (stopped: boolean) => {
    const rules = options.rules();
    const snapshot: HealthSnapshot = {
      member: options.member,
      at: Date.now(),
      ...(stopped ? { stopped: true } : {}),
      rules: { loaded: rules.loaded, errors: [...rules.errors] },
      detection: stopped ? null : await options.detection(),
    };
    await options.bus.publish(TOPICS.health, [{ key: options.member, value: Buffer.from(JSON.stringify(snapshot)) }]);
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    send(false)
      .catch((error: unknown) => log.warn({ err: error }, 'publishing detection health failed; will try again'))
      .finally(() => (busy = false));
  }, options.everyMs ?? HEALTH_EVERY_MS);
  timer.unref();
  return {
    publish: () => send(false),
    async stop() {
      clearInterval(timer);
      await send(true).catch((error: unknown) => log.warn({ err: error }, 'publishing the last health snapshot failed'));
    },
  };
}
