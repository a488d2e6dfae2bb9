// Phase 3 for correlation documents, once the whole library is read: each reference
// (an id or a name) resolves to a detection rule or to another correlation, and every
// group-by name (and the aggregated field) becomes the event paths to read for each
// referenced rule, through aliases and that rule's own pipeline mapping. The result is
// in dependency order, so a chained correlation comes after the ones it builds on.
import type { CompiledCorrelation } from '../correlation/contract.ts';
import type { CompiledRule } from './compile-rule.ts';
import type { ParsedCorrelation } from './correlation-model.ts';
import { formatLocation, RuleError, type SourceLocation } from './rule-error.ts';
import type { YamlPath } from './rule-source.ts';

export interface CorrelationsResult {
  /** Inner correlations before the ones that chain on them, otherwise in load order. */
  readonly correlations: CompiledCorrelation[];
  readonly errors: RuleError[];
}

/** One resolved entry of `correlation.rules`. */
interface Target {
  readonly ref: string;
  readonly id: string;
  readonly name: string | undefined;
  readonly rule: CompiledRule | undefined;
  /** Set when the target is a correlation; compiled before its user, or failed. */
  readonly correlation: ParsedCorrelation | undefined;
  readonly location: SourceLocation;
}

/**
 * Resolves the parsed correlations against the loaded rules. `filterIds` are the meta
 * filters' ids, named in the error when a correlation points at one. A correlation with
 * a problem is reported and left out, as are those that chain on it.
 */
export function compileCorrelations(
  rules: readonly CompiledRule[],
  parsed: readonly ParsedCorrelation[],
  filterIds: ReadonlySet<string> = new Set(),
): CorrelationsResult {
  const errors: RuleError[] = [];
  const fail = (reason: string, location: SourceLocation, code: 'rule_correlation' | 'rule_duplicate_id' = 'rule_correlation') =>
    errors.push(new RuleError(code, reason, location));

  // Ids and names; an id wins over a name, as a reference is most often an id.
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
  const ruleByName = new Map<string, CompiledRule>();
  for (const rule of rules) if (rule.name !== undefined && !ruleByName.has(rule.name)) ruleByName.set(rule.name, rule);
  const byId = new Map<string, ParsedCorrelation>();
  const byName = new Map<string, ParsedCorrelation>();
  const registered: ParsedCorrelation[] = [];
  for (const correlation of parsed) {
    const sameId = ruleById.get(correlation.id)?.location ?? byId.get(correlation.id)?.location;
    if (sameId !== undefined) {
      const reason = `correlation id '${correlation.id}' is already used by ${shortLocation(sameId)}`;
      fail(reason, correlation.location, 'rule_duplicate_id');
      continue;
    }
    const { name } = correlation;
    const sameName = name === undefined ? undefined : (ruleByName.get(name)?.location ?? byName.get(name)?.location);
    if (name !== undefined && sameName !== undefined) {
      const where = correlation.source.locate(['name']);
      fail(`correlation name '${name}' is already used by ${shortLocation(sameName)}`, where, 'rule_duplicate_id');
      continue;
    }
    byId.set(correlation.id, correlation);
    if (name !== undefined) byName.set(name, correlation);
    registered.push(correlation);
  }

  const failed = new Set<string>();
  const targets = new Map<string, readonly Target[]>();
  for (const correlation of registered) {
    const resolved = resolveTargets(correlation, { ruleById, ruleByName, byId, byName, filterIds }, fail);
    if (resolved === undefined) failed.add(correlation.id);
    else targets.set(correlation.id, resolved);
  }

  const order = dependencyOrder(registered, targets, failed, fail);
  const compiled = new Map<string, CompiledCorrelation>();
  const correlations: CompiledCorrelation[] = [];
  for (const correlation of order) {
    const own = targets.get(correlation.id);
    if (failed.has(correlation.id) || own === undefined) continue;
    const broken = own.find((target) => target.correlation !== undefined && !compiled.has(target.id));
    if (broken !== undefined) {
      fail(`correlation.rules: correlation '${broken.ref}' has errors, so this one cannot be compiled`, broken.location);
      continue;
    }
    const fields = resolveFields(correlation, own, compiled, fail);
    if (fields === undefined) continue;
    const result: CompiledCorrelation = {
      kind: 'correlation',
      id: correlation.id,
      name: correlation.name,
      title: correlation.title,
      level: correlation.level,
      status: correlation.status,
      description: correlation.description,
      tags: correlation.tags,
      falsepositives: correlation.falsepositives,
      location: correlation.location,
      type: correlation.type,
      rules: own.map((target) => target.id),
      groupBy: correlation.groupBy,
      fields,
      timespanMs: correlation.timespanMs,
      condition: correlation.condition,
      generate: correlation.generate,
    };
    compiled.set(result.id, result);
    correlations.push(result);
  }
  return { correlations, errors };
}

