// The intel matcher was rewritten for speed (kind bits, one-pass IPv4, shape-split
// field readers, suffix and hash pre-checks): it must still answer exactly as before.
// Generated lists and events, built to collide (addresses inside listed prefixes,
// subdomains, URLs written differently, hashes in upper case, expired indicators) and
// to miss in odd ways (leading zeros, IPv6 forms, trailing dots, wrong lengths,
// non-ASCII), go through today's index and matcher and through the frozen copies in
// reference/; the rule ids fired, and each lookup's slot, must be the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SecurityEvent } from '../../../core/schemas/event.ts';
import { buildIndicatorIndex } from '../../../detect/intel/indicator-index.ts';
import { normalizeIndicator } from '../../../detect/intel/indicator-value.ts';
import { INDICATOR_KINDS, type Indicator, type IndicatorKind } from '../../../detect/intel/indicator.ts';
import { matchIntel } from '../../../detect/intel/intel-matcher.ts';
import { buildIndicatorIndex as buildReferenceIndex } from './reference/indicator-index.ts';
import { matchIntel as referenceMatchIntel } from './reference/intel-matcher.ts';

const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const now = () => NOW;

const octet = fc.oneof(fc.constantFrom(0, 1, 10, 23, 77, 100, 113, 127, 192, 198, 203, 255), fc.integer({ min: 0, max: 255 }));
const ipv4 = fc.tuple(fc.constantFrom(10, 192, 198, 203, 8, 0, 255), fc.constantFrom(0, 51, 168, 1), fc.constantFrom(100, 113, 0, 2), octet).map((parts) => parts.join('.'));
const oddIpv4 = fc.oneof(
  ipv4.map((ip) => ip.replace(/\.(\d)$/, '.0$1')), // a leading zero in the last octet
  ipv4.map((ip) => `0${ip}`), // ... in the first
  ipv4.map((ip) => `${ip}.1`),
  ipv4.map((ip) => ip.slice(0, ip.lastIndexOf('.'))),
  ipv4.map((ip) => `${ip}:8080`),
  ipv4.map((ip) => ` ${ip}`),
  fc.constantFrom('256.1.1.1', '1.2.3.4.', '.1.2.3', '1..2.3', '999.999.999.999', '1.2.3.-4', '10.1.2.3%eth0', '１０.1.2.3', '203.0.113.1000'),
);
const ipv6 = fc.oneof(
  fc.constantFrom('2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db8:ffff::1', '2001:db9::1', '::1', '::', 'fe80::1%eth0', '::ffff:203.0.113.7', '::FFFF:198.51.100.77', '::ffff:10.1.2.3', '2001:db8::', '1::2::3', '2001:db8::g'),
  fc.array(fc.constantFrom('0', '1', 'db8', '2001', 'ffff', 'abcd', 'ABCD'), { minLength: 2, maxLength: 8 }).map((groups) => (groups.length === 8 ? groups.join(':') : `${groups.slice(0, 2).join(':')}::${groups.slice(2).join(':')}`)),
);
const address = fc.oneof({ weight: 6, arbitrary: ipv4 }, { weight: 2, arbitrary: oddIpv4 }, { weight: 2, arbitrary: ipv6 });
const prefixBits = fc.constantFrom(0, 1, 8, 12, 16, 20, 23, 24, 25, 28, 31, 32, 48, 64, 96, 104, 120, 128);
const ipIndicator = fc.oneof(address, fc.tuple(fc.oneof(ipv4, ipv6), prefixBits).map(([ip, bits]) => `${ip}/${bits}`));

const label = fc.constantFrom('evil', 'a', 'b', 'cdn', 'Update-Check', 'www', 'xn--80ak6aa92e', 'vcb-digibank-verify', 'ÄÖ', 'İstanbul', '', 'x_y');
const tld = fc.constantFrom('com', 'xyz', 'example', 'net', 'COM', 'vn');
const domain = fc
  .tuple(fc.array(label, { minLength: 0, maxLength: 4 }), tld, fc.constantFrom('', '', '', '.', '..'))
  .map(([labels, top, end]) => [...labels, top].join('.') + end);
