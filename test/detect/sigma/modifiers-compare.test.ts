// Conformance of the typed modifiers: lt/lte/gt/gte, the time parts (minute ... year),
// cidr (IPv4, IPv6, IPv4-mapped IPv6) and re with its i/m/s flags, including the
// RE2 engine that keeps attacker-controlled text from stalling a regular expression.
import { describe, expect, it } from 'vitest';
import { REGEX_MAX_INPUT } from '../../../detect/sigma/modifiers/regex.ts';
import { compileInline, detectionRule } from './rule-text.ts';

describe('lt / lte / gt / gte', () => {
  const rule = (modifier: string, value: string) =>
    detectionRule(`
      selection:
        destination.bytes|${modifier}: ${value}
      condition: selection
    `);

  it('compare the field as a number, numeric strings included', () => {
    expect(rule('lt', '100').matches({ destination: { bytes: 99 } })).toBe(true);
    expect(rule('lt', '100').matches({ destination: { bytes: 100 } })).toBe(false);
    expect(rule('lte', '100').matches({ destination: { bytes: 100 } })).toBe(true);
    expect(rule('lte', '100').matches({ destination: { bytes: 101 } })).toBe(false);
    expect(rule('gt', '1000000').matches({ destination: { bytes: '1000001' } })).toBe(true);
    expect(rule('gt', '1000000').matches({ destination: { bytes: 1_000_000 } })).toBe(false);
    expect(rule('gte', '2.5').matches({ destination: { bytes: 2.5 } })).toBe(true);
    expect(rule('gte', '2.5').matches({ destination: { bytes: 2.4 } })).toBe(false);
  });

  it('do not match text, absent fields, or text that merely starts with digits', () => {
    expect(rule('gt', '0').matches({ destination: { bytes: 'many' } })).toBe(false);
    expect(rule('gt', '0').matches({ destination: { bytes: '12abc' } })).toBe(false);
    expect(rule('gt', '0').matches({})).toBe(false);
  });

  it('match when any element of a list compares', () => {
    expect(rule('gte', '1024').matches({ destination: { bytes: [10, 4096] } })).toBe(true);
    expect(rule('gte', '1024').matches({ destination: { bytes: [10, 20] } })).toBe(false);
  });
});

describe('time parts', () => {
  const at = '2026-11-22T23:45:10.123Z'; // a Sunday, ISO week 47
  const rule = (chain: string, value: string) =>
    detectionRule(`
      selection:
        '@timestamp|${chain}': ${value}
      condition: selection
    `);

  it('read each part of an ISO timestamp in UTC', () => {
    expect(rule('minute', '45').matches({ '@timestamp': at })).toBe(true);
    expect(rule('hour', '23').matches({ '@timestamp': at })).toBe(true);
    expect(rule('day', '22').matches({ '@timestamp': at })).toBe(true);
    expect(rule('week', '47').matches({ '@timestamp': at })).toBe(true);
    expect(rule('month', '11').matches({ '@timestamp': at })).toBe(true);
    expect(rule('year', '2026').matches({ '@timestamp': at })).toBe(true);
    expect(rule('hour', '22').matches({ '@timestamp': at })).toBe(false);
    expect(rule('month', '12').matches({ '@timestamp': at })).toBe(false);
  });

  it('read epoch milliseconds, offsets, and zone-less times as UTC', () => {
    const ms = Date.UTC(2026, 0, 1, 3, 0, 0);
    expect(rule('hour', '3').matches({ '@timestamp': ms })).toBe(true);
    expect(rule('hour', '3').matches({ '@timestamp': String(ms) })).toBe(true);
    expect(rule('hour', '3').matches({ '@timestamp': '2026-01-01T05:00:00+02:00' })).toBe(true);
    expect(rule('hour', '3').matches({ '@timestamp': '2026-01-01 03:00:00' })).toBe(true);
    expect(rule('hour', '3').matches({ '@timestamp': 'Jan 1 2026 03:00' })).toBe(false);
  });

  it('use ISO week numbers across a year boundary', () => {
    expect(rule('week', '1').matches({ '@timestamp': '2024-12-30T12:00:00Z' })).toBe(true);
    expect(rule('week', '53').matches({ '@timestamp': '2021-01-03T12:00:00Z' })).toBe(true);
  });

  it('chain with a comparison: off-hours is hour >= 22', () => {
    expect(rule('hour|gte', '22').matches({ '@timestamp': at })).toBe(true);
    expect(rule('hour|gte', '22').matches({ '@timestamp': '2026-11-22T09:00:00Z' })).toBe(false);
    expect(rule('hour|lt', '6').matches({ '@timestamp': '2026-11-22T05:59:59Z' })).toBe(true);
  });
});

