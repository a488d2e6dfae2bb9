// Binds the compiled Sigma rule set to the detect stage's Detector: each rule an event
// fires becomes an alert. Loading reports broken rule files as located messages and
// keeps the others, so one bad file never takes detection down.
import { alertFromMatch } from './alert-from-match.ts';
import type { Detector } from './detect-stage.ts';
import { loadRuleSet, matchEvent } from './sigma/rule-set.ts';

export interface LoadedDetector {
  detector: Detector;
  loaded: number;
  /** One line per problem, `file:line:col: message`. */
  errors: string[];
}

export function loadDetector(rulesDir: string): LoadedDetector {
  const ruleSet = loadRuleSet(rulesDir, { collectErrors: true });
  return {
    detector: {
      evaluate: (event, now) => matchEvent(ruleSet, event).map((rule) => alertFromMatch(rule, event, now)),
    },
    loaded: ruleSet.rules.length,
    errors: ruleSet.errors.map((error) => error.message),
  };
}
