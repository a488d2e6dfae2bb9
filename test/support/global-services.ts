// Vitest global setup: once per test run, makes sure the real Kafka broker and
// OpenSearch node run when CI=true, when VIGIL_TEST_SERVICES=1, or when they are already
// running (.services/state.json); hands their endpoints to test files with `provide`
// (and env vars); at teardown stops only what it started. VIGIL_TEST_SERVICES=0 turns
// it off outside CI. Nothing is started for a plain local run, so files that do not use
// the services pay nothing.
import type { TestProject } from 'vitest/node';
import { ensureServices, servicesStatus, stopServices, type ServiceName } from '../../scripts/services/index.ts';
import { servicesEnv } from './services.ts';

async function alreadyRunning(): Promise<boolean> {
  const status = await servicesStatus();
  // A recorded service that is alive but slow to answer still counts: ensureServices waits for it.
  return status.kafka.state !== 'stopped' || status.opensearch.state !== 'stopped';
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ci = process.env.CI === 'true';
  const asked = process.env.VIGIL_TEST_SERVICES;
  let wanted = ci || asked === '1';
  if (!wanted && asked !== '0') wanted = await alreadyRunning();

  let started: ServiceName[] = [];
  if (!wanted) {
    project.provide('services', null);
    project.provide(
      'servicesUnavailableReason',
      asked === '0' ? 'VIGIL_TEST_SERVICES=0' : 'none are running and neither CI=true nor VIGIL_TEST_SERVICES=1 is set',
    );
  } else {
    const began = Date.now();
    try {
      const result = await ensureServices();
      started = result.started;
      project.provide('services', result.endpoints);
      project.provide('servicesUnavailableReason', '');
      process.env[servicesEnv.kafkaBrokers] = result.endpoints.kafkaBrokers;
      process.env[servicesEnv.opensearchUrl] = result.endpoints.opensearchUrl;
      const what = started.length > 0 ? `started ${started.join(' and ')} in ${((Date.now() - began) / 1000).toFixed(1)} s` : 'reused';
      console.log(`services: ${what}: KAFKA_BROKERS=${result.endpoints.kafkaBrokers} OPENSEARCH_URL=${result.endpoints.opensearchUrl}`);
    } catch (error) {
      // Asked for explicitly (CI or VIGIL_TEST_SERVICES=1): the run fails here.
      if (ci || asked === '1') throw error;
      project.provide('services', null);
      project.provide('servicesUnavailableReason', `starting them failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return async () => {
    if (started.length > 0) await stopServices(started);
  };
}
