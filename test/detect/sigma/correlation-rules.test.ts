// Sigma correlation rules (correlation spec 2.x, value_* types of 2.1): what a rule
// author writes compiles to the exact CompiledCorrelation the engine runs, references
// and group-by fields resolve through ids, names, aliases and pipelines, and every
// mistake is a located error in the right document of a multi-document file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRule, compileRuleFile } from '../../../detect/sigma/compile-rule.ts';
import { correlationsReferencing, raisesOwnAlerts } from '../../../detect/sigma/correlation-index.ts';
import { compilePipeline } from '../../../detect/sigma/pipeline.ts';
import { buildPipelineSet } from '../../../detect/sigma/pipeline-set.ts';
import { loadRuleSet, ruleSetFromText, type RuleSet } from '../../../detect/sigma/rule-set.ts';
import { dedent } from './rule-text.ts';

const FILE = 'rules/recon.yml';

/** Two base rules, 22 lines with the closing `---`: a correlation appended starts at line 23. */
const baseRules = dedent(`
  title: Whoami run
  id: rule-whoami
  name: whoami_run
  logsource:
    category: process_creation
    product: windows
  detection:
    selection:
      Image|endswith: '\\whoami.exe'
    condition: selection
  ---
  title: Net user run
  id: rule-net-user
  name: net_user_run
  logsource:
    category: process_creation
    product: windows
  detection:
    selection:
      CommandLine|contains: 'net user'
    condition: selection
  ---
`);
const BASE_LINES = 22;

/** The base rules followed by these documents, as one file. */
const withBase = (yaml: string) => baseRules + dedent(yaml);

function load(text: string): RuleSet {
  return ruleSetFromText(text, FILE, { collectErrors: true });
}

function loaded(yaml: string): RuleSet {
  const ruleSet = load(withBase(yaml));
  expect(ruleSet.errors.map((error) => error.message)).toEqual([]);
  return ruleSet;
}

/** Every problem of the file, as `code @ line:col: reason`. */
function problems(text: string): string[] {
  const ruleSet = load(text);
  for (const error of ruleSet.errors) {
    expect(error.message).toBe(`${FILE}:${error.location.line}:${error.location.col}: ${error.reason}`);
  }
  return ruleSet.errors.map((error) => `${error.code} @ ${error.location.line}:${error.location.col}: ${error.reason}`);
}

/** A line of the appended correlation (1-based within it) as a line of the file. */
const at = (line: number, col: number) => `${BASE_LINES + line}:${col}`;

