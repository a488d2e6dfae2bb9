// A Sigma detection block (identifiers plus `condition`) → one closure. Rules, meta
// filters and the event conditions of processing pipelines are all written as detection
// blocks, so they share this one compiler and report problems at the same precision.
import { compileCondition } from './compile-condition.ts';
import { compileDetection, type EventPredicate } from './compile-detection.ts';
import { ConditionSyntaxError, parseCondition, type ConditionNode } from './condition-parser.ts';
import { parseDetectionIdentifier } from './detection-parser.ts';
import type { DetectionNode } from './detection-tree.ts';
import { mapDetectionFields, type FieldMapping } from './field-mapping.ts';
import { RuleError, type ProblemReport } from './rule-error.ts';
import type { RuleSource, YamlPath } from './rule-source.ts';

export interface DetectionBlock {
  /** Identifiers as written in the block, already renamed by the field mapping. */
  readonly detection: ReadonlyMap<string, DetectionNode>;
  readonly conditions: readonly ConditionNode[];
  readonly matches: EventPredicate;
}

export interface DetectionBlockInput {
  readonly identifiers: Readonly<Record<string, unknown>>;
  readonly conditions: readonly string[];
  /** Where the block sits in the file (`['detection']`, `['filter']`, ...). */
  readonly path: YamlPath;
  /** Keys of the block that are not identifiers (a filter's `rules`). */
  readonly reserved?: ReadonlySet<string>;
  readonly fieldMapping?: FieldMapping;
  /** Values of `%name%` placeholders for the `expand` modifier. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** The compiled block, or `undefined` after reporting every problem found. */
export function compileDetectionBlock(
  input: DetectionBlockInput,
  source: RuleSource,
  report: ProblemReport,
): DetectionBlock | undefined {
  const before = report.errors.length;
  const detection = new Map<string, DetectionNode>();
  const names: string[] = [];
  for (const [name, value] of Object.entries(input.identifiers)) {
    if (input.reserved?.has(name) === true) continue;
    names.push(name);
    const path = [...input.path, name];
    if (name === 'timeframe') {
      const where = source.locate(path, { key: true });
      report.add(new RuleError('rule_unsupported', 'timeframe belongs in a correlation rule (Sigma 2)', where));
      continue;
    }
    const node = parseDetectionIdentifier(value, path, source, report, { placeholders: input.placeholders });
    if (node === undefined) continue;
    // Field names are mapped here, at compile time: nothing is renamed per event.
    detection.set(name, input.fieldMapping === undefined ? node : mapDetectionFields(node, input.fieldMapping));
  }

  const written = (source.data as Record<string, unknown> | undefined) ?? {};
  const writtenCondition = readPath(written, [...input.path, 'condition']);
  const conditions: { tree: ConditionNode; path: YamlPath }[] = [];
  input.conditions.forEach((condition, index) => {
    const path: YamlPath = Array.isArray(writtenCondition)
      ? [...input.path, 'condition', index]
      : [...input.path, 'condition'];
    try {
      conditions.push({ tree: parseCondition(condition), path });
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      report.add(new RuleError('rule_condition', error.message, source.locate(path, { offset: error.offset })));
    }
  });

  // Identifiers that failed to parse still resolve (to a stand-in), so a collecting run
  // reports the condition's own problems instead of blaming it for theirs.
  const predicates = new Map<string, EventPredicate>();
  for (const name of names) {
    const node = detection.get(name);
    predicates.set(name, node === undefined ? () => false : compileDetection(node));
  }
  const compiled = conditions.map(({ tree, path }) =>
    compileCondition(tree, predicates, (reason, offset) =>
      report.add(new RuleError('rule_condition', reason, source.locate(path, { offset }))),
    ),
  );
  if (report.errors.length > before || !compiled.every((c): c is EventPredicate => c !== undefined)) return undefined;

  // A list of conditions is their OR (Sigma spec).
  const [only] = compiled;
  const matches: EventPredicate =
    compiled.length === 1 && only !== undefined ? only : (event) => compiled.some((condition) => condition(event));
  return { detection, conditions: conditions.map(({ tree }) => tree), matches };
}

function readPath(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
