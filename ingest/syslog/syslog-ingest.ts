// Starts the syslog listeners VIGIL_SYSLOG_LISTENERS asks for, in `vigil ingest` and
// `vigil start` alike: each bound to its unit (which must exist), each with its own
// pipeline and batcher publishing to the events topic. A unit renamed later is picked up
// within a minute. stop() closes every listener and publishes what is waiting.
import type { Accounts } from '../../core/accounts/accounts.ts';
import { ConfigError, type VigilConfig } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { Organization } from '../../core/schemas/event.ts';
import { SYSLOG_VARIABLE, type SyslogListenerConfig } from './listener-config.ts';
import type { RunningListener } from './running-listener.ts';
import { SyslogPipeline } from './syslog-pipeline.ts';
import { startTcpListener } from './tcp-listener.ts';
import { startUdpListener } from './udp-listener.ts';

export interface SyslogIngestDeps {
  listeners: readonly SyslogListenerConfig[];
  config: Pick<VigilConfig, 'time' | 'correlation'>;
  bus: Bus;
  accounts: Pick<Accounts, 'getUnit'>;
  metrics: Metrics;
  log: Logger;
  /** Batching, for tests and benches; defaults 500 events or 100 ms. */
  maxBatch?: number;
  lingerMs?: number;
  /** How often unit names are read again. */
  unitRefreshMs?: number;
}

export interface RunningSyslog {
  listeners: readonly RunningListener[];
  stop(): Promise<void>;
}

export async function startSyslogIngest(deps: SyslogIngestDeps): Promise<RunningSyslog> {
  if (deps.listeners.length === 0) return { listeners: [], stop: async () => undefined };
  const log = deps.log.child({ stage: 'ingest', input: 'syslog' });
  const units = new Map<string, Organization>();
  const problems: string[] = [];
  for (const listener of deps.listeners) {
    if (units.has(listener.unit)) continue;
    const unit = await deps.accounts.getUnit(listener.unit);
    if (unit) units.set(unit.id, { id: unit.id, name: unit.name });
    else problems.push(`${SYSLOG_VARIABLE}: ${listener.name} is bound to unit "${listener.unit}", which does not exist; create the unit first`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const pipelines: SyslogPipeline[] = [];
  const running: RunningListener[] = [];
  try {
    for (const listener of deps.listeners) {
      const pipeline = new SyslogPipeline(listener, {
        bus: deps.bus,
        metrics: deps.metrics,
        log,
        unit: units.get(listener.unit)!,
        futureToleranceMs: deps.config.time.futureToleranceMs,
        utcOffsetMinutes: deps.config.correlation.utcOffsetMinutes,
        maxBatch: deps.maxBatch,
        lingerMs: deps.lingerMs,
      });
      pipelines.push(pipeline);
      running.push(listener.protocol === 'udp' ? await startUdpListener(pipeline, log) : await startTcpListener(pipeline, deps.metrics, log));
      const bound = running[running.length - 1]!;
      log.info({ listener: listener.name, protocol: bound.protocol, host: bound.host, port: bound.port, unit: listener.unit, format: listener.format }, 'listening for syslog');
    }
  } catch (error) {
    await Promise.all(running.map((listener) => listener.stop()));
    throw error;
  }

  const refresh = setInterval(() => {
    void (async () => {
      for (const id of units.keys()) {
        const unit = await deps.accounts.getUnit(id);
        if (!unit) continue;
        for (const pipeline of pipelines) if (pipeline.listener.unit === id) pipeline.setUnit({ id: unit.id, name: unit.name });
      }
    })().catch((error: unknown) => log.warn({ err: error }, 'reading the syslog listeners\' unit names failed; keeping the previous ones'));
  }, deps.unitRefreshMs ?? 60_000);
  refresh.unref();

  let stopping: Promise<void> | undefined;
  return {
    listeners: running,
    stop() {
      stopping ??= (async () => {
        clearInterval(refresh);
        await Promise.all(running.map((listener) => listener.stop()));
      })();
      return stopping;
    },
  };
}
