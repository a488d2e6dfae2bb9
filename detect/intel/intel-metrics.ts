// The threat-intel part of a detect process's Prometheus metrics, on the process's
// registry (core/metrics.ts makes it): indicators loaded per list (folder lists and
// TAXII feeds), hits per indicator kind, and when the index was last rebuilt and how
// many rebuilds failed. A reloader started again in the same process (tests) finds
// them registered and keeps using them.
import { Counter, Gauge, type Registry } from 'prom-client';
import { parseIntelRuleId } from './intel-rule.ts';

export interface IntelMetrics {
  /** After a rebuild: indicators per list, and the time. */
  loaded(lists: ReadonlyArray<{ name: string; indicators: number }>, at: number): void;
  reloadFailed(): void;
  /** The intel rule ids one event fired. */
  hits(ids: readonly string[]): void;
}

function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function intelMetrics(registry: Registry): IntelMetrics {
  const registers = [registry];
  const indicators = once(registry, 'vigil_intel_indicators', () => new Gauge({ name: 'vigil_intel_indicators', help: 'Threat-intel indicators loaded and matched, per list (a file or folder of the intel folder, or a TAXII feed).', labelNames: ['list'] as const, registers }));
  const hits = once(registry, 'vigil_intel_hits_total', () => new Counter({ name: 'vigil_intel_hits_total', help: 'Events that contained a listed indicator, per indicator kind (one per indicator and event).', labelNames: ['kind'] as const, registers }));
  const lastReload = once(registry, 'vigil_intel_last_reload_seconds', () => new Gauge({ name: 'vigil_intel_last_reload_seconds', help: 'When the indicator index was last rebuilt, unix seconds.', registers }));
  const failures = once(registry, 'vigil_intel_reload_failures_total', () => new Counter({ name: 'vigil_intel_reload_failures_total', help: 'Rebuilds of the indicator index that failed (the previous index kept matching).', registers }));
  return {
    loaded(lists, at) {
      indicators.reset();
      for (const list of lists) indicators.inc({ list: list.name }, list.indicators);
      lastReload.set(at / 1000);
    },
    reloadFailed() {
      failures.inc();
    },
    hits(ids) {
      for (const id of ids) hits.inc({ kind: parseIntelRuleId(id)?.kind ?? 'unknown' });
    },
  };
}
