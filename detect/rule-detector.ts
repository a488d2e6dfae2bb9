// Binds the compiled Sigma rule set to the two detection stages: the detect stage's
// Detector (which rules an event fires, and where their signals go) and the correlate
// stage's view of the same rules (correlations, rule metadata, who raises alerts).
// Loading reports broken rule files as located messages and keeps the others, so one
// bad file never takes detection down; likewise a rule that throws on one event is
// reported and skipped for that event, never retried forever.
import type { SecurityEvent } from '../core/schemas/event.ts';
import type { CorrelationRules } from './correlation/correlate-stage.ts';
import type { Detector } from './detect-stage.ts';
import type { CompiledRule } from './sigma/compile-rule.ts';
import { correlationsReferencing, raisesOwnAlerts } from './sigma/correlation-index.ts';
import { loadRuleSet, matchEvent, type RuleSet } from './sigma/rule-set.ts';

export interface LoadedDetector {
  detector: Detector;
  correlation: CorrelationRules;
  /** Detection rules and correlation rules in force. */
  loaded: number;
  /** One line per problem, `file:line:col: message`. */
  errors: string[];
}

export function loadDetector(
  rulesDir: string,
  onRuleError: (rule: CompiledRule, error: unknown) => void = () => undefined,
): LoadedDetector {
  return detectorFor(loadRuleSet(rulesDir, { collectErrors: true }), onRuleError);
}

export function detectorFor(
  ruleSet: RuleSet,
  onRuleError: (rule: CompiledRule, error: unknown) => void = () => undefined,
): LoadedDetector {
  const routing = {
    correlationsReferencing: (id: string) => correlationsReferencing(ruleSet, id),
    raisesOwnAlerts: (id: string) => raisesOwnAlerts(ruleSet, id),
  };
  const meta = new Map<string, ReturnType<CorrelationRules['ruleMeta']>>();
  for (const rule of [...ruleSet.rules, ...ruleSet.correlations]) {
    meta.set(rule.id, { id: rule.id, title: rule.title, level: rule.level, tags: rule.tags });
  }
  return {
    detector: {
      match: (event) => firedRules(ruleSet, event, onRuleError).map((rule) => rule.id),
      routing,
    },
    correlation: {
      correlations: ruleSet.correlations,
      ruleMeta: (id) => meta.get(id),
      raisesOwnAlerts: routing.raisesOwnAlerts,
    },
    loaded: ruleSet.rules.length + ruleSet.correlations.length,
    errors: ruleSet.errors.map((error) => error.message),
  };
}

function firedRules(ruleSet: RuleSet, event: SecurityEvent, onRuleError: (rule: CompiledRule, error: unknown) => void) {
  try {
    return matchEvent(ruleSet, event);
  } catch {
    // Slow path, only for an event that made some rule throw: find which, keep the rest.
    return ruleSet.rules.filter((rule) => {
      try {
        return rule.matches(event);
      } catch (error) {
        onRuleError(rule, error);
        return false;
      }
    });
  }
}
