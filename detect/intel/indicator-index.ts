// The loaded indicators arranged for lookups on every event, built once per reload and
// then only read (a reload builds a new one and swaps it in whole):
// - IP addresses and CIDR prefixes: one hash map per prefix length present, keyed by
//   the masked network (IPv4 as a number, IPv6 as hex); a lookup masks the address for
//   each length present, most specific first — a handful of map probes; in front, a
//   bit per first octet and per /24 answer most unlisted IPv4 addresses unparsed;
// - domains: exact names; a lookup walks up the parents, so a listed `evil.com`
//   matches `a.b.evil.com`; in front, a filter of the names' hashes, so a parent is
//   cut out and probed only when it may be listed;
// - URLs (normalize-url.ts) and hashes: exact, one map per kind; in front of the
//   hashes, a filter of their first 32 bits.
// The lookups run on every event: no allocation unless something may match.
// Each key points at a slot; the value listed by several lists (or sources) chains its
// slots. A slot's facts (list, source, confidence, tags) are interned, since a feed
// repeats them for every indicator, to keep a million indicators small.
import type { Indicator, IndicatorKind } from './indicator.ts';
import { ipv4FromMapped, maskIpv6, parseIpPrefix, parseIpv4, parseIpv6 } from './ip-address.ts';
import { normalizeUrl } from './normalize-url.ts';

export interface IndicatorFacts {
  readonly list: string;
  readonly source: string;
  readonly confidence?: number;
  readonly tags: readonly string[];
}

export interface IndexCounts {
  /** Indicators in the index (after dropping duplicates). */
  readonly loaded: number;
  readonly byKind: Readonly<Record<IndicatorKind, number>>;
  /** Dropped because the index was full (VIGIL_INTEL_MAX_INDICATORS). */
  readonly dropped: number;
}

export const NO_SLOT = -1;
const NEVER = Number.POSITIVE_INFINITY;

/** One bit per kind in `IndicatorIndex.kinds`: the matcher tests them on every event. */
export const KIND_BIT: Readonly<Record<IndicatorKind, number>> = { ip: 1, domain: 2, url: 4, md5: 8, sha1: 16, sha256: 32 };
export const HASH_BITS = KIND_BIT.md5 | KIND_BIT.sha1 | KIND_BIT.sha256;

/**
 * The domain and hash filters grow to 64 bits per key (one hash: ~2% false
 * positives) and are rebuilt when they fall under 32, between these sizes (8 KiB to 2 MiB).
 */
const FILTER_MIN_LOG2 = 16;
const FILTER_MAX_LOG2 = 24;

type HashKind = 'md5' | 'sha1' | 'sha256';
const HASH_LENGTH: Readonly<Record<HashKind, number>> = { md5: 32, sha1: 40, sha256: 64 };

/**
 * Per hash kind, one bit per listed hash's first 32 bits (hashes are uniform: their
 * own best hash), kept while every key is lower-case hex of the kind's length.
 */
interface HashFilter {
  canonical: boolean;
  bits: Int32Array | undefined;
  shift: number;
}

