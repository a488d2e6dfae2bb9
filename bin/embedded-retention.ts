// Bus retention where the bus is the embedded log (Kafka applies its own retention.ms):
// events are kept until detect committed them, signals until correlate did.
import { startBusRetention, type BusRetention } from '../core/bus/retention.ts';
import { EmbeddedBus } from '../core/bus/embedded-bus.ts';
import type { Logger } from '../core/log.ts';
import { TOPICS, type Bus } from '../core/ports/bus.ts';
import { CORRELATE_GROUP } from '../detect/correlation/correlate-stage.ts';
import { DETECT_GROUP } from '../detect/detect-stage.ts';

export function startEmbeddedRetention(bus: Bus, retentionHours: number, log: Logger): BusRetention | undefined {
  if (!(bus instanceof EmbeddedBus)) return undefined;
  return startBusRetention(
    bus,
    {
      retentionHours,
      topics: {
        [TOPICS.events]: [DETECT_GROUP],
        [TOPICS.signals]: [CORRELATE_GROUP],
        [TOPICS.alerts]: [],
        [TOPICS.health]: [],
      },
    },
    log,
  );
}
