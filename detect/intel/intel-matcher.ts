// Looks an event's observables up in the indicator index: addresses (source.ip,
// destination.ip), domain names (dns.question.name, url.domain, destination.domain,
// tls.client.server_name), URLs (url.full, url.original; a bare path is joined to
// url.domain) and file hashes (file.hash.*, process.hash.*). Each listed indicator
// hit once per event becomes the id of its synthetic rule (intel-rule.ts).
//
// Expiry is checked here, at match time, against the event's @timestamp, capped at the
// current time: a replayed batch gives the same answer as the first pass, and an agent
// whose clock runs ahead cannot make a live indicator look expired.
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { HASH_BITS, KIND_BIT, NO_SLOT, type IndicatorIndex } from './indicator-index.ts';
import { intelRuleId } from './intel-rule.ts';

const none: readonly string[] = Object.freeze([]);

type Loose = Record<string, unknown> | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const URL_READERS = KIND_BIT.domain | KIND_BIT.url;

/**
 * The ids of the intel rules the event fires, in field order, each once. Written for
 * the common case, an event with no listed value: one read of the kinds loaded, a few
 * property reads and map probes, no allocation; naming a hit is done only for a hit.
 *
 * The event's parts are read by one of two identical readers. V8 specializes each
 * property read in the code to the object shapes it has met there, up to four; past
 * four it does a generic lookup, about 9 ns each. A stream has more event shapes than
 * that (the province mix five: firewall, IDS, DNS and two antivirus ones), and seven
 * reads an event made that generic lookup half of the matcher's time. Network records
 * (with a destination) and host records each come in few shapes, so each reader's
 * reads stay specialized. The parts travel as arguments: stored in a shared object
 * they would pay a write barrier each.
 */
export function matchIntel(index: IndicatorIndex, event: SecurityEvent, now: () => number = Date.now): readonly string[] {
  const kinds = index.kinds;
  if (kinds === 0) return none;
  const destination = event.destination;
  return destination !== undefined ? readNetworkRecord(index, kinds, event, destination, now) : readHostRecord(index, kinds, event, now);
}

/** Keep in step with readHostRecord. */
function readNetworkRecord(index: IndicatorIndex, kinds: number, event: SecurityEvent, destination: NonNullable<SecurityEvent['destination']>, now: () => number) {
  return matchParts(
    index,
    kinds,
    event,
    now,
    (kinds & KIND_BIT.ip) !== 0 ? event.source : undefined,
    destination,
    (kinds & URL_READERS) !== 0 ? (event.url as Loose) : undefined,
    (kinds & KIND_BIT.domain) !== 0 ? event.dns : undefined,
    (kinds & KIND_BIT.domain) !== 0 ? (event.tls as Loose) : undefined,
    (kinds & HASH_BITS) !== 0 ? event.file : undefined,
    (kinds & HASH_BITS) !== 0 ? (event.process as Loose) : undefined,
  );
}

/** Keep in step with readNetworkRecord. */
function readHostRecord(index: IndicatorIndex, kinds: number, event: SecurityEvent, now: () => number) {
  return matchParts(
    index,
    kinds,
    event,
    now,
    (kinds & KIND_BIT.ip) !== 0 ? event.source : undefined,
    undefined,
    (kinds & URL_READERS) !== 0 ? (event.url as Loose) : undefined,
    (kinds & KIND_BIT.domain) !== 0 ? event.dns : undefined,
    (kinds & KIND_BIT.domain) !== 0 ? (event.tls as Loose) : undefined,
    (kinds & HASH_BITS) !== 0 ? event.file : undefined,
    (kinds & HASH_BITS) !== 0 ? (event.process as Loose) : undefined,
  );
}

