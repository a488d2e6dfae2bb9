// Builds the ECS object a decoder hands to validation. Values from devices are text;
// here each becomes what its ECS field holds: an address only in `*.ip` when it is one
// (else `*.address`), ports and byte counts only when they are whole numbers in range,
// the transport by name even when the device wrote its IANA number. Empty values are
// skipped, so an absent field never shows up as "".
import { isIP } from 'node:net';

export type EcsObject = Record<string, unknown>;

/** Sets `path` (dotted) in `target`, making the objects on the way; skips undefined and "". */
export function setPath(target: EcsObject, path: string, value: unknown): void {
  if (value === undefined || value === '') return;
  let parts = splitPaths.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    // The paths are the decoders' own ECS names (and label keys): few, so kept split.
    if (splitPaths.size < 10_000) splitPaths.set(path, parts);
  }
  let node = target;
  const last = parts.length - 1;
  for (let index = 0; index < last; index += 1) {
    const part = parts[index]!;
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as EcsObject;
  }
  node[parts[last]!] = value;
}

const splitPaths = new Map<string, string[]>();

/** `source` / `destination` / `observer`: the address goes to .ip when it is an IP, always to .address (not observer). */
export function setAddress(target: EcsObject, side: string, value: string | undefined): void {
  const text = value?.trim();
  if (!text) return;
  if (side !== 'observer') setPath(target, `${side}.address`, text);
  if (isIP(text) !== 0) setPath(target, `${side}.ip`, text);
}

export function wholeNumber(value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = value?.trim();
  if (!text || !/^-?\d+$/.test(text)) return undefined;
  const number = Number(text);
  return number >= min && number <= max ? number : undefined;
}

export function portNumber(value: string | undefined): number | undefined {
  return wholeNumber(value, 0, 65_535);
}

const IANA_PROTOCOLS: Readonly<Record<string, string>> = { '1': 'icmp', '2': 'igmp', '6': 'tcp', '17': 'udp', '47': 'gre', '50': 'esp', '58': 'ipv6-icmp', '132': 'sctp' };

/** network.transport: lowercase name ("TCP" → "tcp", "6" → "tcp"). */
export function transportName(value: string | undefined): string | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  return IANA_PROTOCOLS[text] ?? text;
}

/** file.hash.<algorithm> chosen by the hex length; undefined for anything else. */
export function hashAlgorithm(value: string): 'md5' | 'sha1' | 'sha256' | 'sha512' | undefined {
  if (!/^[0-9a-f]+$/i.test(value)) return undefined;
  switch (value.length) {
    case 32:
      return 'md5';
    case 40:
      return 'sha1';
    case 64:
      return 'sha256';
    case 128:
      return 'sha512';
    default:
      return undefined;
  }
}

/** url.* from a request URL: the parts of an absolute URL, the path and query of a bare path, else url.original only. */
export function setUrl(target: EcsObject, value: string | undefined): void {
  const text = value?.trim();
  if (!text) return;
  setPath(target, 'url.original', text);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    // A path without scheme and host ("/admin/login.php?x=1"), as proxies and WAFs log it.
    if (!text.startsWith('/')) return;
    const query = text.indexOf('?');
    setPath(target, 'url.path', query < 0 ? text : text.slice(0, query));
    if (query >= 0) setPath(target, 'url.query', text.slice(query + 1));
    return;
  }
  setPath(target, 'url.full', text);
  setPath(target, 'url.scheme', parsed.protocol.replace(/:$/, ''));
  setPath(target, 'url.domain', parsed.hostname);
  if (parsed.port !== '') setPath(target, 'url.port', Number(parsed.port));
  setPath(target, 'url.path', parsed.pathname);
  setPath(target, 'url.query', parsed.search.replace(/^\?/, ''));
}

/** event.outcome from a device's own word for it; undefined when it says something else. */
export function outcomeWord(value: string | undefined): 'success' | 'failure' | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  if (/^(success|succeeded|successful|ok|allowed?)$/.test(text)) return 'success';
  if (/^(fail|failed|failure|error)$/.test(text)) return 'failure';
  return undefined;
}

/** A label key ECS and the search stores accept: "Threat Name" → "threat_name". */
export function labelKey(label: string, fallback: string): string {
  const key = label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return key === '' ? fallback : key;
}
