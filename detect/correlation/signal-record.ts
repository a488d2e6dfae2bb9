// What the detect stage hands the correlate stage through the signals topic, re-keyed
// by rule and group so that, with a partitioned bus, every signal of one group reaches
// the one correlator that owns it (as Kafka Streams repartitions before an aggregation).
// Three kinds: a rule match that raises its own (grouped) alert, a signal feeding a
// correlation rule, and the progress of detect (event time seen, sources heard from).
// `src` is the event's position on the events topic plus the signal's index among that
// event's signals: strictly increasing per partition, so a batch detect replays after a
// crash is recognised and skipped instead of being counted twice.
import { z } from 'zod';
import { groupKey } from './alert-grouper.ts';

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
  correlations: z.array(correlationInputSchema),
});

export const activitySchema = z.object({
  time: z.number(),
  organization,
  agent: z.string().optional(),
  host: host.optional(),
  count: z.number().int().nonnegative(),
});
export type SourceActivity = z.infer<typeof activitySchema>;

export const progressRecordSchema = z.object({
  kind: z.literal('progress'),
  /** Which detect consumer and events partition this progress is about. */
  partition: z.number().int(),
  /** Latest event time detect has seen (each event counted at min(@timestamp, ingested)). */
  time: z.number(),
  activity: z.array(activitySchema),
});

export const signalRecordSchema = z.discriminatedUnion('kind', [matchRecordSchema, progressRecordSchema]);
export type SignalRecord = z.infer<typeof signalRecordSchema>;

/**
 * What travels on the signals topic: the signals of one detect batch that share a
 * shard, in order. One bus record per shard per batch instead of one per signal keeps
 * the bus's per-record cost off the hot path; the shard, a hash of the rule and group,
 * is the record key, so a partitioned bus still sends every signal of a group to the
 * one correlator that owns it.
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
  if (record.alert !== undefined) part(hashShard(`${record.rule}|${groupKey(record.alert)}`, shards)).alert = record.alert;
  for (const input of record.correlations) {
    part(hashShard(`${input.correlation}|${groupKey(input.group)}`, shards)).correlations.push(input);
  }
  return parts;
}

function hashShard(key: string, shards: number): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return (hash >>> 0) % shards;
}

/** Whether `a` comes strictly after `b` in an events partition. */
export function isAfter(a: { o: number; i: number }, b: { o: number; i: number } | undefined): boolean {
  return b === undefined || a.o > b.o || (a.o === b.o && a.i > b.i);
}
