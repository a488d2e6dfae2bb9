// `vigil rules match <rules> <events.ndjson> [--pipeline <name>|none]`: runs rules on
// recorded events and prints one NDJSON line per match,
// `{"event": <0-based line index>, "rule": "<rule id>"}`, so a rule can be tried on a
// sample before it is deployed (and tests can pin exact behaviour). `--pipeline none`
// reads fields as the rule names them and lets every rule see every event.
//
// Correlation rules run too, through the same engine as the live stage: one line per
// firing, `{"rule": "<correlation id>", "group": {<group-by name>: value}, "time",
// "count", "value", "events": [line indexes]}`. Events are taken in event-time order
// (stable for equal times), so every correlation line comes after the single-event
// matches it stems from, and windows that close (lt, lte, eq, neq…) are reported as
// soon as a later event passes their end, or at the end of the file.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MatchableEvent } from '../detect/sigma/field-access.ts';
import { loadPipelines, noPipelines, SHIPPED_PIPELINES_DIR, type PipelineSet } from '../detect/sigma/pipeline-set.ts';
import type { CorrelationFiring } from '../detect/correlation/contract.ts';
import { createCorrelationEngine } from '../detect/correlation/engine.ts';
import { correlationSignalOf } from '../detect/correlation/signals-from-match.ts';
import type { RuleError } from '../detect/sigma/rule-error.ts';
import { loadRuleSet, matchEvent, type RuleSet } from '../detect/sigma/rule-set.ts';
import { correlationsReferencing, raisesOwnAlerts } from '../detect/sigma/correlation-index.ts';
import type { CliOutput } from './cli-output.ts';

export const RULES_MATCH_USAGE = 'vigil rules match <rules file or dir> <events.ndjson> [--pipeline <name>|none]';

interface MatchArgs {
  rules: string;
  events: string;
  /** undefined: the shipped pipelines (and the rules folder's own). */
  pipeline: string | undefined;
}

export function runRulesMatch(args: readonly string[], output: CliOutput): number {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    output.err(`vigil rules match: ${parsed}\nusage: ${RULES_MATCH_USAGE}\n`);
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
  output.out(matchLines(ruleSet, events).join(''));
  return 0;
}

/** Single-event matches and correlation firings, in event-time order. */
function matchLines(ruleSet: RuleSet, events: [number, MatchableEvent][]): string[] {
  // Matches are printed in rule load order, whatever the logsource grouping.
  const order = new Map(ruleSet.rules.map((rule, index) => [rule, index]));
  const engine = createCorrelationEngine(ruleSet.correlations, {
    // Events are replayed in time order, so none is late; windows close as time passes.
    allowedLatenessMs: 0,
    maxGroupsPerRule: Number.MAX_SAFE_INTEGER,
    maxEntriesPerGroup: Number.MAX_SAFE_INTEGER,
    sampleSize: 1_000,
  });
  const lines: string[] = [];
  const print = (firings: readonly CorrelationFiring[]) => {
    // An inner correlation that only feeds another (no `generate`) raises no alert of its own.
    for (const firing of firings) {
      if (raisesOwnAlerts(ruleSet, firing.correlation)) lines.push(`${JSON.stringify(correlationLine(firing))}\n`);
    }
  };
  let time = Number.NEGATIVE_INFINITY;
  for (const [index, event] of inEventTimeOrder(events)) {
    time = Math.max(time, eventTime(event) ?? time);
    if (Number.isFinite(time)) print(engine.advance(time));
    const fired = matchEvent(ruleSet, event).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    for (const rule of fired) lines.push(`${JSON.stringify({ event: index, rule: rule.id })}\n`);
    if (!Number.isFinite(time)) continue;
    for (const rule of fired) {
      for (const correlation of correlationsReferencing(ruleSet, rule.id)) {
        const signal = correlationSignalOf(correlation, rule.id, event, time);
        if (signal === undefined) continue;
        print(engine.observe({ ...signal, eventId: String(index), organization: organizationOf(event) }));
      }
    }
  }
  print(engine.flush());
  return lines;
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

/** Stable sort by @timestamp; an event without one keeps the time of the event before it. */
function inEventTimeOrder(events: [number, MatchableEvent][]): [number, MatchableEvent][] {
  let last = Number.NEGATIVE_INFINITY;
  const timed = events.map((entry) => {
    last = eventTime(entry[1]) ?? last;
    return { entry, time: last };
  });
  return timed.sort((a, b) => a.time - b.time || a.entry[0] - b.entry[0]).map(({ entry }) => entry);
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
