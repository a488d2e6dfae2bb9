// Which events a rule's `logsource` sees. The contract between Sigma log sources and
// what Vigil's agents and sensors send lives in the processing pipelines,
// rules/pipelines/*.yml: each names the log sources it routes and, under `events:`, a
// Sigma detection over ECS fields that the events of those log sources satisfy. Agent
// authors: read the `events:` block of the pipeline for your log source (values
// compare case-insensitively; `event.category`/`event.type` may be a string or a list).
// `vigil rules lint` checks the pipelines along with the rules.
//
// Several keys in one logsource must all hold. A value no pipeline routes is a rule
// error: a rule that silently never fires is worse than one that does not load.
import type { EventPredicate } from './compile-detection.ts';
import { shippedPipelines, type PipelineSet, type RouteResult } from './pipeline-set.ts';
import type { Logsource } from './rule-model.ts';

export type LogsourcePredicate = EventPredicate;
export type { LogsourceRoute, RouteResult } from './pipeline-set.ts';
export type { LogsourceField } from './pipeline.ts';

export function routeLogsource(logsource: Logsource, pipelines: PipelineSet = shippedPipelines().pipelines): RouteResult {
  return pipelines.route(logsource);
}
