// The loaded rule library: every rule file under a folder, compiled through the
// processing pipelines, with the meta filters applied and the correlation rules
// resolved against the rules they name, plus an index by logsource so each event runs
// only the rules whose logsource can see it. A broken file (or document) is reported
// and skipped; it never keeps the other rules from loading.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CompiledCorrelation } from '../correlation/contract.ts';
import { compileCorrelations } from './compile-correlation.ts';
import { compileRuleFile, type CompiledRule, type CompileOptions, type RuleFileResult } from './compile-rule.ts';
import { CorrelationIndex } from './correlation-index.ts';
import type { ParsedCorrelation } from './correlation-model.ts';
import type { MatchableEvent } from './field-access.ts';
import { CandidateIndex } from './candidate-index.ts';
import type { LogsourcePredicate } from './logsource.ts';
import { applyFilters, type CompiledFilter } from './meta-filter.ts';
import { pipelinesForRulesDir, type PipelineSet } from './pipeline-set.ts';
import { loadPlaceholders, PLACEHOLDERS_FILE } from './placeholders.ts';
import { RuleError } from './rule-error.ts';

export interface RuleSet {
  /** Every detection rule, those that only feed correlations included: they must still be matched. */
  readonly rules: CompiledRule[];
  /** Correlation rules, inner ones before those that chain on them. */
  readonly correlations: readonly CompiledCorrelation[];
  /** Which correlations each rule feeds (correlation-index.ts asks it). */
  readonly correlationIndex: CorrelationIndex;
  readonly errors: RuleError[];
  /** How many meta filters were loaded (they are applied to `rules` already). */
  readonly filters: number;
  /** Rules grouped by logsource; an event runs a group's rules only if it is accepted. */
  readonly routes: readonly RouteGroup[];
  /** Picks the rules an event could match by their required literals (candidate-index.ts). */
  readonly candidates: CandidateIndex;
}

export interface RouteGroup {
  readonly key: string;
  readonly accepts: LogsourcePredicate;
  readonly rules: readonly CompiledRule[];
}

export interface LoadRuleSetOptions {
  /** Report every problem in every file instead of the first of each. */
  readonly collectErrors?: boolean;
  /**
   * Routing and field mapping. By default the shipped pipelines plus the folder's own
   * pipelines/, whose problems are then reported with the rules'.
   */
  readonly pipelines?: PipelineSet;
}

const RULE_FILE = /\.ya?ml$/i;
/** Test cases sit beside their rule (`x.test.yml`); they are data for tests, not rules. */
const TEST_CASE_FILE = /\.test\.ya?ml$/i;
/** Field-mapping pipelines and ingest's decoder mappings live in the library too, but are not rules. */
const SKIPPED_FOLDERS = new Set(['pipelines', 'decoders']);

/**
 * Compiles every `*.yml`/`*.yaml` under `path`, recursively, in a stable (sorted)
 * order, or the one file `path` names. An unreadable folder or file is an error in the
 * result too, never a throw.
 */
export function loadRuleSet(path: string, options: LoadRuleSetOptions = {}): RuleSet {
  const rules: CompiledRule[] = [];
  const filters: CompiledFilter[] = [];
  const correlations: ParsedCorrelation[] = [];
  const errors: RuleError[] = [];
  const single = isFile(path);
  let pipelines = options.pipelines;
  if (pipelines === undefined) {
    const loaded = pipelinesForRulesDir(single ? dirname(path) : path);
    errors.push(...loaded.errors);
    pipelines = loaded.pipelines;
  }
  const rulesDir = single ? dirname(path) : path;
  const site = loadPlaceholders(rulesDir, displayName(rulesDir));
  errors.push(...site.errors);
  const compileOptions = { collectErrors: options.collectErrors === true, pipelines, placeholders: site.placeholders };
  // The top-level placeholders.yml holds the site's `expand` values, not a rule.
  const files = single ? [path] : listRuleFiles(path, errors).filter((file) => file !== join(path, PLACEHOLDERS_FILE));
  for (const file of files) {
    const result = compileFile(file, compileOptions, errors);
    if (result === undefined) continue;
    rules.push(...result.rules);
    filters.push(...result.filters);
    correlations.push(...result.correlations);
  }
  return assembleRuleSet({ rules, filters, correlations, errors });
}

