// Picks, for each event, the few rules that can possibly match it, so that a library of
// thousands of rules costs a handful of rule evaluations per event, not thousands.
//
// From each rule's detection and condition trees we derive a necessary condition: "at
// least one of these literals occurs in the event" — an exact value of a field, or a
// substring of it. `selection and not filter` needs what `selection` needs; `a or b`
// needs what either needs; a map needs what any one of its items needs (we keep the
// most selective). Keywords (fieldless values) are substrings of any of the event's
// values. A rule for which no such condition can be derived (`re`, `cidr`, numeric
// comparisons, `neq`, a bare `not`) is evaluated on every event.
//
// Per event: one hash lookup per indexed field for exact literals, and one
// Aho-Corasick scan per indexed field for substrings. Both sides are lowercased with
// toLowerCase, exactly as the matcher does, so the index never disagrees with it; the
// one exception is a `cased` item, which the matcher compares unfolded: its non-ASCII
// literals are not indexed (JavaScript lowercases some letters by context).
import { selectIdentifiers } from './compile-condition.ts';
import type { CompiledRule } from './compile-rule.ts';
import type { ConditionNode } from './condition-parser.ts';
import type { DetectionItem, DetectionNode } from './detection-tree.ts';
import { compileFieldReader, keywordText, type FieldReader, type MatchableEvent } from './field-access.ts';
import { MultiPatternMatcher } from './multi-pattern.ts';
import type { SigmaValue } from './sigma-value.ts';

interface Atom {
  readonly field: string;
  readonly kind: 'exact' | 'contains';
  /** Lowercased ASCII. */
  readonly literal: string;
}

/** Atoms of which at least one must hold for the rule to match; null when none can be derived. */
type Requirement = readonly Atom[] | null;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
/** The pseudo-field of keyword items: every scalar value of the event. */
const ANY_VALUE = '*';

function valueRequirement(field: string, value: SigmaValue, cased: boolean): Requirement {
  if (value.kind === 'expansion') return unionAll(value.values.map((variant) => valueRequirement(field, variant, cased)));
  if (value.kind !== 'string' || value.encoded !== undefined) return null;
  const literals = value.parts.filter((part): part is string => typeof part === 'string');
  if (literals.length === 0) return null;
  // A keyword matches when any value contains it, so its literal is a substring atom.
  if (literals.length === value.parts.length && field !== ANY_VALUE) {
    const exact = literals.join('');
    return cased && !isAscii(exact) ? null : [{ field, kind: 'exact', literal: exact.toLowerCase() }];
  }
  // Even a one-letter substring is a requirement; mostSelective prefers longer ones.
  const longest = literals.reduce((a, b) => (b.length > a.length ? b : a));
  if (cased && !isAscii(longest)) return null;
  return [{ field, kind: 'contains', literal: longest.toLowerCase() }];
}

function itemRequirement(item: DetectionItem): Requirement {
  if (item.negated === true || item.timePart !== undefined) return null;
  const field = item.field ?? ANY_VALUE;
  const perValue = item.values.map((value) => valueRequirement(field, value, item.cased === true));
  return item.linking === 'and' ? mostSelective(perValue) : unionAll(perValue);
}

function nodeRequirement(node: DetectionNode | undefined): Requirement {
  if (node === undefined) return null;
  if (node.kind === 'item') return itemRequirement(node);
  const children = node.children.map(nodeRequirement);
  return node.linking === 'and' ? mostSelective(children) : unionAll(children);
}

function conditionRequirement(condition: ConditionNode, rule: CompiledRule, names: readonly string[]): Requirement {
  switch (condition.kind) {
    case 'identifier':
      return nodeRequirement(rule.detection.get(condition.name));
    case 'and':
      return mostSelective(condition.operands.map((operand) => conditionRequirement(operand, rule, names)));
    case 'or':
      return unionAll(condition.operands.map((operand) => conditionRequirement(operand, rule, names)));
    case 'not':
      return null;
    case 'of': {
      const parts = selectIdentifiers(names, condition.target).map((name) => nodeRequirement(rule.detection.get(name)));
      return condition.quantifier === 'all' ? mostSelective(parts) : unionAll(parts);
    }
  }
}

function ruleRequirement(rule: CompiledRule): Requirement {
  const names = [...rule.detection.keys()];
  return unionAll(rule.conditions.map((condition) => conditionRequirement(condition, rule, names)));
}

/** Every branch must have a requirement, and any one of their atoms may be what holds. */
function unionAll(requirements: readonly Requirement[]): Requirement {
  if (requirements.length === 0 || requirements.some((r) => r === null || r.length === 0)) return null;
  return requirements.flatMap((r) => r ?? []);
}

/** Each branch must hold, so one branch's requirement is enough: keep the narrowest. */
function mostSelective(requirements: readonly Requirement[]): Requirement {
  let best: Requirement = null;
  let bestScore = -1;
  for (const requirement of requirements) {
    if (requirement === null || requirement.length === 0) continue;
    const score = Math.min(...requirement.map(atomSelectivity));
    if (score > bestScore || (score === bestScore && requirement.length < (best?.length ?? Infinity))) {
      best = requirement;
      bestScore = score;
    }
  }
  return best;
}

/**
 * ECS fields with a handful of values (event kinds, actions, outcomes, protocols):
 * whatever the literal, most events of a log source hold one of them.
 */
const FEW_VALUED_FIELD =
  /^(event\.(kind|category|type|outcome|action|module|dataset|severity)|network\.(transport|direction|protocol|type)|observer\.(type|vendor|product)|host\.os\..*|dns\.question\.type|http\.request\.method|http\.response\.status_code)$/;
const COMMON_PORTS = new Set(['80', '443', '53', '123', '8080', '8443', '25', '22', '21', '3389', '445']);

