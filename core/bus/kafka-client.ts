// The kafkajs client every Kafka bus part shares: brokers and client id from config,
// kafkajs's own log lines routed to our pino logger at warn and above, and the retry
// budgets that decide how long each kind of call may take while a broker is away.
import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs';
import type { Logger } from '../log.ts';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  log?: Logger;
}

/**
 * Retry budgets. kafkajs retries retriable protocol errors (a fresh broker's "coordinator
 * is loading", a leader moving) itself, within these; what exceeds them is ours to handle.
 */
export const RETRY = {
  /** Publishing: give up within a few seconds, so ingest can answer 503 instead of hanging. */
  publish: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 } satisfies RetryOptions,
  /** Admin calls (offsets, topics, groups). */
  admin: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 } satisfies RetryOptions,
  /** Consumers: patient, and kafkajs restarts a crashed consumer after these. */
  consume: { retries: 8, initialRetryTime: 100, maxRetryTime: 5_000 } satisfies RetryOptions,
} as const;

const LOG_REPEAT_MS = 10_000;
const RETRIABLE_NOISE = /coordinator is loading|coordinator is not available|not the correct coordinator|Restarting the consumer/i;
const KNOWN_LIMITED_RETRIES = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.log?.child({ stage: 'bus', component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // A refused or unanswered connection is failed fast; retries above decide the rest.
    connectionTimeout: 1_000,
    requestTimeout: 10_000,
    retry: RETRY.admin,
    logLevel: logLevel.WARN,
    logCreator: () => {
      const lastSaid = new Map<string, { at: number; suppressed: number }>();
      return (entry: LogEntry) => {
        if (!log) return;
        const { message, timestamp: _timestamp, stack: _stack, ...extra } = entry.log;
        // Deliberate (kafka-publisher.ts): a publish must fail fast, and a failed producer
        // is replaced rather than retried forever; said once here, not at every outage.
        if (message === KNOWN_LIMITED_RETRIES) return;
        // While a broker is away kafkajs says the same thing several times a second
        // (with a stack each time): once per LOG_REPEAT_MS, with how often it was said.
        const said = `${entry.namespace}|${entry.level}|${String(message)}`;
        const previous = lastSaid.get(said);
        const now = Date.now();
        if (previous && now - previous.at < LOG_REPEAT_MS) {
          previous.suppressed += 1;
          return;
        }
        lastSaid.set(said, { at: now, suppressed: 0 });
        if (lastSaid.size > 1_000) lastSaid.clear();
        const fields = { kafkajs: entry.namespace, ...extra, ...(previous?.suppressed ? { repeated: previous.suppressed } : {}) };
        // Retriable states kafkajs logs as errors and then retries (a fresh or restarted
        // broker's coordinator still loading): a warning, not an error.
        const retriable = RETRIABLE_NOISE.test(`${String(message)} ${String(extra.error ?? '')}`);
        if (entry.level === logLevel.ERROR && !retriable) log.error(fields, message);
        else log.warn(fields, message);
      };
    },
  });
}

/** kafkajs error names and protocol types that mean "this topic does not exist (yet)". */
export function isUnknownTopic(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { type, message } = current as { type?: unknown; message?: unknown };
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    if (typeof message === 'string' && /does not host this topic-partition|unknown topic/i.test(message)) return true;
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Rejects with `onTimeout()` when `work` takes longer than `ms`; kafkajs calls cannot be cancelled, only outwaited. */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
