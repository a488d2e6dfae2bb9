// Recognises and normalises indicator values: the kind a bare value is (a plain list
// says nothing about it), the kinds a feed's type names stand for, and the normalised
// value the index keys on (indicator.ts). Domains are lower-cased without a trailing
// dot or a leading `*.` (a listed domain matches its subdomains anyway); hashes are
// lower-case hex.
import type { IndicatorKind } from './indicator.ts';
import { formatIpPrefix, parseIpPrefix } from './ip-address.ts';
import { normalizeUrl } from './normalize-url.ts';

const HEX = /^[0-9a-f]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/;
const HASH_LENGTHS: Readonly<Record<number, IndicatorKind>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** The value in the form the index keys on, or undefined when it is not a valid `kind`. */
export function normalizeIndicator(kind: IndicatorKind, raw: string): string | undefined {
  const text = raw.trim();
  switch (kind) {
    case 'ip': {
      const prefix = parseIpPrefix(text);
      return prefix === undefined ? undefined : formatIpPrefix(prefix);
    }
    case 'domain': {
      let domain = text.toLowerCase();
      if (domain.startsWith('*.')) domain = domain.slice(2);
      if (domain.endsWith('.')) domain = domain.slice(0, -1);
      return DOMAIN.test(domain) ? domain : undefined;
    }
    case 'url':
      return normalizeUrl(text);
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const hash = text.toLowerCase();
      return HASH_LENGTHS[hash.length] === kind && HEX.test(hash) ? hash : undefined;
    }
  }
}

/** The kind a bare value is: an address or prefix, a hash by its length, a URL (it has a scheme or a path), a domain. */
export function inferKind(raw: string): { kind: IndicatorKind; value: string } | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  const hashKind = HASH_LENGTHS[lower.length];
  if (hashKind !== undefined && HEX.test(lower)) return { kind: hashKind, value: lower };
  const ip = normalizeIndicator('ip', text);
  if (ip !== undefined) return { kind: 'ip', value: ip };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/')) {
    const url = normalizeUrl(text);
    return url === undefined ? undefined : { kind: 'url', value: url };
  }
  const domain = normalizeIndicator('domain', text);
  return domain === undefined ? undefined : { kind: 'domain', value: domain };
}

/**
 * The kind a type name in a feed stands for: ours (`ip`, `domain`...), STIX-like
 * (`ipv4-addr`, `domain-name`), MISP's (`ip-dst`, `hostname`, `sha256`) and common
 * spellings (`SHA-256`, `cidr`, `fqdn`). Undefined for any other type.
 */
export function kindFromName(name: string): IndicatorKind | undefined {
  const key = name.trim().toLowerCase().replaceAll('_', '-');
  return KIND_NAMES[key];
}

const KIND_NAMES: Readonly<Record<string, IndicatorKind>> = {
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  'ipv4-addr': 'ip',
  'ipv6-addr': 'ip',
  'ip-src': 'ip',
  'ip-dst': 'ip',
  'ip-address': 'ip',
  address: 'ip',
  cidr: 'ip',
  network: 'ip',
  domain: 'domain',
  'domain-name': 'domain',
  hostname: 'domain',
  host: 'domain',
  fqdn: 'domain',
  url: 'url',
  uri: 'url',
  link: 'url',
  md5: 'md5',
  'hash-md5': 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  'hash-sha1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  'hash-sha256': 'sha256',
};
