// Wires the detect stage to its bus, store and rule set, the same way in the all-in-one
// detection thread and in a `vigil detect` process. The threat-intel lists (the rules
// folder's intel/, and TAXII feeds) are matched beside the rules; a change to the lists
// also recompiles the rules, whose `%intel_<list>%` placeholders read them.
import path from 'node:path';
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import { startDetectStage, type DetectStage } from '../detect/detect-stage.ts';
import { withIntel } from '../detect/intel/intel-detector.ts';
import { startIntelReloader } from '../detect/intel/intel-reloader.ts';
import { loadTaxiiConfig } from '../detect/intel/taxii-config.ts';
import type { RulesReloader } from '../detect/rules-reloader.ts';
import { withoutDisabled, type RuleSwitchWatcher } from '../detect/rule-switches.ts';

export function wireDetect(
  config: VigilConfig,
  deps: { bus: Bus; store: Store; rules: RulesReloader; metrics: Metrics; log: Logger; switches?: RuleSwitchWatcher },
): DetectStage {
  const intel = startIntelReloader({
    intelDir: config.intel.dir,
    ...(config.intel.taxiiConfig === undefined ? {} : { taxiiFeeds: loadTaxiiConfig(config.intel.taxiiConfig) }),
    maxIndicators: config.intel.maxIndicators,
    taxiiStateDir: path.join(config.dataDir, 'taxii'),
    metrics: deps.metrics.registry,
    log: deps.log,
    onReload: (_status, cause) => {
      if (cause === 'files') deps.rules.reload();
    },
  });
  const stage = startDetectStage({
    bus: deps.bus,
    store: deps.store,
    detector: () => withIntel(deps.switches ? withoutDisabled(deps.rules.current().detector, deps.switches.disabled()) : deps.rules.current().detector, intel.current(), intel.countHits),
    metrics: deps.metrics,
    log: deps.log,
    futureToleranceMs: config.time.futureToleranceMs,
  });
  return {
    async stop() {
      intel.close();
      await stage.stop();
    },
  };
}
