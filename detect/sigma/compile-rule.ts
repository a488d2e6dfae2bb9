// Compiles one Sigma rule file, phase by phase as pySigma does: YAML → typed rule →
// detection trees and condition trees → closures. The result is a plain function of an
// event; nothing about the rule is parsed again while events stream past.
import type { Severity } from '../../core/schemas/alert.ts';
import { compileCondition } from './compile-condition.ts';
import { compileDetection, type EventPredicate } from './compile-detection.ts';
import { ConditionSyntaxError, parseCondition, type ConditionNode } from './condition-parser.ts';
import { parseDetectionIdentifier } from './detection-parser.ts';
import type { DetectionNode } from './detection-tree.ts';
import type { MatchableEvent } from './field-access.ts';
import { routeLogsource, type LogsourceRoute } from './logsource.ts';
import { ProblemReport, RuleError, type SourceLocation } from './rule-error.ts';
import { parseRuleModel, type Logsource, type SigmaRule } from './rule-model.ts';
import { readRuleSource, type RuleSource, type YamlPath } from './rule-source.ts';

export interface CompiledRule {
  readonly id: string;
  readonly title: string;
  readonly level: Severity;
  readonly status: SigmaRule['status'];
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly logsource: Logsource;
  readonly falsepositives: readonly string[];
  readonly references: readonly string[];
  readonly author: string | undefined;
  /** Fields an analyst should look at first when the rule fires. */
  readonly fields: readonly string[];
  /** The rule's file, at its `id`. */
  readonly location: SourceLocation;
  /** The events its logsource sees; rules with the same `route.key` share a route. */
  readonly route: LogsourceRoute;
  /** The intermediate forms, for explanations and golden tests. */
  readonly detection: ReadonlyMap<string, DetectionNode>;
  readonly conditions: readonly ConditionNode[];
  /** The detection alone, for callers that already checked `route.accepts`. */
  readonly matchesDetection: (event: MatchableEvent) => boolean;
  /** Logsource and detection: whether this event fires the rule. */
  readonly matches: (event: MatchableEvent) => boolean;
}

export interface CompileOptions {
  /** Report every problem in the file instead of stopping at the first. */
  readonly collectErrors?: boolean;
}

export interface CompileResult {
  /** Present only when the file had no problems. */
  readonly rule: CompiledRule | undefined;
  readonly errors: readonly RuleError[];
}

export function compileRule(text: string, file: string, options: CompileOptions = {}): CompileResult {
  const report = new ProblemReport(options.collectErrors === true);
  try {
    const rule = compilePhases(text, file, report);
    return { rule: report.ok ? rule : undefined, errors: report.errors };
  } catch (error) {
    // Without collectErrors the first problem is thrown to end compilation early.
    if (error instanceof RuleError) return { rule: undefined, errors: [error] };
    throw error;
  }
}

function compilePhases(text: string, file: string, report: ProblemReport): CompiledRule | undefined {
  const source = readRuleSource(text, file, report);
  if (source.data === undefined) return undefined;
  const model = parseRuleModel(source, report);
  if (model === undefined) return undefined;

  const routed = routeLogsource(model.logsource);
  if (!routed.ok) {
    report.add(new RuleError('rule_logsource', routed.reason, source.locate(['logsource', routed.field])));
  }

  const detection = parseIdentifiers(model, source, report);
  const conditions = parseConditions(model, source, report);

  // Identifiers that failed to parse still resolve (to a stand-in), so a collecting run
  // reports the condition's own problems instead of blaming it for theirs.
  const predicates = new Map<string, EventPredicate>();
  for (const name of Object.keys(model.detection.identifiers)) {
    const node = detection.get(name);
    predicates.set(name, node === undefined ? () => false : compileDetection(node));
  }
  const compiled = conditions.map(({ tree, path }) =>
    compileCondition(tree, predicates, (reason, offset) =>
      report.add(new RuleError('rule_condition', reason, source.locate(path, { offset }))),
    ),
  );
  if (!report.ok || !routed.ok || !compiled.every((c): c is EventPredicate => c !== undefined)) return undefined;

  // A list of conditions is their OR (Sigma spec).
  const [only] = compiled;
  const matchesDetection: EventPredicate =
    compiled.length === 1 && only !== undefined ? only : (event) => compiled.some((condition) => condition(event));
  const { accepts } = routed.route;
  return {
    id: model.id,
    title: model.title,
    level: model.level,
    status: model.status,
    description: model.description,
    tags: model.tags,
    logsource: model.logsource,
    falsepositives: model.falsepositives,
    references: model.references,
    author: model.author,
    fields: model.fields,
    location: source.locate(['id']),
    route: routed.route,
    detection,
    conditions: conditions.map(({ tree }) => tree),
    matchesDetection,
    matches: (event) => accepts(event) && matchesDetection(event),
  };
}

function parseIdentifiers(model: SigmaRule, source: RuleSource, report: ProblemReport): Map<string, DetectionNode> {
  const detection = new Map<string, DetectionNode>();
  for (const [name, value] of Object.entries(model.detection.identifiers)) {
    const path = ['detection', name];
    if (name === 'timeframe') {
      const where = source.locate(path, { key: true });
      report.add(new RuleError('rule_unsupported', 'timeframe belongs in a correlation rule (Sigma 2)', where));
      continue;
    }
    const node = parseDetectionIdentifier(value, path, source, report);
    if (node !== undefined) detection.set(name, node);
  }
  return detection;
}

function parseConditions(
  model: SigmaRule,
  source: RuleSource,
  report: ProblemReport,
): { tree: ConditionNode; path: YamlPath }[] {
  const written = (source.data as { detection: { condition: unknown } }).detection.condition;
  const parsed: { tree: ConditionNode; path: YamlPath }[] = [];
  model.detection.conditions.forEach((condition, index) => {
    const path: YamlPath = Array.isArray(written) ? ['detection', 'condition', index] : ['detection', 'condition'];
    try {
      parsed.push({ tree: parseCondition(condition), path });
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      report.add(new RuleError('rule_condition', error.message, source.locate(path, { offset: error.offset })));
    }
  });
  return parsed;
}
