// Rules switched off in the console, as detect and correlate apply them: the watcher
// follows the audit log's `rule.switch` entries; the wrapped detector neither fires a
// switched-off rule nor routes signals to a switched-off correlation; and a
// switched-off rule raises no alert however it is reached, run through the real
// detect signals and correlator: a correlation chained on another one, a correlation
// switched off while its windows hold matches, an inner correlation or a base rule
// switched off under an enabled outer one.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { RULE_SWITCH_ACTION } from '../../core/accounts/rule-switches.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import type { SecurityEvent } from '../../core/schemas/event.ts';
import { CorrelationOutput, Correlator, type CorrelationRules } from '../../detect/correlation/correlator.ts';
import { signalsFromMatches } from '../../detect/correlation/signals-from-match.ts';
import { detectorFor } from '../../detect/rule-detector.ts';
import { correlationsWithoutDisabled, watchRuleSwitches, withoutDisabled } from '../../detect/rule-switches.ts';
import { ruleSetFromText } from '../../detect/sigma/rule-set.ts';
import { makeTempDir } from '../support/start-vigil.ts';
import { securityEvent } from './security-event-fixture.ts';

const RULES = `title: Alpha
id: alpha
name: alpha_rule
logsource: { category: antivirus }
detection:
  selection: { Signature|contains: alpha }
  condition: selection
level: high
---
title: Beta
id: beta
logsource: { category: antivirus }
detection:
  selection: { Signature|contains: beta }
  condition: selection
level: high
---
title: Alpha twice
id: alpha-twice
correlation:
  type: event_count
  rules: [alpha_rule]
  group-by: [host.name]
  timespan: 10m
  condition: { gte: 2 }
level: critical
`;

// A base rule, a correlation on it, and a correlation chained on that one. Neither the
// base rule nor the inner correlation raises alerts of its own (Sigma `generate`
// defaults to false): only the outer one alerts, as in the shipped rules.
const CHAIN = `title: Alpha
id: alpha
name: alpha_rule
logsource: { category: antivirus }
detection:
  selection: { Signature|contains: alpha }
  condition: selection
level: medium
---
title: Alpha twice
id: alpha-twice
name: alpha_twice
correlation:
  type: event_count
  rules: [alpha_rule]
  group-by: [host.name]
  timespan: 10m
  condition: { gte: 2 }
level: high
---
title: Alpha twice, twice
id: alpha-bursts
correlation:
  type: event_count
  rules: [alpha_twice]
  group-by: [host.name]
  timespan: 1h
  condition: { gte: 2 }
level: critical
`;

const MINUTE = 60_000;
const START = Date.parse('2026-11-22T08:00:00.000Z');

/** Detect and correlate as the live stages wire them, with the switches applied to both. */
function chainPipeline(initiallyOff: ReadonlySet<string>) {
  const loaded = detectorFor(ruleSetFromText(CHAIN, 'rules/chain.yml'));
  let off = initiallyOff;
  const rulesNow = (): CorrelationRules => correlationsWithoutDisabled(loaded.correlation, off);
  const correlator = new Correlator(rulesNow(), {
    limits: { allowedLatenessMs: 0, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 10 },
    alertGroupWindowMs: 1,
    silence: {},
    sourceIdleMs: Number.POSITIVE_INFINITY,
    eventsPartitions: 1,
    ownsUnit: () => false,
  });
  let offset = 0;
  const raised: string[] = [];
  const collect = (out: CorrelationOutput) => raised.push(...[...out.alerts.values()].map((alert) => alert.rule.id));
  return {
    raised,
    /** What a new poll of the switches does: the correlate stage reloads when its rules object changes. */
    switchOff(ids: readonly string[]) {
      off = new Set(ids);
      correlator.reload(rulesNow());
    },
    /** One antivirus detection of "alpha" on the host, `minute` minutes after START. */
    detection(minute: number, host = 'yte-pc-017') {
      const time = START + minute * MINUTE;
      const event: SecurityEvent = securityEvent({
        '@timestamp': new Date(time).toISOString(),
        host: { id: `${host}-id`, name: host },
        event: { category: ['malware'], action: 'detected', ingested: new Date(time).toISOString() },
        rule: { name: 'alpha' },
      });
      const detector = withoutDisabled(loaded.detector, off);
      const progress = new CorrelationOutput(new Date(time));
      correlator.apply([{ kind: 'progress', partition: 0, time, activity: [] }], time, progress);
      collect(progress);
      const out = new CorrelationOutput(new Date(time));
      correlator.apply(signalsFromMatches(detector.match(event), event, time, { partition: 0, offset: offset++ }, detector.routing), time, out);
      collect(out);
    },
    finish() {
      const out = new CorrelationOutput(new Date(START));
      correlator.flush(out);
      collect(out);
    },
  };
}

