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
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      const { message, timestamp: _timestamp, ...extra } = entry.log;
      const fields = { kafkajs: entry.namespace, ...extra };
      if (entry.level === logLevel.ERROR) log.error(fields, message);
      else if (entry.level === logLevel.WARN) log.warn(fields, message);
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
