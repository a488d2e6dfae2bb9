// VIGIL_SYSLOG_LISTENERS: the JSON and compact forms, defaults, and errors that name the
// entry and what is wrong with it, all at once.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config.ts';
import { parseSyslogListeners } from '../../../ingest/syslog/listener-config.ts';

function problems(value: string): string[] {
  try {
    parseSyslogListeners(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('VIGIL_SYSLOG_LISTENERS', () => {
  it('unset or empty: no listener', () => {
    expect(parseSyslogListeners(undefined)).toEqual([]);
    expect(parseSyslogListeners('  ')).toEqual([]);
  });

  it('the compact form, host and format optional, IPv6 in brackets', () => {
    expect(parseSyslogListeners('udp:0.0.0.0:5514=so-tttt/cef, tcp:1514=dc-firewall,udp:[::]:5515=ubnd-xa')).toEqual([
      { protocol: 'udp', host: '0.0.0.0', port: 5514, unit: 'so-tttt', format: 'cef', name: 'udp:0.0.0.0:5514', max_message_bytes: 65536, keep_original: false },
      { protocol: 'tcp', host: '0.0.0.0', port: 1514, unit: 'dc-firewall', format: 'auto', name: 'tcp:0.0.0.0:1514', max_message_bytes: 65536, keep_original: false },
      { protocol: 'udp', host: '::', port: 5515, unit: 'ubnd-xa', format: 'auto', name: 'udp:[::]:5515', max_message_bytes: 65536, keep_original: false },
    ]);
  });

  it('the JSON form with every option', () => {
    expect(
      parseSyslogListeners('[{"protocol":"tcp","host":"10.0.0.5","port":1514,"unit":"dc","format":"leef","name":"qradar-relay","max_message_bytes":131072,"keep_original":true}]'),
    ).toEqual([{ protocol: 'tcp', host: '10.0.0.5', port: 1514, unit: 'dc', format: 'leef', name: 'qradar-relay', max_message_bytes: 131072, keep_original: true }]);
  });

  it('names the entry and the problem, every problem at once', () => {
    expect(problems('udp:0.0.0.0:99999=so-tttt,tcp:1514=Bad Unit,foo,udp:5514=a/xml')).toEqual([
      'VIGIL_SYSLOG_LISTENERS entry 2 ("tcp:1514=Bad Unit"): expected protocol:[host:]port=unit[/format], e.g. udp:0.0.0.0:5514=so-tttt/cef',
      'VIGIL_SYSLOG_LISTENERS entry 3 ("foo"): expected protocol:[host:]port=unit[/format], e.g. udp:0.0.0.0:5514=so-tttt/cef',
      'VIGIL_SYSLOG_LISTENERS entry 1 ("udp:0.0.0.0:99999=so-tttt"): port: must be 0..65535',
      'VIGIL_SYSLOG_LISTENERS entry 4 ("udp:5514=a/xml"): format: must be one of auto, cef, leef, plain',
    ]);
  });

  it('JSON entries: unknown keys, wrong types and bad unit ids are named', () => {
    expect(problems('[{"protocol":"sctp","port":"514","unit":"A","colour":"red"}]')).toEqual([
      'VIGIL_SYSLOG_LISTENERS entry 1: protocol: must be "udp", "tcp" or "tls"',
      'VIGIL_SYSLOG_LISTENERS entry 1: port: must be a port number',
      'VIGIL_SYSLOG_LISTENERS entry 1: unit: a unit id is lowercase letters, digits, - and _ (at most 64)',
      'VIGIL_SYSLOG_LISTENERS entry 1: Unrecognized key: "colour"',
    ]);
    expect(problems('[{"protocol":')[0]).toMatch(/^VIGIL_SYSLOG_LISTENERS: not valid JSON/);
  });

  it('two listeners on the same protocol, host and port', () => {
    expect(problems('udp:5514=a,udp:0.0.0.0:5514=b')).toEqual(['VIGIL_SYSLOG_LISTENERS entry 2 ("udp:0.0.0.0:5514=b"): udp 0.0.0.0:5514 is already used by udp:0.0.0.0:5514']);
  });
});
