// Real Kafka and OpenSearch for tests and benchmarks: start (or reuse), stop, status,
// and broker restarts for failure tests. Used by `npm run services` (cli.ts), by the
// vitest global setup and by the distributed benchmark; state lives in .services/.
import net from 'node:net';
import { findJava } from './java.ts';
import {
  kafkaBrokers,
  kafkaRunning,
  startFreshKafka,
  startKafkaAgain,
  stopKafkaBroker,
} from './kafka.ts';
import { kafkaArtifacts, opensearchArtifacts, resolveClasspath } from './maven-classpath.ts';
import { opensearchAnswers, opensearchRunning, opensearchUrl, startFreshOpenSearch, stopOpenSearchNode } from './opensearch.ts';
import { waitUntilReady } from './process.ts';
import { readState, updateState, withStateLock, type KafkaState, type OpenSearchState } from './state.ts';

export interface ServiceEndpoints {
  kafkaBrokers: string;
  opensearchUrl: string;
}

export type ServiceName = 'kafka' | 'opensearch';

export interface EnsureResult {
  endpoints: ServiceEndpoints;
  /** The services this call started (the others were already running and reused). */
  started: ServiceName[];
}

export interface ServiceStatus {
  state: 'running' | 'not-responding' | 'stopped';
  pid?: number;
  /** KAFKA_BROKERS or OPENSEARCH_URL value, when the service is recorded. */
  endpoint?: string;
}

export interface ServicesStatus {
  kafka: ServiceStatus;
  opensearch: ServiceStatus;
}

/** Kafka 4.x runs on Java 17+, OpenSearch 3.x needs 21+: one JDK of 21+ serves both. */
const minJava = 21;

/** Resolves both services' jars into ~/.m2 (for a CI install step); starts nothing. */
export async function fetchServiceJars(): Promise<{ kafka: string; opensearch: string }> {
  const [kafka, opensearch] = await Promise.all([
    resolveClasspath('kafka', kafkaArtifacts),
    resolveClasspath('opensearch', opensearchArtifacts),
  ]);
  return { kafka, opensearch };
}