function matchParts(
  index: IndicatorIndex,
  kinds: number,
  event: SecurityEvent,
  now: () => number,
  source: SecurityEvent['source'],
  destination: SecurityEvent['destination'],
  url: Loose,
  dns: SecurityEvent['dns'],
  tls: Loose,
  file: SecurityEvent['file'],
  process: Loose,
): readonly string[] {
  let hits: string[] | undefined;
  let slot: number;
  if ((kinds & KIND_BIT.ip) !== 0) {
    const sourceIp = source?.ip;
    const destinationIp = destination?.ip;
    if (sourceIp !== undefined && (slot = index.lookupIp(sourceIp)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
    if (destinationIp !== undefined && (slot = index.lookupIp(destinationIp)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
  }
  if ((kinds & KIND_BIT.domain) !== 0) {
    const question = dns?.question?.name;
    if (question !== undefined && (slot = index.lookupDomain(question)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
    const urlDomain = text(url?.domain);
    if (urlDomain !== undefined && (slot = index.lookupDomain(urlDomain)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
    const destinationDomain = text(destination?.domain);
    if (destinationDomain !== undefined && (slot = index.lookupDomain(destinationDomain)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
    const sni = tls === undefined ? undefined : text((tls.client as Loose)?.server_name);
    if (sni !== undefined && (slot = index.lookupDomain(sni)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
  }
  if (url !== undefined && (kinds & KIND_BIT.url) !== 0) {
    const full = text(url.full);
    if (full !== undefined && (slot = index.lookupUrl(full)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
    const original = text(url.original);
    if (original !== undefined && original !== full) {
      const domain = text(url.domain);
      slot = index.lookupUrl(original.startsWith('/') && domain !== undefined ? domain + original : original);
      if (slot !== NO_SLOT) hits = take(index, slot, event, now, hits);
    }
  }
  if ((kinds & HASH_BITS) !== 0) {
    const fileHash = file?.hash as Loose;
    if (fileHash !== undefined) hits = hashes(index, kinds, fileHash, event, now, hits);
    const processHash = process === undefined ? undefined : (process.hash as Loose);
    if (processHash !== undefined) hits = hashes(index, kinds, processHash, event, now, hits);
  }
  return hits ?? none;
}

function hashes(index: IndicatorIndex, kinds: number, hash: Record<string, unknown>, event: SecurityEvent, now: () => number, hits: string[] | undefined) {
  let slot: number;
  const sha256 = text(hash.sha256);
  if (sha256 !== undefined && (kinds & KIND_BIT.sha256) !== 0 && (slot = index.lookupHash('sha256', sha256)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
  const sha1 = text(hash.sha1);
  if (sha1 !== undefined && (kinds & KIND_BIT.sha1) !== 0 && (slot = index.lookupHash('sha1', sha1)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
  const md5 = text(hash.md5);
  if (md5 !== undefined && (kinds & KIND_BIT.md5) !== 0 && (slot = index.lookupHash('md5', md5)) !== NO_SLOT) hits = take(index, slot, event, now, hits);
  return hits;
}

/** Rule ids already named, per index and slot: a hit repeats (the same C2 address all day), the id need not be rebuilt. */
const ruleIds = new WeakMap<IndicatorIndex, Map<number, string>>();

/**
 * Adds the rule ids of the indicators chained from `first` that had not expired at the
 * event's time. The event's @timestamp is parsed only for an indicator that has
 * expired by now: one still live now was live at the event's time, capped at now.
 */
function take(index: IndicatorIndex, first: number, event: SecurityEvent, now: () => number, hits: string[] | undefined): string[] | undefined {
  let current = Number.NaN;
  let time = Number.NaN;
  let named = ruleIds.get(index);
  for (let slot = first; slot !== NO_SLOT; slot = index.next(slot)) {
    const expires = index.expires(slot);
    if (expires !== Number.POSITIVE_INFINITY) {
      if (Number.isNaN(current)) current = now();
      if (!(expires >= current)) {
        if (Number.isNaN(time)) time = Math.min(Date.parse(event['@timestamp']), current);
        if (expires < time) continue;
      }
    }
    if (named === undefined) {
      named = new Map();
      ruleIds.set(index, named);
    }
    let id = named.get(slot);
    if (id === undefined) {
      id = intelRuleId(index.facts(slot).source, index.kind(slot), index.value(slot));
      named.set(slot, id);
    }
    hits ??= [];
    if (!hits.includes(id)) hits.push(id);
  }
  return hits;
}
