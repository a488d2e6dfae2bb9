// Which correlations consume a rule's matches, and whether the rule still raises its
// own alerts (Sigma `generate`): asked on every match by the detect stage, so both are
// answered from maps built once per rule set.
import type { CompiledCorrelation } from '../correlation/contract.ts';
import type { RuleSet } from './rule-set.ts';

export class CorrelationIndex {
  private readonly referencing = new Map<string, CompiledCorrelation[]>();
  private readonly silenced = new Set<string>();

  constructor(correlations: readonly CompiledCorrelation[]) {
    for (const correlation of correlations) {
      for (const id of correlation.rules) {
        const list = this.referencing.get(id);
        if (list === undefined) this.referencing.set(id, [correlation]);
        else list.push(correlation);
      }
    }
    for (const [id, list] of this.referencing) {
      Object.freeze(list);
      // A rule feeding only correlations that do not `generate` is a building block:
      // its matches are evidence, not alerts.
      if (!list.some((correlation) => correlation.generate)) this.silenced.add(id);
    }
  }

  /** The correlations that name this rule or correlation, in dependency order. */
  correlationsReferencing(id: string): readonly CompiledCorrelation[] {
    return this.referencing.get(id) ?? none;
  }

  raisesOwnAlerts(id: string): boolean {
    return !this.silenced.has(id);
  }
}

const none: readonly CompiledCorrelation[] = Object.freeze([]);

/** The correlations fed by this rule's (or correlation's) matches; the list is frozen. */
export function correlationsReferencing(ruleSet: Pick<RuleSet, 'correlationIndex'>, id: string): CompiledCorrelation[] {
  return ruleSet.correlationIndex.correlationsReferencing(id) as CompiledCorrelation[];
}

/**
 * False when some correlation references the rule (or correlation) and none of those
 * has `generate: true`; true otherwise, including for ids no correlation names.
 */
export function raisesOwnAlerts(ruleSet: Pick<RuleSet, 'correlationIndex'>, id: string): boolean {
  return ruleSet.correlationIndex.raisesOwnAlerts(id);
}
