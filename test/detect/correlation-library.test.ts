// The correlation rules of the library (rules/correlation/): each `x.yml` (base rules
// plus correlation documents) has its cases in `x.test.yml`, and every case runs
// through the same path as `vigil rules match rules/ <events.ndjson>` (runRulesMatch,
// with the whole library loaded), so what is pinned here is what the CLI and the live
// stage's engine do. The correlation lines of the output (rule id and group, in order)
// must equal the case's `expect` exactly; single-event match lines are ignored.
//
// Case file format (`x.test.yml`):
//
//   correlations:
//     - name: what the case shows
//       base: { <partial ECS event> }     # optional: deep-merged under every event
//       events:
//         - { '@timestamp': ..., <partial ECS event> }   # one event
//         - repeat:                                      # or many, generated:
//             count: 100                                 #   how many copies
//             every: 1s                                  #   step between their
//                                                        #   @timestamps (s, m, h, d)
//             vary:                                      #   per-copy values, by dotted path:
//               destination.port: 1..100                 #     integers a..b, a + i
//               host.id: pc-{n}                          #     text, {i} = 0-based index,
//                                                        #     {n} = 1-based
//               organization.id: [unit-001, unit-002]    #     a list, cycled
//           event: { '@timestamp': <first copy>, ... }   #   the copies' template
//       expect:                                          # every correlation line, in order
//         - rule: <correlation id>
//           group: { <group-by name>: value }
//           count: 5                                     # optional: also compare these
//
// Every event is completed the way ingest stamps it (organization unit-042 unless
// given, event.id, event.ingested) and validated against the event contract, so a
// case cannot drift from what agents may send. Events need not be in time order: the
// CLI sorts them by @timestamp.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { runRulesMatch } from '../../bin/rules-match.ts';
import { securityEventSchema } from '../../core/schemas/event.ts';
import { raisesOwnAlerts } from '../../detect/sigma/correlation-index.ts';
import { loadRuleSet } from '../../detect/sigma/rule-set.ts';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const correlationDir = 'rules/correlation/';
const library = loadRuleSet(rulesDir, { collectErrors: true });
const inFolder = (file: string) => file.replace(/\\/g, '/').includes(correlationDir);

const jsonObject = z.record(z.string(), z.unknown());
const generator = z.strictObject({
  repeat: z.strictObject({
    count: z.number().int().min(1).max(10_000),
    every: z.string().regex(/^\d+[smhd]$/),
    vary: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.unknown()).min(1)])).default({}),
  }),
  event: jsonObject,
});
const caseSchema = z.strictObject({
  name: z.string().min(1),
  base: jsonObject.default({}),
  events: z.array(z.union([generator, jsonObject])).min(1),
  expect: z.array(
    z.strictObject({
      rule: z.string(),
      group: z.record(z.string(), z.string()),
      count: z.number().optional(),
      value: z.number().optional(),
    }),
  ),
});
const casesFileSchema = z.strictObject({ correlations: z.array(caseSchema).min(2) });
type Case = z.infer<typeof caseSchema>;

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `over` merged into `under`, objects recursively; anything else in `over` replaces. */
function deepMerge(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isObject(below) && isObject(value) ? deepMerge(below, value) : value;
  }
  return merged;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = isObject(next) ? (node[key] = { ...next }) : (node[key] = {});
  }
  node[keys.at(-1) as string] = value;
}

/** The i-th value of a `vary` entry. */
function varied(spec: string | number | unknown[], index: number, count: number, path: string): unknown {
  if (Array.isArray(spec)) return spec[index % spec.length];
  if (typeof spec === 'number') return spec + index;
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(spec);
  if (range !== null) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    if (high - low + 1 < count) throw new Error(`vary ${path}: ${spec} has fewer than ${count} values`);
    return low + index;
  }
  if (!/\{[in]\}/.test(spec)) throw new Error(`vary ${path}: '${spec}' is neither a..b, a list nor a text with {i} or {n}`);
  return spec.replaceAll('{i}', String(index)).replaceAll('{n}', String(index + 1));
}

/** The case's events, generators expanded, each stamped as ingest would and validated. */
function eventsOf(testCase: Case): Record<string, unknown>[] {
  const partials: Record<string, unknown>[] = [];
  for (const entry of testCase.events) {
    const parsed = generator.safeParse(entry);
    if (!parsed.success) {
      partials.push(entry);
      continue;
    }
    const { repeat, event } = parsed.data;
    const first = Date.parse(String(deepMerge(testCase.base, event)['@timestamp']));
    if (!Number.isFinite(first)) throw new Error(`${testCase.name}: a repeat's event needs an @timestamp`);
    const step = Number(repeat.every.slice(0, -1)) * (unitMs[repeat.every.slice(-1)] ?? 0);
    for (let index = 0; index < repeat.count; index += 1) {
      const copy = structuredClone(event);
      copy['@timestamp'] = new Date(first + index * step).toISOString();
      for (const [path, spec] of Object.entries(repeat.vary)) setPath(copy, path, varied(spec, index, repeat.count, path));
      partials.push(copy);
    }
  }
  return partials.map((partial, index) => {
    const merged = deepMerge({ organization: { id: 'unit-042', name: 'Sở Y tế' } }, deepMerge(testCase.base, partial));
    const stamp = merged['@timestamp'];
    const event = isObject(merged.event) ? merged.event : {};
    const stamped = { ...merged, event: { id: `case-${index}`, ingested: stamp, ...event } };
    return securityEventSchema.parse(stamped) as Record<string, unknown>;
  });
}

