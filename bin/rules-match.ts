// `vigil rules match <rules> <events.ndjson> [--pipeline <name>|none]`: runs rules on
// recorded events and prints one NDJSON line per match,
// `{"event": <0-based line index>, "rule": "<rule id>"}`, so a rule can be tried on a
// sample before it is deployed (and tests can pin exact behaviour). `--pipeline none`
// reads fields as the rule names them and lets every rule see every event.
//
// Correlation rules run too, through the production code: the detect stage's per-event
// matching and signals (rule-detector.ts, signals-from-match.ts, detection-time.ts) and
// the correlate stage's core (correlator.ts: engine, alert grouper, signal
// application), fed in-process; settings come from the VIGIL_* configuration like the
// live stages'. One line per firing, `{"rule": "<correlation id>", "group": {<group-by
// name>: value}, "time", "count", "value", "events": [line indexes]}`. Events are taken
// in event-time order (stable for equal times), so every correlation line comes after
// the single-event matches it stems from. As the file is sorted, no event can be late:
// the allowed lateness is 0, so windows that close (lt, lte, eq, neq…) are reported as
// soon as a later event passes their end, or at the end of the file.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig, type VigilConfig } from '../core/config.ts';
import { ALERT_EVENT_SAMPLE_CAP } from '../core/schemas/alert.ts';
import type { SecurityEvent } from '../core/schemas/event.ts';
import type { CorrelationFiring } from '../detect/correlation/contract.ts';
import type { CorrelationRules } from '../detect/correlation/correlate-stage.ts';
import { CorrelationOutput, Correlator } from '../detect/correlation/correlator.ts';
import type { SignalRecord } from '../detect/correlation/signal-record.ts';
import { signalsFromMatches } from '../detect/correlation/signals-from-match.ts';
import { detectionTime } from '../detect/detection-time.ts';
import { detectorFor } from '../detect/rule-detector.ts';
import type { MatchableEvent } from '../detect/sigma/field-access.ts';
import { loadPipelines, noPipelines, SHIPPED_PIPELINES_DIR, type PipelineSet } from '../detect/sigma/pipeline-set.ts';
import type { RuleError } from '../detect/sigma/rule-error.ts';
import { loadRuleSet, type RuleSet } from '../detect/sigma/rule-set.ts';
import type { CliOutput } from './cli-output.ts';
import { LineWriter } from './line-writer.ts';

export const RULES_MATCH_USAGE = 'vigil rules match <rules file or dir> <events.ndjson> [--pipeline <name>|none]';

interface MatchArgs {
  rules: string;
  events: string;
  /** undefined: the shipped pipelines (and the rules folder's own). */
  pipeline: string | undefined;
}

export async function runRulesMatch(args: readonly string[], output: CliOutput): Promise<number> {
  const prepared = prepare(args, output);
  if (typeof prepared === 'number') return prepared;
  const lines = new LineWriter(output);
  await matchLines(prepared.ruleSet, prepared.events, prepared.config, lines);
  await lines.end();
  return 0;
}

interface Prepared {
  ruleSet: RuleSet;
  events: [number, MatchableEvent][];
  config: VigilConfig;
}

/** Arguments, configuration, rules and events, or the exit code of the first problem. */
function prepare(args: readonly string[], output: CliOutput): Prepared | number {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    output.err(`vigil rules match: ${parsed}\nusage: ${RULES_MATCH_USAGE}\n`);
    return 2;
  }
  let config: VigilConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`vigil rules match: ${error.message}\n`);
    return 2;
  }

  let pipelines: PipelineSet | undefined;
  const problems: RuleError[] = [];
  if (parsed.pipeline === 'none') pipelines = noPipelines;
  else if (parsed.pipeline !== undefined) {
    const loaded = loadPipelines([SHIPPED_PIPELINES_DIR, join(rulesFolder(parsed.rules), 'pipelines')], parsed.pipeline);
    problems.push(...loaded.errors);
    pipelines = loaded.pipelines;
  }
  const ruleSet = loadRuleSet(parsed.rules, { collectErrors: true, ...(pipelines === undefined ? {} : { pipelines }) });
  problems.push(...ruleSet.errors);
  if (problems.length > 0) {
    for (const problem of problems) output.err(`${problem.message}\n`);
    return 2;
  }

  const events = readEvents(parsed.events);
  if (typeof events === 'string') {
    output.err(`${events}\n`);
    return 2;
  }
  return { ruleSet, events, config };
}

