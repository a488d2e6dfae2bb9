// Binds the compiled Sigma rule set to the detect stage's Detector: each rule an event
// fires becomes an alert. Loading reports broken rule files as located messages and
// keeps the others, so one bad file never takes detection down; likewise a rule that
// throws on one event is reported and skipped for that event, never retried forever.
import type { SecurityEvent } from '../core/schemas/event.ts';
import { alertFromMatch } from './alert-from-match.ts';
import type { Detector } from './detect-stage.ts';
import type { CompiledRule } from './sigma/compile-rule.ts';
import { loadRuleSet, matchEvent, type RuleSet } from './sigma/rule-set.ts';

export interface LoadedDetector {
  detector: Detector;
  loaded: number;
  /** One line per problem, `file:line:col: message`. */
  errors: string[];
}

export function loadDetector(
  rulesDir: string,
  onRuleError: (rule: CompiledRule, error: unknown) => void = () => undefined,
): LoadedDetector {
  const ruleSet = loadRuleSet(rulesDir, { collectErrors: true });
  return {
    detector: {
      evaluate: (event, now) => firedRules(ruleSet, event, onRuleError).map((rule) => alertFromMatch(rule, event, now)),
    },
    loaded: ruleSet.rules.length,
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