describe('cidr', () => {
  const rule = detectionRule(`
    selection:
      source.ip|cidr:
        - 10.0.0.0/8
        - 192.168.1.0/24
        - 2001:db8::/32
        - fe80::/10
    condition: selection
  `);

  it('matches IPv4 addresses inside the networks and not outside', () => {
    expect(rule.matches({ source: { ip: '10.255.0.1' } })).toBe(true);
    expect(rule.matches({ source: { ip: '192.168.1.255' } })).toBe(true);
    expect(rule.matches({ source: { ip: '192.168.2.1' } })).toBe(false);
    expect(rule.matches({ source: { ip: '11.0.0.1' } })).toBe(false);
    expect(rule.matches({ source: { ip: 'not an ip' } })).toBe(false);
    expect(rule.matches({ source: { ip: '10.0.0.256' } })).toBe(false);
  });

  it('matches IPv6, compressed or not, with a zone', () => {
    expect(rule.matches({ source: { ip: '2001:db8::1' } })).toBe(true);
    expect(rule.matches({ source: { ip: '2001:0DB8:0000:0000:0000:0000:0000:0001' } })).toBe(true);
    expect(rule.matches({ source: { ip: 'fe80::1%eth0' } })).toBe(true);
    expect(rule.matches({ source: { ip: '2001:db9::1' } })).toBe(false);
    expect(rule.matches({ source: { ip: '::1' } })).toBe(false);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 networks', () => {
    expect(rule.matches({ source: { ip: '::ffff:10.1.2.3' } })).toBe(true);
    expect(rule.matches({ source: { ip: '::ffff:c0a8:0101' } })).toBe(true);
    expect(rule.matches({ source: { ip: '::ffff:11.1.2.3' } })).toBe(false);
  });

  it('an IPv6 network that covers mapped addresses matches IPv4 events; a bare address is /32', () => {
    const mapped = detectionRule(`
      selection:
        source.ip|cidr: ['::ffff:0:0/96', 203.0.113.9]
      condition: selection
    `);
    expect(mapped.matches({ source: { ip: '8.8.8.8' } })).toBe(true);
    expect(mapped.matches({ source: { ip: '2001:db8::1' } })).toBe(false);
    const single = detectionRule(`
      selection:
        destination.ip|cidr: 203.0.113.9
      condition: selection
    `);
    expect(single.matches({ destination: { ip: '203.0.113.9' } })).toBe(true);
    expect(single.matches({ destination: { ip: '203.0.113.10' } })).toBe(false);
  });

  it('matches any element of a list of addresses', () => {
    expect(rule.matches({ source: { ip: ['8.8.8.8', '10.0.0.7'] } })).toBe(true);
    expect(rule.matches({ source: { ip: ['8.8.8.8', '1.1.1.1'] } })).toBe(false);
  });
});

