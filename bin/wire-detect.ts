// Wires the detect stage to its bus, store and rule set, the same way in the all-in-one
// detection thread and in a `vigil detect` process.
import type { VigilConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Bus } from '../core/ports/bus.ts';
import type { Store } from '../core/ports/store.ts';
import { startDetectStage, type DetectStage } from '../detect/detect-stage.ts';
import type { RulesReloader } from '../detect/rules-reloader.ts';

export function wireDetect(
  config: VigilConfig,
  deps: { bus: Bus; store: Store; rules: RulesReloader; metrics: Metrics; log: Logger },
): DetectStage {
  return startDetectStage({
    bus: deps.bus,
    store: deps.store,
    detector: () => deps.rules.current().detector,
    metrics: deps.metrics,
    log: deps.log,
    futureToleranceMs: config.time.futureToleranceMs,
  });
}
