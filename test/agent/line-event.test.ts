// What the agent posts for a line: native ECS lines without an identity get a stable
// one (the same line at the same place always gets the same event.id, and the time it
// was read when it has none), lines with one and lines of other formats go unchanged.
import { describe, expect, it } from 'vitest';
import type { TailLine } from '../../agent/file-tailer.ts';
import { lineToPost, stableEventId } from '../../agent/line-event.ts';

const at = (text: string, offset = 120, generation = 0): TailLine => ({ text, dev: '64768', ino: '9001', generation, offset, end: offset + text.length + 1 });
const readAt = new Date('2026-12-03T08:00:00.000Z');

describe('line to event', () => {
  it('gives an ECS line without event.id an id from its place, the same on every read', () => {
    const line = at('{"@timestamp":"2026-12-03T07:59:00Z","event":{"action":"quarantined"},"host":{"name":"PC-01"}}');
    const first = JSON.parse(lineToPost('/var/log/av.ndjson', 'ecs', line, readAt)!);
    const again = JSON.parse(lineToPost('/var/log/av.ndjson', 'ecs', line, new Date())!);
    expect(first.event).toEqual({ action: 'quarantined', id: stableEventId('/var/log/av.ndjson', line) });
    expect(again.event.id).toBe(first.event.id);
    expect(first['@timestamp']).toBe('2026-12-03T07:59:00Z');
    expect(first.host).toEqual({ name: 'PC-01' });
  });

  it('tells apart lines at another offset, file, or after a truncation', () => {
    const id = stableEventId('/a.log', at('x', 10));
    expect(stableEventId('/a.log', at('x', 11))).not.toBe(id);
    expect(stableEventId('/b.log', at('x', 10))).not.toBe(id);
    expect(stableEventId('/a.log', at('x', 10, 1))).not.toBe(id);
  });

  it('gives a line without @timestamp the time it was read', () => {
    const posted = JSON.parse(lineToPost('/a.log', 'ecs', at('{"message":"hello"}'), readAt)!);
    expect(posted['@timestamp']).toBe(readAt.toISOString());
    expect(posted.message).toBe('hello');
  });

  it('sends lines that already have an identity, other formats and non-JSON as they are; skips blank lines', () => {
    const whole = '{"@timestamp":"2026-12-03T07:59:00Z","event":{"id":"av-123"}}';
    expect(lineToPost('/a.log', 'ecs', at(whole), readAt)).toBe(whole);
    const eve = '{"timestamp":"2026-12-03T07:59:00.000+0700","event_type":"alert"}';
    expect(lineToPost('/eve.json', 'suricata', at(eve), readAt)).toBe(eve);
    expect(lineToPost('/a.log', 'ecs', at('not json'), readAt)).toBe('not json');
    expect(lineToPost('/a.log', 'ecs', at('   '), readAt)).toBeUndefined();
  });
});
