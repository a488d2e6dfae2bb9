// What the detect stage hands the correlate stage through the signals topic, re-keyed
// by rule and group so that, with a partitioned bus, every signal of one group reaches
// the one correlator that owns it (as Kafka Streams repartitions before an aggregation).
// Three kinds: a rule match that raises its own (grouped) alert, a signal feeding a
// correlation rule, and the progress of detect (event time seen, sources heard from).
// A fourth comes from ingest, not detect: an agent's heartbeat (core/schemas/heartbeat.ts),
// alone in its bundle, in the partition that owns the agent's unit.
// `src` is the event's position on the events topic plus the signal's index among that
// event's signals: strictly increasing per events partition within one signals
// partition, so a batch detect replays after a crash is recognised and skipped instead
// of being counted twice. (A match split over shards carries the same `src` in every
// part; each part lives in its own signals partition, whose state de-duplicates alone.)
import { z } from 'zod';
import { shardOf } from '../../core/bus/shard-of.ts';
import { heartbeatSignalSchema } from '../../core/schemas/heartbeat.ts';
import { groupKey } from './group-key.ts';

export { shardOf };

const organization = z.object({ id: z.string(), name: z.string() });
const host = z.object({ id: z.string().optional(), name: z.string().optional() });
const source = z.object({ p: z.number().int(), o: z.number().int(), i: z.number().int() });

/** The group and aggregated value one correlation rule reads from a match. */
export const correlationInputSchema = z.object({
  correlation: z.string(),
  group: z.record(z.string(), z.string()),
  value: z.union([z.string(), z.number()]).optional(),
});
export type CorrelationInput = z.infer<typeof correlationInputSchema>;

/**
 * One rule matching one event: the alert group, when the rule raises alerts of its own,
 * and the inputs of the correlation rules that reference it. The event's facts travel
 * once, however many correlations read them.
 */
export const matchRecordSchema = z.object({
  kind: z.literal('match'),
  src: source,
  rule: z.string(),
  time: z.number(),
  eventId: z.string(),
  /** When ingest stamped the event, epoch ms: for the POST-to-alert latency metric. */
  ingested: z.number().optional(),
  organization,
  host: host.optional(),
  /** Present when the rule raises its own (grouped) alert: the group it is kept under. */
  alert: z.record(z.string(), z.string()).optional(),
  /** The event's signature (rule.name), when the rule raises its own alert and the event names one. */
  threat: z.string().optional(),
  correlations: z.array(correlationInputSchema),
});

export const activitySchema = z.object({
  time: z.number(),
  organization,
  agent: z.string().optional(),
  host: host.optional(),
  count: z.number().int().nonnegative(),
  /** Of those, events whose @timestamp was further in the future than the tolerance (clamped). */
  future: z.number().int().nonnegative().optional(),
});
export type SourceActivity = z.infer<typeof activitySchema>;

export const progressRecordSchema = z.object({
  kind: z.literal('progress'),
  /** Which detect consumer and events partition this progress is about. */
  partition: z.number().int(),
  /** Latest event time detect has seen in that partition (each event at its detection time, detect/detection-time.ts). */
  time: z.number(),
  activity: z.array(activitySchema),
});

export const signalRecordSchema = z.discriminatedUnion('kind', [matchRecordSchema, progressRecordSchema, heartbeatSignalSchema]);
export type SignalRecord = z.infer<typeof signalRecordSchema>;

/**
 * What travels on the signals topic: the signals of one detect batch that share a
 * shard, in order. One bus record per shard per batch instead of one per signal keeps
 * the bus's per-record cost off the hot path. The shard, a hash of the rule and group,
 * is the signals partition detect publishes the bundle to, so every signal of a group
 * reaches the one correlator that owns that partition.
 */
export const signalBundleSchema = z.object({ signals: z.array(signalRecordSchema) });
export type SignalBundle = z.infer<typeof signalBundleSchema>;
export type MatchRecord = z.infer<typeof matchRecordSchema>;
export type ProgressRecord = z.infer<typeof progressRecordSchema>;

/**
 * Splits a match by shard, 0 ≤ shard < shards: its alert by a hash of rule and group,
 * each correlation input by a hash of correlation and group, so every signal of one
 * group lands in one shard. (Progress goes to every shard: each correlator needs the
 * event time.) With one shard the match stays whole.
 */
export function splitByShard(record: MatchRecord, shards: number): Map<number, MatchRecord> {
  if (shards <= 1) return new Map([[0, record]]);
  const parts = new Map<number, MatchRecord>();
  const part = (shard: number) => {
    let found = parts.get(shard);
    if (found === undefined) {
      const { alert: _alert, ...facts } = record;
      found = { ...facts, correlations: [] };
      parts.set(shard, found);
    }
    return found;
  };
  if (record.alert !== undefined) part(shardOf(`${record.rule}|${groupKey(record.alert)}`, shards)).alert = record.alert;
  for (const input of record.correlations) {
    part(shardOf(`${input.correlation}|${groupKey(input.group)}`, shards)).correlations.push(input);
  }
  return parts;
}

/** Whether `a` comes strictly after `b` in an events partition. */
export function isAfter(a: { o: number; i: number }, b: { o: number; i: number } | undefined): boolean {
  return b === undefined || a.o > b.o || (a.o === b.o && a.i > b.i);
}
