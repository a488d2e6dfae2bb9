// A decoder for one antivirus console, built from its mapping file (av-mapping-schema.ts):
// format `av:<name>`, JSON records or CSV rows (header line first) to ECS antivirus
// detections, the shape Vigil's antivirus rules and correlations read: event.category
// malware, event.action one of detected/quarantined/cleaned/deleted/blocked/failed,
// event.outcome, rule.name = the signature, file.*, host.*. The unit is never taken from
// the record: the agent key decides it, so the console's own group is only a label.
import { decoded, isObject, undecodable, type Decoder, type DecodeResult, type EcsObject } from './decoder.ts';
import type { AvMapping } from './av-mapping-schema.ts';
import { parseCsvLine } from './csv-line.ts';
import { compileTimePattern, parseEpoch, parseIsoTime, timeZone } from './parse-time.ts';

export const AV_FORMAT_PREFIX = 'av:';

/** One record's fields by the console's name: a JSON object, or a CSV row by column title. */
type Lookup = (field: string) => string | undefined;

const NUMERIC_TARGETS = new Set(['file.size', 'event.severity']);

/** Throws, with the reason, on a time format or zone that cannot work (found at start). */
export function avMappingDecoder(mapping: AvMapping): Decoder {
  const readTime = timeReader(mapping);
  const delimiter = mapping.csv?.delimiter ?? ',';
  let header: { text: string; columns: Map<string, number> } | undefined;

  const columnsOf = (text: string): Map<string, number> | string => {
    if (header?.text === text) return header.columns;
    const parsed = parseCsvLine(text, delimiter);
    if (!parsed.ok) return `header line: ${parsed.error}`;
    const columns = new Map<string, number>();
    parsed.fields.forEach((title, i) => columns.set(normalise(title), i));
    header = { text, columns };
    return columns;
  };

  return {
    name: `${AV_FORMAT_PREFIX}${mapping.name}`,
    summary: mapping.description,
    input: mapping.input === 'csv' ? 'text' : 'json',
    headerLine: mapping.input === 'csv',
    decode({ text, value }, context): DecodeResult {
      let lookup: Lookup;
      if (mapping.input === 'json') {
        if (!isObject(value)) return undecodable(`a ${mapping.name} record is a JSON object`);
        lookup = (field) => textOf(field in value ? value[field] : pathValue(value, field));
      } else {
        if (context.header === undefined) return undecodable('no header line: a CSV post starts with the column titles');
        const columns = columnsOf(context.header);
        if (typeof columns === 'string') return undecodable(columns);
        const row = parseCsvLine(text, delimiter);
        if (!row.ok) return undecodable(row.error);
        if (row.fields.length !== columns.size) return undecodable(`the row has ${row.fields.length} columns, the header ${columns.size}`);
        lookup = (field) => {
          const at = columns.get(normalise(field));
          return at === undefined ? undefined : blankToUndefined(row.fields[at]!);
        };
      }
      return toEcs(mapping, lookup, readTime);
    },
  };
}