// Few labels, so lists hold a domain and its parent (the longest listed one must win).
const nested = fc.tuple(fc.array(fc.constantFrom('evil', 'a', 'cdn'), { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'xyz')).map(([labels, top]) => [...labels, top].join('.'));
const domainIndicator = fc.oneof(domain, nested, nested, domain.map((d) => `*.${d}`));

const scheme = fc.constantFrom('', '', 'http://', 'https://', 'HTTP://', 'ftp://', 'ws://', 'hxxp://', 'javascript:');
const port = fc.constantFrom('', '', ':80', ':443', ':8080', ':21', ':x');
const urlPath = fc.constantFrom('', '/', '/x', '/login.php', '/payload/invoice.exe', '/a/B.php?q=1', '/?', '/x#frag', '#only', '?q=%20');
const url = fc
  .tuple(scheme, fc.constantFrom('', '', 'user:pw@'), fc.oneof(domain, ipv4, fc.constant('[2001:db8::1]')), port, urlPath, fc.constantFrom('', '', ' ', '\t'))
  .map(([s, user, host, p, path, pad]) => `${pad}${s}${user}${host}${p}${path}`);

const HEX = '0123456789abcdef';
const hexOf = (length: number) => fc.array(fc.constantFrom(...HEX), { minLength: length, maxLength: length }).map((chars) => chars.join(''));
// A few fixed hashes so lists and events share them; the rest random.
const knownHashes = ['0cc175b9c0f1b6a831c399e269772661', 'a'.repeat(40), '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', 'f'.repeat(32), '0'.repeat(64)];
const hash = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownHashes) },
  { weight: 2, arbitrary: fc.oneof(hexOf(32), hexOf(40), hexOf(64)) },
  { weight: 1, arbitrary: fc.oneof(hexOf(31), hexOf(33), hexOf(8), fc.constant('g'.repeat(32)), fc.constant(`${'a'.repeat(31)}İ`), fc.constant('')) },
);
const anyCase = <T extends string>(value: fc.Arbitrary<T>) =>
  fc.tuple(value, fc.constantFrom('as is', 'as is', 'upper', 'mixed')).map(([v, how]) => (how === 'as is' ? v : how === 'upper' ? v.toUpperCase() : v.replace(/[a-f]/g, (c, i: number) => (i % 2 === 0 ? c.toUpperCase() : c))));

const valueOf: Record<IndicatorKind, fc.Arbitrary<string>> = {
  ip: ipIndicator,
  domain: domainIndicator,
  url,
  md5: anyCase(hash),
  sha1: anyCase(hash),
  sha256: anyCase(hash),
};

const expiry = fc.constantFrom(undefined, undefined, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-06-15T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z'), NOW);

/** Mostly normalised as the loaders do, sometimes raw as a caller could add them. */
const indicator: fc.Arbitrary<Indicator> = fc
  .tuple(fc.constantFrom<IndicatorKind>('ip', 'ip', 'domain', 'domain', 'url', 'md5', 'sha1', 'sha256'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('VNCERT', 'CIRCL', 'x:y'), expiry, fc.boolean(), fc.integer({ min: 0, max: 3 }))
  .chain(([kind, list, source, expires, raw, seed]) =>
    valueOf[kind].map((value): Indicator | undefined => {
      const normalised = raw && seed === 0 ? value : normalizeIndicator(kind, value);
      if (normalised === undefined) return undefined;
      return { kind, value: normalised, list, source, tags: [], ...(expires === undefined ? {} : { expires }) };
    }),
  )
  .filter((found): found is Indicator => found !== undefined);

const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined, freq: 2 });

