// What a rules reload changed, for the audit log: which rule ids came, went or now
// detect differently, and the counts before and after. "Changed" compares each rule's
// compiled form (detection, condition, logsource route, filters applied, metadata), not
// its file: moving a rule down a file or reformatting it is no change, while a new
// meta filter or pipeline that alters what a rule matches is one. The id lists are
// bounded so one reload of a large library can not make an audit entry of megabytes.
import { z } from 'zod';
import type { NewAuditEntry } from '../core/accounts/accounts.ts';
import type { CompiledCorrelation } from './correlation/contract.ts';
import type { CompiledRule } from './sigma/compile-rule.ts';
import type { RuleSet } from './sigma/rule-set.ts';

/** Most ids listed per kind (added, removed, changed); the counts are always exact. */
export const MAX_LISTED_IDS = 200;

export interface RuleIdList {
  readonly count: number;
  /** The first MAX_LISTED_IDS ids, sorted. */
  readonly ids: readonly string[];
}

export interface RuleSetChange {
  /** The folder the rules were loaded from. */
  readonly rulesDir: string;
  readonly before: { readonly loaded: number; readonly errors: number };
  readonly after: { readonly loaded: number; readonly errors: number };
  readonly added: RuleIdList;
  readonly removed: RuleIdList;
  readonly changed: RuleIdList;
}

const counts = z.object({ loaded: z.number().int().nonnegative(), errors: z.number().int().nonnegative() });
const idList = z.object({ count: z.number().int().nonnegative(), ids: z.array(z.string()).max(MAX_LISTED_IDS) });

/** A change as it crosses a thread or process boundary. */
export const ruleSetChangeSchema: z.ZodType<RuleSetChange> = z.object({
  rulesDir: z.string(),
  before: counts,
  after: counts,
  added: idList,
  removed: idList,
  changed: idList,
});

/** A rule set reduced to what a diff needs: each rule's id and a fingerprint of its compiled form. */
export type RuleFingerprints = ReadonlyMap<string, string>;

export function fingerprintRuleSet(ruleSet: Pick<RuleSet, 'rules' | 'correlations'>): RuleFingerprints {
  const out = new Map<string, string>();
  for (const rule of [...ruleSet.rules, ...ruleSet.correlations]) out.set(rule.id, fingerprint(rule));
  return out;
}

/**
 * The change from `previous` to `next`, or null when the rule set in force is the same
 * (same rules, same compiled forms, same number of problems): a save that changed
 * nothing, or an editor's extra write, is not worth an audit entry.
 */
export function diffRuleSets(
  rulesDir: string,
  previous: { fingerprints: RuleFingerprints; errors: number },
  next: { fingerprints: RuleFingerprints; errors: number },
): RuleSetChange | null {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [id, print] of next.fingerprints) {
    const before = previous.fingerprints.get(id);
    if (before === undefined) added.push(id);
    else if (before !== print) changed.push(id);
  }
  for (const id of previous.fingerprints.keys()) if (!next.fingerprints.has(id)) removed.push(id);
  if (added.length + removed.length + changed.length === 0 && previous.errors === next.errors) return null;
  return {
    rulesDir,
    before: { loaded: previous.fingerprints.size, errors: previous.errors },
    after: { loaded: next.fingerprints.size, errors: next.errors },
    added: listed(added),
    removed: listed(removed),
    changed: listed(changed),
  };
}

/** The audit entry of a change: by the system (a file changed on disk, no request), SOC-only. */
export function rulesAuditEntry(change: RuleSetChange): NewAuditEntry {
  const { before, after, added, removed, changed } = change;
  return {
    actor: 'system',
    source: null,
    action: 'rules.reload',
    target: change.rulesDir,
    units: [],
    before,
    after: { ...after, added, removed, changed },
  };
}

function listed(ids: string[]): RuleIdList {
  ids.sort();
  return { count: ids.length, ids: ids.slice(0, MAX_LISTED_IDS) };
}

/** Where a rule sits (file, line, offsets in its condition) is not what it detects. */
const NOT_COMPARED = new Set(['location', 'offset']);

function fingerprint(rule: CompiledRule | CompiledCorrelation): string {
  return JSON.stringify(rule, (key, value: unknown) => {
    if (NOT_COMPARED.has(key)) return undefined;
    if (typeof value === 'function') return undefined;
    if (value instanceof Map) return [...value.entries()];
    if (value instanceof Set) return [...value.values()];
    if (value instanceof RegExp) return `/${value.source}/${value.flags}`;
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}