export class IndicatorIndex {
  private readonly v4 = new Map<number, Map<number, number>>();
  /** Lengths of /24 and longer, most specific first: looked up only when `v4Blocks` has the /24. */
  private v4LongLengths: number[] = [];
  /** Lengths shorter than /24, most specific first: always looked up (few lists have them). */
  private v4ShortLengths: number[] = [];
  /**
   * One bit per IPv4 /24 holding a listed address or /24+ prefix (2 MiB): most
   * addresses an event carries are in no listed /24, and this answers that with one
   * memory read instead of a probe per prefix length into maps of a million entries.
   */
  private v4Blocks: Uint8Array | undefined;
  /**
   * Which first octets any IPv4 entry covers. Public feeds list public addresses, while
   * half of what a network sensor reports is the unit's own private addresses (10.x,
   * 192.168.x): those are answered from the first octet, without parsing the rest.
   */
  private readonly v4FirstOctets = new Uint8Array(256);
  /**
   * One bit per hash of a listed domain (FNV-1a over its characters from the last,
   * A-Z lower-cased): a lookup hashes a name's suffixes as it walks it from the right
   * and builds a suffix's lower-cased text to probe the map only when its bit is set.
   */
  private domainFilter: Int32Array | undefined;
  private domainFilterShift = 32;
  private readonly hashFilters: Record<HashKind, HashFilter> = {
    md5: { canonical: true, bits: undefined, shift: 32 },
    sha1: { canonical: true, bits: undefined, shift: 32 },
    sha256: { canonical: true, bits: undefined, shift: 32 },
  };
  private readonly v6 = new Map<number, Map<string, number>>();
  private v6Lengths: number[] = [];
  private readonly exact: Record<Exclude<IndicatorKind, 'ip'>, Map<string, number>> = {
    domain: new Map(),
    url: new Map(),
    md5: new Map(),
    sha1: new Map(),
    sha256: new Map(),
  };
  private readonly slotValue: string[] = [];
  private readonly slotKind: IndicatorKind[] = [];
  private readonly slotFacts: number[] = [];
  private readonly slotExpires: number[] = [];
  private readonly slotNext: number[] = [];
  private readonly factTable: IndicatorFacts[] = [];
  private readonly factIds = new Map<string, number>();
  private readonly byKind: Record<IndicatorKind, number> = { ip: 0, domain: 0, url: 0, md5: 0, sha1: 0, sha256: 0 };
  /**
   * KIND_BIT of every kind with an indicator. The matcher reads this one field rather
   * than `byKind[kind]`: a keyed read with a different key at each call site is a
   * generic (megamorphic) lookup, and it cost a quarter of the matcher's time.
   */
  private kindBits = 0;
  private dropped = 0;
  private lastFacts: IndicatorFacts | undefined;
  private lastFactId = 0;

  constructor(private readonly maxIndicators = Number.POSITIVE_INFINITY) {}

  get size(): number {
    return this.slotValue.length;
  }

  counts(): IndexCounts {
    return { loaded: this.size, byKind: { ...this.byKind }, dropped: this.dropped };
  }

  /** Adds one indicator; a repeat of one already held (same value, kind and facts) keeps the later expiry. */
  add(indicator: Indicator): void {
    const factId = this.factId(indicator);
    const expires = indicator.expires ?? NEVER;
    if (indicator.kind === 'ip') {
      const prefix = parseIpPrefix(indicator.value);
      if (prefix === undefined) return;
      if (prefix.family === 4) {
        let map = this.v4.get(prefix.bits);
        if (map === undefined) {
          map = new Map();
          this.v4.set(prefix.bits, map);
          const lengths = [...this.v4.keys()].sort((a, b) => b - a);
          this.v4LongLengths = lengths.filter((bits) => bits >= 24);
          this.v4ShortLengths = lengths.filter((bits) => bits < 24);
        }
        if (this.insert(map, int32Key(prefix.network, prefix.bits), indicator, factId, expires)) {
          const first = Math.floor(prefix.network / 16777216);
          this.v4FirstOctets.fill(1, first, first + 2 ** Math.max(0, 8 - prefix.bits));
          if (prefix.bits >= 24) {
            this.v4Blocks ??= new Uint8Array(1 << 21);
            const block = Math.floor(prefix.network / 256);
            this.v4Blocks[block >> 3]! |= 1 << (block & 7);
          }
        }
      } else {
        let map = this.v6.get(prefix.bits);
        if (map === undefined) {
          map = new Map();
          this.v6.set(prefix.bits, map);
          this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
        }
        this.insert(map, prefix.network, indicator, factId, expires);
      }
      return;
    }
    if (!this.insert(this.exact[indicator.kind], indicator.value, indicator, factId, expires)) return;
    if (indicator.kind === 'domain') this.markDomain(indicator.value);
    else if (indicator.kind !== 'url') this.markHash(indicator.kind, indicator.value);
  }

  /** Sets the hash's bit in its kind's filter, or drops the filter for good once a key is not lower-case hex of the kind's length. */
  private markHash(kind: HashKind, hash: string): void {
    const filter = this.hashFilters[kind];
    if (!filter.canonical) return;
    if (hexPrefix(hash, HASH_LENGTH[kind]) < 0) {
      filter.canonical = false;
      filter.bits = undefined;
      return;
    }
    const count = this.exact[kind].size;
    if (filter.bits === undefined || (filter.bits.length < 1 << (FILTER_MAX_LOG2 - 5) && count > filter.bits.length)) {
      const log2 = filterLog2(count);
      filter.bits = new Int32Array(1 << (log2 - 5));
      filter.shift = 32 - log2;
      for (const listed of this.exact[kind].keys()) setBit(filter.bits, hexPrefix(listed, HASH_LENGTH[kind]) >>> filter.shift);
      return;
    }
    setBit(filter.bits, hexPrefix(hash, HASH_LENGTH[kind]) >>> filter.shift);
  }

