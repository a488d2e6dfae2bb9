// Property test of the syslog decoders on what a hostile or broken device can send:
// syslog-shaped lines built from random parts (PRI, times, hosts, CEF/LEEF headers and
// extensions with escapes and stray "=" "|" "\") and plain random text. The decoder never
// throws; a refusal has a reason from the fixed set; and every accepted event passes the
// same gate as HTTP ingest and is stamped into the listener's unit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSyslog, SYSLOG_FORMATS } from '../../../ingest/syslog/decode-syslog.ts';
import { stampSyslogEvent } from '../../../ingest/syslog/stamp-syslog-event.ts';

const time = { now: new Date('2026-12-03T12:00:00Z'), defaultOffsetMinutes: 420 };
const REASONS = ['syslog', 'cef', 'leef', 'invalid', 'too_large', 'framing', 'decoder_error'];
const UNIT = { id: 'so-tttt', name: 'Sở TT&TT' };

const word = fc.string({ unit: fc.constantFrom('a', 'B', '0', '9', '.', '-', '_', ':', '/', ' ', '=', '|', '\\', 'ư', '\t', '"', '[', ']'), maxLength: 12 });
const pri = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 191 }).map((n) => `<${n}>`) },
  { weight: 1, arbitrary: fc.constantFrom('', '<>', '<01>', '<1x>', '<192>') },
);
const stamp = fc.oneof(
  fc.constantFrom('Dec  3 08:15:00', 'Feb 29 23:59:59', 'Oct 11 2026 22:14:15.123', 'Aug 24 05:34:00 CST 1987', 'Jan 32 25:61:61'),
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  word,
);
const pair = fc.tuple(fc.constantFrom('src', 'dst', 'spt', 'dpt', 'proto', 'act', 'rt', 'devTime', 'devTimeFormat', 'cs1', 'cs1Label', 'fileHash', 'request', 'sev', 'x.y', '__proto__', 'a..b'), word).map(([k, v]) => `${k}=${v}`);
const payload = fc.oneof(
  fc.tuple(fc.array(word, { minLength: 0, maxLength: 7 }), fc.array(pair, { maxLength: 8 })).map(([header, ext]) => `CEF:0|${header.join('|')}|${ext.join(' ')}`),
  fc.tuple(fc.constantFrom('1.0', '2.0'), fc.array(word, { maxLength: 6 }), fc.constantFrom('\t', '^', ' '), fc.array(pair, { maxLength: 8 })).map(
    ([version, header, delimiter, attributes]) => `LEEF:${version}|${header.join('|')}|${attributes.join(delimiter)}`,
  ),
  word,
);
const line = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(pri, stamp, word, payload).map(([p, t, h, m]) => `${p}${t} ${h} ${m}`) },
  { weight: 2, arbitrary: fc.tuple(pri, stamp, word, payload).map(([p, t, h, m]) => `${p}1 ${t} ${h} app - - - ${m}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

describe('syslog decoding of arbitrary input', () => {
  it('never throws, refuses with a known reason, and every accepted event passes validation and carries the unit', () => {
    let published = 0;
    fc.assert(
      fc.property(line, fc.constantFrom(...SYSLOG_FORMATS), (text, format) => {
        const decoded = decodeSyslog(text, { format, time, keepOriginal: true, sender: { address: '192.0.2.1', port: 514 } });
        if (!decoded.ok) {
          expect(REASONS).toContain(decoded.reason);
          return;
        }
        const stamped = stampSyslogEvent(decoded.event, text, { unit: UNIT, agentId: 'syslog:test', now: time.now, arrival: '1', futureToleranceMs: 300_000 });
        if (!stamped.ok) return; // refused by the shared gate with its reason, as the listener counts it
        const event = JSON.parse(Buffer.from(stamped.message.value).toString('utf8')) as { organization: unknown; event: { original: string } };
        expect(event.organization).toEqual(UNIT);
        expect(event.event.original).toBe(text);
        published += 1;
      }),
      { numRuns: 3000 },
    );
    // Most generated lines are syslog a device could send: the property is not vacuous.
    expect(published).toBeGreaterThan(600);
  });
});
