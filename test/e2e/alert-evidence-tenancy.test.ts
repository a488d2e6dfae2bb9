// Issue 9, defect 3, end to end: unit-b posts a twin of unit-a's event (same event.id
// and @timestamp, its own content). Both units keep their own event, and the evidence
// an admin sees under unit-a's alert is unit-a's content only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { eicarEvent, postEvents } from './events.ts';

interface EventBody {
  event: { id: string };
  host: { name: string };
  organization: { id: string };
}

describe('alert evidence stays within the alert’s unit', () => {
  let vigil: VigilProcess;
  let cookie: string;
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${vigil.url}${path}`, {
      ...init,
      headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    vigil = await startVigil();
    cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
  });
  afterAll(async () => {
    await vigil?.stop();
  });

  it('shows unit-a’s own event under unit-a’s alert although unit-b posted the same id and time first', async () => {
    expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id: 'unit-b', name: 'Unit B' }) })).status).toBe(201);
    const enrolled = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit: 'unit-b', name: 'hostile agent' }) });
    expect(enrolled.status).toBe(201);
    const hostileKey = enrolled.body.key as string;

    const genuine = eicarEvent('PC-UNIT-A-01');
    const twin = { ...genuine, host: { id: 'pc-forged', name: 'PC-FORGED-BY-B' } };
    // The hostile unit posts first; then the genuine agent posts its event.
    expect((await postEvents(vigil.url, hostileKey, JSON.stringify(twin))).body).toMatchObject({ accepted: 1 });
    expect((await postEvents(vigil.url, vigil.agentKey, JSON.stringify(genuine))).body).toMatchObject({ accepted: 1 });

    const alert = await eventually(async () => {
      const page = await api(`/api/v1/alerts?host=PC-UNIT-A-01`);
      return (page.body.items as { id: string; organization: { id: string } }[]).find((item) => item.organization.id === vigil.unit);
    });
    const detail = await api(`/api/v1/alerts/${alert.id}`);
    expect(detail.status).toBe(200);
    const evidence = detail.body.events as EventBody[];
    expect(evidence.map((event) => event.host.name)).toEqual(['PC-UNIT-A-01']);
    expect(evidence.every((event) => event.organization.id === vigil.unit)).toBe(true);

    // Neither event vanished: each unit's search finds its own.
    const found = await eventually(async () => {
      const page = await api(`/api/v1/events?q=${encodeURIComponent(`event.id:${genuine.event.id}`)}`);
      const items = page.body.items as EventBody[];
      return items.length === 2 ? items : undefined;
    });
    expect(found.map((event) => `${event.organization.id}:${event.host.name}`).sort()).toEqual(
      [`${vigil.unit}:PC-UNIT-A-01`, 'unit-b:PC-FORGED-BY-B'].sort(),
    );
  });
});