/**
 * Single-event matches and correlation firings, in event-time order, each line to
 * `lines`. Without correlation rules the correlate core has nothing to do, so it is
 * not fed: the common case (trying detection rules) costs matching and printing only.
 */
async function matchLines(ruleSet: RuleSet, events: [number, MatchableEvent][], config: VigilConfig, lines: LineWriter): Promise<void> {
  // Matches are printed in rule load order, whatever the logsource grouping; with one
  // logsource group the detector's order is load order already.
  const order = new Map(ruleSet.rules.map((rule, index) => [rule.id, index]));
  const reorder = ruleSet.routes.length > 1;
  // `{"event":<index>,"rule":"<id>"}`: the rule's half of the line is built once per rule.
  const lineEnd = new Map(ruleSet.rules.map((rule) => [rule.id, `,"rule":${JSON.stringify(rule.id)}}\n`]));
  const { detector, correlation: rules } = detectorFor(ruleSet);
  const correlate = ruleSet.correlations.length > 0 ? correlatorFor(rules, config, lines) : undefined;
  for (const [sequence, { index, event, time }] of inDetectionTimeOrder(events, config.time.futureToleranceMs).entries()) {
    const stamped = asStampedEvent(event, index, time);
    let full = false;
    if (correlate !== undefined && Number.isFinite(time)) full = correlate.apply([{ kind: 'progress', partition: 0, time, activity: [] }]);
    const matched = detector.match(stamped);
    const fired = reorder && matched.length > 1 ? [...matched].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)) : matched;
    for (const rule of fired) full = lines.add(`{"event":${index}${lineEnd.get(rule) ?? `,"rule":${JSON.stringify(rule)}}\n`}`) || full;
    if (correlate !== undefined && Number.isFinite(time)) {
      full = correlate.apply(signalsFromMatches(fired, stamped, time, { partition: 0, offset: sequence }, detector.routing)) || full;
    }
    if (full) {
      await lines.flush();
      if (lines.closed) return;
    }
  }
  correlate?.flush();
}

/** The correlate stage's core, fed in-process; firings become lines. */
function correlatorFor(rules: CorrelationRules, config: VigilConfig, lines: LineWriter) {
  const correlator = new Correlator(rules, {
    limits: {
      // The file is sorted by event time: nothing is late, and windows close as time passes.
      allowedLatenessMs: 0,
      maxGroupsPerRule: config.correlation.maxGroupsPerRule,
      maxEntriesPerGroup: config.correlation.maxEntriesPerGroup,
      sampleSize: ALERT_EVENT_SAMPLE_CAP,
    },
    alertGroupWindowMs: Math.max(1, config.correlation.alertGroupWindowMs),
    silence: {},
    // One source (the file), never idle.
    sourceIdleMs: Number.POSITIVE_INFINITY,
    eventsPartitions: 1,
    // Silence needs a clock the file does not have: no source is watched.
    ownsUnit: () => false,
  });
  /** True when the writer's chunk is full. */
  const print = (out: CorrelationOutput): boolean => {
    let full = false;
    // An inner correlation that only feeds another (no `generate`) raises no alert of its own.
    for (const firing of out.firings) {
      if (rules.raisesOwnAlerts(firing.correlation)) full = lines.add(`${JSON.stringify(correlationLine(firing))}\n`) || full;
    }
    return full;
  };
  return {
    apply: (signals: SignalRecord[]): boolean => {
      const out = new CorrelationOutput(new Date(0));
      correlator.apply(signals, 0, out);
      return print(out);
    },
    flush: (): void => {
      const out = new CorrelationOutput(new Date(0));
      correlator.flush(out);
      print(out);
    },
  };
}

