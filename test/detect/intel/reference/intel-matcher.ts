// FROZEN COPY of detect/intel/intel-matcher.ts as of 6361308, before the matcher was made cheaper:
// the reference intel-matcher-equivalence.test.ts compares today's matcher against.
// Do not edit or "fix": its answers are the behaviour the matcher must keep.
// Looks an event's observables up in the indicator index: addresses (source.ip,
// destination.ip), domain names (dns.question.name, url.domain, destination.domain,
// tls.client.server_name), URLs (url.full, url.original; a bare path is joined to
// url.domain) and file hashes (file.hash.*, process.hash.*). Each listed indicator
// hit once per event becomes the id of its synthetic rule (intel-rule.ts).
//
// Expiry is checked here, at match time, against the event's @timestamp, capped at the
// current time: a replayed batch gives the same answer as the first pass, and an agent
// whose clock runs ahead cannot make a live indicator look expired.
import type { SecurityEvent } from '../../../../core/schemas/event.ts';
import { NO_SLOT, type IndicatorIndex } from './indicator-index.ts';
import { intelRuleId } from '../../../../detect/intel/intel-rule.ts';

const none: readonly string[] = Object.freeze([]);

type Loose = Record<string, unknown> | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The ids of the intel rules the event fires, in field order, each once. Written for
 * the common case, an event with no listed value: a few property reads and map probes,
 * no allocation; the work of naming a hit is done only for a hit.
 */
export function matchIntel(index: IndicatorIndex, event: SecurityEvent, now: () => number = Date.now): readonly string[] {
  let hits: string[] | undefined;
  const destination = event.destination;
  if (index.has('ip')) {
    const sourceIp = event.source?.ip;
    if (sourceIp !== undefined) hits = take(index, index.lookupIp(sourceIp), event, now, hits);
    const destinationIp = destination?.ip;
    if (destinationIp !== undefined) hits = take(index, index.lookupIp(destinationIp), event, now, hits);
  }
  const url = index.has('domain') || index.has('url') ? (event.url as Loose) : undefined;
  if (index.has('domain')) {
    const question = event.dns?.question?.name;
    if (question !== undefined) hits = take(index, index.lookupDomain(question), event, now, hits);
    const urlDomain = text(url?.domain);
    if (urlDomain !== undefined) hits = take(index, index.lookupDomain(urlDomain), event, now, hits);
    const destinationDomain = text(destination?.domain);
    if (destinationDomain !== undefined) hits = take(index, index.lookupDomain(destinationDomain), event, now, hits);
    const tls = event.tls as Loose;
    const sni = tls === undefined ? undefined : text((tls.client as Loose)?.server_name);
    if (sni !== undefined) hits = take(index, index.lookupDomain(sni), event, now, hits);
  }
  if (url !== undefined && index.has('url')) {
    const full = text(url.full);
    if (full !== undefined) hits = take(index, index.lookupUrl(full), event, now, hits);
    const original = text(url.original);
    if (original !== undefined && original !== full) {
      const domain = text(url.domain);
      hits = take(index, index.lookupUrl(original.startsWith('/') && domain !== undefined ? domain + original : original), event, now, hits);
    }
  }
  if (index.has('sha256') || index.has('sha1') || index.has('md5')) {
    const fileHash = event.file?.hash as Loose;
    if (fileHash !== undefined) hits = hashes(index, fileHash, event, now, hits);
    const process = event.process as Loose;
    const processHash = process === undefined ? undefined : (process.hash as Loose);
    if (processHash !== undefined) hits = hashes(index, processHash, event, now, hits);
  }
  return hits ?? none;
}

function hashes(index: IndicatorIndex, hash: Record<string, unknown>, event: SecurityEvent, now: () => number, hits: string[] | undefined) {
  const sha256 = text(hash.sha256);
  if (sha256 !== undefined && index.has('sha256')) hits = take(index, index.lookupHash('sha256', sha256), event, now, hits);
  const sha1 = text(hash.sha1);
  if (sha1 !== undefined && index.has('sha1')) hits = take(index, index.lookupHash('sha1', sha1), event, now, hits);
  const md5 = text(hash.md5);
  if (md5 !== undefined && index.has('md5')) hits = take(index, index.lookupHash('md5', md5), event, now, hits);
  return hits;
}

/** Adds the rule ids of the indicators chained from `first` that had not expired at the event's time. */
function take(index: IndicatorIndex, first: number, event: SecurityEvent, now: () => number, hits: string[] | undefined): string[] | undefined {
  if (first === NO_SLOT) return hits;
  let time = Number.NaN;
  for (let slot = first; slot !== NO_SLOT; slot = index.next(slot)) {
    const expires = index.expires(slot);
    if (expires !== Number.POSITIVE_INFINITY) {
      if (Number.isNaN(time)) time = Math.min(Date.parse(event['@timestamp']), now());
      if (expires < time) continue;
    }
    const id = intelRuleId(index.facts(slot).source, index.kind(slot), index.value(slot));
    hits ??= [];
    if (!hits.includes(id)) hits.push(id);
  }
  return hits;
}
