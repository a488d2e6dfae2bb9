// The signals topic's records: a match split by shard keeps every signal of a group in
// one shard (the re-keying a partitioned bus relies on), loses nothing, and every part
// still reads as a valid record at the correlate stage's edge.
import { describe, expect, it } from 'vitest';
import { signalBundleSchema, splitByShard, type MatchRecord } from '../../../detect/correlation/signal-record.ts';

function match(host: string, offset: number): MatchRecord {
  return {
    kind: 'match',
    src: { p: 0, o: offset, i: 0 },
    rule: 'av-threat-detected',
    time: Date.parse('2026-11-22T08:00:00Z') + offset,
    eventId: `e${offset}`,
    organization: { id: 'unit-042', name: 'Sở Y tế' },
    host: { id: host },
    alert: { 'organization.id': 'unit-042', 'host.id': host },
    correlations: [
      { correlation: 'spread', group: { 'organization.id': 'unit-042', 'rule.name': 'Emotet' }, value: host },
      { correlation: 'reinfection', group: { 'host.id': host, 'rule.name': 'Emotet' } },
    ],
  };
}

describe('splitByShard', () => {
  it('keeps a match whole with one shard', () => {
    const record = match('pc-1', 1);
    expect([...splitByShard(record, 1)]).toEqual([[0, record]]);
  });

  it('sends every signal of a group to the same shard, whatever the event, and loses none', () => {
    const shardOf = new Map<string, number>();
    for (let offset = 0; offset < 200; offset++) {
      const record = match(`pc-${offset % 17}`, offset);
      const parts = splitByShard(record, 4);
      const correlations = [...parts.values()].flatMap((part) => part.correlations);
      expect(correlations).toHaveLength(2);
      expect([...parts.values()].filter((part) => part.alert !== undefined)).toHaveLength(1);
      for (const [shard, part] of parts) {
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(4);
        // Each part carries the event's facts and its own signals only.
        expect(part).toMatchObject({ rule: record.rule, eventId: record.eventId, src: record.src, time: record.time });
        const keys = [
          ...(part.alert === undefined ? [] : [`alert|${JSON.stringify(part.alert)}`]),
          ...part.correlations.map((input) => `${input.correlation}|${JSON.stringify(input.group)}`),
        ];
        for (const key of keys) {
          if (!shardOf.has(key)) shardOf.set(key, shard);
          expect(shardOf.get(key), key).toBe(shard);
        }
      }
    }
    // The groups do spread over the shards (else the split would be pointless).
    expect(new Set(shardOf.values()).size).toBeGreaterThan(1);
  });

  it('gives parts that read back as a valid bundle', () => {
    const parts = [...splitByShard(match('pc-3', 7), 8).values()];
    expect(signalBundleSchema.parse(JSON.parse(JSON.stringify({ signals: parts }))).signals).toEqual(parts);
  });
});