interface Lookup {
  readonly ruleById: ReadonlyMap<string, CompiledRule>;
  readonly ruleByName: ReadonlyMap<string, CompiledRule>;
  readonly byId: ReadonlyMap<string, ParsedCorrelation>;
  readonly byName: ReadonlyMap<string, ParsedCorrelation>;
  readonly filterIds: ReadonlySet<string>;
}

/** The rules and correlations `correlation.rules` names, or `undefined` after reporting why not. */
function resolveTargets(
  correlation: ParsedCorrelation,
  lookup: Lookup,
  fail: (reason: string, location: SourceLocation) => void,
): Target[] | undefined {
  const written = (correlation.source.data as { correlation: { rules: unknown } }).correlation.rules;
  const targets: Target[] = [];
  let ok = true;
  correlation.rules.forEach((ref, index) => {
    const path: YamlPath = Array.isArray(written) ? ['correlation', 'rules', index] : ['correlation', 'rules'];
    const location = correlation.source.locate(path);
    if (ref === correlation.id || ref === correlation.name) {
      ok = false;
      fail(`correlation.rules: a correlation cannot name itself ('${ref}')`, location);
      return;
    }
    const rule = lookup.ruleById.get(ref) ?? (lookup.byId.has(ref) ? undefined : lookup.ruleByName.get(ref));
    const inner = rule === undefined ? (lookup.byId.get(ref) ?? lookup.byName.get(ref)) : undefined;
    const found = rule ?? inner;
    if (found === undefined) {
      ok = false;
      const reason = lookup.filterIds.has(ref)
        ? `correlation.rules: '${ref}' is a meta filter; a correlation names detection rules or other correlations`
        : `correlation.rules: '${ref}' is not a loaded rule or correlation (no id or name matches)`;
      fail(reason, location);
      return;
    }
    const same = targets.find((target) => target.id === found.id);
    if (same !== undefined) {
      ok = false;
      fail(`correlation.rules: '${ref}' is the same rule as '${same.ref}'`, location);
      return;
    }
    targets.push({ ref, id: found.id, name: found.name, rule, correlation: inner, location });
  });
  return ok ? targets : undefined;
}

/**
 * Correlations with the ones they chain on first (depth first, in load order). A cycle
 * is reported once, at the reference that closes it, and fails every member.
 */