describe('correlation types compile to what the engine runs', () => {
  it('event_count: the whole compiled form, with Sigma field names mapped by the rule’s pipeline', () => {
    const ruleSet = loaded(`
      title: Many whoami runs on one host
      id: corr-whoami-burst
      name: whoami_burst
      status: experimental
      description: Reconnaissance by one account.
      tags: [attack.discovery]
      falsepositives: Admin scripts
      level: high
      correlation:
        type: event_count
        rules:
          - whoami_run
        group-by:
          - Computer
          - user.name
        timespan: 5m
        condition:
          gte: 10
    `);
    expect(ruleSet.correlations).toEqual([
      {
        kind: 'correlation',
        id: 'corr-whoami-burst',
        name: 'whoami_burst',
        title: 'Many whoami runs on one host',
        level: 'high',
        status: 'experimental',
        description: 'Reconnaissance by one account.',
        tags: ['attack.discovery'],
        falsepositives: ['Admin scripts'],
        location: { file: FILE, line: BASE_LINES + 2, col: 5 },
        type: 'event_count',
        rules: ['rule-whoami'],
        groupBy: ['Computer', 'user.name'],
        fields: { 'rule-whoami': { Computer: ['host.name'], 'user.name': ['user.name'] } },
        timespanMs: 300_000,
        condition: { gte: 10 },
        generate: false,
      },
    ]);
    // The base rules are still matched: they feed the correlation.
    expect(ruleSet.rules.map((rule) => rule.id)).toEqual(['rule-whoami', 'rule-net-user']);
  });

  it('value_count reads its field for each rule; no group-by is one global group', () => {
    const [correlation] = loaded(`
      title: Many accounts enumerated
      id: corr-accounts
      correlation:
        type: value_count
        rules: [rule-net-user]
        timespan: 1h
        condition:
          field: User
          gt: 20
    `).correlations;
    expect(correlation).toMatchObject({
      type: 'value_count',
      level: 'medium',
      groupBy: [],
      // A Windows rule's User is ECS's user.name or Windows' own "DOMAIN\\name" (rules/pipelines/windows.yml).
      fields: { 'rule-net-user': { User: ['user.name', 'winlog.event_data.User'] } },
      timespanMs: 3_600_000,
      condition: { field: 'User', gt: 20 },
    });
  });

  it('temporal and temporal_ordered keep the rules in order; a condition is optional', () => {
    const ruleSet = loaded(`
      title: Recon pair
      id: corr-pair
      correlation:
        type: temporal
        rules: [rule-net-user, whoami_run]
        group-by: [Computer]
        timespan: 30s
      ---
      title: Recon sequence
      id: corr-sequence
      correlation:
        type: temporal_ordered
        rules: [whoami_run, net_user_run]
        group-by: [Computer]
        timespan: 2d
        condition:
          gte: 2
    `);
    const compiled = ruleSet.correlations.map(({ type, rules, timespanMs, condition }) => ({ type, rules, timespanMs, condition }));
    expect(compiled).toEqual([
      { type: 'temporal', rules: ['rule-net-user', 'rule-whoami'], timespanMs: 30_000, condition: undefined },
      { type: 'temporal_ordered', rules: ['rule-whoami', 'rule-net-user'], timespanMs: 172_800_000, condition: { gte: 2 } },
    ]);
  });

  it('value_sum, value_avg and value_percentile (Sigma 2.1) take a field; percentile its rank; ranges and neq', () => {
    const ruleSet = loaded(`
      title: Sum
      id: corr-sum
      correlation:
        type: value_sum
        rules: whoami_run
        timespan: 10m
        condition: { field: ProcessId, gte: 1000, lt: 5000 }
      ---
      title: Average
      id: corr-avg
      correlation:
        type: value_avg
        rules: [whoami_run]
        timespan: 10m
        condition: { field: ProcessId, neq: 4, gt: 1.5 }
      ---
      title: Percentile
      id: corr-percentile
      correlation:
        type: value_percentile
        rules: [whoami_run]
        timespan: 10m
        condition: { field: ProcessId, percentile: 95, lte: 300 }
    `);
    const pid = { 'rule-whoami': { ProcessId: ['process.pid'] } };
    expect(ruleSet.correlations.map(({ type, condition, fields }) => ({ type, condition, fields }))).toEqual([
      { type: 'value_sum', condition: { field: 'ProcessId', gte: 1000, lt: 5000 }, fields: pid },
      { type: 'value_avg', condition: { field: 'ProcessId', neq: 4, gt: 1.5 }, fields: pid },
      { type: 'value_percentile', condition: { field: 'ProcessId', percentile: 95, lte: 300 }, fields: pid },
    ]);
  });
});

