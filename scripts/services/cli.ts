// `npm run services -- start|stop|status|fetch`: real Kafka and OpenSearch on 127.0.0.1.
// The KAFKA_BROKERS= and OPENSEARCH_URL= lines go to stdout (so `export $(npm run -s
// services -- start)` works); progress and states go to stderr.
import {
  endpointLines,
  ensureServices,
  fetchServiceJars,
  servicesStatus,
  stopServices,
  type ServiceStatus,
} from './index.ts';

const usage = 'usage: npm run services -- start|stop|status|fetch';

function describe(name: string, status: ServiceStatus): string {
  const pid = status.pid === undefined ? '' : ` (pid ${status.pid})`;
  const where = status.endpoint === undefined ? '' : ` at ${status.endpoint}`;
  return `${name}: ${status.state}${pid}${where}`;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'start': {
      const began = Date.now();
      process.stderr.write('services: starting Kafka and OpenSearch (reusing any that already run)…\n');
      const { endpoints, started } = await ensureServices();
      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      process.stderr.write(`services: ready in ${seconds} s; started: ${started.join(', ') || 'none (both were running)'}\n`);
      process.stdout.write(endpointLines(endpoints));
      return 0;
    }
    case 'stop': {
      await stopServices();
      process.stderr.write('services: stopped\n');
      return 0;
    }
    case 'status': {
      const status = await servicesStatus();
      process.stderr.write(`${describe('kafka', status.kafka)}\n${describe('opensearch', status.opensearch)}\n`);
      if (status.kafka.endpoint) process.stdout.write(`KAFKA_BROKERS=${status.kafka.endpoint}\n`);
      if (status.opensearch.endpoint) process.stdout.write(`OPENSEARCH_URL=${status.opensearch.endpoint}\n`);
      return status.kafka.state === 'running' && status.opensearch.state === 'running' ? 0 : 1;
    }
    case 'fetch': {
      const began = Date.now();
      const classpaths = await fetchServiceJars();
      const jars = classpaths.kafka.split(':').length + classpaths.opensearch.split(':').length;
      process.stderr.write(`services: ${jars} jars resolved in ~/.m2 in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);
      return 0;
    }
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