function dependencyOrder(
  correlations: readonly ParsedCorrelation[],
  targets: ReadonlyMap<string, readonly Target[]>,
  failed: Set<string>,
  fail: (reason: string, location: SourceLocation) => void,
): ParsedCorrelation[] {
  const order: ParsedCorrelation[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: ParsedCorrelation[] = [];
  const label = (correlation: ParsedCorrelation) => correlation.name ?? correlation.id;
  const visit = (correlation: ParsedCorrelation): void => {
    state.set(correlation.id, 'visiting');
    path.push(correlation);
    for (const target of targets.get(correlation.id) ?? []) {
      const inner = target.correlation;
      if (inner === undefined) continue;
      const seen = state.get(inner.id);
      if (seen === 'visiting') {
        const cycle = path.slice(path.indexOf(inner));
        for (const member of cycle) failed.add(member.id);
        const chain = [...cycle, inner].map(label).join(' → ');
        fail(`correlation.rules: correlations chain on each other in a cycle: ${chain}`, target.location);
      } else if (seen === undefined) {
        visit(inner);
      }
    }
    path.pop();
    state.set(correlation.id, 'done');
    order.push(correlation);
  };
  for (const correlation of correlations) if (!state.has(correlation.id)) visit(correlation);
  return order;
}

/**
 * `fields[ruleId][name]` for every group-by name and the aggregated field, or
 * `undefined` after reporting why a name cannot be read from some referenced rule.
 */
function resolveFields(
  correlation: ParsedCorrelation,
  targets: readonly Target[],
  compiled: ReadonlyMap<string, CompiledCorrelation>,
  fail: (reason: string, location: SourceLocation) => void,
): Record<string, Record<string, readonly string[]>> | undefined {
  const { source } = correlation;
  let ok = true;
  const problem = (reason: string, path: YamlPath, key = false) => {
    ok = false;
    fail(reason, source.locate(['correlation', ...path], { key }));
  };

  // alias → target id → [field, the key it was written under].
  const aliases = new Map<string, Map<string, readonly [string, string]>>();
  for (const [alias, mapping] of Object.entries(correlation.aliases)) {
    const byTarget = new Map<string, readonly [string, string]>();
    for (const [key, field] of Object.entries(mapping)) {
      const target = targets.find((candidate) => candidate.id === key || candidate.name === key || candidate.ref === key);
      if (target === undefined) {
        problem(`correlation.aliases.${alias}: '${key}' is not one of this correlation's rules`, ['aliases', alias, key], true);
      } else {
        byTarget.set(target.id, [field, key]);
      }
    }
    aliases.set(alias, byTarget);
  }

  // Each name with where it is written and how a message calls that spot.
  const names: [string, YamlPath, string][] = correlation.groupBy.map((name, index) => [
    name,
    ['group-by', index],
    'correlation.group-by',
  ]);
  const aggregated = correlation.condition?.field;
  if (aggregated !== undefined && !correlation.groupBy.includes(aggregated)) {
    names.push([aggregated, ['condition', 'field'], 'correlation.condition.field']);
  }

  const fields: Record<string, Record<string, readonly string[]>> = {};
  for (const target of targets) fields[target.id] = {};
  for (const [name, path, label] of names) {
    const alias = aliases.get(name);
    for (const target of targets) {
      const aliased = alias?.get(target.id);
      if (alias !== undefined && aliased === undefined) {
        problem(`${label}: alias '${name}' gives no field for rule '${target.ref}'`, path);
        continue;
      }
      const [field, key] = aliased ?? [name, undefined];
      const where: YamlPath = key === undefined ? path : ['aliases', name, key];
      const paths = readPaths(target, field, compiled);
      if (paths === undefined) {
        const inner = compiled.get(target.id)?.groupBy ?? [];
        const theirs = inner.length === 0 ? 'it has no group-by' : `its group-by: ${inner.join(', ')}`;
        problem(`${label}: correlation '${target.ref}' has no group-by '${field}' to chain on (${theirs})`, where);
        continue;
      }
      const perRule = fields[target.id];
      if (perRule !== undefined) perRule[name] = paths;
    }
  }
  return ok ? fields : undefined;
}

/**
 * Where a referenced rule's events carry `field`: the detection rule's pipeline mapping,
 * or, for a chained correlation, the group-by name its firings are keyed by.
 */
function readPaths(
  target: Target,
  field: string,
  compiled: ReadonlyMap<string, CompiledCorrelation>,
): readonly string[] | undefined {
  if (target.rule !== undefined) return target.rule.mapField(field);
  return compiled.get(target.id)?.groupBy.includes(field) === true ? [field] : undefined;
}

function shortLocation(location: SourceLocation): string {
  const full = formatLocation(location);
  return full.slice(0, full.lastIndexOf(':'));
}
