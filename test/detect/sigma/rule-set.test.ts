// Loading a rule library from disk: which files count as rules, a broken file reported
// and skipped while the rest load, and matching an event through the logsource index.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRuleSet, matchEvent } from '../../../detect/sigma/rule-set.ts';
import { securityEvent } from '../security-event-fixture.ts';
import { dedent } from './rule-text.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, yaml: string): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, dedent(yaml));
}

function writeRule(path: string, id: string, logsource: string, detection: string): void {
  write(
    path,
    `title: ${id}\nid: ${id}\nlogsource:\n  ${logsource}\ndetection:\n${dedent(detection)
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}`,
  );
}

describe('loadRuleSet', () => {
  it('loads every rule file recursively, skipping test cases, pipelines and hidden folders', () => {
    writeRule('antivirus/eicar.yml', 'eicar', 'category: antivirus', 'sel:\n  rule.name|contains: eicar\ncondition: sel');
    const tor = 'sel:\n  destination.port: 9001\ncondition: sel';
    writeRule('network/deep/tor.yaml', 'tor', 'category: network_connection', tor);
    write('antivirus/eicar.test.yml', 'match: []\n');
    write('pipelines/local.yml', 'name: local\nlogsources:\n  - category: local_app\n');
    write('.git/config.yml', 'x: 1\n');
    write('README.md', '# not a rule\n');

    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.rules.map((rule) => rule.id)).toEqual(['eicar', 'tor']);
    expect(ruleSet.rules[1]?.location.file).toMatch(/network\/deep\/tor\.yaml$/);
  });

  it('reports a broken file with its location and still loads the others', () => {
    writeRule('a-good.yml', 'good', 'category: antivirus', 'sel:\n  rule.name|contains: eicar\ncondition: sel');
    writeRule('b-broken.yml', 'broken', 'category: antivirus', 'sel:\n  rule.name|regex: x\ncondition: sel');
    write('c-not-yaml.yml', 'title: [unclosed\n');
    writeRule('d-good.yml', 'good-too', 'category: ids', 'sel:\n  event.severity: 1\ncondition: sel');

    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.rules.map((rule) => rule.id)).toEqual(['good', 'good-too']);
    expect(ruleSet.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/b-broken\.yml:7:15: unknown modifier 'regex'/),
      expect.stringMatching(/c-not-yaml\.yml:\d+:\d+: invalid YAML/),
    ]);
  });

  it('keeps the first of two rules sharing an id and reports the second', () => {
    writeRule('a.yml', 'same', 'category: antivirus', 'sel:\n  rule.name: a\ncondition: sel');
    writeRule('b.yml', 'same', 'category: antivirus', 'sel:\n  rule.name: b\ncondition: sel');
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.rules.map((rule) => rule.title)).toEqual(['same']);
    expect(ruleSet.rules[0]?.location.file).toMatch(/a\.yml$/);
    expect(ruleSet.errors).toHaveLength(1);
    expect(ruleSet.errors[0]?.code).toBe('rule_duplicate_id');
    expect(ruleSet.errors[0]?.message).toMatch(/b\.yml:2:5: rule id 'same' is already used by .*a\.yml:2/);
  });

  it("uses the folder's own pipelines besides the shipped ones, and reports their problems", () => {
    write('pipelines/local.yml', 'name: local\nlogsources:\n  - category: local_app\nevents:\n  sel:\n    event.module: myapp\n  condition: sel\nfieldmappings:\n  Who: user.name\n');
    write('pipelines/broken.yml', 'name: broken\nlogsources: []\n');
    writeRule('app.yml', 'app', 'category: local_app', 'sel:\n  Who: root\ncondition: sel');
    writeRule('av.yml', 'av', 'category: antivirus', 'sel:\n  Signature: eicar\ncondition: sel');
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors.map((error) => error.message)).toEqual([expect.stringMatching(/broken\.yml:2:13: logsources: /)]);
    expect(matchEvent(ruleSet, securityEvent({ event: { module: 'myapp' }, user: { name: 'root' } })).map((rule) => rule.id)).toEqual(['app']);
    expect(matchEvent(ruleSet, securityEvent({ event: { category: ['malware'] }, rule: { name: 'EICAR' } })).map((rule) => rule.id)).toEqual(['av']);
  });

  it('loads a single rule file', () => {
    writeRule('one.yml', 'one', 'category: antivirus', 'sel:\n  rule.name: x\ncondition: sel');
    writeRule('two.yml', 'two', 'category: antivirus', 'sel:\n  rule.name: x\ncondition: sel');
    expect(loadRuleSet(join(dir, 'one.yml')).rules.map((rule) => rule.id)).toEqual(['one']);
  });

  it('reports a missing folder as an error rather than throwing', () => {
    const ruleSet = loadRuleSet(join(dir, 'nope'));
    expect(ruleSet.rules).toEqual([]);
    expect(ruleSet.errors[0]?.code).toBe('rule_unreadable');
  });

  it('collectErrors lists every problem of every file', () => {
    writeRule('a.yml', 'a', 'category: nowhere', 'sel:\n  x|bad: 1\ncondition: sel and missing');
    writeRule('b.yml', 'b', 'category: antivirus', 'sel:\n  x|bad: 1\ncondition: sel');
    expect(loadRuleSet(dir).errors).toHaveLength(2);
    expect(loadRuleSet(dir, { collectErrors: true }).errors.map((error) => error.code)).toEqual([
      'rule_logsource',
      'rule_modifier',
      'rule_condition',
      'rule_modifier',
    ]);
  });
});

describe('matchEvent', () => {
  it('runs only the rules whose logsource sees the event', () => {
    writeRule('av.yml', 'av-name', 'category: antivirus', 'sel:\n  rule.name|contains: emotet\ncondition: sel');
    writeRule('ids.yml', 'ids-name', 'category: ids', 'sel:\n  rule.name|contains: emotet\ncondition: sel');
    write('any.yml', 'title: any\nid: any-name\ndetection:\n  sel:\n    rule.name|contains: emotet\n  condition: sel\n');
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.routes.map((route) => route.key).sort()).toEqual(['', 'category=antivirus', 'category=ids']);

    const av = securityEvent({
      event: { category: ['malware'], action: 'quarantined' },
      rule: { name: 'Trojan:Win32/Emotet' },
    });
    const ids = securityEvent({
      event: { category: ['network'], kind: 'alert' },
      observer: { type: 'ids' },
      rule: { name: 'ET MALWARE Emotet' },
    });
    const neither = securityEvent({ rule: { name: 'Emotet' } });
    expect(matchEvent(ruleSet, av).map((rule) => rule.id).sort()).toEqual(['any-name', 'av-name']);
    expect(matchEvent(ruleSet, ids).map((rule) => rule.id).sort()).toEqual(['any-name', 'ids-name']);
    expect(matchEvent(ruleSet, neither).map((rule) => rule.id)).toEqual(['any-name']);
  });
});