describe('references, aliases and pipelines', () => {
  it('a rule is named by its id or its name; both resolve to the id', () => {
    const [correlation] = loaded(`
      title: Both
      id: corr-both
      correlation:
        type: event_count
        rules: [rule-whoami, net_user_run]
        timespan: 1m
        condition: { gte: 2 }
    `).correlations;
    expect(correlation?.rules).toEqual(['rule-whoami', 'rule-net-user']);
    expect(correlation?.fields).toEqual({ 'rule-whoami': {}, 'rule-net-user': {} });
  });

  it('an alias gives each rule its own field, then each rule’s pipeline maps it', () => {
    const text = withBase(`
      title: Same account on two sensors
      id: corr-alias
      correlation:
        type: temporal
        rules: [whoami_run, fw-deny]
        group-by: [account, Computer]
        timespan: 1h
        aliases:
          account:
            whoami_run: User
            fw-deny: source.user.name
      ---
      title: Firewall deny
      id: fw-deny
      logsource:
        category: firewall
      detection:
        selection:
          action: deny
        condition: selection
    `);
    const ruleSet = load(text);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.correlations[0]?.fields).toEqual({
      'rule-whoami': { account: ['user.name', 'winlog.event_data.User'], Computer: ['host.name'] },
      // The firewall pipeline has no `Computer`: the name is read as written.
      'fw-deny': { account: ['source.user.name'], Computer: ['Computer'] },
    });
  });

  it('a pipeline that maps one name to several fields gives several paths, first present wins', () => {
    const pipeline = compilePipeline(
      dedent(`
        name: agent
        logsources:
          - product: agent
        fieldmappings:
          Workstation: [host.hostname, host.name]
      `),
      'rules/pipelines/agent.yml',
    );
    expect(pipeline.errors).toEqual([]);
    const pipelines = buildPipelineSet(pipeline.pipeline === undefined ? [] : [pipeline.pipeline]).pipelines;
    const text = dedent(`
      title: Agent alert
      id: agent-alert
      logsource: { product: agent }
      detection:
        selection: { event.kind: alert }
        condition: selection
      ---
      title: Alerts per workstation
      id: corr-agent
      correlation:
        type: event_count
        rules: [agent-alert]
        group-by: [Workstation]
        timespan: 1h
        condition: { gt: 3 }
    `);
    const ruleSet = ruleSetFromText(text, FILE, { pipelines });
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.correlations[0]?.fields).toEqual({ 'agent-alert': { Workstation: ['host.hostname', 'host.name'] } });
  });

  it('a chained correlation reads the inner one’s group-by names and comes after it', () => {
    const ruleSet = loaded(`
      title: Recon bursts on many hosts
      id: corr-outer
      correlation:
        type: value_count
        rules: [whoami_burst]
        group-by: [user]
        timespan: 1d
        aliases:
          user:
            whoami_burst: User
        condition: { field: Computer, gte: 3 }
      ---
      title: Whoami burst
      id: corr-inner
      name: whoami_burst
      correlation:
        type: event_count
        rules: [whoami_run]
        group-by: [Computer, User]
        timespan: 5m
        condition: { gte: 10 }
    `);
    expect(ruleSet.correlations.map((correlation) => correlation.id)).toEqual(['corr-inner', 'corr-outer']);
    expect(ruleSet.correlations[1]).toMatchObject({
      rules: ['corr-inner'],
      fields: { 'corr-inner': { user: ['User'], Computer: ['Computer'] } },
    });
  });
});

