// cidr: the field is an IP address inside a network. Networks are parsed once into
// numeric ranges; event addresses are parsed by hand (no regex is built, and nothing beyond a
// bigint for IPv6). IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are IPv4 addresses,
// so a rule on 10.0.0.0/8 matches them, as a dual-stack socket reports them.
import { ModifierMisuse, requireField, writtenScalar, type ValueModifier } from './modifier.ts';

export type IpRange =
  | { readonly family: 4; readonly low: number; readonly high: number }
  | { readonly family: 6; readonly low: bigint; readonly high: bigint };

export type IpAddress = { readonly family: 4; readonly value: number } | { readonly family: 6; readonly value: bigint };

const MAPPED_PREFIX = 0xffffn << 32n;
const MAPPED_LAST = MAPPED_PREFIX | 0xffffffffn;

/**
 * Dotted quad to a number, by hand rather than split and regex: several cidr rules read
 * the same address of every firewall record, so this is on the hot path.
 */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let octet = 0;
  let digits = 0;
  let leadingZero = false;
  for (let i = 0; i <= text.length; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (code === 46) {
      // A leading zero is octal in some parsers and decimal in others: refuse it.
      if (digits === 0 || octet > 255 || (leadingZero && digits > 1)) return undefined;
      value = value * 256 + octet;
      octets += 1;
      octet = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits === 3) return undefined;
      if (digits === 0) leadingZero = code === 48;
      octet = octet * 10 + (code - 48);
      digits += 1;
    } else {
      return undefined;
    }
  }
  return octets === 4 ? value : undefined;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (half === undefined || half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(group);
  return value;
}

/** The addresses parsed lately: every cidr rule on a firewall record parses the same ones. */
const recentlyParsed = new Map<string, IpAddress | null>();
const RECENT_LIMIT = 4096;

/** An address from an event, or undefined when the text is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const known = recentlyParsed.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseIpAddressUncached(text);
  if (recentlyParsed.size >= RECENT_LIMIT) recentlyParsed.clear();
  recentlyParsed.set(text, parsed ?? null);
  return parsed;
}

function parseIpAddressUncached(text: string): IpAddress | undefined {
  if (text.length > 64) return undefined;
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { family: 4, value: v4 };
  }
  // A zone (`fe80::1%eth0`) names the interface, not part of the address.
  const zone = text.indexOf('%');
  const v6 = parseIpv6(zone >= 0 ? text.slice(0, zone) : text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: Number(v6 & 0xffffffffn) };
  return { family: 6, value: v6 };
}

/** `10.0.0.0/8`, `2001:db8::/32`; a bare address is a one-address network. */
export function parseCidr(text: string): IpRange | string {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return 'more than one /';
  const parsed = parseIpAddress(address);
  if (parsed === undefined || address.includes('%')) return `'${address}' is not an IPv4 or IPv6 address`;
  // An IPv4-mapped IPv6 network is an IPv4 network 96 bits shorter.
  const mapped = parsed.family === 4 && address.includes(':');
  const bits = parsed.family === 4 && !mapped ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= (mapped ? 96 : 0) && prefix <= bits)) return `prefix length must be 0 to ${bits}`;
  if (parsed.family === 4) {
    const v4Prefix = mapped ? prefix - 96 : prefix;
    const size = 2 ** (32 - v4Prefix);
    if (parsed.value % size !== 0) return `host bits are set; the network is ${networkOf4(parsed.value, size)}/${v4Prefix}`;
    return { family: 4, low: parsed.value, high: parsed.value + size - 1 };
  }
  const hostMask = (1n << BigInt(128 - prefix)) - 1n;
  if ((parsed.value & hostMask) !== 0n) return 'host bits are set below the prefix length';
  return { family: 6, low: parsed.value, high: parsed.value | hostMask };
}

function networkOf4(value: number, size: number): string {
  const network = value - (value % size);
  return [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
}

export function inRange(address: IpAddress, range: IpRange): boolean {
  if (range.family === 4) return address.family === 4 && address.value >= range.low && address.value <= range.high;
  if (address.family === 6) return address.value >= range.low && address.value <= range.high;
  // An IPv4 address lies in an IPv6 range only through the IPv4-mapped block; most
  // IPv6 ranges (fc00::/7, fe80::/10) miss it, and saying so needs no BigInt.
  if (range.high < MAPPED_PREFIX || range.low > MAPPED_LAST) return false;
  const value = MAPPED_PREFIX | BigInt(address.value);
  return value >= range.low && value <= range.high;
}

export const cidrModifier: ValueModifier = {
  name: 'cidr',
  apply: (item) => {
    requireField('cidr', item);
    const values = item.values.map((value) => {
      const written = writtenScalar('cidr', value, 'a network');
      const text = String(written);
      const range = parseCidr(text);
      if (typeof range === 'string') throw new ModifierMisuse(`invalid CIDR '${text}': ${range}`);
      return { kind: 'cidr' as const, text, range };
    });
    return { ...item, values };
  },
};
