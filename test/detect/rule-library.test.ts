// The rule library in rules/: it loads without errors, and every rule passes its test
// cases (the `x.test.yml` beside `x.yml`): each `match` event fires the rule through
// the rule set (logsource included) and each `no_match` event does not.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { buildRuleSet, loadRuleSet, matchEvent } from '../../detect/sigma/rule-set.ts';
import { securityEvent } from './security-event-fixture.ts';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const library = loadRuleSet(rulesDir, { collectErrors: true });

const testCasesSchema = z.strictObject({
  match: z.array(z.record(z.string(), z.unknown())).min(1),
  no_match: z.array(z.record(z.string(), z.unknown())).min(1),
});

describe('rule library', () => {
  it('loads every rule without errors', () => {
    expect(library.errors.map((error) => error.message)).toEqual([]);
    expect(library.rules.length).toBeGreaterThanOrEqual(100);
  });

  it('gives every rule the metadata an analyst needs', () => {
    for (const rule of library.rules) {
      const where = rule.location.file;
      expect(rule.id, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(rule.status, where).toBeDefined();
      expect(rule.description, where).toBeDefined();
      expect(rule.falsepositives.length, where).toBeGreaterThan(0);
      expect(rule.tags.some((tag) => /^attack\.t\d{4}/.test(tag)), where).toBe(true);
      // Written out, not left to the default: the level decides the alert's severity.
      expect(readFileSync(new URL(`../../${where}`, import.meta.url), 'utf8'), where).toMatch(/^level: (informational|low|medium|high|critical)\s*$/m);
    }
  });

  it('includes the EICAR rule', () => {
    expect(library.rules.some((rule) => rule.location.file.endsWith('antivirus/eicar-test-file.yml'))).toBe(true);
  });

  // Base rules of a correlation file (rules/correlation/) have no match/no_match cases of
  // their own: they only feed its correlations, whose cases cover them
  // (test/detect/correlation-library.test.ts).
  const correlationFiles = new Set(library.correlations.map((correlation) => correlation.location.file));
  const fedRules = new Set(library.correlations.flatMap((correlation) => correlation.rules));
  const ownCases = library.rules.filter((rule) => !(correlationFiles.has(rule.location.file) && fedRules.has(rule.id)));

  describe.each(ownCases.map((rule) => [rule.location.file, rule] as const))('%s', (file, rule) => {
    const casesFile = file.replace(/\.ya?ml$/, '.test.yml');
    const alone = buildRuleSet([rule]);

    it('has test cases beside it', () => {
      expect(existsSync(casesFile), casesFile).toBe(true);
    });
    if (!existsSync(casesFile)) return;
    const cases = testCasesSchema.parse(parse(readFileSync(casesFile, 'utf8')));

    it.each(cases.match.map((event, index) => [index, event] as const))('matches case %i', (_index, partial) => {
      expect(matchEvent(alone, securityEvent(partial))).toEqual([rule]);
    });
    it.each(cases.no_match.map((event, index) => [index, event] as const))('does not match case %i', (_index, partial) => {
      expect(matchEvent(alone, securityEvent(partial))).toEqual([]);
    });
  });
});
