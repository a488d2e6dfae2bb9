// STIX 2.1 bundles (and the object lists a TAXII collection returns): each `indicator`
// object whose pattern stix-pattern.ts can represent becomes one indicator per value,
// with `valid_until` as its expiry, `confidence`, `labels` as tags and the identity
// named by `created_by_ref` (when the bundle holds it) as its source. Revoked
// indicators, other pattern languages and patterns that cannot be represented are
// counted as skipped; other object types are ignored.
import { z } from 'zod';
import { addProblem, type Indicator, type ParseContext, type ParseResult } from './indicator.ts';
import { normalizeIndicator } from './indicator-value.ts';
import { patternTerms } from './stix-pattern.ts';

const stixObject = z.looseObject({ type: z.string(), id: z.string().optional() });

const stixIndicator = z.looseObject({
  type: z.literal('indicator'),
  id: z.string(),
  pattern: z.string(),
  pattern_type: z.string().optional(),
  valid_until: z.string().optional(),
  confidence: z.number().min(0).max(100).optional(),
  labels: z.array(z.string()).optional(),
  indicator_types: z.array(z.string()).optional(),
  created_by_ref: z.string().optional(),
  revoked: z.boolean().optional(),
});

const identity = z.looseObject({ type: z.literal('identity'), id: z.string(), name: z.string() });

export const stixBundleSchema = z.looseObject({ type: z.literal('bundle'), objects: z.array(stixObject) });

export function parseStix(text: string, context: ParseContext): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { indicators: [], skipped: 0, problems: [`${context.file}: not JSON: ${(error as Error).message}`] };
  }
  const bundle = stixBundleSchema.safeParse(json);
  if (!bundle.success) return { indicators: [], skipped: 0, problems: [`${context.file}: not a STIX 2.1 bundle: ${bundle.error.issues[0]?.message}`] };
  return indicatorsFromStix(bundle.data.objects, context);
}

/** Indicators from STIX objects; identities among them name the sources. */
export function indicatorsFromStix(objects: readonly unknown[], context: ParseContext, identities = new Map<string, string>()): ParseResult {
  const indicators: Indicator[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (const object of objects) {
    const named = identity.safeParse(object);
    if (named.success) identities.set(named.data.id, named.data.name);
  }
  for (const object of objects) {
    if ((object as { type?: unknown } | null)?.type !== 'indicator') continue;
    const parsed = stixIndicator.safeParse(object);
    if (!parsed.success) {
      skipped += 1;
      addProblem(problems, `${context.file}: indicator ${(object as { id?: string }).id ?? '?'}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      continue;
    }
    const stix = parsed.data;
    if (stix.revoked === true) {
      skipped += 1;
      continue;
    }
    if (stix.pattern_type !== undefined && stix.pattern_type !== 'stix') {
      skipped += 1;
      addProblem(problems, `${context.file}: ${stix.id}: pattern_type '${stix.pattern_type}' is not represented`);
      continue;
    }
    const terms = patternTerms(stix.pattern);
    if (terms === undefined) {
      skipped += 1;
      addProblem(problems, `${context.file}: ${stix.id}: pattern not represented (only ORs of = on addresses, domains, URLs and hashes): ${stix.pattern.slice(0, 120)}`);
      continue;
    }
    const expires = stix.valid_until === undefined ? undefined : Date.parse(stix.valid_until);
    if (expires !== undefined && Number.isNaN(expires)) {
      skipped += 1;
      addProblem(problems, `${context.file}: ${stix.id}: valid_until '${stix.valid_until}' is not a time`);
      continue;
    }
    const source = (stix.created_by_ref === undefined ? undefined : identities.get(stix.created_by_ref)) ?? context.list;
    const tags = [...(stix.labels ?? []), ...(stix.indicator_types ?? [])];
    for (const term of terms) {
      const value = normalizeIndicator(term.kind, term.value);
      if (value === undefined) {
        skipped += 1;
        addProblem(problems, `${context.file}: ${stix.id}: '${term.value.slice(0, 80)}' is not a valid ${term.kind}`);
        continue;
      }
      indicators.push({
        kind: term.kind,
        value,
        list: context.list,
        source,
        ...(stix.confidence === undefined ? {} : { confidence: stix.confidence }),
        tags,
        ...(expires === undefined ? {} : { expires }),
      });
    }
  }
  return { indicators, skipped, problems };
}