describe('generate and who raises alerts', () => {
  const twoCorrelations = (innerGenerate: string, outerGenerate: string) => `
    title: Whoami burst
    id: corr-inner
    ${innerGenerate}
    correlation:
      type: event_count
      rules: [whoami_run]
      group-by: [Computer]
      timespan: 5m
      condition: { gte: 10 }
    ---
    title: Burst then net user
    id: corr-outer
    correlation:
      type: temporal
      rules: [corr-inner, net_user_run]
      group-by: [Computer]
      timespan: 1h
      ${outerGenerate}
  `;

  it('rules feeding only non-generating correlations raise no alerts of their own', () => {
    const ruleSet = loaded(twoCorrelations('', ''));
    expect(ruleSet.correlations.map((correlation) => correlation.generate)).toEqual([false, false]);
    expect(correlationsReferencing(ruleSet, 'rule-whoami').map((correlation) => correlation.id)).toEqual(['corr-inner']);
    expect(correlationsReferencing(ruleSet, 'rule-net-user').map((correlation) => correlation.id)).toEqual(['corr-outer']);
    expect(correlationsReferencing(ruleSet, 'corr-inner').map((correlation) => correlation.id)).toEqual(['corr-outer']);
    expect(correlationsReferencing(ruleSet, 'corr-outer')).toEqual([]);
    expect(raisesOwnAlerts(ruleSet, 'rule-whoami')).toBe(false);
    expect(raisesOwnAlerts(ruleSet, 'rule-net-user')).toBe(false);
    expect(raisesOwnAlerts(ruleSet, 'corr-inner')).toBe(false);
    // Nothing chains on the outer correlation: it alerts.
    expect(raisesOwnAlerts(ruleSet, 'corr-outer')).toBe(true);
  });

  it('generate: true at the top level keeps the referenced rules alerting', () => {
    const ruleSet = loaded(twoCorrelations('generate: true', ''));
    expect(ruleSet.correlations[0]?.generate).toBe(true);
    expect(raisesOwnAlerts(ruleSet, 'rule-whoami')).toBe(true);
    expect(raisesOwnAlerts(ruleSet, 'rule-net-user')).toBe(false);
  });

  it('generate: true under correlation: does the same', () => {
    const ruleSet = loaded(twoCorrelations('', 'generate: true'));
    expect(ruleSet.correlations[1]?.generate).toBe(true);
    expect(raisesOwnAlerts(ruleSet, 'corr-inner')).toBe(true);
    expect(raisesOwnAlerts(ruleSet, 'rule-net-user')).toBe(true);
    expect(raisesOwnAlerts(ruleSet, 'rule-whoami')).toBe(false);
  });

  it('a rule no correlation names raises its own alerts', () => {
    const ruleSet = loaded('');
    expect(ruleSet.correlations).toEqual([]);
    expect(raisesOwnAlerts(ruleSet, 'rule-whoami')).toBe(true);
    expect(correlationsReferencing(ruleSet, 'rule-whoami')).toEqual([]);
  });
});