function toEcs(mapping: AvMapping, lookup: Lookup, readTime: (text: string) => string | undefined): DecodeResult {
  for (const [field, accepted] of Object.entries(mapping.where ?? {})) {
    const value = lookup(field);
    const allowed = Array.isArray(accepted) ? accepted : [accepted];
    if (value === undefined || !allowed.some((a) => a.toLowerCase() === value.toLowerCase())) {
      return undecodable(`${field} is ${value === undefined ? 'missing' : `"${value}"`}; the ${mapping.name} mapping reads only ${field} ${allowed.join(' or ')}`);
    }
  }
  const event: EcsObject = {};
  for (const [path, value] of Object.entries(mapping.static ?? {})) setPath(event, path, value);

  for (const [target, field] of Object.entries(mapping.fields)) {
    const value = lookup(field);
    if (value === undefined) continue;
    if (NUMERIC_TARGETS.has(target)) {
      const n = Number(value);
      if (!Number.isFinite(n)) return undecodable(`${field}: "${value}" is not a number (for ${target})`);
      setPath(event, target, target === 'event.severity' ? Math.round(n) : n);
    } else if (target === 'file.hash') {
      const algorithm = hashAlgorithm(value);
      if (algorithm === undefined) return undecodable(`${field}: "${value}" is not an MD5, SHA-1 or SHA-256 hash`);
      setPath(event, `file.hash.${algorithm}`, value.toLowerCase());
    } else if (target === 'file.path') {
      setPath(event, target, filePath(value));
    } else {
      setPath(event, target, value);
    }
  }
  const file = event.file as EcsObject | undefined;
  if (file?.path !== undefined && file.name === undefined) {
    const name = String(file.path).split(/[\\/]/).pop();
    if (name) file.name = name;
  }
  if (mapping.unit_hint) {
    const group = lookup(mapping.unit_hint);
    if (group !== undefined) setPath(event, 'labels.console_group', group);
  }
  for (const needed of mapping.required) {
    if (getPath(event, needed) === undefined) return undecodable(`no ${needed}: the ${mapping.name} mapping takes it from "${mapping.fields[needed] ?? '(not mapped)'}"`);
  }

  if (mapping.time) {
    const raw = lookup(mapping.time.field);
    if (raw !== undefined) {
      const time = readTime(raw);
      if (time === undefined) return undecodable(`${mapping.time.field}: "${raw}" is not a time in the format ${mapping.time.format} (${mapping.time.timezone})`);
      event['@timestamp'] = time;
    }
  }

  const action = mapping.action ? translate(lookup(mapping.action.field), mapping.action.map) ?? mapping.action.default : 'detected';
  const outcome = mapping.result
    ? translate(lookup(mapping.result.field), mapping.result.map) ?? mapping.result.default
    : action === 'failed'
      ? 'failure'
      : action === 'detected'
        ? 'unknown'
        : 'success';
  const own = isObjectValue(event.event) ? event.event : {};
  event.event = {
    kind: 'alert',
    category: ['malware'],
    type: ['info'],
    module: 'antivirus',
    dataset: `av.${mapping.name}`,
    ...own,
    action,
    outcome,
  };
  event.observer = { type: 'antivirus', ...(isObjectValue(event.observer) ? event.observer : {}) };
  return decoded(event);
}

/**
 * A console word to Vigil's: an exact key first (case-insensitive), else the first key,
 * in the file's order, found inside the value ("Cleaned by deleting" → the key
 * "cleaned by deleting" if listed, else "deleting" if listed before "cleaned").
 */
function translate<T extends string>(value: string | undefined, map: Record<string, T>): T | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  const entries = Object.entries(map);
  return entries.find(([key]) => key.toLowerCase() === lower)?.[1] ?? entries.find(([key]) => lower.includes(key.toLowerCase()))?.[1];
}

function timeReader(mapping: AvMapping): (text: string) => string | undefined {
  if (!mapping.time) return () => undefined;
  let zone;
  try {
    zone = timeZone(mapping.time.timezone);
  } catch (error) {
    throw new Error(`time.timezone: "${mapping.time.timezone}" is not UTC, an offset like +07:00 or a time zone name like Asia/Bangkok`, { cause: error });
  }
  const format = mapping.time.format;
  if (format === 'iso8601') return (text) => parseIsoTime(text, zone);
  if (format === 'epoch_s') return (text) => parseEpoch(text, 'seconds');
  if (format === 'epoch_ms') return (text) => parseEpoch(text, 'milliseconds');
  try {
    const pattern = compileTimePattern(format, zone);
    return (text) => pattern.parse(text);
  } catch (error) {
    throw new Error(`time.format: ${(error as Error).message}`, { cause: error });
  }
}

/** A file:// URI (ESET's object_uri) as the path a person reads; other values as sent. */
function filePath(value: string): string {
  if (!/^file:\/\//i.test(value)) return value;
  let path = value.replace(/^file:\/\/(localhost)?/i, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // A stray % is kept as written.
  }
  // file:///C:/Users/... is a Windows path: drop the leading slash, use backslashes.
  return /^\/[A-Za-z]:/.test(path) ? path.slice(1).replace(/\//g, '\\') : path;
}

function hashAlgorithm(value: string): 'md5' | 'sha1' | 'sha256' | undefined {
  if (!/^[0-9a-f]+$/i.test(value)) return undefined;
  return value.length === 32 ? 'md5' : value.length === 40 ? 'sha1' : value.length === 64 ? 'sha256' : undefined;
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return blankToUndefined(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function blankToUndefined(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function pathValue(object: Record<string, unknown>, path: string): unknown {
  let at: unknown = object;
  for (const part of path.split('.')) {
    if (!isObject(at)) return undefined;
    at = at[part];
  }
  return at;
}

function setPath(object: EcsObject, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = object;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (!isObjectValue(next)) at[part] = {};
    at = at[part] as EcsObject;
  }
  at[parts[parts.length - 1]!] = value;
}

function getPath(object: EcsObject, path: string): unknown {
  return pathValue(object, path);
}

function isObjectValue(value: unknown): value is EcsObject {
  return isObject(value);
}

function normalise(title: string): string {
  return title.trim().toLowerCase();
}
