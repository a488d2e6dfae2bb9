// The loaded rule library: every rule file under a folder, compiled, plus an index by
// logsource so each event runs only the rules whose logsource can see it. A broken
// file is reported and skipped; it never keeps the other rules from loading.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { compileRule, type CompileOptions, type CompiledRule } from './compile-rule.ts';
import type { MatchableEvent } from './field-access.ts';
import type { LogsourcePredicate } from './logsource.ts';
import { RuleError } from './rule-error.ts';

export interface RuleSet {
  readonly rules: CompiledRule[];
  readonly errors: RuleError[];
  /** Rules grouped by logsource; an event runs a group's rules only if it is accepted. */
  readonly routes: readonly RouteGroup[];
}

export interface RouteGroup {
  readonly key: string;
  readonly accepts: LogsourcePredicate;
  readonly rules: readonly CompiledRule[];
}

export type LoadRuleSetOptions = CompileOptions;

const RULE_FILE = /\.ya?ml$/i;
/** Test cases sit beside their rule (`x.test.yml`); they are data for tests, not rules. */
const TEST_CASE_FILE = /\.test\.ya?ml$/i;
/** Field-mapping pipelines live in the library too, but are not rules. */
const SKIPPED_FOLDERS = new Set(['pipelines']);

/**
 * Compiles every `*.yml`/`*.yaml` under `dir`, recursively, in a stable (sorted) order.
 * An unreadable folder or file is an error in the result too, never a throw.
 */
export function loadRuleSet(dir: string, options: LoadRuleSetOptions = {}): RuleSet {
  const rules: CompiledRule[] = [];
  const errors: RuleError[] = [];
  for (const path of listRuleFiles(dir, errors)) {
    const file = displayName(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = `cannot read the rule file: ${(error as Error).message}`;
      errors.push(new RuleError('rule_unreadable', reason, { file, line: 1, col: 1 }));
      continue;
    }
    let result;
    try {
      result = compileRule(text, file, options);
    } catch (error) {
      // A compiler bug on one file must not keep the rest of the library from loading.
      const reason = `internal error compiling this rule: ${(error as Error).message}`;
      errors.push(new RuleError('rule_internal', reason, { file, line: 1, col: 1 }));
      continue;
    }
    errors.push(...result.errors);
    if (result.rule !== undefined) rules.push(result.rule);
  }
  return buildRuleSet(rules, errors);
}

/** A rule set from rules compiled elsewhere; a later duplicate id is an error, not a rule. */
export function buildRuleSet(compiled: readonly CompiledRule[], errors: readonly RuleError[] = []): RuleSet {
  const rules: CompiledRule[] = [];
  const problems = [...errors];
  const seen = new Map<string, CompiledRule>();
  for (const rule of compiled) {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      const where = `${first.location.file}:${first.location.line}`;
      const reason = `rule id '${rule.id}' is already used by ${where}`;
      problems.push(new RuleError('rule_duplicate_id', reason, rule.location));
      continue;
    }
    seen.set(rule.id, rule);
    rules.push(rule);
  }

  const groups = new Map<string, { accepts: LogsourcePredicate; rules: CompiledRule[] }>();
  for (const rule of rules) {
    const group = groups.get(rule.route.key);
    if (group === undefined) groups.set(rule.route.key, { accepts: rule.route.accepts, rules: [rule] });
    else group.rules.push(rule);
  }
  const routes = [...groups].map(([key, group]) => ({ key, ...group }));
  return { rules, errors: problems, routes };
}

/** The rules this event fires, in load order within each logsource group. */
export function matchEvent(ruleSet: RuleSet, event: SecurityEvent): CompiledRule[] {
  const target: MatchableEvent = event;
  const matched: CompiledRule[] = [];
  for (const route of ruleSet.routes) {
    if (!route.accepts(target)) continue;
    for (const rule of route.rules) if (rule.matchesDetection(target)) matched.push(rule);
  }
  return matched;
}

function listRuleFiles(dir: string, errors: RuleError[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const reason = `cannot read the rules folder: ${(error as Error).message}`;
    errors.push(new RuleError('rule_unreadable', reason, { file: displayName(dir), line: 1, col: 1 }));
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) files.push(...listRuleFiles(path, errors));
    } else if (entry.isFile() && RULE_FILE.test(entry.name) && !TEST_CASE_FILE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** Paths inside the working folder are shown relative to it, so messages stay short. */
function displayName(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') || inside === '' ? path : inside;
}
