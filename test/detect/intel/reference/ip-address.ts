// FROZEN COPY of detect/intel/ip-address.ts as of 6361308, before the matcher was made cheaper:
// the reference intel-matcher-equivalence.test.ts compares today's matcher against.
// Do not edit or "fix": its answers are the behaviour the matcher must keep.
// IP addresses and CIDR prefixes in the forms the indicator index keys on: an IPv4
// address as an unsigned 32-bit number, an IPv6 address as its 32 hex digits. The
// parsers are hand-written because they run on every event's source and destination
// address: no regex, no allocation for IPv4.

/** An IPv4 address as an unsigned 32-bit number, or -1 when `text` is not one. */
export function parseIpv4(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && part === 0) return -1; // leading zero: ambiguous (octal in some tools)
      part = part * 10 + (code - 48);
      digits += 1;
      if (part > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

export function formatIpv4(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

const HEX = /^[0-9a-f]{1,4}$/;

/**
 * An IPv6 address as 32 lowercase hex digits, or undefined when `text` is not one. A
 * zone (`%eth0`) is dropped. IPv4-mapped addresses (`::ffff:1.2.3.4`) come back as
 * their IPv4 form through `ipv4FromMapped`.
 */
export function parseIpv6(input: string): string | undefined {
  let text = input.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return undefined;
  let tail: string[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 < 0) return undefined;
    tail = [Math.floor(v4 / 65536).toString(16), (v4 % 65536).toString(16)];
    text = text.slice(0, lastColon + 1) + '0'; // placeholder group, replaced below
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (tail.length > 0) {
    // The v4 part took the place of one trailing "0" group; it is two groups.
    (rest.length > 0 ? rest : head).pop();
  }
  const written = head.length + rest.length + tail.length;
  if (halves.length === 1 ? written !== 8 : written > 7) return undefined;
  const all = [...head, ...Array.from({ length: 8 - written }, () => '0'), ...rest, ...tail];
  let hex = '';
  for (const group of all) {
    if (!HEX.test(group)) return undefined;
    hex += group.padStart(4, '0');
  }
  return hex;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d), or -1. */
export function ipv4FromMapped(hex: string): number {
  if (!hex.startsWith('00000000000000000000ffff')) return -1;
  return Number.parseInt(hex.slice(24), 16);
}

/** RFC 5952 text of 32 hex digits: no leading zeros, the longest run of zero groups as `::`. */
export function formatIpv6(hex: string): string {
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(Number.parseInt(hex.slice(i, i + 4), 16).toString(16));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

export type IpPrefix = { family: 4; network: number; bits: number } | { family: 6; network: string; bits: number };

/** An address or CIDR prefix (`10.0.0.0/8`, `2001:db8::/32`), host bits cleared; undefined when not one. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const v4 = parseIpv4(address);
  if (v4 >= 0) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (bits > 32) return undefined;
    return { family: 4, network: maskIpv4(v4, bits), bits };
  }
  const v6 = parseIpv6(address);
  if (v6 === undefined) return undefined;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (bits > 128) return undefined;
  const mapped = ipv4FromMapped(v6);
  if (mapped >= 0 && bits >= 96) return { family: 4, network: maskIpv4(mapped, bits - 96), bits: bits - 96 };
  return { family: 6, network: maskIpv6(v6, bits), bits };
}

/** The first `bits` bits of an IPv4 address, the rest zero. */
export function maskIpv4(value: number, bits: number): number {
  if (bits >= 32) return value;
  if (bits <= 0) return 0;
  const size = 2 ** (32 - bits);
  return value - (value % size);
}

/** The first `bits` bits of 32 hex digits, the rest zero. */
export function maskIpv6(hex: string, bits: number): string {
  if (bits >= 128) return hex;
  const whole = bits >> 2;
  const partial = bits & 3;
  let out = hex.slice(0, whole);
  if (partial > 0) {
    const nibble = Number.parseInt(hex[whole]!, 16) & (0xf0 >> partial) & 0xf;
    out += nibble.toString(16);
  }
  return out.padEnd(32, '0');
}

/** The canonical text of a prefix: an address alone when it is a single host. */
export function formatIpPrefix(prefix: IpPrefix): string {
  if (prefix.family === 4) return prefix.bits === 32 ? formatIpv4(prefix.network) : `${formatIpv4(prefix.network)}/${prefix.bits}`;
  return prefix.bits === 128 ? formatIpv6(prefix.network) : `${formatIpv6(prefix.network)}/${prefix.bits}`;
}
