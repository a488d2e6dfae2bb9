// The processing pipelines in force: the shipped ones (rules/pipelines/) plus any in
// the loaded rules folder's own pipelines/ (same name replaces the shipped one). They
// answer the two compile-time questions about a rule's logsource: which events it sees
// (`route`) and how its field names map to ECS (`fieldMapping`). `--pipeline none` is
// the set that routes every logsource to every event and maps nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventPredicate } from './compile-detection.ts';
import { withUnmappedPrefix, type FieldMapping } from './field-mapping.ts';
import { compilePipeline, logsourceFields, type LogsourceField, type Pipeline } from './pipeline.ts';
import { RuleError, formatLocation } from './rule-error.ts';
import type { Logsource } from './rule-model.ts';

export const SHIPPED_PIPELINES_DIR = fileURLToPath(new URL('../../rules/pipelines/', import.meta.url));

export interface LogsourceRoute {
  /** Canonical form of the logsource; rules with equal keys share one route. */
  readonly key: string;
  readonly accepts: EventPredicate;
}

export type RouteResult =
  | { readonly ok: true; readonly route: LogsourceRoute }
  | { readonly ok: false; readonly field: LogsourceField; readonly reason: string };

export interface PipelineSet {
  /** Names of the pipelines in force, for messages; empty for `none`. */
  readonly names: readonly string[];
  route(logsource: Logsource): RouteResult;
  fieldMapping(logsource: Logsource): FieldMapping | undefined;
}

export interface LoadedPipelines {
  readonly pipelines: PipelineSet;
  readonly errors: readonly RuleError[];
}

/** Every rule sees every event and names fields as the events carry them. */
export const noPipelines: PipelineSet = {
  names: [],
  route: () => ({ ok: true, route: { key: 'none', accepts: () => true } }),
  fieldMapping: () => undefined,
};

/**
 * Reads the pipeline files of each folder in order (a later folder's pipeline replaces
 * an earlier one of the same name); `only` keeps just the named pipeline.
 */
export function loadPipelines(dirs: readonly string[], only?: string): LoadedPipelines {
  const errors: RuleError[] = [];
  const byName = new Map<string, Pipeline>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(dir).filter((file) => /\.ya?ml$/i.test(file)).sort();
    } catch (error) {
      const reason = `cannot read the pipelines folder: ${(error as Error).message}`;
      errors.push(new RuleError('rule_unreadable', reason, { file: displayName(dir), line: 1, col: 1 }));
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      const file = displayName(path);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        const reason = `cannot read the pipeline: ${(error as Error).message}`;
        errors.push(new RuleError('rule_unreadable', reason, { file, line: 1, col: 1 }));
        continue;
      }
      const result = compilePipeline(text, file);
      errors.push(...result.errors);
      if (result.pipeline !== undefined) byName.set(result.pipeline.name, result.pipeline);
    }
  }
  let chosen = [...byName.values()];
  if (only !== undefined) {
    chosen = chosen.filter((pipeline) => pipeline.name === only);
    if (chosen.length === 0) {
      const known = [...byName.keys()].sort().join(', ');
      const reason = `no pipeline named '${only}' (known: ${known || 'none'}, or none)`;
      errors.push(new RuleError('rule_pipeline', reason, { file: dirs.map(displayName).join(', '), line: 1, col: 1 }));
    }
  }
  return buildPipelineSet(chosen, errors);
}

/** A set from compiled pipelines; a logsource value defined twice is an error. */
export function buildPipelineSet(pipelines: readonly Pipeline[], errors: readonly RuleError[] = []): LoadedPipelines {
  const problems = [...errors];
  const owners = new Map<string, Pipeline>();
  const predicates = new Map<string, EventPredicate>();
  for (const pipeline of pipelines) {
    for (const { field, value, location, accepts } of pipeline.logsources) {
      const key = `${field}=${value}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== pipeline) {
        const where = formatLocation(owner.location);
        const reason = `logsource ${field} '${value}' is already routed by pipeline '${owner.name}' (${where})`;
        problems.push(new RuleError('rule_pipeline', reason, location));
        continue;
      }
      owners.set(key, pipeline);
      predicates.set(key, accepts);
    }
  }

  const route = (logsource: Logsource): RouteResult => {
    const checks: EventPredicate[] = [];
    const keyParts: string[] = [];
    for (const field of logsourceFields) {
      const value = logsource[field]?.toLowerCase();
      if (value === undefined) continue;
      const predicate = predicates.get(`${field}=${value}`);
      if (predicate === undefined) {
        const known = [...owners.keys()]
          .filter((key) => key.startsWith(`${field}=`))
          .map((key) => key.slice(field.length + 1));
        const reason = `logsource ${field} '${value}' is not routed to any Vigil events (${
          known.length === 0 ? `no ${field} is routed yet` : `known: ${known.join(', ')}`
        }; see rules/pipelines/)`;
        return { ok: false, field, reason };
      }
      // Two values from one pipeline (category ids, product suricata) test the same thing once.
      if (!checks.includes(predicate)) checks.push(predicate);
      keyParts.push(`${field}=${value}`);
    }
    const [first, second] = checks;
    const accepts: EventPredicate =
      first === undefined
        ? () => true
        : second === undefined
          ? first
          : (event) => checks.every((check) => check(event));
    return { ok: true, route: { key: keyParts.join(';'), accepts } };
  };

  const fieldMapping = (logsource: Logsource): FieldMapping | undefined => {
    const involved = new Set<Pipeline>();
    for (const field of logsourceFields) {
      const value = logsource[field]?.toLowerCase();
      const owner = value === undefined ? undefined : owners.get(`${field}=${value}`);
      if (owner !== undefined) involved.add(owner);
    }
    if (involved.size === 0) return undefined;
    // Lower priority first, so a more specific pipeline (a product) overrides a category's names.
    const ordered = [...involved].sort((a, b) => a.priority - b.priority);
    const [only] = ordered;
    if (ordered.length === 1 && only !== undefined) return only.fieldMapping;
    const merged = new Map<string, readonly string[]>();
    let prefix: string | undefined;
    for (const pipeline of ordered) {
      for (const [from, to] of pipeline.fieldMapping) merged.set(from, to);
      prefix = pipeline.fieldPrefix ?? prefix;
    }
    return prefix === undefined ? merged : withUnmappedPrefix(merged, prefix);
  };

  return { pipelines: { names: pipelines.map((pipeline) => pipeline.name), route, fieldMapping }, errors: problems };
}

let shipped: LoadedPipelines | undefined;

/** The shipped pipelines, read once per process. */
export function shippedPipelines(): LoadedPipelines {
  shipped ??= loadPipelines([SHIPPED_PIPELINES_DIR]);
  return shipped;
}

/**
 * The shipped pipelines plus those of a rules folder's own pipelines/, if it has one,
 * read afresh: a rules reload picks up edited pipelines too.
 */
export function pipelinesForRulesDir(rulesDir: string): LoadedPipelines {
  const own = join(rulesDir, 'pipelines');
  const shippedDir = resolve(SHIPPED_PIPELINES_DIR);
  return loadPipelines(resolve(own) === shippedDir ? [shippedDir] : [shippedDir, own]);
}

/** Paths inside the working folder are shown relative to it, so messages stay short. */
function displayName(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') || inside === '' ? path : inside;
}
