// Rules switched off in the console, as detect applies them: the watcher follows the
// audit log's `rule.switch` entries, and the wrapped detector neither fires a
// switched-off rule nor routes signals to a switched-off correlation.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Accounts } from '../../core/accounts/accounts.ts';
import { openEmbeddedAccounts } from '../../core/accounts/embedded-accounts.ts';
import { RULE_SWITCH_ACTION } from '../../core/accounts/rule-switches.ts';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { detectorFor } from '../../detect/rule-detector.ts';
import { watchRuleSwitches, withoutDisabled } from '../../detect/rule-switches.ts';
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
