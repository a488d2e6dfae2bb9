// Store conformance, the event query language's part: AND / OR / NOT, parentheses,
// `-term`, ranges over numbers, times and IP addresses (as `field >= v` and
// `field:[a TO b]`), and the Events view's histogram. Called from runStoreConformance,
// so the embedded and search stores must give the same events for every query here.
import { beforeEach, describe, expect, it } from 'vitest';
import { BadInputError } from '../../core/errors.ts';
import { ALL_UNITS, type Scope } from '../../core/ports/scope.ts';
import type { Store } from '../../core/ports/store.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';

const BASE_MS = Date.parse('2024-07-01T00:00:00.000Z');
const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();

function event(id: string, minute: number, unit: string, fields: Record<string, unknown>): SecurityEvent {
  return {
    '@timestamp': at(minute),
    event: { id, kind: 'event', category: ['network'], action: 'allowed', ingested: at(minute) },
    organization: { id: unit, name: `Unit ${unit}` },
    host: { id: `${id}-host`, name: `host-${id}` },
    ...fields,
  } as SecurityEvent;
}

// Ports chosen so text order and number order disagree (9 < 80 < 443 < 1024 < 4444 <
// 50000 as numbers; "1024" < "443" < "4444" < "50000" < "80" < "9" as text).
const q1 = event('q1', 0, 'unit-a', { destination: { ip: '10.0.0.9', port: 9 }, network: { transport: 'udp' }, message: 'probe one' });
const q2 = event('q2', 1, 'unit-a', { destination: { ip: '10.0.0.80', port: 80 }, network: { transport: 'tcp' }, message: 'web request' });
const q3 = event('q3', 2, 'unit-b', { destination: { ip: '10.0.1.5', port: 443 }, network: { transport: 'tcp' }, message: 'tls request' });
const q4 = event('q4', 3, 'unit-b', { destination: { ip: '192.168.1.20', port: 1024 }, network: { transport: 'tcp' }, message: 'high port probe' });
const q5 = event('q5', 4, 'unit-c', {
  destination: { ip: '2001:db8::5', port: 4444 },
  network: { transport: 'tcp' },
  event: { id: 'q5', kind: 'alert', category: ['malware', 'network'], action: 'blocked', severity: 73, ingested: at(4) },
  message: 'meterpreter callback blocked',
});
const q6 = event('q6', 65, 'unit-c', {
  destination: { ip: '8.8.8.8', port: 50000 },
  labels: { bytes: '1500', note: 'n/a' },
  message: 'large transfer',
});
const q7 = event('q7', 66, 'unit-a', { process: { name: 'cmd.exe', pid: 4 }, event: { id: 'q7', kind: 'event', category: ['process'], action: 'started', ingested: at(66) }, message: 'shell started' });
const world = [q1, q2, q3, q4, q5, q6, q7];

function ids(events: { items: SecurityEvent[] }): string[] {
  return events.items.map((e) => e.event.id).sort();
}

