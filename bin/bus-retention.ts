// Keeps the embedded bus from growing forever: every event is also in the store, so the
// log only needs what detect (and, for signals, correlate) has not committed yet, plus a margin for replays and for
// consoles resuming their alert stream. Records detect has not committed are never
// deleted, however old (a stopped detect must lose nothing).
import type { EmbeddedBus } from '../core/bus/embedded-bus.ts';
import type { Logger } from '../core/log.ts';
import { TOPICS } from '../core/ports/bus.ts';
import { CORRELATE_GROUP } from '../detect/correlation/correlate-stage.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';

const EVERY_MS = 10 * 60_000;

export function startBusRetention(bus: EmbeddedBus, retentionHours: number, log: Logger): NodeJS.Timeout {
  const prune = () => {
    const olderThan = Date.now() - retentionHours * 3600_000;
    try {
      const events = bus.prune(TOPICS.events, { olderThan, keepFor: [DETECT_GROUP] });
      // Signals are the correlate stage's input: kept until it has committed them.
      const signals = bus.prune(TOPICS.signals, { olderThan, keepFor: [CORRELATE_GROUP] });
      const alerts = bus.prune(TOPICS.alerts, { olderThan, keepFor: [] });
      if (events + signals + alerts > 0) {
        log.info({ stage: 'bus', events, signals, alerts, retentionHours }, 'pruned old bus records');
      }
    } catch (error) {
      log.error({ stage: 'bus', err: error }, 'bus retention failed; will try again');
    }
  };
  const timer = setInterval(prune, EVERY_MS);
  timer.unref();
  prune();
  return timer;
}