describe('a switched-off rule raises no alert, whichever way it is reached', () => {
  // Four detections: the inner correlation fires at the 2nd and the 4th, the outer at the 4th.
  const fourDetections = (pipeline: ReturnType<typeof chainPipeline>) => {
    for (const minute of [0, 1, 2, 3]) pipeline.detection(minute);
    pipeline.finish();
  };

  it('all on: the chain raises the outer correlation’s alert, and only that', () => {
    const pipeline = chainPipeline(new Set());
    fourDetections(pipeline);
    expect(pipeline.raised).toEqual(['alpha-bursts']);
  });

  it('the outer correlation switched off does not fire through the inner one', () => {
    const pipeline = chainPipeline(new Set(['alpha-bursts']));
    fourDetections(pipeline);
    expect(pipeline.raised).toEqual([]);
  });

  it('switched off while its window holds the inner firing, it raises nothing when the chain completes; back on, it starts afresh', () => {
    const pipeline = chainPipeline(new Set());
    for (const minute of [0, 1, 2]) pipeline.detection(minute);
    pipeline.switchOff(['alpha-bursts']);
    pipeline.detection(3);
    expect(pipeline.raised).toEqual([]);
    pipeline.switchOff([]);
    // The firing it held was dropped with it: one more inner firing is not enough...
    for (const minute of [4, 5]) pipeline.detection(minute);
    expect(pipeline.raised).toEqual([]);
    // ...two are.
    for (const minute of [6, 7]) pipeline.detection(minute);
    expect(pipeline.raised).toEqual(['alpha-bursts']);
  });

  it('an inner correlation switched off feeds the outer one nothing, and raises nothing itself', () => {
    const pipeline = chainPipeline(new Set(['alpha-twice']));
    fourDetections(pipeline);
    expect(pipeline.raised).toEqual([]);
  });

  it('a base rule switched off feeds no correlation, and its building-block matches do not turn into alerts', () => {
    const pipeline = chainPipeline(new Set(['alpha']));
    fourDetections(pipeline);
    expect(pipeline.raised).toEqual([]);
  });

  it('other hosts’ chains and other rules are untouched by a switch', () => {
    const pipeline = chainPipeline(new Set(['alpha-twice-other']));
    for (const minute of [0, 1, 2, 3]) pipeline.detection(minute, 'yte-pc-018');
    pipeline.finish();
    expect(pipeline.raised).toEqual(['alpha-bursts']);
  });

  it('keeps the same rules object while nothing a correlation needs changed, so the correlate stage does not rebuild its windows', () => {
    const { correlation } = detectorFor(ruleSetFromText(CHAIN, 'rules/chain.yml'));
    expect(correlationsWithoutDisabled(correlation, new Set(['alpha']))).toBe(correlation);
    const off = new Set(['alpha-bursts']);
    const once = correlationsWithoutDisabled(correlation, off);
    expect(once).not.toBe(correlation);
    expect(once.correlations.map((c) => c.id)).toEqual(['alpha-twice']);
    expect(correlationsWithoutDisabled(correlation, off)).toBe(once);
  });
});

describe('rule switches in detect', () => {
  let dataDir: string;
  let accounts: Accounts;
  const log = createLogger('silent');
  const switchRule = (id: string, enabled: boolean) =>
    accounts.appendAudit({ actor: 'ana', source: null, action: RULE_SWITCH_ACTION, target: id, units: [], before: { enabled: !enabled }, after: { enabled } });

  beforeAll(() => {
    dataDir = makeTempDir('vigil-switches-');
    accounts = openEmbeddedAccounts({ dataDir });
  });
  afterAll(async () => {
    await accounts.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops a switched-off rule from matches and a switched-off correlation from routing', () => {
    const { detector } = detectorFor(ruleSetFromText(RULES, 'rules/inline.yml'));
    const event = securityEvent({ event: { category: ['malware'], action: 'detected' }, rule: { name: 'alpha beta' } });
    expect([...detector.match(event)].sort()).toEqual(['alpha', 'beta']);
    expect(detector.routing.correlationsReferencing('alpha').map((c) => c.id)).toEqual(['alpha-twice']);

    const noAlpha = withoutDisabled(detector, new Set(['alpha']));
    expect(noAlpha.match(event)).toEqual(['beta']);
    const noCorrelation = withoutDisabled(detector, new Set(['alpha-twice']));
    expect([...noCorrelation.match(event)].sort()).toEqual(['alpha', 'beta']);
    expect(noCorrelation.routing.correlationsReferencing('alpha')).toEqual([]);
    // Nothing switched off: the detector itself, so callers' caches keep working.
    expect(withoutDisabled(detector, new Set())).toBe(detector);
  });

  it('follows the newest switch of each rule, from the first read on', async () => {
    await switchRule('alpha', false);
    const metrics = createMetrics({ defaultMetrics: false });
    const watcher = await watchRuleSwitches({ accounts, metrics, log, pollMs: 60_000 });
    try {
      expect([...watcher.disabled()]).toEqual(['alpha']);
      await switchRule('beta', false);
      await switchRule('alpha', true);
      await watcher.refresh();
      expect([...watcher.disabled()]).toEqual(['beta']);
      expect(await metrics.registry.getSingleMetricAsString('vigil_rules_disabled')).toMatch(/^vigil_rules_disabled 1$/m);
    } finally {
      watcher.close();
    }
  });
});
