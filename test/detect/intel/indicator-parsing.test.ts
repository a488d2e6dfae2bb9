// How values in feeds are understood: the forms an address, prefix, URL or hash may be
// written in, the STIX patterns a list can represent (and those it must refuse), CSV
// quoting and expiry dates, and the lookups that must and must not hit.
import { describe, expect, it } from 'vitest';
import { buildIndicatorIndex, NO_SLOT } from '../../../detect/intel/indicator-index.ts';
import { inferKind, normalizeIndicator } from '../../../detect/intel/indicator-value.ts';
import { intelRuleId, intelRuleMeta, parseIntelRuleId } from '../../../detect/intel/intel-rule.ts';
import { parseCsv } from '../../../detect/intel/parse-csv.ts';
import { patternTerms } from '../../../detect/intel/stix-pattern.ts';

const context = { list: 'test', file: 'intel/test' };

describe('indicator values', () => {
  it('infers the kind of a bare value and normalises it', () => {
    expect(inferKind(' 10.1.2.3 ')).toEqual({ kind: 'ip', value: '10.1.2.3' });
    expect(inferKind('10.1.2.3/16')).toEqual({ kind: 'ip', value: '10.1.0.0/16' });
    expect(inferKind('2001:0DB8:0000:0000:0000:0000:0000:0001')).toEqual({ kind: 'ip', value: '2001:db8::1' });
    expect(inferKind('::ffff:192.0.2.1')).toEqual({ kind: 'ip', value: '192.0.2.1' });
    expect(inferKind('Evil.Example.COM.')).toEqual({ kind: 'domain', value: 'evil.example.com' });
    expect(inferKind('hxxp://evil.example/x')).toEqual({ kind: 'url', value: 'evil.example/x' });
    expect(inferKind('D41D8CD98F00B204E9800998ECF8427E')).toEqual({ kind: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(inferKind('256.1.1.1')).toBeUndefined();
    expect(inferKind('01.2.3.4')).toBeUndefined();
    expect(inferKind('localhost')).toBeUndefined();
  });

  it('normalises URLs: no scheme, lower-case host, no default port, user info or fragment', () => {
    expect(normalizeIndicator('url', 'HTTPS://user:pw@Evil.Example:443/Path/A?q=1#frag')).toBe('evil.example/Path/A?q=1');
    expect(normalizeIndicator('url', 'http://evil.example:8080/')).toBe('evil.example:8080');
    expect(normalizeIndicator('url', '/only/a/path')).toBeUndefined();
  });
});

describe('STIX patterns', () => {
  it('represents ORs of equalities, IN lists and IP subsets', () => {
    expect(patternTerms("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value='a.example']")).toEqual([
      { kind: 'ip', value: '1.2.3.4' },
      { kind: 'domain', value: 'a.example' },
    ]);
    expect(patternTerms("[file:hashes.MD5 IN ('aa', 'bb') OR file:hashes.'SHA-1' = 'cc']")).toEqual([
      { kind: 'md5', value: 'aa' },
      { kind: 'md5', value: 'bb' },
      { kind: 'sha1', value: 'cc' },
    ]);
    expect(patternTerms("[ipv6-addr:value ISSUBSET '2001:db8::/32']")).toEqual([{ kind: 'ip', value: '2001:db8::/32' }]);
    expect(patternTerms("[url:value = 'http://x.example/it\\'s']")).toEqual([{ kind: 'url', value: "http://x.example/it's" }]);
  });

  it('refuses what a list cannot mean: AND, FOLLOWEDBY, qualifiers, other operators and objects', () => {
    expect(patternTerms("[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'a.example']")).toBeUndefined();
    expect(patternTerms("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.example']")).toBeUndefined();
    expect(patternTerms("[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS")).toBeUndefined();
    expect(patternTerms("[ipv4-addr:value != '1.2.3.4']")).toBeUndefined();
    expect(patternTerms("[domain-name:value LIKE '%.example']")).toBeUndefined();
    expect(patternTerms("[process:name = 'evil.exe']")).toBeUndefined();
  });
});

describe('CSV lists', () => {
  it('reads columns in any order, quoted cells, tags and expiry forms', () => {
    const csv = 'source,expires,indicator,tags\r\n"CERT ""VN""",2027-01-01,"evil.example",a;b\r\nX,1893456000,1.2.3.4,\r\n';
    const { indicators, skipped } = parseCsv(csv, context);
    expect(skipped).toBe(0);
    expect(indicators).toEqual([
      { kind: 'domain', value: 'evil.example', list: 'test', source: 'CERT "VN"', tags: ['a', 'b'], expires: Date.parse('2027-01-01T23:59:59.999Z') },
      { kind: 'ip', value: '1.2.3.4', list: 'test', source: 'X', tags: [], expires: 1_893_456_000_000 },
    ]);
  });

  it('says so when the header names no indicator column', () => {
    expect(parseCsv('ip_address,score\n1.2.3.4,5\n', context).problems).toEqual([
      'intel/test:1: the header names no indicator column (one of indicator, value, ioc, observable)',
    ]);
  });
});

describe('the indicator index', () => {
  const index = buildIndicatorIndex([
    [
      { kind: 'ip', value: '10.0.0.0/8', list: 'l', source: 'wide', tags: [] },
      { kind: 'ip', value: '10.1.2.0/24', list: 'l', source: 'narrow', tags: [] },
      { kind: 'ip', value: '2001:db8::/32', list: 'l', source: 'v6', tags: [] },
      { kind: 'domain', value: 'evil.example', list: 'l', source: 's', tags: [] },
    ],
  ]);
  it('finds the most specific prefix, v4, v6 and v4-mapped', () => {
    expect(index.facts(index.lookupIp('10.1.2.3')).source).toBe('narrow');
    expect(index.facts(index.lookupIp('10.9.9.9')).source).toBe('wide');
    expect(index.facts(index.lookupIp('::ffff:10.9.9.9')).source).toBe('wide');
    expect(index.facts(index.lookupIp('2001:DB8:ffff::1')).source).toBe('v6');
    expect(index.lookupIp('11.0.0.1')).toBe(NO_SLOT);
    expect(index.lookupIp('2001:db9::1')).toBe(NO_SLOT);
    expect(index.lookupIp('not an ip')).toBe(NO_SLOT);
  });
  it('answers addresses under first octets no entry covers, and prefixes wider than /8', () => {
    const wide = buildIndicatorIndex([[{ kind: 'ip', value: '128.0.0.0/1', list: 'l', source: 'upper half', tags: [] }]]);
    expect(wide.facts(wide.lookupIp('200.1.2.3')).source).toBe('upper half');
    expect(wide.facts(wide.lookupIp('255.255.255.255')).source).toBe('upper half');
    expect(wide.lookupIp('10.1.2.3')).toBe(NO_SLOT);
    expect(wide.lookupIp('127.255.255.255')).toBe(NO_SLOT);
  });
  it('matches a listed domain and its subdomains only', () => {
    expect(index.lookupDomain('A.B.Evil.Example.')).not.toBe(NO_SLOT);
    expect(index.lookupDomain('evil.example')).not.toBe(NO_SLOT);
    expect(index.lookupDomain('notevil.example')).toBe(NO_SLOT);
    expect(index.lookupDomain('evil.example.org')).toBe(NO_SLOT);
  });
});

describe('intel rule ids', () => {
  it('carry source, kind and value, and give the alert its title', () => {
    const id = intelRuleId('CERT: VN', 'url', 'evil.example:8080/a:b');
    expect(id).toBe('intel:CERT_ VN:url:evil.example:8080/a:b');
    expect(parseIntelRuleId(id)).toEqual({ source: 'CERT_ VN', kind: 'url', value: 'evil.example:8080/a:b' });
    expect(intelRuleMeta(id)).toEqual({ id, title: 'Threat intel: URL evil.example:8080/a:b (listed by CERT_ VN)', level: 'high', tags: ['intel', 'intel.kind.url'] });
    expect(intelRuleMeta('6f1d2f4e-0000-4000-8000-00000000c0de')).toBeUndefined();
  });
});
