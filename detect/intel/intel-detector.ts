// The detect stage's Detector with the intel index beside the rules: an event fires its
// rules plus one synthetic rule per listed indicator it contains (intel-rule.ts), and
// those raise their own alerts and feed no correlation. With no indicator loaded the
// rule detector is handed back as it is, so intel costs nothing until lists exist.
// `onHits` (metrics) hears only of events with a hit: nothing is added to the common path.
import type { Detector } from '../detect-stage.ts';
import type { IndicatorIndex } from './indicator-index.ts';
import { isIntelRule } from './intel-rule.ts';
import { matchIntel } from './intel-matcher.ts';

const cache = new WeakMap<Detector, { index: IndicatorIndex; detector: Detector }>();

export function withIntel(base: Detector, index: IndicatorIndex | undefined, onHits?: (ids: readonly string[]) => void): Detector {
  if (index === undefined || index.size === 0) return base;
  const cached = cache.get(base);
  if (cached !== undefined && cached.index === index) return cached.detector;
  const detector: Detector = {
    match(event) {
      const fired = base.match(event);
      const hits = matchIntel(index, event);
      if (hits.length === 0) return fired;
      onHits?.(hits);
      return fired.length === 0 ? hits : [...fired, ...hits];
    },
    routing: {
      correlationsReferencing: (id) => (isIntelRule(id) ? [] : base.routing.correlationsReferencing(id)),
      raisesOwnAlerts: (id) => isIntelRule(id) || base.routing.raisesOwnAlerts(id),
    },
  };
  cache.set(base, { index, detector });
  return detector;
}