/**
 * How rarely an atom holds, roughly: longer literals are rarer, an exact value is rarer
 * than the same text as a substring; fields with few values and common port numbers are
 * weak whatever their text. A requirement is as weak as its weakest atom.
 */
function atomSelectivity(atom: Atom): number {
  if (FEW_VALUED_FIELD.test(atom.field)) return 1;
  if (/^\d+$/.test(atom.literal)) return COMMON_PORTS.has(atom.literal) ? 2 : atom.kind === 'exact' ? Math.min(atom.literal.length, 4) + 2 : 1;
  return Math.min(atom.literal.length, 16) + (atom.kind === 'exact' ? 2 : 0);
}

interface FieldIndex {
  read: FieldReader;
  exact: Map<string, number[]>;
  substrings: string[];
  /** Literal → its position in `substrings` (thousands of them on a field like CommandLine). */
  substringAt: Map<string, number>;
  substringRules: number[][];
  matcher: MultiPatternMatcher | null;
}

/** The indexed fields under one top-level key: an event without that key skips them all. */
interface TopLevelGroup {
  fields: FieldIndex[];
  /** The generation that last scanned this group, so flat and nested keys scan it once. */
  scanned: number;
}

export class CandidateIndex {
  /** Rules with no derivable requirement: candidates for every event. */
  private readonly always: number[] = [];
  private readonly groups = new Map<string, TopLevelGroup>();
  /** Keyword atoms: substrings of any value of the event. */
  private readonly anyValue: FieldIndex | null;
  private readonly marks: Uint32Array;
  private generation = 0;
  // Scratch arrays reused across events: matching runs per event at high rates.
  private readonly chosen: number[] = [];
  private readonly hits: number[] = [];

  /** `rules` in the order callers want candidates back. */
  constructor(private readonly rules: readonly CompiledRule[]) {
    this.marks = new Uint32Array(rules.length);
    const byField = new Map<string, FieldIndex>();
    rules.forEach((rule, ruleIndex) => {
      const requirement = ruleRequirement(rule);
      if (requirement === null) {
        this.always.push(ruleIndex);
        return;
      }
      for (const atom of requirement) {
        let index = byField.get(atom.field);
        if (index === undefined) {
          const read: FieldReader = atom.field === ANY_VALUE ? keywordText : compileFieldReader(atom.field);
          index = { read, exact: new Map(), substrings: [], substringAt: new Map(), substringRules: [], matcher: null };
          byField.set(atom.field, index);
        }
        if (atom.kind === 'exact') {
          const list = index.exact.get(atom.literal) ?? [];
          list.push(ruleIndex);
          index.exact.set(atom.literal, list);
        } else {
          let at = index.substringAt.get(atom.literal);
          if (at === undefined) {
            at = index.substrings.push(atom.literal) - 1;
            index.substringAt.set(atom.literal, at);
            index.substringRules.push([]);
          }
          index.substringRules[at]!.push(ruleIndex);
        }
      }
    });
    let anyValue: FieldIndex | null = null;
    for (const [field, index] of byField) {
      if (index.substrings.length > 0) index.matcher = new MultiPatternMatcher(index.substrings);
      if (field === ANY_VALUE) {
        anyValue = index;
        continue;
      }
      const top = field.split('.')[0]!;
      const group = this.groups.get(top) ?? { fields: [], scanned: 0 };
      group.fields.push(index);
      this.groups.set(top, group);
    }
    this.anyValue = anyValue;
  }

  /** How many rules every event runs whatever it holds (for metrics and benchmarks). */
  get unindexedCount(): number {
    return this.always.length;
  }

  /** The rules that may match `event`, in the order given to the constructor. */
  candidates(event: MatchableEvent): CompiledRule[] {
    if (++this.generation === 0xffffffff) {
      this.marks.fill(0);
      for (const group of this.groups.values()) group.scanned = 0;
      this.generation = 1;
    }
    const chosen = this.chosen;
    chosen.length = 0;
    for (const ruleIndex of this.always) chosen.push(ruleIndex);
    // Only the groups of the event's own top-level keys (`file`, or a flat `file.path`).
    for (const key in event) {
      const dot = key.indexOf('.');
      const group = this.groups.get(dot === -1 ? key : key.slice(0, dot));
      if (group === undefined || group.scanned === this.generation) continue;
      group.scanned = this.generation;
      for (const index of group.fields) this.scanField(index, event);
    }
    if (this.anyValue !== null) this.scanField(this.anyValue, event);
    chosen.sort((a, b) => a - b);
    const result = new Array<CompiledRule>(chosen.length);
    for (let i = 0; i < chosen.length; i += 1) result[i] = this.rules[chosen[i]!]!;
    return result;
  }

  private scanField(index: FieldIndex, event: MatchableEvent): void {
    const raw = index.read(event);
    if (raw === undefined || raw === null) return;
    if (!Array.isArray(raw)) {
      this.scanValue(index, raw);
      return;
    }
    for (const value of raw as unknown[]) this.scanValue(index, value);
  }

  private scanValue(index: FieldIndex, value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint') return;
    const text = String(value).toLowerCase();
    const exact = index.exact.get(text);
    if (exact !== undefined) for (const ruleIndex of exact) this.mark(ruleIndex);
    if (index.matcher === null) return;
    const hits = this.hits;
    hits.length = 0;
    index.matcher.scan(text, hits);
    for (const at of hits) for (const ruleIndex of index.substringRules[at]!) this.mark(ruleIndex);
  }

  private mark(ruleIndex: number): void {
    if (this.marks[ruleIndex] === this.generation) return;
    this.marks[ruleIndex] = this.generation;
    this.chosen.push(ruleIndex);
  }
}
