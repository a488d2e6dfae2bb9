// A simulated outbreak through the real all-in-one process and the shipped rule library:
// ransomware on six PCs of one unit and on PCs of ten more units, with commodity adware
// everywhere as noise. Vigil must raise exactly the expected alerts, each once: one
// grouped alert per rule and PC, one "spread in a unit" alert, one province-wide
// outbreak alert, and nothing for the adware. Then a SIGKILL in the middle of an open
// spread window: after the restart the window goes on, and fires once.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/schemas/alert.ts';
import { securityEventSchema } from '../../core/schemas/event.ts';
import { raisesOwnAlerts } from '../../detect/sigma/correlation-index.ts';
import { loadRuleSet, matchEvent } from '../../detect/sigma/rule-set.ts';
import { eventually, makeTempDir, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { postEvents } from './events.ts';

const SPREAD = '6b463895-f4ce-4f13-a96a-6225ba6da07c';
const OUTBREAK = '22e9dd6f-1975-4270-a50a-664d35de77c2';
const library = loadRuleSet(fileURLToPath(new URL('../../rules/', import.meta.url)));

function avDetection(host: string, threat: string, secondsAgo: number) {
  return {
    '@timestamp': new Date(Date.now() - secondsAgo * 1000).toISOString(),
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    observer: { vendor: 'Vigil Demo AV', product: 'Endpoint Security', type: 'antivirus' },
    host: { id: host.toLowerCase(), name: host, os: { family: 'windows' } },
    file: { path: `C:\\Users\\ketoan\\Documents\\${threat.split('.').at(-2) ?? 'x'}.exe`, name: 'x.exe' },
    rule: { name: threat },
  };
}

type Posted = { unit: string; event: ReturnType<typeof avDetection> };

/** The single-event alerts the library raises for these events: one per rule and PC of a unit. */
function expectedMatchAlerts(posted: Posted[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const { unit, event } of posted) {
    const stamped = securityEventSchema.parse({ ...event, organization: { id: unit, name: unit }, event: { ...event.event, ingested: event['@timestamp'] } });
    for (const rule of matchEvent(library, stamped)) {
      if (!raisesOwnAlerts(library, rule.id)) continue;
      const key = `${rule.id}|${unit}|${event.host.id}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
  }
  return expected;
}

describe('a simulated outbreak, end to end', () => {
  const dataDir = makeTempDir('vigil-outbreak-');
  let vigil: VigilProcess;
  let cookie: string;
  const keys = new Map<string, string>();

  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${vigil.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', Cookie: cookie } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const allAlerts = async () => ((await api('/api/v1/alerts?limit=1000')).body.items as Alert[]) ?? [];
  const post = async (posted: Posted[]) => {
    for (const { unit, event } of posted) {
      const answer = await postEvents(vigil.url, keys.get(unit)!, JSON.stringify(event));
      expect(answer.status).toBe(202);
    }
  };
  /** Detect and correlate have nothing pending, as the health view reports it. */
  const caughtUp = () =>
    eventually(async () => {
      const health = (await api('/api/v1/health')).body as { detection?: { lag: { events: number; signals: number } } };
      const lag = health.detection?.lag;
      return lag !== undefined && lag.events === 0 && lag.signals === 0 ? true : undefined;
    }, 30_000);

  beforeAll(async () => {
    vigil = await startVigil({ dataDir });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    keys.set(vigil.unit, vigil.agentKey);
    for (let u = 1; u <= 10; u++) {
      const id = `don-vi-${u}`;
      expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id, name: `Đơn vị ${u}` }) })).status).toBe(201);
      const agent = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit: id, name: 'AV server' }) });
      keys.set(id, agent.body.key as string);
    }
  }, 60_000);

  afterAll(async () => {
    await vigil?.stop();
  });

  it('raises exactly the expected alerts, each once', async () => {
    const ransomware = 'Ransom.Win32.LockBit.A';
    const posted: Posted[] = [];
    // Six PCs of the first unit, then one PC in each of ten other units, seconds apart
    // (recent enough that none is later than the allowed lateness).
    for (let pc = 1; pc <= 6; pc++) posted.push({ unit: vigil.unit, event: avDetection(`SOYTE-PC-${pc}`, ransomware, 120 - pc * 5) });
    for (let u = 1; u <= 10; u++) posted.push({ unit: `don-vi-${u}`, event: avDetection(`DV${u}-PC-1`, ransomware, 80 - u * 5) });
    // Noise: adware on six PCs of the first unit must not look like a spreading threat.
    for (let pc = 1; pc <= 6; pc++) posted.push({ unit: vigil.unit, event: avDetection(`SOYTE-PC-${pc}`, 'Adware.Agent.Win32', 20) });
    await post(posted);
    await caughtUp();

    const expected = expectedMatchAlerts(posted);
    const alerts = await eventually(async () => {
      const found = await allAlerts();
      return found.length >= expected.size + 2 ? found : undefined;
    }, 30_000);

    const matches = alerts.filter((alert) => alert.rule.kind === 'match');
    const actual = new Map(matches.map((alert) => [`${alert.rule.id}|${alert.organization.id}|${alert.host.id}`, alert.count]));
    expect(actual).toEqual(expected);

    const correlations = alerts.filter((alert) => alert.rule.kind === 'correlation');
    expect(correlations.map((alert) => [alert.rule.id, alert.organization.id, alert.group])).toEqual(
      expect.arrayContaining([
        [SPREAD, vigil.unit, { 'organization.id': vigil.unit, 'rule.name': ransomware }],
        [OUTBREAK, '*', { 'rule.name': ransomware }],
      ]),
    );
    expect(correlations).toHaveLength(2);
    const spread = correlations.find((alert) => alert.rule.id === SPREAD)!;
    expect(spread.severity).toBe('high');
    expect(spread.count).toBe(5);
    const outbreak = correlations.find((alert) => alert.rule.id === OUTBREAK)!;
    expect(outbreak.severity).toBe('critical');
  });

  it('keeps an open spread window through a SIGKILL, and fires it once after the restart', async () => {
    const threat = 'Trojan.Win32.Emotet';
    const before = (await allAlerts()).filter((alert) => alert.rule.id === SPREAD).length;
    await post([1, 2, 3].map((pc) => ({ unit: vigil.unit, event: avDetection(`SOYTE-EM-${pc}`, threat, 60 - pc * 5) })));
    await caughtUp();
    await vigil.kill();

    vigil = await startVigil({ dataDir });
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    await post([4, 5].map((pc) => ({ unit: vigil.unit, event: avDetection(`SOYTE-EM-${pc}`, threat, 10 - pc) })));
    await caughtUp();

    const spreads = await eventually(async () => {
      const found = (await allAlerts()).filter((alert) => alert.rule.id === SPREAD);
      return found.length > before ? found : undefined;
    }, 30_000);
    const emotet = spreads.filter((alert) => alert.group['rule.name'] === threat);
    expect(emotet).toHaveLength(1);
    expect(emotet[0]!.count).toBe(5);
    expect(new Set(emotet[0]!.event_ids).size).toBe(5);
  }, 120_000);
});
