// Opens the Bus that VIGIL_BUS chose: the embedded SQLite log in VIGIL_DATA_DIR, or
// Kafka. Every process opens its bus here, so the all-in-one threads and the
// distributed processes run the same stage code on whichever adapter the config names.
// kafkajs is imported only when chosen.
import { openEmbeddedBus } from '../bus/embedded-bus.ts';
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Bus } from '../ports/bus.ts';

export async function openBus(config: VigilConfig, log: Logger): Promise<Bus> {
  if (config.bus === 'embedded') return openEmbeddedBus({ dataDir: config.dataDir });
  const { openKafkaBus } = await import('../bus/kafka-bus.ts');
  return openKafkaBus({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    replicationFactor: config.kafka.replicationFactor,
    log: log.child({ stage: 'bus' }),
  });
}
