// Compiles one Sigma rule file, phase by phase as pySigma does: YAML → typed rule →
// detection trees (field names mapped to ECS by the processing pipelines) and
// condition trees → closures. The result is a plain function of an event; nothing
// about the rule is parsed or renamed again while events stream past. A meta filter
// document compiles here too, into a filter that rule-set.ts applies to its rules.
import type { Severity } from '../../core/schemas/alert.ts';
import type { EventPredicate } from './compile-detection.ts';
import { compileDetectionBlock } from './compile-detection-block.ts';
import type { ConditionNode } from './condition-parser.ts';
import type { DetectionNode } from './detection-tree.ts';
import type { MatchableEvent } from './field-access.ts';
import { compileFilter, isFilterDocument, type CompiledFilter } from './meta-filter.ts';
import { shippedPipelines, type LogsourceRoute, type PipelineSet } from './pipeline-set.ts';
import { ProblemReport, RuleError, type SourceLocation } from './rule-error.ts';
import { parseRuleModel, type Logsource, type SigmaRule } from './rule-model.ts';
import { readRuleSource } from './rule-source.ts';

export interface CompiledRule {
  readonly id: string;
  /** Sigma 2's optional unique name, by which filters and correlations may refer to it. */
  readonly name: string | undefined;
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
  /** Ids (or titles) of the meta filters applied to it, in order. */
  readonly filters: readonly string[];
  /** The detection alone, for callers that already checked `route.accepts`. */
  readonly matchesDetection: (event: MatchableEvent) => boolean;
  /** Logsource and detection: whether this event fires the rule. */
  readonly matches: (event: MatchableEvent) => boolean;
}

export interface CompileOptions {
  /** Report every problem in the file instead of stopping at the first. */
  readonly collectErrors?: boolean;
  /** Routing and field mapping; the shipped pipelines unless given (`noPipelines` for none). */
  readonly pipelines?: PipelineSet;
  /** Values of `%name%` placeholders for the `expand` modifier (site lists: admins, DCs). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface CompileResult {
  /** Present only when the file is a rule and had no problems. */
  readonly rule: CompiledRule | undefined;
  /** Present only when the file is a meta filter and had no problems. */
  readonly filter?: CompiledFilter | undefined;
  readonly errors: readonly RuleError[];
}

export function compileRule(text: string, file: string, options: CompileOptions = {}): CompileResult {
  const report = new ProblemReport(options.collectErrors === true);
  const pipelines = options.pipelines ?? shippedPipelines().pipelines;
  try {
    const source = readRuleSource(text, file, report);
    if (source.data === undefined) return { rule: undefined, errors: report.errors };
    if (isFilterDocument(source.data)) {
      const filter = compileFilter(source, report, pipelines);
      return { rule: undefined, filter: report.ok ? filter : undefined, errors: report.errors };
    }
    const rule = compilePhases(source, report, pipelines, options.placeholders);
    return { rule: report.ok ? rule : undefined, errors: report.errors };
  } catch (error) {
    // Without collectErrors the first problem is thrown to end compilation early.
    if (error instanceof RuleError) return { rule: undefined, errors: [error] };
    throw error;
  }
}

function compilePhases(
  source: ReturnType<typeof readRuleSource>,
  report: ProblemReport,
  pipelines: PipelineSet,
  placeholders?: CompileOptions['placeholders'],
): CompiledRule | undefined {
  const model = parseRuleModel(source, report);
  if (model === undefined) return undefined;

  const routed = pipelines.route(model.logsource);
  if (!routed.ok) {
    report.add(new RuleError('rule_logsource', routed.reason, source.locate(['logsource', routed.field])));
  }
  const block = compileDetectionBlock(
    {
      identifiers: model.detection.identifiers,
      conditions: model.detection.conditions,
      path: ['detection'],
      fieldMapping: pipelines.fieldMapping(model.logsource),
      placeholders,
    },
    source,
    report,
  );
  if (!report.ok || !routed.ok || block === undefined) return undefined;

  const matchesDetection: EventPredicate = block.matches;
  const route: LogsourceRoute = routed.route;
  const { accepts } = route;
  return {
    id: model.id,
    name: model.name,
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
    route,
    detection: block.detection,
    conditions: block.conditions,
    filters: [],
    matchesDetection,
    matches: (event) => accepts(event) && matchesDetection(event),
  };
}