  /** Sets the domain's bit in the filter, first growing the filter (rebuilt from the map) when it holds fewer than 32 bits a domain. */
  private markDomain(domain: string): void {
    const count = this.exact.domain.size;
    let filter = this.domainFilter;
    if (filter === undefined || (filter.length < 1 << (FILTER_MAX_LOG2 - 5) && count > filter.length)) {
      const log2 = filterLog2(count);
      filter = new Int32Array(1 << (log2 - 5));
      this.domainFilter = filter;
      this.domainFilterShift = 32 - log2;
      for (const listed of this.exact.domain.keys()) setBit(filter, suffixBit(hashFromRight(listed), this.domainFilterShift));
      return;
    }
    setBit(filter, suffixBit(hashFromRight(domain), this.domainFilterShift));
  }

  /** Whether the key is now in the map (false: the index is full). */
  private insert<K>(map: Map<K, number>, key: K, indicator: Indicator, factId: number, expires: number): boolean {
    const head = map.get(key);
    for (let slot = head ?? NO_SLOT; slot !== NO_SLOT; slot = this.slotNext[slot]!) {
      if (this.slotFacts[slot] === factId) {
        if (expires > this.slotExpires[slot]!) this.slotExpires[slot] = expires;
        return true;
      }
    }
    if (this.size >= this.maxIndicators) {
      this.dropped += 1;
      return head !== undefined;
    }
    const slot = this.slotValue.length;
    this.slotValue.push(indicator.value);
    this.slotKind.push(indicator.kind);
    this.slotFacts.push(factId);
    this.slotExpires.push(expires);
    this.slotNext.push(head ?? NO_SLOT);
    map.set(key, slot);
    this.byKind[indicator.kind] += 1;
    this.kindBits |= KIND_BIT[indicator.kind];
    return true;
  }

  private factId(indicator: Indicator): number {
    // Lists repeat the same facts indicator after indicator: compare with the last first.
    const last = this.lastFacts;
    if (
      last !== undefined &&
      last.list === indicator.list &&
      last.source === indicator.source &&
      last.confidence === indicator.confidence &&
      last.tags.length === indicator.tags.length &&
      last.tags.every((tag, i) => tag === indicator.tags[i])
    ) {
      return this.lastFactId;
    }
    const key = `${indicator.list}\u0000${indicator.source}\u0000${indicator.confidence ?? ''}\u0000${indicator.tags.join('\u0001')}`;
    let id = this.factIds.get(key);
    if (id === undefined) {
      id = this.factTable.length;
      this.factTable.push({
        list: indicator.list,
        source: indicator.source,
        ...(indicator.confidence === undefined ? {} : { confidence: indicator.confidence }),
        tags: [...indicator.tags],
      });
      this.factIds.set(key, id);
    }
    this.lastFacts = this.factTable[id];
    this.lastFactId = id;
    return id;
  }

  /** The first slot of the most specific prefix holding `address` (v4 or v6 text), or NO_SLOT. */
  lookupIp(address: string): number {
    // Dotted IPv4, the common case, parsed in one pass into a number, the first octet
    // checked as soon as it is read. Anything else (a leading zero, IPv6, garbage) takes
    // the general path below, which gives the same answer for whatever this refuses.
    const length = address.length;
    if (length >= 7 && length <= 15) {
      let value = 0;
      let part = 0;
      let digits = 0;
      let dots = 0;
      for (let i = 0; i < length; i++) {
        const code = address.charCodeAt(i);
        if (code === 46 /* . */) {
          if (digits === 0 || dots === 3) {
            dots = -1;
            break;
          }
          if (dots === 0 && this.v4FirstOctets[part] === 0) return NO_SLOT;
          value = value * 256 + part;
          // Three octets read: a /24 no entry covers is answered without the last one
          // (whatever follows, text starting so is an IPv4 address or nothing).
          if (dots === 2 && this.v4ShortLengths.length === 0 && !this.blockListed(value)) return NO_SLOT;
          part = 0;
          digits = 0;
          dots += 1;
        } else if (code >= 48 && code <= 57 && (digits === 0 || part !== 0)) {
          part = part * 10 + (code - 48);
          digits += 1;
          if (part > 255) {
            dots = -1;
            break;
          }
        } else {
          dots = -1;
          break;
        }
      }
      if (dots === 3 && digits > 0) return this.lookupIpv4(value * 256 + part);
    }
    return this.lookupIpSlow(address);
  }

