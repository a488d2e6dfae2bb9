// Hot reload of the rules folder in the all-in-one process: a rule (or a correlation)
// added while Vigil runs fires on the next events without a restart; a rule file
// broken later is reported (log, metrics) and skipped while the other rules keep firing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { eicarEvent, postEvents } from './events.ts';

interface AlertPage {
  items: { rule: { id: string }; host: { name: string } }[];
}

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

describe('rules hot reload (all-in-one)', () => {
  let vigil: VigilProcess;
  let cookie: string;
  let rulesDir: string;

  const alertsFor = async (host: string) => {
    const response = await fetch(`${vigil.url}/api/v1/alerts?host=${host}`, { headers: { Cookie: cookie } });
    return ((await response.json()) as AlertPage).items.map((alert) => alert.rule.id);
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${vigil.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const eventStored = async (host: string) => {
    const q = encodeURIComponent(`host.name:${host}`);
    const response = await fetch(`${vigil.url}/api/v1/events?q=${q}`, { headers: { Cookie: cookie } });
    return ((await response.json()) as { items: unknown[] }).items.length > 0 ? true : undefined;
  };
  const post = async (host: string, signature: string) => {
    const posted = await postEvents(vigil.url, vigil.agentKey, JSON.stringify(eicarEvent(host, { rule: { name: signature } })));
    expect(posted.status).toBe(202);
  };

  beforeAll(async () => {
    rulesDir = mkdtempSync(join(tmpdir(), 'vigil-hot-rules-'));
    writeFileSync(join(rulesDir, 'alpha.yml'), rule('alpha', 'alpha-sig'));
    vigil = await startVigil({ env: { VIGIL_RULES_DIR: rulesDir } });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  });
  afterAll(async () => {
    await vigil?.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('a rule file added while running fires on the next events, without a restart', async () => {
    await post('HOT-1', 'Trojan.Beta-Sig');
    await eventually(() => eventStored('HOT-1'));
    expect(await alertsFor('HOT-1')).toEqual([]);

    writeFileSync(join(rulesDir, 'beta.yml'), rule('beta', 'beta-sig'));
    await eventually(async () => ((await metric('vigil_rules_loaded')) === 2 ? true : undefined));
    await post('HOT-2', 'Trojan.Beta-Sig');
    expect(await eventually(async () => ((await alertsFor('HOT-2')).length > 0 ? alertsFor('HOT-2') : undefined))).toEqual(['beta']);
  });

  it('a correlation file added while running correlates the next events; its building block raises no alert of its own', async () => {
    writeFileSync(
      join(rulesDir, 'gamma.yml'),
      `${rule('gamma-block', 'gamma-sig').replace('title: gamma-block', 'title: gamma-block\nname: gamma_block')}---
title: gamma twice on one PC
id: gamma-twice
correlation:
  type: event_count
  rules: [gamma_block]
  group-by: [host.name]
  timespan: 10m
  condition:
    gte: 2
level: high
`,
    );
    // alpha and beta, plus the building block and the correlation.
    await eventually(async () => ((await metric('vigil_rules_loaded')) === 4 ? true : undefined));
    await post('HOT-G', 'Trojan.Gamma-Sig');
    await eventually(() => eventStored('HOT-G'));
    await post('HOT-G', 'Trojan.Gamma-Sig');
    expect(await eventually(async () => ((await alertsFor('HOT-G')).length > 0 ? alertsFor('HOT-G') : undefined))).toEqual(['gamma-twice']);

    rmSync(join(rulesDir, 'gamma.yml'));
    await eventually(async () => ((await metric('vigil_rules_loaded')) === 2 ? true : undefined));
  });

  it('a rule file broken later is reported and skipped; the others keep firing', async () => {
    writeFileSync(join(rulesDir, 'alpha.yml'), 'title: alpha\nid: alpha\ndetection: [unclosed\n');
    await eventually(async () => ((await metric('vigil_rule_errors')) === 1 ? true : undefined));
    expect(await metric('vigil_rules_loaded')).toBe(1);

    await post('HOT-3', 'Trojan.Beta-Sig alpha-sig');
    expect(await eventually(async () => ((await alertsFor('HOT-3')).length > 0 ? alertsFor('HOT-3') : undefined))).toEqual(['beta']);
    const rules = await fetch(`${vigil.url}/api/v1/rules`, { headers: { Cookie: cookie } });
    expect(rules.status).toBe(200);
    expect(await rules.json()).toEqual({ loaded: 1, errors: [expect.stringMatching(/alpha\.yml:\d+:\d+: invalid YAML/)] });
    expect((await fetch(`${vigil.url}/api/v1/rules`)).status).toBe(401);
  });

  it('keeps the previous rule set when the whole folder fails to load', async () => {
    writeFileSync(join(rulesDir, 'beta.yml'), 'not: [a rule\n');
    await eventually(async () => ((await metric('vigil_rule_errors')) === 2 ? true : undefined));
    expect(await metric('vigil_rules_loaded')).toBe(1);
    await post('HOT-4', 'Trojan.Beta-Sig');
    expect(await eventually(async () => ((await alertsFor('HOT-4')).length > 0 ? alertsFor('HOT-4') : undefined))).toEqual(['beta']);
  });
});
