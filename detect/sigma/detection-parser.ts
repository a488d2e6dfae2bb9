// Phase 3a of rule compilation: each detection identifier's YAML → a detection tree.
// Sigma's forms: a map is an AND of its fields, a list of maps is an OR, a plain list
// (or a lone string) is a keyword search, a list of values is an OR unless `|all`.
import type { DetectionItem, DetectionNode } from './detection-tree.ts';
import { modifierRegistry, ModifierMisuse } from './modifiers.ts';
import { RuleError, type ProblemReport } from './rule-error.ts';
import type { RuleSource, YamlPath } from './rule-source.ts';
import { parseSigmaString, plainSigmaString, SIGMA_NULL, type SigmaValue } from './sigma-value.ts';

type Scalar = string | number | bigint | boolean;

interface Context {
  readonly source: RuleSource;
  readonly report: ProblemReport;
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
}

export interface DetectionParseOptions {
  /** Values of `%name%` placeholders, for the `expand` modifier. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** The identifier's tree, or `undefined` after reporting why it is not valid Sigma. */
export function parseDetectionIdentifier(
  value: unknown,
  path: YamlPath,
  source: RuleSource,
  report: ProblemReport,
  options: DetectionParseOptions = {},
): DetectionNode | undefined {
  const context = { source, report, placeholders: options.placeholders ?? {} };
  if (Array.isArray(value)) return parseList(value, path, context);
  if (isMap(value)) return parseMap(value, path, context);
  if (isScalar(value)) return keywordItem([value], [], path, context);
  fail(context, path, 'a detection identifier holds a map, a list of maps, or keywords; this one is empty');
  return undefined;
}

function parseList(list: readonly unknown[], path: YamlPath, context: Context): DetectionNode | undefined {
  if (list.length === 0) return fail(context, path, 'an empty list matches nothing; remove it or add values');
  if (list.every(isMap)) {
    const children = list.map((map, index) => parseMap(map, [...path, index], context));
    return allDefined(children) ? { kind: 'group', linking: 'or', children } : undefined;
  }
  // Point at the first element that breaks the kind the list started with.
  const sameKind = isMap(list[0]) ? isMap : isScalar;
  const odd = list.findIndex((element) => !sameKind(element));
  if (odd >= 0) {
    const reason = 'a list holds either keywords (strings) or maps of fields, not a mix or nulls';
    return fail(context, [...path, odd], reason);
  }
  return keywordItem(list as Scalar[], [], path, context);
}

function parseMap(map: Readonly<Record<string, unknown>>, path: YamlPath, context: Context): DetectionNode | undefined {
  const entries = Object.entries(map);
  if (entries.length === 0) return fail(context, path, 'an empty map matches every event; add fields');
  const children = entries.map(([key, value]) => parseField(key, value, [...path, key], context));
  if (!allDefined(children)) return undefined;
  return children.length === 1 ? children[0] : { kind: 'group', linking: 'and', children };
}

/** One `field|modifier|...: value(s)` entry of a map. */
function parseField(key: string, raw: unknown, path: YamlPath, context: Context): DetectionItem | undefined {
  const [field = '', ...modifiers] = key.split('|');
  const values = parseValues(raw, path, context);
  if (values === undefined) return undefined;
  // A key of only modifiers (`'|all': [...]`) is Sigma's way to modify keywords.
  const item: DetectionItem = { kind: 'item', field: field === '' ? null : field, modifiers, values, linking: 'or' };
  if (item.field === null && values.some((value) => value.kind === 'null')) {
    return fail(context, path, 'a keyword cannot be null');
  }
  return applyModifiers(item, key, path, context);
}

function keywordItem(
  keywords: readonly Scalar[],
  modifiers: readonly string[],
  path: YamlPath,
  context: Context,
): DetectionItem | undefined {
  const values = keywords.map(toSigmaValue);
  return applyModifiers({ kind: 'item', field: null, modifiers, values, linking: 'or' }, '', path, context);
}

function parseValues(raw: unknown, path: YamlPath, context: Context): SigmaValue[] | undefined {
  if (raw === null || isScalar(raw)) return [toSigmaValue(raw)];
  if (Array.isArray(raw)) {
    if (raw.length === 0) return fail(context, path, 'an empty value list matches nothing; give at least one value');
    const odd = raw.findIndex((element) => element !== null && !isScalar(element));
    if (odd >= 0) {
      return fail(context, [...path, odd], 'a value is a string, number, boolean or null, not a list or map');
    }
    return raw.map((element: Scalar | null) => toSigmaValue(element));
  }
  return fail(context, path, 'a field takes a value or a list of values, not a map');
}

function toSigmaValue(raw: Scalar | null): SigmaValue {
  if (raw === null) return SIGMA_NULL;
  // Numbers and booleans compare by their string form, so `severity: 4` matches 4 and "4".
  // Integers arrive as bigints (see rule-source.ts), so no digit of a long one is lost.
  // The scalar itself is kept for modifiers that need it (re, cidr, lt, exists, ...).
  const value = typeof raw === 'string' ? parseSigmaString(raw) : plainSigmaString(String(raw));
  return { ...value, written: raw };
}

function applyModifiers(item: DetectionItem, key: string, path: YamlPath, context: Context): DetectionItem | undefined {
  let result = item;
  let offset = key.indexOf('|') + 1;
  for (const [index, name] of item.modifiers.entries()) {
    // Located only on a problem: locating walks the YAML tree, once per modifier otherwise.
    const at = offset;
    const where = () => context.source.locate(path, { key: true, offset: at });
    offset += name.length + 1;
    const modifier = modifierRegistry.get(name);
    if (modifier === undefined) {
      const supported = `supported: ${[...modifierRegistry.keys()].join(', ')}`;
      const reason =
        name === '' ? 'empty modifier name (two `|` in a row, or a trailing `|`)' : `unknown modifier '${name}' (${supported})`;
      context.report.add(new RuleError('rule_modifier', reason, where()));
      return undefined;
    }
    if (item.modifiers.indexOf(name) < index) {
      context.report.add(new RuleError('rule_modifier', `modifier '${name}' is written twice`, where()));
      return undefined;
    }
    try {
      const chain = { previous: item.modifiers.slice(0, index), next: item.modifiers.slice(index + 1) };
      result = modifier.apply(result, { ...chain, placeholders: context.placeholders });
    } catch (error) {
      if (!(error instanceof ModifierMisuse)) throw error;
      context.report.add(new RuleError('rule_modifier', error.message, where()));
      return undefined;
    }
  }
  return result;
}

function fail(context: Context, path: YamlPath, reason: string): undefined {
  context.report.add(new RuleError('rule_detection', reason, context.source.locate(path)));
  return undefined;
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean';
}

function allDefined<T>(values: readonly (T | undefined)[]): values is T[] {
  return values.every((value) => value !== undefined);
}