function brokerAccepts(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function kafkaStatus(state: KafkaState | undefined): Promise<ServiceStatus> {
  if (!state) return { state: 'stopped' };
  const endpoint = kafkaBrokers(state);
  if (!kafkaRunning(state)) return { state: 'stopped', endpoint };
  return { state: (await brokerAccepts(state.port)) ? 'running' : 'not-responding', pid: state.pid, endpoint };
}

async function opensearchStatus(state: OpenSearchState | undefined): Promise<ServiceStatus> {
  if (!state) return { state: 'stopped' };
  const endpoint = opensearchUrl(state);
  if (!opensearchRunning(state)) return { state: 'stopped', endpoint };
  return { state: (await opensearchAnswers(endpoint)) ? 'running' : 'not-responding', pid: state.pid, endpoint };
}

export async function servicesStatus(): Promise<ServicesStatus> {
  const state = readState();
  const [kafka, opensearch] = await Promise.all([kafkaStatus(state.kafka), opensearchStatus(state.opensearch)]);
  return { kafka, opensearch };
}

/**
 * A recorded process that is alive but slow to answer (a loaded 2-core machine) is given
 * `reuseWaitMs` before it counts as wedged and is replaced: others may be using it.
 */
const reuseWaitMs = 60_000;

async function answersSoon(pid: number, logFile: string, what: string, check: () => Promise<boolean>): Promise<boolean> {
  try {
    await waitUntilReady(what, pid, logFile, check, reuseWaitMs);
    return true;
  } catch {
    return false;
  }
}

async function ensureKafka(current: KafkaState | undefined, java: string): Promise<{ state: KafkaState; started: boolean }> {
  if (current && kafkaRunning(current)) {
    const answers = await answersSoon(current.pid, current.logFile, 'Kafka', () => brokerAccepts(current.port));
    if (answers) return { state: current, started: false };
    await stopKafkaBroker(current);
  }
  const classpath = await resolveClasspath('kafka', kafkaArtifacts);
  let state: KafkaState | undefined;
  if (current) {
    // Recorded but gone (stopKafka, a crash): bring it back where clients expect it.
    state = await startKafkaAgain(current, classpath).catch(() => undefined);
  }
  state ??= await startFreshKafka(java, classpath);
  updateState((s) => ({ ...s, kafka: state }));
  return { state, started: true };
}

async function ensureOpenSearch(
  current: OpenSearchState | undefined,
  java: string,
): Promise<{ state: OpenSearchState; started: boolean }> {
  if (current && opensearchRunning(current)) {
    const url = opensearchUrl(current);
    const answers = await answersSoon(current.pid, current.logFile, 'OpenSearch', () => opensearchAnswers(url));
    if (answers) return { state: current, started: false };
    await stopOpenSearchNode(current);
  }
  const classpath = await resolveClasspath('opensearch', opensearchArtifacts);
  const state = await startFreshOpenSearch(java, classpath);
  updateState((s) => ({ ...s, opensearch: state }));
  return { state, started: true };
}

/** Makes sure both services run, starting (in parallel) whichever does not; says which it started. */
export function ensureServices(): Promise<EnsureResult> {
  return withStateLock(async () => {
    const java = findJava(minJava);
    const current = readState();
    const [kafka, opensearch] = await Promise.allSettled([ensureKafka(current.kafka, java), ensureOpenSearch(current.opensearch, java)]);
    if (kafka.status === 'rejected' || opensearch.status === 'rejected') {
      // Leave nothing half-started behind: stop what this call started, then report.
      if (kafka.status === 'fulfilled' && kafka.value.started) {
        await stopKafkaBroker(kafka.value.state);
        updateState((s) => ({ ...s, kafka: undefined }));
      }
      if (opensearch.status === 'fulfilled' && opensearch.value.started) {
        await stopOpenSearchNode(opensearch.value.state);
        updateState((s) => ({ ...s, opensearch: undefined }));
      }
      const reasons = [kafka, opensearch].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
      throw new Error(reasons.join('\n'));
    }
    const started: ServiceName[] = [];
    if (kafka.value.started) started.push('kafka');
    if (opensearch.value.started) started.push('opensearch');
    return {
      endpoints: { kafkaBrokers: kafkaBrokers(kafka.value.state), opensearchUrl: opensearchUrl(opensearch.value.state) },
      started,
    };
  });
}

/** Starts the broker and the node unless they already run; resolves once both are ready. */
export async function startServices(): Promise<ServiceEndpoints> {
  return (await ensureServices()).endpoints;
}

/** Stops the named services (both by default) by pid: SIGTERM, then SIGKILL after a timeout. */
export function stopServices(which: ServiceName[] = ['kafka', 'opensearch']): Promise<void> {
  return withStateLock(async () => {
    const state = readState();
    await Promise.all([
      which.includes('kafka') && state.kafka ? stopKafkaBroker(state.kafka) : undefined,
      which.includes('opensearch') && state.opensearch ? stopOpenSearchNode(state.opensearch) : undefined,
    ]);
    updateState((s) => ({
      kafka: which.includes('kafka') ? undefined : s.kafka,
      opensearch: which.includes('opensearch') ? undefined : s.opensearch,
    }));
  });
}

function recordedKafka(): KafkaState {
  const kafka = readState().kafka;
  if (!kafka) throw new Error('services: no Kafka broker is recorded in .services/state.json; run `npm run services -- start`');
  return kafka;
}

/** Stops the broker (SIGTERM) but keeps its ports and log dir, so startKafka() brings it back as it was. */
export function stopKafka(): Promise<void> {
  return withStateLock(async () => {
    await stopKafkaBroker(recordedKafka());
  });
}

/** Starts the recorded broker again on the same port and log dir; a no-op when it runs. */
export function startKafka(): Promise<void> {
  return withStateLock(async () => {
    const kafka = recordedKafka();
    if (kafkaRunning(kafka)) return;
    const state = await startKafkaAgain(kafka, await resolveClasspath('kafka', kafkaArtifacts));
    updateState((s) => ({ ...s, kafka: state }));
  });
}

/** Stops the broker with SIGTERM and starts it again on the same port and log dir. */
export function restartKafka(): Promise<void> {
  return withStateLock(async () => {
    const kafka = recordedKafka();
    await stopKafkaBroker(kafka);
    const state = await startKafkaAgain(kafka, await resolveClasspath('kafka', kafkaArtifacts));
    updateState((s) => ({ ...s, kafka: state }));
  });
}

/** The `KAFKA_BROKERS=` and `OPENSEARCH_URL=` lines the CLI prints. */
export function endpointLines(endpoints: ServiceEndpoints): string {
  return `KAFKA_BROKERS=${endpoints.kafkaBrokers}\nOPENSEARCH_URL=${endpoints.opensearchUrl}\n`;
}