export function runEventQueryConformance(getStore: () => Store): void {
  describe('event query language', () => {
    beforeEach(async () => {
      const store = getStore();
      await store.writeEvents(world);
      await store.refresh();
    });

    const find = async (q: string, scope: Scope = ALL_UNITS) => ids(await getStore().searchEvents({ q, limit: 100 }, scope));

    it('ORs terms, fields and text alike', async () => {
      expect(await find('host.name:host-q1 OR host.name:host-q3')).toEqual(['q1', 'q3']);
      expect(await find('meterpreter OR shell')).toEqual(['q5', 'q7']);
      expect(await find('destination.port:443 OR "large transfer" OR nosuchword')).toEqual(['q3', 'q6']);
      expect(await find('host.name:host-q* OR nosuchword')).toHaveLength(7);
    });

    it('negates with NOT and a leading -, including fields an event lacks', async () => {
      expect(await find('NOT network.transport:tcp')).toEqual(['q1', 'q6', 'q7']);
      expect(await find('-network.transport:tcp')).toEqual(['q1', 'q6', 'q7']);
      expect(await find('network.transport:tcp NOT request')).toEqual(['q4', 'q5']);
      expect(await find('NOT event.category:network')).toEqual(['q7']);
      expect(await find('NOT NOT event.category:process')).toEqual(['q7']);
      expect(await find('NOT host.name:*')).toEqual([]);
    });

    it('groups with parentheses and gives AND precedence over OR', async () => {
      expect(await find('(organization.id:unit-a OR organization.id:unit-b) AND network.transport:tcp')).toEqual(['q2', 'q3', 'q4']);
      expect(await find('organization.id:unit-a OR organization.id:unit-b AND network.transport:tcp')).toEqual(['q1', 'q2', 'q3', 'q4', 'q7']);
      expect(await find('probe (organization.id:unit-b OR udp)')).toEqual(['q1', 'q4']);
      expect(await find('NOT (probe OR request) event.category:network')).toEqual(['q5', 'q6']);
    });

    it('compares numbers as numbers', async () => {
      expect(await find('destination.port >= 1024')).toEqual(['q4', 'q5', 'q6']);
      expect(await find('destination.port > 1024')).toEqual(['q5', 'q6']);
      expect(await find('destination.port<443')).toEqual(['q1', 'q2']);
      expect(await find('destination.port:<=443')).toEqual(['q1', 'q2', 'q3']);
      expect(await find('destination.port:[80 TO 1024]')).toEqual(['q2', 'q3', 'q4']);
      expect(await find('destination.port:{80 TO 1024}')).toEqual(['q3']);
      expect(await find('destination.port:[4444 TO *]')).toEqual(['q5', 'q6']);
      expect(await find('destination.port >= 1e3')).toEqual(['q4', 'q5', 'q6']);
      expect(await find('event.severity > 50.5')).toEqual(['q5']);
      expect(await find('destination.port > -1 NOT destination.port > 100')).toEqual(['q1', 'q2']);
    });

    it('compares numbers written as text (labels) as numbers, and nothing else as one', async () => {
      expect(await find('labels.bytes > 999')).toEqual(['q6']);
      expect(await find('labels.bytes < 999')).toEqual([]);
      expect(await find('labels.note > 0')).toEqual([]);
      expect(await find('host.name > 0')).toEqual([]);
    });

    it('compares times as instants, in any offset, a zoneless time as UTC', async () => {
      expect(await find('@timestamp >= 2024-07-01T01:00:00Z')).toEqual(['q6', 'q7']);
      expect(await find('@timestamp >= "2024-07-01T08:00:00+07:00"')).toEqual(['q6', 'q7']);
      expect(await find('@timestamp < 2024-07-01T00:02')).toEqual(['q1', 'q2']);
      expect(await find('event.ingested:[2024-07-01T00:01:00.000Z TO 2024-07-01T00:03:00Z}')).toEqual(['q2', 'q3']);
      expect(await find('@timestamp > 2024-06-30')).toHaveLength(7);
    });

    it('compares IP addresses as addresses, v4 and v6', async () => {
      expect(await find('destination.ip:[10.0.0.0 TO 10.0.0.255]')).toEqual(['q1', 'q2']);
      expect(await find('destination.ip >= 10.0.0.10')).toEqual(['q2', 'q3', 'q4', 'q5']);
      expect(await find('destination.ip < 10.0.0.10')).toEqual(['q1', 'q6']);
      expect(await find('destination.ip:[2001:db8:: TO 2001:db8::ffff]')).toEqual(['q5']);
    });

    it('applies the caller’s scope to every operator', async () => {
      const b: Scope = { kind: 'units', units: ['unit-b'] };
      expect(await find('NOT network.transport:udp', b)).toEqual(['q3', 'q4']);
      expect(await find('destination.port > 0 OR shell', b)).toEqual(['q3', 'q4']);
    });

    it('rejects malformed operators, parentheses and range bounds as bad input, naming the column', async () => {
      for (const q of ['a OR', 'NOT', '(mimikatz', 'destination.port >= high', 'x:[1 TO 2024-01-01]', 'a AND OR b']) {
        await expect(getStore().searchEvents({ q, limit: 10 }, ALL_UNITS), q).rejects.toBeInstanceOf(BadInputError);
      }
      await expect(getStore().searchEvents({ q: 'a OR', limit: 10 }, ALL_UNITS)).rejects.toMatchObject({ details: { column: 3 } });
    });

    describe('histogram', () => {
      const histogram = (q: string, bucketMs: number, from = at(0), to = at(120), scope: Scope = ALL_UNITS) =>
        getStore().eventHistogram({ q, from, to, bucketMs }, scope);

      it('counts the matching events per bucket, buckets starting at from', async () => {
        expect(await histogram('', 3_600_000)).toEqual({
          buckets: [
            { start: at(0), count: 5 },
            { start: at(60), count: 2 },
          ],
        });
        expect(await histogram('destination.port >= 443 OR shell', 60_000 * 2)).toEqual({
          buckets: [
            { start: at(2), count: 2 },
            { start: at(4), count: 1 },
            { start: at(64), count: 1 },
            { start: at(66), count: 1 },
          ],
        });
        // Buckets follow from, not the clock: starting at 00:01 puts q1 outside and q2..q4 together.
        expect(await histogram('network.transport:tcp', 180_000, at(1), at(7))).toEqual({
          buckets: [
            { start: at(1), count: 3 },
            { start: at(4), count: 1 },
          ],
        });
      });

      it('scopes the counts, and answers nothing for a scope that sees nothing', async () => {
        expect(await histogram('', 3_600_000, at(0), at(120), { kind: 'units', units: ['unit-c'] })).toEqual({
          buckets: [
            { start: at(0), count: 1 },
            { start: at(60), count: 1 },
          ],
        });
        expect(await histogram('', 3_600_000, at(0), at(120), { kind: 'units', units: [] })).toEqual({ buckets: [] });
      });

      it('refuses a bad range, bucket or query', async () => {
        await expect(histogram('', 60_000, at(5), at(5))).rejects.toBeInstanceOf(BadInputError);
        await expect(histogram('', 10)).rejects.toBeInstanceOf(BadInputError);
        await expect(histogram('', 1000, at(0), at(60 * 24 * 30))).rejects.toBeInstanceOf(BadInputError);
        await expect(histogram('(x', 60_000)).rejects.toBeInstanceOf(BadInputError);
      });
    });
  });
}