describe('multi-document files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-correlations-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('every document of every file loads; correlations name rules of other files', () => {
    writeFileSync(join(dir, 'a-base.yml'), baseRules);
    writeFileSync(
      join(dir, 'b-correlation.yml'),
      dedent(`
        title: Recon pair
        id: corr-pair
        correlation:
          type: temporal
          rules: [whoami_run, rule-net-user]
          timespan: 1m
      `),
    );
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.rules.map((rule) => rule.id)).toEqual(['rule-whoami', 'rule-net-user']);
    expect(ruleSet.correlations.map((correlation) => correlation.rules)).toEqual([['rule-whoami', 'rule-net-user']]);
  });

  it('a broken document is located in the whole file and does not keep the others from loading', () => {
    const text = withBase(`
      title: Broken
      id: broken
      detection:
        selection:
          Image|endswith: [a
        condition: selection
      ---
      title: Bad modifier
      id: bad-modifier
      detection:
        selection:
          Image|endswit: a
        condition: selection
      ---
      title: Fine
      id: fine
      detection:
        selection: { Image: x }
        condition: selection
    `);
    expect(problems(text)).toEqual([
      // The YAML parser notices the unclosed list where the next key starts.
      `rule_yaml @ ${at(6, 3)}: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      expect.stringMatching(new RegExp(`^rule_modifier @ ${at(12, 11)}: unknown modifier 'endswit' \\(supported: `)),
    ]);
    expect(load(text).rules.map((rule) => rule.id)).toEqual(['rule-whoami', 'rule-net-user', 'fine']);
  });

  it('compileRuleFile returns every document; compileRule keeps to files of one document', () => {
    const text = withBase(`
      title: Pair
      id: corr-pair
      correlation:
        type: temporal
        rules: [whoami_run, net_user_run]
        timespan: 1m
    `);
    const file = compileRuleFile(text, FILE);
    expect(file.errors).toEqual([]);
    expect(file.rules.map((rule) => rule.id)).toEqual(['rule-whoami', 'rule-net-user']);
    expect(file.correlations.map((correlation) => correlation.id)).toEqual(['corr-pair']);
    const single = compileRule(text, FILE);
    expect(single.rule).toBeUndefined();
    expect(single.errors.map((error) => error.message)).toEqual([
      `${FILE}:12:1: this file holds 3 YAML documents; compileRule takes one (use compileRuleFile)`,
    ]);
    // A trailing `---` is no document of its own.
    expect(compileRule(`${baseRules.split('---')[0] ?? ''}---\n`, FILE).rule?.id).toBe('rule-whoami');
  });
});

describe('located correlation errors', () => {
  const correlation = (body: string, head = 'title: C\nid: corr-c\n') =>
    withBase(`${head}${dedent(body)}`);

  it('a reference to no loaded rule or correlation', () => {
    expect(
      problems(
        correlation(`
          correlation:
            type: event_count
            rules:
              - whoami_run
              - whoami_rnu
            timespan: 5m
            condition: { gte: 1 }
        `),
      ),
    ).toEqual([`rule_correlation @ ${at(7, 7)}: correlation.rules: 'whoami_rnu' is not a loaded rule or correlation (no id or name matches)`]);
  });

  it('a reference to a meta filter', () => {
    const text = correlation(`
      correlation:
        type: event_count
        rules: [mf-admins]
        timespan: 5m
        condition: { gte: 1 }
      ---
      title: Admins
      id: mf-admins
      logsource: { category: process_creation }
      filter:
        rules: [rule-whoami]
        selection: { User: admin }
        condition: selection
    `);
    expect(problems(text)).toEqual([
      `rule_correlation @ ${at(5, 11)}: correlation.rules: 'mf-admins' is a meta filter; a correlation names detection rules or other correlations`,
    ]);
  });

  it('a meta filter that names a correlation', () => {
    const text = correlation(`
      correlation:
        type: event_count
        rules: [rule-whoami]
        timespan: 5m
        condition: { gte: 1 }
      ---
      title: Admins
      logsource: { category: process_creation }
      filter:
        rules: [corr-c]
        selection: { User: admin }
        condition: selection
    `);
    expect(problems(text)).toEqual([
      `rule_filter @ ${at(12, 11)}: filter 'Admins' names correlation 'corr-c'; meta filters apply to detection rules only`,
    ]);
  });

  it('a correlation naming itself, by id or name', () => {
    expect(
      problems(
        correlation(
          `
            correlation:
              type: temporal
              rules: [whoami_run, self]
              timespan: 5m
          `,
          'title: C\nid: corr-c\nname: self\n',
        ),
      ),
    ).toEqual([`rule_correlation @ ${at(6, 23)}: correlation.rules: a correlation cannot name itself ('self')`]);
  });

  it('correlations that chain on each other in a cycle, and one that chains on them', () => {
    const text = withBase(`
      title: A
      id: corr-a
      correlation:
        type: temporal
        rules: [whoami_run, corr-b]
        timespan: 5m
      ---
      title: B
      id: corr-b
      correlation:
        type: temporal
        rules: [net_user_run, corr-a]
        timespan: 5m
      ---
      title: Outer
      id: corr-outer
      correlation:
        type: event_count
        rules: [corr-a]
        timespan: 5m
        condition: { gte: 1 }
    `);
    expect(problems(text)).toEqual([
      `rule_correlation @ ${at(12, 25)}: correlation.rules: correlations chain on each other in a cycle: corr-a → corr-b → corr-a`,
      `rule_correlation @ ${at(19, 11)}: correlation.rules: correlation 'corr-a' has errors, so this one cannot be compiled`,
    ]);
    expect(load(text).correlations).toEqual([]);
  });

  it('an alias in group-by that misses a referenced rule', () => {
    expect(
      problems(
        correlation(`
          correlation:
            type: temporal
            rules: [whoami_run, net_user_run]
            group-by: [account]
            timespan: 5m
            aliases:
              account:
                whoami_run: User
        `),
      ),
    ).toEqual([`rule_correlation @ ${at(6, 14)}: correlation.group-by: alias 'account' gives no field for rule 'net_user_run'`]);
  });

  it('an alias key naming a rule the correlation does not reference', () => {
    expect(
      problems(
        correlation(`
          correlation:
            type: event_count
            rules: [whoami_run]
            group-by: [account]
            timespan: 5m
            condition: { gte: 1 }
            aliases:
              account:
                whoami_run: User
                net_user_run: User
        `),
      ),
    ).toEqual([`rule_correlation @ ${at(12, 7)}: correlation.aliases.account: 'net_user_run' is not one of this correlation's rules`]);
  });

  it('a chained group-by the inner correlation does not have', () => {
    const text = correlation(`
      correlation:
        type: event_count
        rules: [corr-inner]
        group-by: [Computer, User]
        timespan: 1h
        condition: { gte: 2 }
      ---
      title: Inner
      id: corr-inner
      correlation:
        type: event_count
        rules: [whoami_run]
        group-by: [Computer]
        timespan: 5m
        condition: { gte: 10 }
    `);
    expect(problems(text)).toEqual([
      `rule_correlation @ ${at(6, 24)}: correlation.group-by: correlation 'corr-inner' has no group-by 'User' to chain on (its group-by: Computer)`,
    ]);
  });

  it('an id already used by a rule', () => {
    expect(
      problems(
        correlation(
          `
            correlation:
              type: event_count
              rules: [whoami_run]
              timespan: 5m
              condition: { gte: 1 }
          `,
          'title: C\nid: rule-net-user\n',
        ),
      ),
    ).toEqual([`rule_duplicate_id @ ${at(2, 5)}: correlation id 'rule-net-user' is already used by ${FILE}:13`]);
  });

  const TIMESPAN = 'a positive whole number and a unit s, m, h or d, like 30s, 5m, 1h or 7d';
  /** What is wrong, the `correlation:` block (its lines joined), and the error as `line:col: reason`. */
  const shape: [string, string, string][] = [
    [
      'an unknown type',
      'type: event_cnt\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gte: 1 }',
      `${at(4, 9)}: correlation.type: Invalid option: expected one of "event_count"|"value_count"|"temporal"|"temporal_ordered"|"value_sum"|"value_avg"|"value_percentile"`,
    ],
    [
      'a misspelt key',
      'type: event_count\n  rules: [whoami_run]\n  group_by: [Computer]\n  timespan: 5m\n  condition: { gte: 1 }',
      `${at(6, 3)}: correlation.group_by: unknown key`,
    ],
    [
      'a temporal correlation of one rule',
      'type: temporal\n  rules: [whoami_run]\n  timespan: 5m',
      `${at(5, 10)}: correlation.rules: a temporal correlation names at least 2 rules`,
    ],
    [
      'a rule named twice',
      'type: temporal\n  rules: [whoami_run, whoami_run]\n  timespan: 5m',
      `${at(5, 23)}: correlation.rules: 'whoami_run' is named twice`,
    ],
    [
      'the same rule by id and by name',
      'type: temporal\n  rules: [whoami_run, rule-whoami]\n  timespan: 5m',
      `${at(5, 23)}: correlation.rules: 'rule-whoami' is the same rule as 'whoami_run'`,
    ],
    [
      'a timespan in weeks',
      'type: temporal\n  rules: [whoami_run, net_user_run]\n  timespan: 1w',
      `${at(6, 13)}: correlation.timespan: expected ${TIMESPAN}, not '1w'`,
    ],
    [
      'a timespan without a unit',
      'type: temporal\n  rules: [whoami_run, net_user_run]\n  timespan: 300',
      `${at(6, 13)}: correlation.timespan: expected ${TIMESPAN}, not '300'`,
    ],
    [
      'a zero timespan',
      'type: temporal\n  rules: [whoami_run, net_user_run]\n  timespan: 0m',
      `${at(6, 13)}: correlation.timespan: expected ${TIMESPAN}, not '0m'`,
    ],
    [
      'no timespan',
      'type: temporal\n  rules: [whoami_run, net_user_run]',
      `${at(3, 1)}: correlation.timespan: required (${TIMESPAN})`,
    ],
    [
      'no condition on a count',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m',
      `${at(3, 1)}: correlation.condition: required for event_count correlations (like gte: 10)`,
    ],
    [
      'an unknown condition key',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gte: 1, max: 3 }',
      `${at(7, 24)}: correlation.condition.max: unknown key (expected gt, gte, lt, lte, eq, neq, field or percentile)`,
    ],
    [
      'a bound that is no number',
      "type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gte: ten }",
      `${at(7, 21)}: correlation.condition.gte: expected a number, not 'ten'`,
    ],
    [
      'a condition without a bound',
      'type: value_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { field: User }',
      `${at(7, 3)}: correlation.condition: needs a bound: gt, gte, lt, lte, eq or neq`,
    ],
    [
      'an empty range',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 10, lt: 5 }',
      `${at(7, 24)}: correlation.condition: no value is gt 10 and lt 5`,
    ],
    [
      'an empty closed range',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { lte: 4, gte: 5 }',
      `${at(7, 24)}: correlation.condition: no value is gte 5 and lte 4`,
    ],
    [
      'eq with another bound',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { eq: 3, lt: 5 }',
      `${at(7, 23)}: correlation.condition: eq cannot be combined with lt`,
    ],
    [
      'two lower bounds',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, gte: 5 }',
      `${at(7, 23)}: correlation.condition: gt and gte both bound the value from below`,
    ],
    [
      'three bounds',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, lt: 9, neq: 5 }',
      `${at(7, 30)}: correlation.condition: at most two bounds (a range), not gt, lt, neq`,
    ],
    [
      'value_count without a field',
      'type: value_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3 }',
      `${at(7, 3)}: correlation.condition.field: required for value_count correlations (the field whose values are aggregated)`,
    ],
    [
      'event_count with a field',
      'type: event_count\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, field: User }',
      `${at(7, 23)}: correlation.condition.field: event_count correlations aggregate no field`,
    ],
    [
      'value_percentile without a percentile',
      'type: value_percentile\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, field: User }',
      `${at(7, 3)}: correlation.condition.percentile: required for value_percentile correlations (0 to 100)`,
    ],
    [
      'a percentile above 100',
      'type: value_percentile\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, field: User, percentile: 101 }',
      `${at(7, 48)}: correlation.condition.percentile: expected a number from 0 to 100, not '101'`,
    ],
    [
      'a percentile on value_sum',
      'type: value_sum\n  rules: [whoami_run]\n  timespan: 5m\n  condition: { gt: 3, field: User, percentile: 50 }',
      `${at(7, 36)}: correlation.condition.percentile: only value_percentile correlations take one, not value_sum`,
    ],
    [
      'generate given twice, differently',
      'type: temporal\n  rules: [whoami_run, net_user_run]\n  timespan: 5m\n  generate: false',
      `${at(7, 3)}: correlation.generate: contradicts the top-level generate`,
    ],
  ];
  it.each(shape)('%s', (_what, block, expected) => {
    // Lines as if the head were `title` and `id` alone; the generate case adds one.
    const generate = block.includes('generate');
    const head = generate ? 'title: C\nid: corr-c\ngenerate: true\n' : 'title: C\nid: corr-c\n';
    const [line = '', ...rest] = expected.split(':');
    const where = `${Number(line) + (generate ? 1 : 0)}:${rest.join(':')}`;
    // The document's shape (a type or key Sigma does not define) is a schema problem; the rest are the correlation's own.
    const code = /: correlation\.(type|group_by): /.test(where) ? 'rule_schema' : 'rule_correlation';
    expect(problems(`${baseRules}${head}correlation:\n  ${block}\n`)).toEqual([`${code} @ ${where}`]);
  });

  it('a correlation without an id', () => {
    const noId = 'title: C\ncorrelation:\n  type: temporal\n  rules: [whoami_run, net_user_run]\n  timespan: 5m\n';
    expect(problems(`${baseRules}${noId}`)).toEqual([
      `rule_schema @ ${at(1, 1)}: id: Invalid input: expected string, received undefined`,
    ]);
  });
});
