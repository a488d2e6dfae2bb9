// How a test file gets the real Kafka broker and OpenSearch node that the global setup
// (test/support/global-services.ts) made sure of. Outside CI a suite without them is
// skipped LOUDLY; under CI=true a missing service fails the file instead.
import { inject } from 'vitest';

export interface TestServiceEndpoints {
  kafkaBrokers: string;
  opensearchUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup; null when it did not (or could not) start the services. */
    services: TestServiceEndpoints | null;
    /** Why `services` is null, for the skip message. */
    servicesUnavailableReason: string;
  }
}

/** Env names the global setup also sets, for workers and processes a test spawns. */
export const servicesEnv = {
  kafkaBrokers: 'VIGIL_TEST_KAFKA_BROKERS',
  opensearchUrl: 'VIGIL_TEST_OPENSEARCH_URL',
} as const;

/** The running services' endpoints, or null when this test run has none. */
export function testServices(): TestServiceEndpoints | null {
  const provided = inject('services');
  if (provided) return provided;
  const kafkaBrokers = process.env[servicesEnv.kafkaBrokers];
  const opensearchUrl = process.env[servicesEnv.opensearchUrl];
  return kafkaBrokers && opensearchUrl ? { kafkaBrokers, opensearchUrl } : null;
}

/**
 * The endpoints for `suite`, or null after a loud warning so the caller can
 * `describe.skipIf(!services)`. Under CI=true it throws: real-service suites never skip there.
 */
export function servicesForSuite(suite: string): TestServiceEndpoints | null {
  const services = testServices();
  if (services) return services;
  const reason = inject('servicesUnavailableReason') || 'the global setup provided no services';
  if (process.env.CI === 'true') {
    throw new Error(`${suite} needs Kafka and OpenSearch and CI=true forbids skipping it: ${reason}`);
  }
  console.warn(
    `!!! SKIPPING ${suite}: no Kafka/OpenSearch (${reason}). ` +
      'Run `npm run services -- start` (or set VIGIL_TEST_SERVICES=1) to run it. !!!',
  );
  return null;
}