/**
 * A rule set from the text of one rule file (its documents may reference each other),
 * for tests and tools that hold rules in memory.
 */
export function ruleSetFromText(text: string, file: string, options: CompileOptions = {}): RuleSet {
  return assembleRuleSet(compileRuleFile(text, file, options));
}

/** Filters applied, then correlations resolved against the filtered rules. */
function assembleRuleSet(compiled: RuleFileResult): RuleSet {
  const errors = [...compiled.errors];
  const filters = filtersOnRulesOnly(compiled.filters, compiled.rules, compiled.correlations, errors);
  const filtered = applyFilters(compiled.rules, filters);
  const filterIds = new Set(filters.flatMap((filter) => (filter.id === undefined ? [] : [filter.id])));
  return buildRuleSet(filtered.rules, [...errors, ...filtered.errors], filters.length, {
    correlations: compiled.correlations,
    filterIds,
  });
}

/**
 * Meta filters amend detections; a correlation has none, so a filter naming one is an
 * error (its tuning would silently do nothing) and that name is dropped from it.
 */
function filtersOnRulesOnly(
  filters: readonly CompiledFilter[],
  rules: readonly CompiledRule[],
  correlations: readonly ParsedCorrelation[],
  errors: RuleError[],
): CompiledFilter[] {
  const refs = (items: readonly { id: string; name: string | undefined }[]) =>
    new Set(items.flatMap((item) => (item.name === undefined ? [item.id] : [item.id, item.name])));
  const ruleRefs = refs(rules);
  const correlationRefs = refs(correlations);
  return filters.map((filter) => {
    const kept = filter.rules.filter(({ ref, location }) => {
      if (ruleRefs.has(ref) || !correlationRefs.has(ref)) return true;
      const reason = `filter '${filter.title}' names correlation '${ref}'; meta filters apply to detection rules only`;
      errors.push(new RuleError('rule_filter', reason, location));
      return false;
    });
    return kept.length === filter.rules.length ? filter : { ...filter, rules: kept };
  });
}

function compileFile(path: string, options: CompileOptions, errors: RuleError[]): RuleFileResult | undefined {
  const file = displayName(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = `cannot read the rule file: ${(error as Error).message}`;
    errors.push(new RuleError('rule_unreadable', reason, { file, line: 1, col: 1 }));
    return undefined;
  }
  try {
    const result = compileRuleFile(text, file, options);
    errors.push(...result.errors);
    return result;
  } catch (error) {
    // A compiler bug on one file must not keep the rest of the library from loading.
    const reason = `internal error compiling this rule: ${(error as Error).message}`;
    errors.push(new RuleError('rule_internal', reason, { file, line: 1, col: 1 }));
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface BuildRuleSetOptions {
  /** Correlation documents to resolve against the rules (compileRuleFile gives them). */
  readonly correlations?: readonly ParsedCorrelation[];
  /** Ids of the loaded meta filters, so a correlation naming one is told so. */
  readonly filterIds?: ReadonlySet<string>;
}

/**
 * A rule set from rules compiled elsewhere; a later duplicate id (among rules and
 * correlations) is an error, not a rule.
 */
export function buildRuleSet(
  compiled: readonly CompiledRule[],
  errors: readonly RuleError[] = [],
  filters = 0,
  options: BuildRuleSetOptions = {},
): RuleSet {
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
  // Candidates come back in route order, so matches keep the order they always had.
  const candidates = new CandidateIndex(routes.flatMap((route) => route.rules));
  const linked = compileCorrelations(rules, options.correlations ?? [], options.filterIds);
  problems.push(...linked.errors);
  const { correlations } = linked;
  const correlationIndex = new CorrelationIndex(correlations);
  return { rules, correlations, correlationIndex, errors: problems, filters, routes, candidates };
}

/** The rules this event fires, in load order within each logsource group. */
export function matchEvent(ruleSet: RuleSet, target: MatchableEvent): CompiledRule[] {
  const matched: CompiledRule[] = [];
  let routeKey: string | undefined;
  let accepted = false;
  for (const rule of ruleSet.candidates.candidates(target)) {
    // Candidates of one route are adjacent, so each route's logsource is checked once.
    if (rule.route.key !== routeKey) {
      routeKey = rule.route.key;
      accepted = rule.route.accepts(target);
    }
    if (accepted && rule.matchesDetection(target)) matched.push(rule);
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
