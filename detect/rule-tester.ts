// "Test this rule" of the console: runs one rule of the rules folder on events an analyst
// pasted, through the production engine (the compiled rule set, its logsource routing
// and field mapping; for a correlation, the detect stage's signals and the correlate
// stage's correlator, as `vigil rules match` runs them), and says for every event
// whether it matched and, when not, whether the rule's logsource does not see it or its
// detection is false. The api stage gets this through bin/ (it cannot import detect).
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { ALERT_EVENT_SAMPLE_CAP } from '../core/schemas/alert.ts';
import type { SecurityEvent } from '../core/schemas/event.ts';
import { CorrelationOutput, Correlator } from './correlation/correlator.ts';
import type { SignalRecord } from './correlation/signal-record.ts';
import { signalsFromMatches } from './correlation/signals-from-match.ts';
import { detectorFor } from './rule-detector.ts';
import type { MatchableEvent } from './sigma/field-access.ts';
import { loadRuleSet, type RuleSet } from './sigma/rule-set.ts';

/** One pasted event with the line it starts on. */
export interface PastedEvent {
  line: number;
  event: Record<string, unknown>;
}

export interface EventVerdict {
  line: number;
  matched: boolean;
  /** Why not: `logsource` (the rule's logsource does not see the event) or `detection`. */
  reason?: 'logsource' | 'detection';
  /** For a correlation: the rules it references that this event matched. */
  rules?: string[];
}

export interface CorrelationVerdict {
  group: Record<string, string>;
  /** Event time of the firing, ISO. */
  time: string;
  count: number;
  /** Lines of the events that made it (a capped sample). */
  lines: number[];
}

export type RuleTestResult =
  | { found: false }
  | { found: true; kind: 'detection' | 'correlation'; events: EventVerdict[]; firings: CorrelationVerdict[] };

export type RuleTester = (ruleId: string, events: readonly PastedEvent[]) => RuleTestResult;

/**
 * Compiling the whole folder takes seconds, so the set is kept until a file of the
 * folder changes (a walk of names, sizes and mtimes, milliseconds): a test run after a
 * save sees the saved rule, and repeated runs cost only the run.
 */
export function ruleTester(rulesDir: string): RuleTester {
  let cached: { signature: string; ruleSet: RuleSet } | undefined;
  const current = () => {
    const signature = folderSignature(rulesDir);
    if (cached?.signature !== signature) cached = { signature, ruleSet: loadRuleSet(rulesDir, { collectErrors: true }) };
    return cached.ruleSet;
  };
  return (ruleId, events) => testRule(current(), ruleId, events);
}

function folderSignature(dir: string): string {
  const parts: string[] = [];
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        try {
          const stat = statSync(full);
          parts.push(`${full}:${stat.size}:${stat.mtimeMs}`);
        } catch {
          parts.push(`${full}:gone`);
        }
      }
    }
  };
  walk(dir);
  return parts.sort().join('\n');
}

export function testRule(ruleSet: RuleSet, ruleId: string, events: readonly PastedEvent[]): RuleTestResult {
  const rule = ruleSet.rules.find((candidate) => candidate.id === ruleId);
  if (rule !== undefined) {
    const verdicts = events.map(({ line, event }): EventVerdict => {
      if (!rule.route.accepts(event)) return { line, matched: false, reason: 'logsource' };
      return rule.matchesDetection(event) ? { line, matched: true } : { line, matched: false, reason: 'detection' };
    });
    return { found: true, kind: 'detection', events: verdicts, firings: [] };
  }
  const correlation = ruleSet.correlations.find((candidate) => candidate.id === ruleId);
  if (correlation === undefined) return { found: false };
  return { found: true, kind: 'correlation', ...runCorrelation(ruleSet, ruleId, new Set(correlation.rules), events) };
}

/** The events in event-time order through detect and the correlator; only `ruleId`'s firings kept. */
function runCorrelation(ruleSet: RuleSet, ruleId: string, referenced: ReadonlySet<string>, events: readonly PastedEvent[]) {
  const { detector, correlation: rules } = detectorFor(ruleSet);
  const correlator = new Correlator(rules, {
    // Sorted by event time below: nothing is late, windows close as time passes.
    limits: { allowedLatenessMs: 0, maxGroupsPerRule: 10_000, maxEntriesPerGroup: 10_000, sampleSize: ALERT_EVENT_SAMPLE_CAP },
    alertGroupWindowMs: 1,
    silence: {},
    sourceIdleMs: Number.POSITIVE_INFINITY,
    eventsPartitions: 1,
    ownsUnit: () => false,
  });
  const firings: CorrelationVerdict[] = [];
  const take = (out: CorrelationOutput) => {
    for (const firing of out.firings) {
      if (firing.correlation !== ruleId) continue;
      firings.push({
        group: { ...firing.group },
        time: new Date(firing.time).toISOString(),
        count: firing.count,
        lines: firing.eventIds.filter((id) => /^\d+$/.test(id)).map((id) => events[Number(id)]?.line ?? -1),
      });
    }
  };
  const apply = (signals: SignalRecord[]) => {
    const out = new CorrelationOutput(new Date(0));
    correlator.apply(signals, 0, out);
    take(out);
  };
  const verdicts = new Map<number, EventVerdict>();
  const ordered = events
    .map((pasted, index) => ({ ...pasted, index, time: Date.parse(String(pasted.event['@timestamp'])) }))
    .sort((a, b) => (Number.isFinite(a.time) ? a.time : 0) - (Number.isFinite(b.time) ? b.time : 0) || a.index - b.index);
  for (const [offset, { index, line, event, time }] of ordered.entries()) {
    const stamped = stamp(event, index, time);
    const fired = detector.match(stamped);
    const mine = fired.filter((id) => referenced.has(id));
    verdicts.set(index, { line, matched: mine.length > 0, rules: mine, ...(mine.length > 0 ? {} : { reason: 'detection' as const }) });
    if (!Number.isFinite(time)) continue;
    apply([{ kind: 'progress', partition: 0, time, activity: [] }]);
    apply(signalsFromMatches(fired, stamped, time, { partition: 0, offset }, detector.routing));
  }
  const out = new CorrelationOutput(new Date(0));
  correlator.flush(out);
  take(out);
  return { events: events.map((_pasted, index) => verdicts.get(index)!), firings };
}

/** The pasted event as detect sees one: named by its index (firings list indexes), with a unit. */
function stamp(event: MatchableEvent, index: number, time: number): SecurityEvent {
  const fields = (typeof event.event === 'object' && event.event !== null ? event.event : {}) as Record<string, unknown>;
  const unit = (event.organization ?? {}) as { id?: unknown; name?: unknown };
  const id = typeof unit.id === 'string' ? unit.id : '';
  return {
    ...event,
    event: { ...fields, id: String(index), ingested: typeof fields.ingested === 'string' ? fields.ingested : Number.isFinite(time) ? new Date(time).toISOString() : '' },
    organization: { id, name: typeof unit.name === 'string' ? unit.name : id },
  } as SecurityEvent;
}
