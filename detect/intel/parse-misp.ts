// MISP feeds: a single event (`{"Event": {...}}`, as a MISP feed's event files and
// MISP's JSON export are) or a feed folder (`manifest.json` listing event uuids, one
// `<uuid>.json` per event; the folder loader reads the files the manifest names). Each
// attribute of a type Vigil matches (ip-src, ip-dst, domain, hostname, url, md5, sha1,
// sha256 and their `|` composites such as `domain|ip` or `filename|sha256`), in the
// event or in its objects, becomes an indicator if it is meant for detection
// (`to_ids`); the others are counted as skipped. The event's organisation (Orgc) is
// the source and its tags plus the attribute's are the tags.
import { z } from 'zod';
import { addProblem, type Indicator, type IndicatorKind, type ParseContext, type ParseResult } from './indicator.ts';
import { normalizeIndicator } from './indicator-value.ts';

const tag = z.looseObject({ name: z.string() });
const attribute = z.looseObject({
  type: z.string(),
  value: z.string(),
  to_ids: z.union([z.boolean(), z.string(), z.number()]).optional(),
  deleted: z.union([z.boolean(), z.string(), z.number()]).optional(),
  Tag: z.array(tag).optional(),
});
const mispEvent = z.looseObject({
  uuid: z.string().optional(),
  info: z.string().optional(),
  Orgc: z.looseObject({ name: z.string() }).optional(),
  Tag: z.array(tag).optional(),
  Attribute: z.array(attribute).optional(),
  Object: z.array(z.looseObject({ Attribute: z.array(attribute).optional() })).optional(),
});
export const mispEventFileSchema = z.looseObject({ Event: mispEvent });
/** A feed's manifest.json: event uuid → summary. */
export const mispManifestSchema = z.record(z.string(), z.looseObject({ info: z.string().optional() }));

/** For each MISP type: which of its `|`-separated parts is the indicator, and its kind. */
const TYPES: Readonly<Record<string, { part: number; kind: IndicatorKind }>> = {
  'ip-src': { part: 0, kind: 'ip' },
  'ip-dst': { part: 0, kind: 'ip' },
  'ip-src|port': { part: 0, kind: 'ip' },
  'ip-dst|port': { part: 0, kind: 'ip' },
  'domain|ip': { part: 0, kind: 'domain' },
  domain: { part: 0, kind: 'domain' },
  hostname: { part: 0, kind: 'domain' },
  'hostname|port': { part: 0, kind: 'domain' },
  url: { part: 0, kind: 'url' },
  link: { part: 0, kind: 'url' },
  md5: { part: 0, kind: 'md5' },
  sha1: { part: 0, kind: 'sha1' },
  sha256: { part: 0, kind: 'sha256' },
  'filename|md5': { part: 1, kind: 'md5' },
  'filename|sha1': { part: 1, kind: 'sha1' },
  'filename|sha256': { part: 1, kind: 'sha256' },
};

const truthy = (value: boolean | string | number | undefined) => value === true || value === 1 || value === '1' || value === 'true';

export function parseMispEvent(text: string, context: ParseContext): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { indicators: [], skipped: 0, problems: [`${context.file}: not JSON: ${(error as Error).message}`] };
  }
  const parsed = mispEventFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { indicators: [], skipped: 0, problems: [`${context.file}: not a MISP event: ${issue?.path.join('.')}: ${issue?.message}`] };
  }
  const event = parsed.data.Event;
  const indicators: Indicator[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const source = event.Orgc?.name ?? context.list;
  const eventTags = (event.Tag ?? []).map((t) => t.name);
  const attributes = [...(event.Attribute ?? []), ...(event.Object ?? []).flatMap((object) => object.Attribute ?? [])];
  for (const item of attributes) {
    const type = TYPES[item.type];
    if (type === undefined || !truthy(item.to_ids) || truthy(item.deleted)) {
      skipped += 1;
      continue;
    }
    const raw = type.part === 0 && !item.type.includes('|') ? item.value : (item.value.split('|')[type.part] ?? '');
    const value = normalizeIndicator(type.kind, raw);
    if (value === undefined) {
      skipped += 1;
      addProblem(problems, `${context.file}: attribute ${item.type} '${item.value.slice(0, 80)}' is not a valid ${type.kind}`);
      continue;
    }
    indicators.push({ kind: type.kind, value, list: context.list, source, tags: [...eventTags, ...(item.Tag ?? []).map((t) => t.name)] });
  }
  return { indicators, skipped, problems };
}