describe('re', () => {
  it('is case-sensitive by default and unanchored', () => {
    const rule = detectionRule(`
      selection:
        process.command_line|re: 'Invoke-(Mimikatz|Kerberoast)\\b'
      condition: selection
    `);
    expect(rule.matches({ process: { command_line: 'IEX; Invoke-Kerberoast -x' } })).toBe(true);
    expect(rule.matches({ process: { command_line: 'invoke-kerberoast' } })).toBe(false);
    expect(rule.matches({ process: { command_line: 'Invoke-Kerberoasting' } })).toBe(false);
  });

  it('i makes it case-insensitive, m anchors ^ and $ at lines, s lets . cross lines', () => {
    const insensitive = detectionRule(`
      selection:
        rule.name|re|i: '^trojan:win32/'
      condition: selection
    `);
    expect(insensitive.matches({ rule: { name: 'Trojan:Win32/Emotet' } })).toBe(true);
    expect(insensitive.matches({ rule: { name: 'Backdoor:Win32/X' } })).toBe(false);

    const multiline = detectionRule(`
      selection:
        message|re|m: '^evil$'
      condition: selection
    `);
    expect(multiline.matches({ message: 'good\nevil\nmore' })).toBe(true);
    const notMultiline = detectionRule(`
      selection:
        message|re: '^evil$'
      condition: selection
    `);
    expect(notMultiline.matches({ message: 'good\nevil\nmore' })).toBe(false);

    const dotAll = detectionRule(`
      selection:
        message|re|s: 'begin.*end'
      condition: selection
    `);
    expect(dotAll.matches({ message: 'begin\nend' })).toBe(true);
    const noDotAll = detectionRule(`
      selection:
        message|re: 'begin.*end'
      condition: selection
    `);
    expect(noDotAll.matches({ message: 'begin\nend' })).toBe(false);
  });

  it('reads a leading PCRE (?i) as the i flag', () => {
    const rule = detectionRule(`
      selection:
        message|re: '(?i)mimikatz'
      condition: selection
    `);
    expect(rule.matches({ message: 'MIMIKATZ' })).toBe(true);
  });

  it('takes wildcard characters and backslashes as regex syntax, not Sigma escapes', () => {
    const rule = detectionRule(String.raw`
      selection:
        file.path|re: '^C:\\Users\\[^\\]+\\AppData\\.*\.exe$'
      condition: selection
    `);
    expect(rule.matches({ file: { path: String.raw`C:\Users\bob\AppData\Roaming\x.exe` } })).toBe(true);
    expect(rule.matches({ file: { path: String.raw`C:\Users\bob\Desktop\x.exe` } })).toBe(false);
  });

  it('ORs a list of patterns and matches numbers by their string form', () => {
    const rule = detectionRule(`
      selection:
        destination.port|re: ['^44[0-9]$', '^3389$']
      condition: selection
    `);
    expect(rule.matches({ destination: { port: 445 } })).toBe(true);
    expect(rule.matches({ destination: { port: '3389' } })).toBe(true);
    expect(rule.matches({ destination: { port: 4450 } })).toBe(false);
  });

  it(`runs on at most the first ${REGEX_MAX_INPUT} characters of a value`, () => {
    const rule = detectionRule(`
      selection:
        message|re: 'needle'
      condition: selection
    `);
    const padding = 'x'.repeat(REGEX_MAX_INPUT);
    expect(rule.matches({ message: `needle${padding}` })).toBe(true);
    expect(rule.matches({ message: `${padding}needle` })).toBe(false);
  });

  it('runs catastrophic-backtracking shapes on long near-misses and still answers (RE2, linear time)', () => {
    // Each of these takes JavaScript's backtracking engine seconds to hours on these
    // inputs; with RE2 the suite simply goes on.
    const cases: [string, string, string][] = [
      ['(a+)+$', `${'a'.repeat(50_000)}!`, 'aaaa'],
      [String.raw`(\w+\s?)*x`, `${'word '.repeat(10_000)}!`, 'word word x'],
      ['.*a.*a.*b', 'a'.repeat(60_000), 'xaxaxb'],
      ['(x.+)+y', 'x'.repeat(50_000), 'xxy'],
    ];
    for (const [pattern, nearMiss, hit] of cases) {
      const rule = detectionRule(`
        selection:
          message|re: '${pattern}'
        condition: selection
      `);
      expect(rule.matches({ message: nearMiss }), pattern).toBe(false);
      expect(rule.matches({ message: hit }), pattern).toBe(true);
    }
  });

  it('refuses lookaround and backreferences with a located error naming RE2', () => {
    for (const pattern of ['(?<=a)b', String.raw`(a)\1`, 'a(?!b)']) {
      const result = compileInline(`
        title: t
        id: t
        detection:
          selection:
            message|re: '${pattern}'
          condition: selection
      `);
      expect(result.rule).toBeUndefined();
      expect(result.errors[0]?.message).toMatch(/^rules\/inline\.yml:\d+:\d+: invalid regular expression for RE2/);
    }
  });

  it('answers a near-miss on a separated pattern', () => {
    const rule = detectionRule(String.raw`
      selection:
        dns.question.name|re: '^([a-z0-9]+\.)+[a-z]{2,}$'
      condition: selection
    `);
    expect(rule.matches({ dns: { question: { name: `${'a.'.repeat(20_000)}-` } } })).toBe(false);
    expect(rule.matches({ dns: { question: { name: 'evil.example.com' } } })).toBe(true);
  });
});
