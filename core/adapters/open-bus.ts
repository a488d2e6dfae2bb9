// Opens the Bus that VIGIL_BUS chose: the embedded SQLite log in VIGIL_DATA_DIR, or
// Kafka. Every process opens its bus here, so the all-in-one threads and the
// distributed processes run the same stage code on whichever adapter the config names.
import { openEmbeddedBus } from '../bus/embedded-bus.ts';
import type { VigilConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Bus } from '../ports/bus.ts';
import { loadAdapter } from './load-adapter.ts';

type OpenKafkaBus = (options: { brokers: string[]; clientId: string; replicationFactor: number; log: Logger }) => Bus | Promise<Bus>;

export async function openBus(config: VigilConfig, log: Logger): Promise<Bus> {
  if (config.bus === 'embedded') return openEmbeddedBus({ dataDir: config.dataDir });
  const openKafkaBus = await loadAdapter<OpenKafkaBus>('bus/kafka-bus.ts', 'openKafkaBus', 'VIGIL_BUS=kafka');
  return openKafkaBus({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    replicationFactor: config.kafka.replicationFactor,
    log: log.child({ stage: 'bus' }),
  });
}
