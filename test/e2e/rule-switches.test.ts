// A rule switched off in the console stops alerting in a running `vigil start` without a
// restart, starts again when switched back on, and stays off across a restart (the
// switch is kept in the audit log: core/accounts/rule-switches.ts). One events and one
// signals partition (the all-in-one default), so an alert of one rule raised by an event
// shows that every rule that event matched was handled.
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
    expect(await metric('vigil_rules_loaded')).toBe(2);

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
});
