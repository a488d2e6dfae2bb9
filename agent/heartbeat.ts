// Tells Vigil the agent is alive when it has nothing to send: POST /api/v1/heartbeat
// with the agent key, which records the key's lastSeen and tells Vigil's silence check
// the agent is quiet, not silent (no "agent went silent"). Vigil answers its clock; an
// agent whose clock is far off says so, as its events' times would be off too. A Vigil
// without the route (404: older than the agent) is noted once and not asked again.
import { z } from 'zod';
import type { PostTarget } from './event-poster.ts';

const answerSchema = z.object({ time: z.string() });

export type HeartbeatResult =
  | { ok: true; clockSkewMs: number }
  | { ok: false; unsupported: boolean; message: string };

export async function sendHeartbeat(target: PostTarget, now: () => number = Date.now): Promise<HeartbeatResult> {
  try {
    const sent = now();
    const response = await fetch(`${target.url}/api/v1/heartbeat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${target.key}`, 'User-Agent': 'vigil-agent' },
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    const text = await response.text();
    if (response.status === 404) return { ok: false, unsupported: true, message: 'this Vigil has no heartbeat route' };
    if (!response.ok) return { ok: false, unsupported: false, message: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    const answer = answerSchema.safeParse(safeJson(text));
    const serverTime = answer.success ? Date.parse(answer.data.time) : Number.NaN;
    // Vigil's clock read halfway through the round trip, against ours.
    const clockSkewMs = Number.isNaN(serverTime) ? 0 : Math.round((sent + now()) / 2 - serverTime);
    return { ok: true, clockSkewMs };
  } catch (error) {
    return { ok: false, unsupported: false, message: (error as Error).message };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
