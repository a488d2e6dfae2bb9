// A real ingest for tests: the POST /api/v1/events route on a real HTTP server over the
// embedded bus, accounts and store in a temp dir, with agents in two units. `toStore()`
// does what detect does with the events topic (read, validate, write to the store), so
// a test can check what an agent was told against what was kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IngestLimits } from '../../core/config.ts';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { openEmbeddedBus } from '../../core/bus/embedded-bus.ts';
import { decodeRecord } from '../../core/bus/decode-record.ts';
import { createHttpServer } from '../../core/http/create-http-server.ts';
import { BacklogMonitor, readTopicProgress } from '../../core/health/backlog.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics, type Metrics } from '../../core/metrics.ts';
import { TOPICS, type Bus, type Positions } from '../../core/ports/bus.ts';
import { securityEventSchema } from '../../core/schemas/event.ts';
import { openEmbeddedStore } from '../../core/store/embedded-store.ts';
import type { Store } from '../../core/ports/store.ts';
import { ingestRoutes } from '../../ingest/ingest-routes.ts';
import { DETECT_GROUP } from '../../detect/detect-stage.ts';

export const DEFAULT_TEST_LIMITS: IngestLimits = {
  maxEventsPerPost: 10_000,
  maxEventBytes: 64 * 1024,
  maxEventDepth: 32,
  agentRatePerSecond: 0,
  agentRateBurst: 20_000,
  maxBacklogEvents: 0,
};

export interface Posted {
  status: number;
  headers: Headers;
  body: { accepted?: number; rejected?: ({ line: number } | { index: number } & { error: string })[]; error?: { code: string; message: string; details?: unknown } };
}

export interface IngestHarness {
  url: string;
  store: Store;
  /** The agents' accounts, to change a key's settings (its default format). */
  accounts: Accounts;
  metrics: Metrics;
  /** Agent keys of unit-a and unit-b. */
  keys: { a: string; b: string };
  post(key: string, body: string | Buffer, headers?: Record<string, string>): Promise<Posted>;
  /** Resolves when the server has received the whole body of the next post, before its handler runs. */
  nextBodyReceived(): Promise<void>;
  /** Writes every event published since the last call to the store; answers how many. */
  toStore(): Promise<number>;
  /** The bus the events go to (to consume them as detect would). */
  bus: Bus;
  /** Takes a backlog sample now, as the gate's timer does every 2 s in a real process. */
  sampleBacklog(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  limits?: Partial<IngestLimits>;
  maxBodyBytes?: number;
  futureToleranceMs?: number;
  /** VIGIL_INGEST_KEEP_ORIGINAL: decoded lines kept in event.original. */
  keepOriginal?: boolean;
  /** VIGIL_INGEST_MAX_BACKLOG: refuse above this many events not yet committed by the detect group (sampled by sampleBacklog()). */
  maxBacklogEvents?: number;
}

export async function startIngest(options: HarnessOptions = {}): Promise<IngestHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ingest-'));
  const bus = openEmbeddedBus({ dataDir });
  await bus.ensureTopics([{ name: TOPICS.events, partitions: 2 }]);
  const accounts = openEmbeddedAccounts({ dataDir });
  const store = openEmbeddedStore({ dataDir });
  await accounts.createUnit({ id: 'unit-a', name: 'Unit A' });
  await accounts.createUnit({ id: 'unit-b', name: 'Unit B' });
  const keys = { a: (await accounts.createAgent('unit-a', 'agent a')).key, b: (await accounts.createAgent('unit-b', 'agent b')).key };

  const metrics = createMetrics({ defaultMetrics: false });
  const log = createLogger('silent');
  // A long interval: the tests take samples themselves, when they need one.
  const backlog = new BacklogMonitor(() => readTopicProgress(bus, TOPICS.events, DETECT_GROUP), 3_600_000);
  const maxBacklogEvents = options.maxBacklogEvents ?? 0;
  const app = createHttpServer({ log, metrics, readiness: async () => null });
  const bodyWaiters: (() => void)[] = [];
  app.addHook('preHandler', async (request) => {
    if (request.url === '/api/v1/events') for (const resolve of bodyWaiters.splice(0)) resolve();
  });
  await app.register(async (scope) =>
    ingestRoutes(scope, {
      accounts,
      bus,
      metrics,
      log,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      limits: { ...DEFAULT_TEST_LIMITS, ...options.limits },
      futureToleranceMs: options.futureToleranceMs ?? 300_000,
      keepOriginal: options.keepOriginal ?? false,
      ...(maxBacklogEvents > 0 ? { backlog: { maxEvents: maxBacklogEvents, current: () => backlog.current() } } : {}),
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  let positions: Positions = {};
  return {
    url,
    store,
    accounts,
    metrics,
    keys,
    bus,
    sampleBacklog: () => backlog.sample(),
    async post(key, body, headers = {}) {
      const response = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) };
    },
    nextBodyReceived() {
      return new Promise((resolve) => bodyWaiters.push(resolve));
    },
    async toStore() {
      let written = 0;
      for (;;) {
        const records = await bus.readAfter(TOPICS.events, positions, 1000);
        if (records.length === 0) return written;
        const events = records.map((record) => {
          const decoded = decodeRecord(record, securityEventSchema);
          if (!decoded.ok) throw new Error(`ingest published an event detect cannot read: ${decoded.problem}`);
          return decoded.value;
        });
        await store.writeEvents(events);
        written += events.length;
        positions = { ...positions };
        for (const record of records) positions[record.partition] = Math.max(positions[record.partition] ?? -1, record.offset);
      }
    },
    async close() {
      backlog.stop();
      await app.close();
      await store.close();
      await bus.close();
      await accounts.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
