// A rule switched off in the console stops alerting in a running `vigil start` without a
// restart, starts again when switched back on, and stays off across a restart (the
// switch is kept in the audit log: core/accounts/rule-switches.ts). One events and one
// signals partition (the all-in-one default), so an alert of one rule raised by an event
// shows that every rule that event matched was handled. A correlation chained on another
// one, switched off, raises nothing either (detect/rule-switches.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { eicarEvent, postEvents } from './events.ts';

const rule = (id: string, signature: string) => `title: ${id}
id: ${id}
logsource:
  category: antivirus
detection:
  selection:
    Signature|contains: ${signature}
  condition: selection
level: high
`;

// gamma -> gamma-pair (two on one host) -> gamma-chain (a pair on one host): only the
// outer correlation raises alerts (`generate` defaults to false for the two it names).
const CHAIN = `${rule('gamma', 'gamma-sig')}name: gamma_rule
---
title: gamma pair
id: gamma-pair
name: gamma_pair
correlation:
  type: event_count
  rules: [gamma_rule]
  group-by: [host.name]
  timespan: 10m
  condition: { gte: 2 }
level: high
---
title: gamma chain
id: gamma-chain
correlation:
  type: event_count
  rules: [gamma_pair]
  group-by: [host.name]
  timespan: 1h
  condition: { gte: 1 }
level: critical
`;

describe('switching a rule off and on (all-in-one)', () => {
  let vigil: VigilProcess;
  let cookie: string;
  let rulesDir: string;
  let dataDir: string;

  const start = async () => {
    vigil = await startVigil({ dataDir, env: { VIGIL_RULES_DIR: rulesDir } });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${vigil.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const disabledApplied = (count: number) => eventually(async () => ((await metric('vigil_rules_disabled')) === count ? true : undefined));
  const switchRule = async (id: string, enabled: boolean) => {
    const response = await fetch(`${vigil.url}/api/v1/rules/library/${id}`, {
      method: 'PATCH',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled }),
    });
    expect(response.status).toBe(200);
  };
  /** Posts one event both rules match; answers the rules of its host's alerts once beta's is there. */
  const alertsOfBoth = async (host: string) => {
    const posted = await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent(host, { rule: { name: 'Trojan alpha-sig beta-sig' } })));
    expect(posted.status).toBe(202);
    return eventually(async () => {
      const response = await fetch(`${vigil.url}/api/v1/alerts?host=${host}`, { headers: { Cookie: cookie } });
      const rules = ((await response.json()) as { items: { rule: { id: string } }[] }).items.map((alert) => alert.rule.id).sort();
      return rules.includes('beta') ? rules : undefined;
    });
  };

  beforeAll(async () => {
    rulesDir = mkdtempSync(join(tmpdir(), 'vigil-switch-rules-'));
    dataDir = makeTempDir();
    writeFileSync(join(rulesDir, 'alpha.yml'), rule('alpha', 'alpha-sig'));
    writeFileSync(join(rulesDir, 'beta.yml'), rule('beta', 'beta-sig'));
    writeFileSync(join(rulesDir, 'gamma.yml'), CHAIN);
    await start();
  });
  afterAll(async () => {
    await vigil?.stop();
    rmSync(rulesDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a switched-off rule raises no alert; switched on again, it does, without a restart', async () => {
    expect(await alertsOfBoth('SW-1')).toEqual(['alpha', 'beta']);

    await switchRule('alpha', false);
    await disabledApplied(1);
    expect(await alertsOfBoth('SW-2')).toEqual(['beta']);
    // Still compiled and loaded: only switched off.
    expect(await metric('vigil_rules_loaded')).toBe(5);

    await switchRule('alpha', true);
    await disabledApplied(0);
    expect(await alertsOfBoth('SW-3')).toEqual(['alpha', 'beta']);
  });

  it('stays switched off across a restart', async () => {
    await switchRule('alpha', false);
    await disabledApplied(1);
    await vigil.stop();
    await start();
    // Read before detection starts: the first event after the restart already obeys it.
    expect(await metric('vigil_rules_disabled')).toBe(1);
    expect(await alertsOfBoth('SW-4')).toEqual(['beta']);
    const library = await fetch(`${vigil.url}/api/v1/rules/library`, { headers: { Cookie: cookie } });
    const items = ((await library.json()) as { items: { id: string; enabled: boolean; switchedBy: string | null }[] }).items;
    expect(items.find((r) => r.id === 'alpha')).toMatchObject({ enabled: false, switchedBy: 'admin' });
  });

  it('a switched-off correlation does not fire through the correlation it is chained on', async () => {
    /** Two gamma detections on the host, the second also beta's; answers the host's alert rules once beta's is there. */
    const chainOn = async (host: string) => {
      const events = [eicarEvent(host, { rule: { name: 'Trojan gamma-sig' } }), eicarEvent(host, { rule: { name: 'Trojan gamma-sig beta-sig' } })];
      expect((await postEvents(vigil.url, vigil.agentKey, JSON.stringify(events))).status).toBe(202);
      return eventually(async () => {
        const response = await fetch(`${vigil.url}/api/v1/alerts?host=${host}`, { headers: { Cookie: cookie } });
        const rules = ((await response.json()) as { items: { rule: { id: string } }[] }).items.map((alert) => alert.rule.id).sort();
        return rules.includes('beta') ? rules : undefined;
      });
    };
    const before = await metric('vigil_rules_disabled');
    expect(await chainOn('CH-1')).toEqual(['beta', 'gamma-chain']);

    await switchRule('gamma-chain', false);
    await disabledApplied(before + 1);
    expect(await chainOn('CH-2')).toEqual(['beta']);

    await switchRule('gamma-chain', true);
    await disabledApplied(before);
    expect(await chainOn('CH-3')).toEqual(['beta', 'gamma-chain']);
  });
});