const tempDir = mkdtempSync(join(tmpdir(), 'vigil-correlation-library-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
let fileCount = 0;

/** `vigil rules match rules/ <the case's events>`: the correlation lines. */
async function correlationLines(events: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  fileCount += 1;
  const file = join(tempDir, `case-${fileCount}.ndjson`);
  writeFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  let out = '';
  let err = '';
  const code = await runRulesMatch([rulesDir, file], { out: (text) => (out += text), err: (text) => (err += text) });
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => !('event' in line));
}

const correlationFiles = [...new Set(library.correlations.map((c) => c.location.file).filter(inFolder))].sort();
const correlationDocs = library.correlations.filter((c) => inFolder(c.location.file));
const alerting = correlationDocs.filter((c) => raisesOwnAlerts(library, c.id));

describe('correlation library', () => {
  it('loads without errors and holds the shipped correlations', () => {
    expect(library.errors.map((error) => error.message)).toEqual([]);
    expect(alerting.length).toBeGreaterThanOrEqual(10);
  });

  it('gives every correlation the metadata an analyst needs, written out', () => {
    for (const correlation of correlationDocs) {
      const where = `${correlation.location.file} ${correlation.title}`;
      const documents = parseAllDocuments(readFileSync(new URL(`../../${correlation.location.file}`, import.meta.url), 'utf8'));
      const written = documents.map((doc) => doc.toJS() as Record<string, unknown>).find((doc) => doc.id === correlation.id);
      expect(written, where).toBeDefined();
      expect(correlation.id, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(correlation.status, where).toBeDefined();
      expect(correlation.description?.trim().length ?? 0, where).toBeGreaterThan(80);
      expect(written?.author, where).toBe('Vigil SOC content');
      expect(written?.date, where).toBe('2026-11-22');
      expect(correlation.falsepositives.length, where).toBeGreaterThan(0);
      expect(correlation.tags.some((tag) => /^attack\.t\d{4}/.test(tag)), where).toBe(true);
      expect(correlation.tags.some((tag) => /^attack\.[a-z]+(-[a-z]+)*$/.test(tag)), where).toBe(true);
      // Written out, not left to the default: the level decides the alert's severity.
      expect(written?.level, where).toMatch(/^(informational|low|medium|high|critical)$/);
    }
  });

  it('keeps base rules silent and every library rule outside rules/correlation alerting', () => {
    const referenced = new Set(library.correlations.flatMap((c) => c.rules));
    for (const rule of library.rules) {
      const where = rule.location.file;
      if (inFolder(where)) {
        // A building block: feeds a correlation, raises no alert of its own.
        expect(referenced.has(rule.id), `${where} ${rule.title}`).toBe(true);
        expect(raisesOwnAlerts(library, rule.id), `${where} ${rule.title}`).toBe(false);
        expect(rule.level, `${where} ${rule.title}`).toBe('informational');
      } else {
        // A correlation naming a library rule without `generate` would silence it.
        expect(raisesOwnAlerts(library, rule.id), `${where} is silenced by a correlation`).toBe(true);
      }
    }
  });

  describe.each(correlationFiles)('%s', (file) => {
    const casesFile = join(rulesDir, '..', file.replace(/\.ya?ml$/, '.test.yml'));

    it('has cases beside it: one that fires each of its correlations, and near misses', () => {
      expect(existsSync(casesFile), casesFile).toBe(true);
      const cases = casesFileSchema.parse(parse(readFileSync(casesFile, 'utf8'))).correlations;
      const expected = new Set(cases.flatMap((c) => c.expect.map((line) => line.rule)));
      for (const correlation of alerting.filter((c) => c.location.file === file)) {
        expect(expected.has(correlation.id), `${correlation.title} never fires in ${casesFile}`).toBe(true);
      }
      expect(cases.some((c) => c.expect.length === 0), 'a near miss that fires nothing').toBe(true);
    });
    if (!existsSync(casesFile)) return;
    const cases = casesFileSchema.parse(parse(readFileSync(casesFile, 'utf8'))).correlations;

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
      const lines = await correlationLines(eventsOf(testCase));
      // Compare rule and group, plus whatever else the case pins (count, value).
      const actual = lines.map((line, index) => {
        const wanted = testCase.expect[index] ?? {};
        const projected: Record<string, unknown> = { rule: line.rule, group: line.group };
        for (const key of ['count', 'value'] as const) if (key in wanted) projected[key] = line[key];
        return projected;
      });
      expect(actual).toEqual(testCase.expect);
    });
  });
});