/** Values written the ways an event may carry a listed one: itself, under it, in other case, with a trailing dot, a scheme... */
function variantsOf(indicators: readonly Indicator[], kind: IndicatorKind, own: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const listed = indicators.filter((found) => found.kind === kind).map((found) => found.value);
  if (listed.length === 0) return own;
  const base = fc.constantFrom(...listed);
  const around: Record<IndicatorKind, fc.Arbitrary<string>> = {
    ip: base.chain((value) => {
      const address = value.split('/')[0]!;
      return fc.constantFrom(address, address.replace(/\d+$/, '77'), address.replace(/\d+$/, '1'), address.toUpperCase(), `::ffff:${address}`);
    }),
    domain: fc.tuple(base, fc.constantFrom('', 'x.', 'a.b.', 'Cdn.', '.'), fc.constantFrom('', '', '.'), fc.boolean()).map(([value, head, end, upper]) => {
      const name = head + value.replace(/^\*\./, '') + end;
      return upper ? name.toUpperCase() : name;
    }),
    url: fc.tuple(base, fc.constantFrom('', 'http://', 'HTTPS://', 'ftp://'), fc.constantFrom('', '#x', '/', '?')).map(([value, head, tail]) => head + value + tail),
    md5: anyCase(base),
    sha1: anyCase(base),
    sha256: anyCase(base),
  };
  return fc.oneof({ weight: 1, arbitrary: own }, { weight: 2, arbitrary: around[kind] });
}

