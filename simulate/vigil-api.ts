// The admin and analyst side of Vigil's REST API the simulator needs: sign in, create a
// unit and an agent key per simulated unit, page through every alert, read the health
// view's clocks-ahead list and correlation watermark. Answers are checked with zod.
import { z } from 'zod';
import { VigilError } from '../core/errors.ts';
import { alertSchema, type Alert } from '../core/schemas/alert.ts';

/** A REST call that failed: which request, and Vigil's status and message. */
export class VigilApiError extends VigilError {
  constructor(message: string, details: { path: string; status: number }) {
    super('simulate_api_failed', message, 'api', details.status, details);
    this.name = 'VigilApiError';
  }
}

export interface ApiSession {
  url: string;
  cookie: string;
}

async function call(session: ApiSession, path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${session.url}${path}`, { ...init, headers: { 'Content-Type': 'application/json', Cookie: session.cookie } });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

export async function signIn(url: string, username: string, password: string): Promise<ApiSession> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new VigilApiError(`sign-in as ${username} failed: ${response.status} ${await response.text()}`, { path: '/api/v1/auth/login', status: response.status });
  return { url, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]! };
}

const agentCreatedSchema = z.looseObject({ key: z.string().min(1) });

/** Creates the unit if it does not exist yet, and a new agent key for it. */
export async function agentKeyFor(session: ApiSession, unit: { id: string; name: string }, agentName: string): Promise<string> {
  const created = await call(session, '/api/v1/units', { method: 'POST', body: JSON.stringify({ id: unit.id, name: unit.name }) });
  if (created.status !== 201 && created.status !== 409) throw new VigilApiError(`creating unit ${unit.id} failed: ${created.status} ${JSON.stringify(created.body)}`, { path: '/api/v1/units', status: created.status });
  const agent = await call(session, '/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit: unit.id, name: agentName }) });
  if (agent.status !== 201) throw new VigilApiError(`creating an agent for ${unit.id} failed: ${agent.status} ${JSON.stringify(agent.body)}`, { path: '/api/v1/agents', status: agent.status });
  return agentCreatedSchema.parse(agent.body).key;
}

const alertPageSchema = z.object({ items: z.array(alertSchema), next: z.string().nullable() });

/** Every alert the session may see, page by page (GET /api/v1/alerts). */
export async function allAlerts(session: ApiSession): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let cursor: string | null = null;
  do {
    const path = `/api/v1/alerts?limit=1000${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = await call(session, path);
    if (page.status !== 200) throw new VigilApiError(`reading alerts failed: ${page.status} ${JSON.stringify(page.body)}`, { path: '/api/v1/alerts', status: page.status });
    const parsed = alertPageSchema.parse(page.body);
    alerts.push(...parsed.items);
    cursor = parsed.next;
  } while (cursor !== null);
  return alerts;
}

const healthSchema = z.looseObject({
  detection: z.looseObject({
    futureTimestamps: z.array(z.object({ unit: z.string(), agent: z.string(), count: z.number(), lastSeen: z.string() })).optional(),
  }),
});
export type ClockAhead = { unit: string; agent: string; count: number; lastSeen: string };

/** The Health view's "Clocks ahead": agents that sent events stamped in the future. */
export async function clocksAhead(session: ApiSession): Promise<ClockAhead[]> {
  const health = await call(session, '/api/v1/health');
  if (health.status !== 200) throw new VigilApiError(`reading health failed: ${health.status} ${JSON.stringify(health.body)}`, { path: '/api/v1/health', status: health.status });
  return healthSchema.parse(health.body).detection.futureTimestamps ?? [];
}

const watermarkSchema = z.looseObject({
  detection: z.looseObject({ correlation: z.looseObject({ watermark: z.number().nullable() }) }),
});

/**
 * How far Vigil's correlation has got in event time (the Health view's watermark, epoch
 * ms); null while it has none or the health view cannot answer (it is only waited for).
 */
export async function correlationWatermark(session: ApiSession): Promise<number | null> {
  try {
    const health = await call(session, '/api/v1/health');
    const parsed = watermarkSchema.safeParse(health.body);
    return health.status === 200 && parsed.success ? parsed.data.detection.correlation.watermark : null;
  } catch {
    return null;
  }
}
