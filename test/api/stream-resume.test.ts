// The alert stream's promise to a reconnecting console: everything it missed, once.
// A console sends `resume` with its previous connection's cursor just after `ready`; an
// alert that arrives live in between must not be sent again by the replay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStream } from '../e2e/ws-client.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

describe('WebSocket resume after a reconnect', () => {
  let api: ApiHarness;
  let analyst: string;
  beforeAll(async () => {
    api = await startApiHarness();
    analyst = await api.userWithSession({ username: 'analyst', role: 'analyst', units: 'all' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends an alert that arrived live between ready and resume once, and what was missed before it once', async () => {
    const first = await connectStream(api.url, analyst);
    const lastCursor = (await first.waitFor((f) => f.length > 0))[0]!.cursor;
    await first.close();
    await api.publishAlerts([makeAlert('missed-1', 'unit-a')]);

    const again = await connectStream(api.url, analyst);
    await again.waitFor((f) => f.some((x) => x.type === 'ready'));
    // Live, before the console gets to send its resume.
    await api.publishAlerts([makeAlert('live-1', 'unit-b')]);
    await again.waitFor((f) => f.some((x) => x.type === 'alert' && x.alert!.id === 'live-1'));
    again.send({ type: 'resume', cursor: lastCursor });
    await api.publishAlerts([makeAlert('after-resume', 'unit-a')]);
    const frames = await again.waitFor((f) => f.some((x) => x.type === 'alert' && x.alert!.id === 'after-resume'));
    const ids = frames.filter((f) => f.type === 'alert').map((f) => f.alert!.id);
    expect(ids.sort()).toEqual(['after-resume', 'live-1', 'missed-1']);
    await again.close();
  });

  it('sends a version of an alert that was published again (a correlate replay after a crash) once, and every real update', async () => {
    const stream = await connectStream(api.url, analyst);
    await stream.waitFor((f) => f.some((x) => x.type === 'ready'));
    const first = makeAlert('republished', 'unit-a', { count: 1, updated: '2026-12-03T10:00:00.000Z' });
    await api.publishAlerts([first]);
    // The same version written again later: only its `updated` time differs.
    await api.publishAlerts([{ ...first, updated: '2026-12-03T10:00:05.000Z' }]);
    await api.publishAlerts([{ ...first, count: 2, updated: '2026-12-03T10:00:06.000Z' }]);
    await api.publishAlerts([{ ...first, count: 2, status: 'acknowledged', updated: '2026-12-03T10:00:07.000Z' }]);
    await api.publishAlerts([makeAlert('marker', 'unit-a')]);
    const frames = await stream.waitFor((f) => f.some((x) => x.type === 'alert' && x.alert!.id === 'marker'));
    const updates = frames
      .filter((f) => f.type === 'alert' && f.alert!.id === 'republished')
      .map((f) => `${(f.alert as unknown as { count: number }).count}/${(f.alert as unknown as { status: string }).status}`);
    expect(updates).toEqual(['1/new', '2/new', '2/acknowledged']);
    await stream.close();
  });
});