/** An event's parts in a random order and presence (many object shapes, as a real stream has), their values often near listed ones. */
function eventNear(indicators: readonly Indicator[]): fc.Arbitrary<SecurityEvent> {
  const ip = variantsOf(indicators, 'ip', address);
  const name = variantsOf(indicators, 'domain', domain);
  const link = variantsOf(indicators, 'url', url);
  const hashOf = (kind: 'md5' | 'sha1' | 'sha256') => variantsOf(indicators, kind, anyCase(hash));
  const hashes = fc.record({ md5: maybe(hashOf('md5')), sha1: maybe(hashOf('sha1')), sha256: maybe(hashOf('sha256')) }, { requiredKeys: [] });
  return fc
    .record(
      {
        '@timestamp': fc.constantFrom('2026-11-22T08:30:00.000Z', '2025-06-01T00:00:00Z', '2026-06-15T00:00:00.000Z', '2031-01-01T00:00:00Z', 'not a time'),
        source: fc.record({ ip: maybe(ip), port: maybe(fc.integer({ min: 0, max: 65535 })) }, { requiredKeys: [] }),
        destination: fc.record({ ip: maybe(ip), domain: maybe(name), port: maybe(fc.constantFrom(443, 80)) }, { requiredKeys: [] }),
        network: fc.constant({ transport: 'tcp' }),
        dns: fc.record({ question: maybe(fc.record({ name: maybe(fc.oneof(name, fc.constant(''))), type: maybe(fc.constant('A')) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        url: fc.record({ full: maybe(link), original: maybe(fc.oneof(link, urlPath)), domain: maybe(name), path: maybe(urlPath) }, { requiredKeys: [] }),
        tls: fc.record({ client: maybe(fc.record({ server_name: maybe(name) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
        file: fc.record({ name: maybe(fc.constant('x.exe')), hash: maybe(hashes) }, { requiredKeys: [] }),
        process: fc.record({ name: maybe(fc.constant('x.exe')), hash: maybe(hashes) }, { requiredKeys: [] }),
        rule: fc.constant({ name: 'r' }),
      },
      { requiredKeys: ['@timestamp'] },
    )
    .chain((parts) => fc.shuffledSubarray(Object.keys(parts), { minLength: Object.keys(parts).length }).map((order) => Object.fromEntries(order.map((key) => [key, parts[key as keyof typeof parts]]))))
    .map((parts) => JSON.parse(JSON.stringify(parts)) as SecurityEvent); // as the detect stage holds them: decoded JSON
}

const listsAndEvents = fc.array(indicator, { minLength: 0, maxLength: 40 }).chain((indicators) => fc.tuple(fc.constant(indicators), fc.array(eventNear(indicators), { minLength: 1, maxLength: 25 })));

describe('the intel matcher against its frozen former self', () => {
  it('fires the same rule ids, in the same order, for generated lists and events', () => {
    let fired = 0;
    fc.assert(
      fc.property(listsAndEvents, ([indicators, events]) => {
        const index = buildIndicatorIndex([indicators]);
        const reference = buildReferenceIndex([indicators]);
        expect(index.counts()).toEqual(reference.counts());
        for (const e of events) {
          const expected = referenceMatchIntel(reference, e, now);
          fired += expected.length;
          expect(matchIntel(index, e, now)).toEqual(expected);
        }
      }),
      { numRuns: 400 },
    );
    expect(fired).toBeGreaterThan(1000); // the events do hit the lists, often
  });

  it('finds the same slot for any text in each lookup', () => {
    const listsAndTexts = fc.array(indicator, { minLength: 0, maxLength: 40 }).chain((indicators) => {
      const near = fc.oneof(...INDICATOR_KINDS.map((kind) => variantsOf(indicators, kind, fc.string({ maxLength: 20 }))));
      const probe = fc.oneof(near, near, address, domain, url, anyCase(hash), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 }));
      return fc.tuple(fc.constant(indicators), fc.array(probe, { minLength: 1, maxLength: 30 }));
    });
    fc.assert(
      fc.property(listsAndTexts, ([indicators, texts]) => {
        const index = buildIndicatorIndex([indicators]);
        const reference = buildReferenceIndex([indicators]);
        for (const text of texts) {
          expect(index.lookupIp(text), `ip ${JSON.stringify(text)}`).toBe(reference.lookupIp(text));
          expect(index.lookupDomain(text), `domain ${JSON.stringify(text)}`).toBe(reference.lookupDomain(text));
          expect(index.lookupUrl(text), `url ${JSON.stringify(text)}`).toBe(reference.lookupUrl(text));
          for (const kind of ['md5', 'sha1', 'sha256'] as const) expect(index.lookupHash(kind, text), `${kind} ${JSON.stringify(text)}`).toBe(reference.lookupHash(kind, text));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('hits what it should on a hand-written case, so the generators cannot hide a matcher that finds nothing', () => {
    const lists: Indicator[] = [
      { kind: 'ip', value: '198.51.100.0/24', list: 'nets', source: 'VNCERT', tags: [] },
      { kind: 'domain', value: 'update-check.xyz', list: 'domains', source: 'CIRCL', tags: [] },
      { kind: 'sha256', value: knownHashes[2]!, list: 'hashes', source: 'CIRCL', tags: [] },
      { kind: 'ip', value: '203.0.113.7', list: 'old', source: 'VNCERT', tags: [], expires: Date.parse('2026-01-01T00:00:00Z') },
    ];
    const e = JSON.parse(
      JSON.stringify({
        '@timestamp': '2026-11-22T08:30:00.000Z',
        file: { hash: { sha256: knownHashes[2]!.toUpperCase() } },
        dns: { question: { name: 'CDN.Update-Check.xyz.' } },
        destination: { ip: '198.51.100.77' },
        source: { ip: '203.0.113.7' },
      }),
    ) as SecurityEvent;
    const fired = matchIntel(buildIndicatorIndex([lists]), e, now);
    expect(fired).toEqual(['intel:VNCERT:ip:198.51.100.0/24', 'intel:CIRCL:domain:update-check.xyz', `intel:CIRCL:sha256:${knownHashes[2]}`]);
    expect(fired).toEqual(referenceMatchIntel(buildReferenceIndex([lists]), e, now));
  });
});