  /** Any address text: the first-octet check, then IPv4, IPv4-mapped IPv6 or IPv6. */
  private lookupIpSlow(address: string): number {
    let first = 0;
    for (let i = 0; i < 4; i++) {
      const code = address.charCodeAt(i);
      if (code === 46 /* . */) {
        if (i > 0 && first < 256 && this.v4FirstOctets[first] === 0) return NO_SLOT;
        break;
      }
      if (!(code >= 48 && code <= 57)) break;
      first = first * 10 + (code - 48);
    }
    let v4 = parseIpv4(address);
    if (v4 < 0) {
      if (this.v6Lengths.length === 0 && this.v4.size === 0) return NO_SLOT;
      const v6 = address.includes(':') ? parseIpv6(address) : undefined;
      if (v6 === undefined) return NO_SLOT;
      v4 = ipv4FromMapped(v6);
      if (v4 < 0) {
        for (const bits of this.v6Lengths) {
          const slot = this.v6.get(bits)!.get(maskIpv6(v6, bits));
          if (slot !== undefined) return slot;
        }
        return NO_SLOT;
      }
    }
    return this.lookupIpv4(v4);
  }

  /** Whether the /24 `block` (an address's first three octets) holds a listed address or /24+ prefix. */
  private blockListed(block: number): boolean {
    const blocks = this.v4Blocks;
    return blocks !== undefined && (blocks[block >> 3]! & (1 << (block & 7))) !== 0;
  }

  private lookupIpv4(v4: number): number {
    if (this.blockListed(v4 >>> 8)) {
      for (const bits of this.v4LongLengths) {
        const slot = this.v4.get(bits)!.get(int32Key(v4, bits));
        if (slot !== undefined) return slot;
      }
    }
    for (const bits of this.v4ShortLengths) {
      const slot = this.v4.get(bits)!.get(int32Key(v4, bits));
      if (slot !== undefined) return slot;
    }
    return NO_SLOT;
  }

