// Alert frames batched by the server: a console that asks for batches (`?batch=1`)
// gets a burst of 1,000 alerts in a handful of frames, every alert once and in order,
// each frame's cursor resuming right after its last alert; a socket without the flag
// still gets one frame per alert, and another unit's alerts reach neither.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStream } from '../e2e/ws-client.ts';
import { makeAlert, startApiHarness, type ApiHarness } from './api-harness.ts';

interface Frame {
  type: string;
  cursor?: string;
  alerts?: { id: string }[];
  alert?: { id: string };
}

async function connectBatched(url: string, cookie: string) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream?batch=1`, { headers: { Cookie: cookie } });
  const frames: Frame[] = [];
  let changed: (() => void) | null = null;
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    changed?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const ids = () => frames.flatMap((f) => (f.type === 'alerts' ? (f.alerts ?? []).map((a) => a.id) : []));
  return {
    frames,
    ids,
    send: (frame: unknown) => socket.send(JSON.stringify(frame)),
    /** Resolves when `done` holds, woken by each frame (no polling sleep). */
    until: (done: () => boolean, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; got ${ids().length} alerts in ${frames.length} frames`)), timeoutMs);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          changed = null;
          resolve();
        };
        changed = check;
        check();
      }),
    close: () => socket.close(),
  };
}

describe('batched alert frames', () => {
  let api: ApiHarness;
  let officerA: string;
  beforeAll(async () => {
    api = await startApiHarness();
    officerA = await api.userWithSession({ username: 'officer-a', role: 'analyst', units: ['unit-a'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends a burst of 1,000 alerts in few frames, each alert once and in order; a frame cursor resumes after it', async () => {
    const batched = await connectBatched(api.url, officerA);
    const single = await connectStream(api.url, officerA);
    await batched.until(() => batched.frames.some((f) => f.type === 'ready'));
    await single.waitFor((f) => f.some((x) => x.type === 'ready'));

    const burst = Array.from({ length: 1000 }, (_, i) => makeAlert(`burst-${String(i).padStart(4, '0')}`, i % 10 === 9 ? 'unit-b' : 'unit-a'));
    for (let i = 0; i < burst.length; i += 100) await api.publishAlerts(burst.slice(i, i + 100));
    const expected = burst.filter((a) => a.organization.id === 'unit-a').map((a) => a.id);

    await batched.until(() => batched.ids().length >= expected.length);
    expect(batched.ids()).toEqual(expected);
    const alertFrames = batched.frames.filter((f) => f.type === 'alerts');
    expect(alertFrames.length).toBeLessThan(60);
    expect(alertFrames.every((f) => typeof f.cursor === 'string')).toBe(true);

    // The unbatched socket: the same alerts, one frame each.
    const frames = await single.waitFor((f) => f.filter((x) => x.type === 'alert').length >= expected.length);
    expect(frames.filter((f) => f.type === 'alert').map((f) => f.alert!.id)).toEqual(expected);
    await single.close();

    // Resuming from the first batch's cursor replays exactly the alerts after that batch.
    const firstBatch = alertFrames[0]!;
    const seenInFirst = firstBatch.alerts!.length;
    batched.close();
    const again = await connectBatched(api.url, officerA);
    await again.until(() => again.frames.some((f) => f.type === 'ready'));
    again.send({ type: 'resume', cursor: firstBatch.cursor });
    await again.until(() => again.ids().length >= expected.length - seenInFirst);
    expect(again.ids()).toEqual(expected.slice(seenInFirst));
    again.close();
  });
});
