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
import { NO_SLOT, type IndicatorIndex } from './indicator-index.ts';
import { intelRuleId } from './intel-rule.ts';

const none: readonly string[] = Object.freeze([]);

type Loose = Record<string, unknown> | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function matchIntel(index: IndicatorIndex, event: SecurityEvent, now: () => number = Date.now): readonly string[] {
  let hits: string[] | undefined;
  let time = Number.NaN;
  const take = (first: number) => {
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
  };

  if (index.has('ip')) {
    const source = event.source?.ip;
    if (source !== undefined) {
      const slot = index.lookupIp(source);
      if (slot !== NO_SLOT) take(slot);
    }
    const destination = event.destination?.ip;
    if (destination !== undefined) {
      const slot = index.lookupIp(destination);
      if (slot !== NO_SLOT) take(slot);
    }
  }

  const url = event.url as Loose;
  if (index.has('domain')) {
    for (const name of [event.dns?.question?.name, url?.domain, event.destination?.domain, ((event.tls as Loose)?.client as Loose)?.server_name]) {
      const domain = text(name);
      if (domain === undefined) continue;
      const slot = index.lookupDomain(domain);
      if (slot !== NO_SLOT) take(slot);
    }
  }

  if (url !== undefined && index.has('url')) {
    const full = text(url.full);
    if (full !== undefined) {
      const slot = index.lookupUrl(full);
      if (slot !== NO_SLOT) take(slot);
    }
    const original = text(url.original);
    if (original !== undefined && original !== full) {
      const domain = text(url.domain);
      const absolute = original.startsWith('/') && domain !== undefined ? domain + original : original;
      const slot = index.lookupUrl(absolute);
      if (slot !== NO_SLOT) take(slot);
    }
  }

  hashes(index, event.file?.hash as Loose, take);
  hashes(index, (event.process as Loose)?.hash as Loose, take);
  return hits ?? none;
}

function hashes(index: IndicatorIndex, hash: Loose, take: (slot: number) => void): void {
  if (hash === undefined) return;
  for (const kind of ['sha256', 'sha1', 'md5'] as const) {
    const value = text(hash[kind]);
    if (value === undefined || !index.has(kind)) continue;
    const slot = index.lookupHash(kind, value);
    if (slot !== NO_SLOT) take(slot);
  }
}