  /** The slot of `name` or of its nearest listed parent domain, or NO_SLOT. */
  lookupDomain(name: string): number {
    const map = this.exact.domain;
    if (map.size === 0 || name === '') return NO_SLOT;
    const filter = this.domainFilter;
    let end = name.length;
    if (name.charCodeAt(end - 1) === 46 /* . */) end -= 1;
    if (filter === undefined || end === 0) return this.lookupDomainSlow(name);
    // From the right: a suffix's hash is complete when its first character is read.
    // The suffixes probed are those the walk from the left probed (the whole name, and
    // each one after a dot that still holds a dot: a bare TLD is never listed); the
    // longest listed one wins, as there. Non-ASCII text takes that walk itself, since
    // lower-casing it can change its length.
    const shift = this.domainFilterShift;
    let hash = FNV_OFFSET;
    let dotSeen = false;
    let found = NO_SLOT;
    for (let i = end - 1; i >= 0; i--) {
      const code = name.charCodeAt(i);
      if (code >= 128) return this.lookupDomainSlow(name);
      if (code === 46) dotSeen = true;
      hash = fnvStep(hash, code);
      if (i === 0 || (dotSeen && name.charCodeAt(i - 1) === 46)) {
        const bit = suffixBit(hash, shift);
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) !== 0) {
          const slot = map.get(name.slice(i, end).toLowerCase());
          if (slot !== undefined) found = slot;
        }
      }
    }
    return found;
  }

  /** The walk from the left, lower-casing first: for non-ASCII names. */
  private lookupDomainSlow(name: string): number {
    const map = this.exact.domain;
    let domain = name.toLowerCase();
    if (domain.endsWith('.')) domain = domain.slice(0, -1);
    for (;;) {
      const slot = map.get(domain);
      if (slot !== undefined) return slot;
      const dot = domain.indexOf('.');
      if (dot < 0) return NO_SLOT;
      domain = domain.slice(dot + 1);
      if (domain.indexOf('.') < 0) return NO_SLOT; // a bare TLD is never listed
    }
  }

  lookupUrl(url: string): number {
    const map = this.exact.url;
    if (map.size === 0) return NO_SLOT;
    const normalized = normalizeUrl(url);
    return normalized === undefined ? NO_SLOT : (map.get(normalized) ?? NO_SLOT);
  }

  lookupHash(kind: HashKind, hash: string): number {
    const map = this.exact[kind];
    if (map.size === 0) return NO_SLOT;
    const filter = this.hashFilters[kind];
    const bits = filter.bits;
    if (bits === undefined) return this.lookupHashSlow(map, hash);
    // Every key is lower-case hex of this length, and a value matches when it or its
    // lower-case form is a key. So a value of another length cannot match (only A-F
    // lower-case to hex digits, and none changes length), nor one whose first eight
    // characters, lower-cased, are not a listed hash's first 32 bits.
    if (hash.length !== HASH_LENGTH[kind]) return NO_SLOT;
    let prefix = 0;
    for (let i = 0; i < 8; i++) {
      const code = hash.charCodeAt(i);
      let digit: number;
      if (code >= 48 && code <= 57) digit = code - 48;
      else if (code >= 97 && code <= 102) digit = code - 87;
      else if (code >= 65 && code <= 70) digit = code - 55;
      else return NO_SLOT;
      prefix = (prefix << 4) | digit;
    }
    const bit = (prefix >>> 0) >>> filter.shift;
    if ((bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return NO_SLOT;
    return this.lookupHashSlow(map, hash);
  }

  private lookupHashSlow(map: Map<string, number>, hash: string): number {
    const slot = map.get(hash);
    if (slot !== undefined) return slot;
    // Agents mostly send lower-case hex; only an upper-case one is probed again.
    const lower = hash.toLowerCase();
    return lower === hash ? NO_SLOT : (map.get(lower) ?? NO_SLOT);
  }

  /** Whether any indicator of this kind is loaded. */
  has(kind: IndicatorKind): boolean {
    return (this.kindBits & KIND_BIT[kind]) !== 0;
  }

  /** KIND_BIT of each kind with an indicator loaded: lets the matcher skip fields cheaply. */
  get kinds(): number {
    return this.kindBits;
  }

  next(slot: number): number {
    return this.slotNext[slot]!;
  }

  expires(slot: number): number {
    return this.slotExpires[slot]!;
  }

  value(slot: number): string {
    return this.slotValue[slot]!;
  }

  kind(slot: number): IndicatorKind {
    return this.slotKind[slot]!;
  }

  facts(slot: number): IndicatorFacts {
    return this.factTable[this.slotFacts[slot]!]!;
  }
}

/**
 * An IPv4 address's first `bits` bits as a signed 32-bit integer: a small integer to
 * V8, which Maps hash fast. (Addresses above 2^31 as plain numbers are heap numbers,
 * and a Map of 400,000 of them probes 20 times slower.)
 */
function int32Key(address: number, bits: number): number {
  return bits === 0 ? 0 : address & (-1 << (32 - bits));
}

const FNV_OFFSET = 0x811c9dc5 | 0;

/** The filter size for `count` keys: 64 bits a key, within the bounds. */
function filterLog2(count: number): number {
  let log2 = FILTER_MIN_LOG2;
  while (log2 < FILTER_MAX_LOG2 && 1 << (log2 - 5) < count * 2) log2 += 1;
  return log2;
}

/** The first 32 bits of a lower-case hex string of `length` characters, as an unsigned number; -1 when it is not one. */
function hexPrefix(text: string, length: number): number {
  if (text.length !== length) return -1;
  let prefix = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    if (i < 8) prefix = (prefix << 4) | digit;
  }
  return prefix >>> 0;
}

/** One FNV-1a step over a character, A-Z taken as a-z. */
function fnvStep(hash: number, code: number): number {
  return Math.imul(hash ^ (code >= 65 && code <= 90 ? code + 32 : code), 16777619);
}

function hashFromRight(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = text.length - 1; i >= 0; i--) hash = fnvStep(hash, text.charCodeAt(i));
  return hash;
}

/** The filter bit of a hash: its top bits after a multiplicative mix (FNV's low bits mix poorly). */
function suffixBit(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}

function setBit(filter: Int32Array, bit: number): void {
  filter[bit >>> 5]! |= 1 << (bit & 31);
}

export function buildIndicatorIndex(lists: Iterable<readonly Indicator[]>, maxIndicators?: number): IndicatorIndex {
  const index = new IndicatorIndex(maxIndicators);
  for (const list of lists) for (const indicator of list) index.add(indicator);
  return index;
}
