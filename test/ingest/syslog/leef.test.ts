// Golden tests for LEEF 1.0 and 2.0 from IBM's LEEF guide examples: tab-separated
// attributes, a 2.0 custom delimiter (a character or hex), devTime read with its
// devTimeFormat, and the predefined attributes → ECS.
import { describe, expect, it } from 'vitest';
import { decodeSyslog } from '../../../ingest/syslog/decode-syslog.ts';
import { parseLeef } from '../../../ingest/syslog/parse-leef.ts';

const time = { now: new Date('2026-12-03T12:00:00Z'), defaultOffsetMinutes: 420 };

function event(text: string) {
  const result = decodeSyslog(text, { format: 'leef', time, keepOriginal: false, sender: { address: '192.0.2.11', port: 514 } });
  if (!result.ok) throw new Error(`${result.reason}: ${result.error}`);
  return result.event;
}

describe('LEEF headers', () => {
  it('LEEF 1.0: five header fields, tab-separated attributes', () => {
    const result = parseLeef('LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black');
    expect(result).toEqual({
      ok: true,
      value: {
        version: '1.0', vendor: 'Microsoft', product: 'MSExchange', productVersion: '4.0 SP1', eventId: '15345', delimiter: '\t',
        attributes: { src: '192.0.2.0', dst: '172.50.123.1', sev: '5', cat: 'anomaly', srcPort: '81', dstPort: '21', usrName: 'joe.black' },
      },
    });
  });

  it('LEEF 2.0 with "^" as the delimiter', () => {
    const result = parseLeef('LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^dst=10.0.0.5^sev=5^srcPort=81^dstPort=21');
    expect(result.ok && result.value.attributes).toEqual({ src: '10.0.1.8', dst: '10.0.0.5', sev: '5', srcPort: '81', dstPort: '21' });
  });

  it('LEEF 2.0 with the delimiter as hex (x5E and 0x09)', () => {
    expect(parseLeef('LEEF:2.0|V|P|1|E|x5E|a=1^b=2')).toMatchObject({ ok: true, value: { delimiter: '^', attributes: { a: '1', b: '2' } } });
    expect(parseLeef('LEEF:2.0|V|P|1|E|0x09|a=1\tb=two words')).toMatchObject({ ok: true, value: { attributes: { a: '1', b: 'two words' } } });
  });

  it('LEEF 1.0 sent with spaces instead of tabs is still read', () => {
    expect(parseLeef('LEEF:1.0|Microsoft|MSExchange|2016|15345|src=10.50.1.1 dst=2.10.20.20 spt=1200 name=Firstname Lastname')).toMatchObject({
      ok: true,
      value: { attributes: { src: '10.50.1.1', dst: '2.10.20.20', spt: '1200', name: 'Firstname Lastname' } },
    });
  });

  it('refuses a header cut short and a delimiter that is no character', () => {
    expect(parseLeef('LEEF:1.0|V|P')).toMatchObject({ ok: false });
    expect(parseLeef('LEEF:2.0|V|P|1|E|abc|a=1')).toMatchObject({ ok: false });
  });
});

describe('LEEF over syslog → ECS', () => {
  it("IBM's 2.0 example: devTime read with its devTimeFormat, the predefined attributes mapped", () => {
    const line =
      "<13>Jan 18 11:07:53 192.168.1.1 LEEF:2.0|ABC Company|SystemDefender|1.13|console_login|^|devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ^" +
      'devTime=2017-10-18T11:26:03.060+0200^usrName=flastname^name=Firstname Lastname^authType=interactivePassword^src=192.168.0.1';
    expect(event(line)).toMatchObject({
      '@timestamp': '2017-10-18T09:26:03.060Z',
      event: { code: 'console_login', module: 'leef', dataset: 'syslog.leef' },
      observer: { vendor: 'ABC Company', product: 'SystemDefender', version: '1.13', hostname: '192.168.1.1' },
      user: { name: 'flastname' },
      source: { ip: '192.168.0.1' },
      leef: { version: '2.0', attributes: { authType: 'interactivePassword', name: 'Firstname Lastname' } },
    });
  });

  it('a firewall event in LEEF 1.0 with the default devTime format and severity', () => {
    const line =
      '<134>Dec  3 08:00:01 fw02 LEEF:1.0|Palo Alto Networks|PAN-OS|10.1|TRAFFIC|devTime=Dec 03 2026 08:00:00\tsrc=10.1.2.3\tdst=8.8.8.8\t' +
      'srcPort=53001\tdstPort=53\tproto=17\tsev=7\tpolicy=allow-dns\taction=allow\tsrcBytes=120\tdstBytes=300\tcat=traffic';
    expect(event(line)).toMatchObject({
      '@timestamp': '2026-12-03T01:00:00.000Z',
      event: { action: 'allow', severity: 7, code: 'TRAFFIC' },
      log: { level: 'high' },
      source: { ip: '10.1.2.3', port: 53001, bytes: 120 },
      destination: { ip: '8.8.8.8', port: 53, bytes: 300 },
      network: { transport: 'udp' },
      rule: { name: 'allow-dns', category: 'traffic' },
      observer: { vendor: 'Palo Alto Networks', product: 'PAN-OS', version: '10.1', hostname: 'fw02' },
      host: { name: 'fw02' },
    });
  });

  it('Trend Micro\'s devTime "MMM dd yyyy HH:mm:ss z" and the CEF keys vendors put in LEEF', () => {
    const line =
      'Dec 16 06:38:57 ddei-172 LEEF:1.0|Trend Micro|Deep Discovery Email Inspector|5.1.0.1110|CTP_DETECTION|' +
      'url=http://g9yxzah7yu23n.com/x\tact=blocked\tduser=ddei_test1@demo.com\tdevTime=Dec 16 2020 06:30:08 GMT+00:00\tdevTimeFormat=MMM dd yyyy HH:mm:ss z';
    expect(event(line)).toMatchObject({
      '@timestamp': '2020-12-16T06:30:08.000Z',
      event: { action: 'blocked', code: 'CTP_DETECTION' },
      url: { original: 'http://g9yxzah7yu23n.com/x', domain: 'g9yxzah7yu23n.com' },
      destination: { user: { name: 'ddei_test1@demo.com' } },
    });
  });

  it('a devTime that cannot be read leaves the syslog time', () => {
    expect(event('<13>2026-12-03T08:00:00+07:00 h LEEF:1.0|V|P|1|E|devTime=yesterday')['@timestamp']).toBe('2026-12-03T01:00:00.000Z');
  });
});