function correlationLine(firing: CorrelationFiring) {
  return {
    rule: firing.correlation,
    group: firing.group,
    time: new Date(firing.time).toISOString(),
    count: firing.count,
    value: firing.value,
    // Chained firings stand for inner firings, not lines: only line indexes are listed.
    events: firing.eventIds.filter((id) => /^\d+$/.test(id)).map(Number),
  };
}

function eventTime(event: MatchableEvent): number | undefined {
  const stamp = event['@timestamp'];
  const time = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  return Number.isFinite(time) ? time : undefined;
}

/**
 * Stable sort by detection time (@timestamp, clamped as detect clamps a future one); an
 * event without a time keeps the time of the event before it.
 */
function inDetectionTimeOrder(events: [number, MatchableEvent][], futureToleranceMs: number) {
  let last = Number.NEGATIVE_INFINITY;
  const timed = events.map(([index, event]) => {
    const stamped = eventTime(event);
    if (stamped !== undefined) {
      const ingested = (event.event as { ingested?: unknown } | undefined)?.ingested;
      last = typeof ingested === 'string' ? detectionTime({ '@timestamp': new Date(stamped).toISOString(), event: { ingested } }, futureToleranceMs).time : stamped;
    }
    return { index, event, time: last };
  });
  return timed.sort((a, b) => a.time - b.time || a.index - b.index);
}

/**
 * The recorded event as detect sees one: named by its line (firings list line indexes),
 * with its unit. Recorded samples need not carry what ingest stamps. The parsed line is
 * stamped in place (each is matched once): copying every event cost more than a
 * tenth of matching it.
 */
function asStampedEvent(event: MatchableEvent, index: number, time: number): SecurityEvent {
  const record = event as Record<string, unknown>;
  const given = record.event;
  const fields: Record<string, unknown> =
    given !== null && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : { ...(given ?? {}) };
  fields.id = String(index);
  if (typeof fields.ingested !== 'string') fields.ingested = Number.isFinite(time) ? new Date(time).toISOString() : '';
  record.event = fields;
  record.organization = organizationOf(event);
  return record as SecurityEvent;
}

function organizationOf(event: MatchableEvent): { id: string; name: string } {
  const unit = event.organization as { id?: unknown; name?: unknown } | undefined;
  const id = typeof unit?.id === 'string' ? unit.id : '';
  return { id, name: typeof unit?.name === 'string' ? unit.name : id };
}

function parseArgs(args: readonly string[]): MatchArgs | string {
  const positional: string[] = [];
  let pipeline: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--pipeline' || arg.startsWith('--pipeline=')) {
      const value = arg === '--pipeline' ? args[(i += 1)] : arg.slice('--pipeline='.length);
      if (value === undefined || value === '') return '--pipeline takes a pipeline name or none';
      pipeline = value;
    } else if (arg.startsWith('-')) {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  const [rules, events, ...extra] = positional;
  if (rules === undefined || events === undefined) return 'a rules path and an events file are required';
  if (extra.length > 0) return `unexpected argument ${extra[0]}`;
  return { rules, events, pipeline };
}

function rulesFolder(path: string): string {
  try {
    return statSync(path).isFile() ? dirname(path) : path;
  } catch {
    return path;
  }
}

/** Every non-blank line's event with its 0-based line index, or the first problem. */
function readEvents(file: string): [number, MatchableEvent][] | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `${file}: cannot read the events file: ${(error as Error).message}`;
  }
  const events: [number, MatchableEvent][] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return `${file}:${index + 1}: line ${index + 1} is not valid JSON: ${(error as Error).message}`;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return `${file}:${index + 1}: line ${index + 1} is not a JSON object (an event is one object per line)`;
    }
    events.push([index, value as MatchableEvent]);
  }
  return events;
}
