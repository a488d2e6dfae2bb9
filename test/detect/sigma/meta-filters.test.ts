// Sigma meta filters (filter documents in the rules folder): each rule a filter names
// fires only when its own condition holds and the filter's does not, and a filter that
// cannot apply is a located error rather than a tuning that silently does nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRuleSet, matchEvent } from '../../../detect/sigma/rule-set.ts';
import { dedent } from './rule-text.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-filters-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, yaml: string) => writeFileSync(join(dir, name), dedent(yaml));

const whoami = `
  title: Whoami
  id: 6f3e2987-db24-4c78-a860-b4f4095a7095
  name: whoami_run
  logsource:
    category: process_creation
  detection:
    selection:
      Image|endswith: '\\whoami.exe'
    condition: selection
`;
const start = (user: string) => ({
  event: { category: ['process'], type: ['start'] },
  process: { executable: 'C:\\Windows\\System32\\whoami.exe' },
  user: { name: user },
});

describe('meta filters', () => {
  it('amend the rules they name as `original and not filter`, with the filter’s fields mapped', () => {
    write('a-whoami.yml', whoami);
    write(
      'mf_admins.yml',
      `
        title: Administrator accounts
        logsource:
          category: process_creation
        filter:
          rules:
            - 6f3e2987-db24-4c78-a860-b4f4095a7095
          selection:
            User|startswith: 'adm_'
          condition: selection
      `,
    );
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.filters).toBe(1);
    expect(ruleSet.rules[0]?.filters).toEqual(['Administrator accounts']);
    expect(matchEvent(ruleSet, start('alice')).map((rule) => rule.title)).toEqual(['Whoami']);
    expect(matchEvent(ruleSet, start('adm_bob'))).toEqual([]);
  });

  it('refer to rules by name too, and several filters on one rule all apply', () => {
    write('a-whoami.yml', whoami);
    const filter = (id: string, user: string) => `
      title: not ${user}
      id: ${id}
      logsource:
        category: process_creation
      filter:
        rules: whoami_run
        selection:
          user.name: ${user}
        condition: selection
    `;
    write('mf_one.yml', filter('f1', 'svc_backup'));
    write('mf_two.yml', filter('f2', 'svc_scan'));
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.rules[0]?.filters).toEqual(['f1', 'f2']);
    expect(matchEvent(ruleSet, start('svc_backup'))).toEqual([]);
    expect(matchEvent(ruleSet, start('svc_scan'))).toEqual([]);
    expect(matchEvent(ruleSet, start('alice'))).toHaveLength(1);
  });

  it('report a rule that is not loaded, or of another log source, at the reference', () => {
    write('a-whoami.yml', whoami);
    write(
      'mf_wrong.yml',
      `
        title: Wrong
        logsource:
          category: antivirus
        filter:
          rules:
            - no-such-rule
            - whoami_run
          selection:
            user.name: x
          condition: selection
      `,
    );
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/mf_wrong\.yml:6:7: filter 'Wrong' names rule 'no-such-rule', which is not loaded$/),
      expect.stringMatching(/mf_wrong\.yml:7:7: filter 'Wrong' is for logsource category: antivirus, which rule 'whoami_run' does not have$/),
    ]);
    // The rule itself still runs, unfiltered.
    expect(matchEvent(ruleSet, start('x'))).toHaveLength(1);
  });

  it('report a broken filter with its location, like a rule', () => {
    write(
      'mf_broken.yml',
      `
        title: Broken
        logsource:
          category: process_creation
        filter:
          rules: [x]
          selection:
            user.name|nope: x
          condition: selection or missing
      `,
    );
    const errors = loadRuleSet(dir, { collectErrors: true }).errors;
    expect(errors.map((error) => `${error.code} ${error.location.line}:${error.location.col}`)).toEqual([
      'rule_modifier 7:15',
      'rule_condition 8:27',
    ]);
  });
});
