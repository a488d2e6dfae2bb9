// "Loses nothing": events accepted with a 202 survive a SIGKILL right after the answer,
// and after a restart each is processed exactly once (no lost events, no duplicate
// alerts). Then SIGTERM drains and exits cleanly.
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { benignNetworkEvent, eicarEvent, postEvents } from './events.ts';

describe('crash and restart', () => {
  const dataDir = makeTempDir('vigil-crash-');
  let vigil: VigilProcess | undefined;
  afterAll(async () => {
    await vigil?.stop();
  });

  it('keeps every accepted event through a SIGKILL and processes each exactly once', async () => {
    vigil = await startVigil({ dataDir });
    const ids: string[] = [];
    let eicars = 0;
    for (let batch = 0; batch < 20; batch++) {
      const lines = Array.from({ length: 250 }, (_, i) => {
        const event = i % 50 === 0 ? eicarEvent(`PC-${batch}-${i}`) : benignNetworkEvent(`FW-${batch}`, 1000 + i);
        if (i % 50 === 0) eicars++;
        ids.push(event.event.id);
        return JSON.stringify(event);
      });
      const posted = await postEvents(vigil.url, vigil.agentKey, lines.join('\n'), { 'Content-Type': 'application/x-ndjson' });
      expect(posted.status).toBe(202);
      expect(posted.body.accepted).toBe(250);
    }
    // Crash right after the last 202: detect is most likely mid-way through the backlog.
    await vigil.kill();

    vigil = await startVigil({ dataDir });
    const cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    const get = async (path: string) => (await fetch(`${vigil!.url}${path}`, { headers: { Cookie: cookie } })).json();

    const total = await eventually(async () => {
      const page = (await get('/api/v1/events?limit=1')) as { total: number };
      return page.total === ids.length ? page.total : undefined;
    }, 30_000);
    expect(total).toBe(5000);

    // Every id is there exactly once: page through everything.
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page = (await get(`/api/v1/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)) as {
        items: { event: { id: string } }[];
        next: string | null;
      };
      for (const event of page.items) seen.set(event.event.id, (seen.get(event.event.id) ?? 0) + 1);
      cursor = page.next;
    } while (cursor);
    expect(seen.size).toBe(ids.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);

    // Alerts come from the correlate stage, a step behind the stored events. One per
    // host (each EICAR was on its own PC), each counting its one event: none doubled.
    type Listed = { items: { rule: { title: string }; count: number }[] };
    const eicarAlerts = await eventually(async () => {
      const alerts = (await get('/api/v1/alerts?limit=1000')) as Listed;
      const found = alerts.items.filter((a) => /EICAR/i.test(a.rule.title));
      return found.length >= eicars ? found : undefined;
    }, 30_000);
    expect(eicarAlerts).toHaveLength(eicars);
    expect(eicarAlerts.every((alert) => alert.count === 1)).toBe(true);
  });

  it('drains and exits cleanly on SIGTERM', async () => {
    const running = vigil!;
    vigil = undefined;
    const posted = await postEvents(running.url, running.agentKey, JSON.stringify(eicarEvent('PC-LAST')));
    expect(posted.status).toBe(202);
    expect(await running.stop()).toBe(0);
  });
});
