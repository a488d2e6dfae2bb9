// What every `vigil <stage>` process shares: an HTTP server on VIGIL_HOST:VIGIL_PORT
// with /healthz, /readyz and /metrics (plus the routes of the stage, if it serves any),
// and an orderly stop: the server stops taking requests, then the stage finishes and
// commits the batch in hand and its connections close.
import type { FastifyInstance } from 'fastify';
import type { VigilConfig } from '../core/config.ts';
import { createHttpServer } from '../core/http/create-http-server.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { VigilProcessName } from './commands.ts';
import { listenUrl } from './listen-url.ts';

export interface RunningProcess {
  name: VigilProcessName;
  url: string;
  /** What it does, for the banner: "accepting events at POST /api/v1/events". */
  summary: string;
  /** Lines to show a person once (secrets generated on a first start). */
  notes: readonly string[];
  stop(): Promise<void>;
}

export interface ServeOptions {
  name: VigilProcessName;
  config: VigilConfig;
  log: Logger;
  metrics: Metrics;
  summary: string;
  notes?: readonly string[];
  /** Mounts the stage's routes (and upgrade handlers) on the server. */
  mount?: (app: FastifyInstance) => Promise<void>;
  /** Answers null when ready, else why not. */
  readiness?: () => Promise<string | null>;
  /** Runs before the server closes: ends what would keep it open (WebSocket clients). */
  drain?: () => Promise<void>;
  /** Stops the stage and closes its connections; runs after the server stopped taking requests. */
  stop: () => Promise<void>;
}

export async function serveProcess(options: ServeOptions): Promise<RunningProcess> {
  const { config, log } = options;
  let stopping: Promise<void> | undefined;
  const app = createHttpServer({
    log,
    metrics: options.metrics,
    metricsToken: config.security.metricsToken,
    readiness: async () => (stopping !== undefined ? 'stopping' : ((await options.readiness?.()) ?? null)),
  });
  if (options.mount) await options.mount(app);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await options.stop().catch(() => undefined);
    throw error;
  }
  const url = listenUrl(app.server, config);
  log.info({ process: options.name, url, bus: config.bus, store: config.store }, 'listening');
  return {
    name: options.name,
    url,
    summary: options.summary,
    notes: options.notes ?? [],
    stop() {
      stopping ??= (async () => {
        await options.drain?.();
        await app.close();
        await options.stop();
      })();
      return stopping;
    },
  };
}

/** The line a process prints when it is up: what it is, where it listens, on what. */
export function processBanner(running: RunningProcess, config: VigilConfig): string {
  const lines = [`vigil ${running.name} listening on ${running.url} -- ${running.summary} (bus ${config.bus}, store ${config.store})`, ...running.notes];
  return `${lines.join('\n')}\n`;
}
