// The heartbeat scenario both deployments must pass, through their real HTTP APIs on
// the wall clock: two units, in each an antivirus console that sends events and then
// only heartbeats, and in one an IDS sensor that stops completely. Only the IDS may be
// reported silent; the consoles and both units must not.
//
// The processes run on the wall clock, so the history is posted with event times in
// the past: a week ago and the two days after, and today until 2.5 hours ago, each hour
// in its own detect batch (a batch teaches one hour per source). Today's events come
// first and the heartbeats right after them, so that once the older days have been
// learned (and the silence is judged against them) a live agent has already said so.
// Vigil must run with VIGIL_SILENT_AGENT_MINUTES=60.
import { expect } from 'vitest';
import type { Alert } from '../../core/schemas/alert.ts';
import { eventually } from '../support/start-vigil.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface HeartbeatTarget {
  ingestUrl: string;
  apiUrl: string;
  /** An admin's session cookie. */
  cookie: string;
  /** Resolves once detect (events) or detect and correlate (both) have handled everything posted. */
  drained(what: 'events' | 'both'): Promise<void>;
}

interface Agent {
  key: string;
  id: string;
}

/** Creates the units and agents through the admin API, and waits until ingest knows the keys. */
export async function setUpHeartbeatScenario(target: HeartbeatTarget, units: { tanPhu: string; anBinh: string }): Promise<Map<string, Agent>> {
  const api = apiOf(target);
  for (const unit of Object.values(units)) {
    expect((await api('/api/v1/units', { method: 'POST', body: JSON.stringify({ id: unit, name: `Đơn vị ${unit}` }) })).status).toBe(201);
  }
  const agents = new Map<string, Agent>();
  for (const [name, unit] of [
    ['tanphu-av', units.tanPhu],
    ['tanphu-ids', units.tanPhu],
    ['anbinh-av', units.anBinh],
  ] as const) {
    const created = await api('/api/v1/agents', { method: 'POST', body: JSON.stringify({ unit, name }) });
    expect(created.status).toBe(201);
    agents.set(name, { key: created.body.key as string, id: (created.body.agent as { id: string }).id });
  }
  // Ingest knows every key (an empty array is a 400 once the key is authenticated, 401 before).
  for (const { key } of agents.values()) {
    await eventually(async () => ((await post(target, '/api/v1/events', key, '[]')).status === 401 ? undefined : true), 30_000);
  }
  return agents;
}

export async function runHeartbeatScenario(target: HeartbeatTarget, units: { tanPhu: string }, agents: Map<string, Agent>): Promise<void> {
  const api = apiOf(target);
  const postEvent = async (agent: string, time: number) => {
    const host = `${agent}-pc`;
    const event = { '@timestamp': new Date(time).toISOString(), event: { id: `${agent}-${time}`, kind: 'event', category: ['malware'], action: 'blocked', module: 'antivirus' }, host: { id: host, name: host } };
    const answer = await post(target, '/api/v1/events', agents.get(agent)!.key, JSON.stringify(event));
    expect(answer.status, answer.text).toBe(202);
  };

  const now = Date.now();
  const stop = now - 150 * MINUTE;
  // Today, until 2.5 hours ago: every agent sends.
  for (const time of [now - 4 * HOUR, now - 3 * HOUR, stop]) {
    for (const agent of agents.keys()) await postEvent(agent, time);
    await target.drained('both');
  }
  // Then the two antivirus consoles have nothing to send but are alive; the IDS is off.
  for (const agent of ['tanphu-av', 'anbinh-av']) {
    const answer = await post(target, '/api/v1/heartbeat', agents.get(agent)!.key);
    expect(answer.status, answer.text).toBe(200);
  }
  await target.drained('both');
  // The week before: a week ago and the two days after, the hours around this one.
  for (const day of [7, 6, 5]) {
    for (let hour = -4; hour <= 1; hour++) {
      for (const agent of agents.keys()) await postEvent(agent, now - day * DAY + hour * HOUR);
      await target.drained('events');
    }
  }
  await target.drained('both');

  // The IDS has been silent since `stop`, an hour of it in hours it is normally heard in.
  const silences = async () => {
    const page = await api('/api/v1/alerts?limit=100');
    expect(page.status).toBe(200);
    return (page.body.items as Alert[]).filter((alert) => alert.rule.id.startsWith('vigil-silent-'));
  };
  const raised = await eventually(async () => {
    const found = await silences();
    return found.length > 0 ? found : undefined;
  }, 60_000);
  const ids = agents.get('tanphu-ids')!;
  expect(raised.map((alert) => [alert.rule.id, alert.organization.id, alert.group['agent.id'], alert.first_seen])).toEqual([
    ['vigil-silent-agent', units.tanPhu, ids.id, new Date(stop).toISOString()],
  ]);
  // Health calls only the IDS silent.
  const silent = await eventually(async () => {
    const health = await api('/api/v1/health');
    const sources = (health.body.detection as { silentSources?: { kind: string; id: string }[] } | undefined)?.silentSources ?? [];
    return sources.length > 0 ? sources : undefined;
  }, 30_000);
  expect(silent.map((source) => [source.kind, source.id])).toEqual([['agent', ids.id]]);
  expect(await silences()).toHaveLength(1);
}

function apiOf(target: HeartbeatTarget) {
  return async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${target.apiUrl}${path}`, { ...init, headers: { 'Content-Type': 'application/json', Cookie: target.cookie } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
}

async function post(target: HeartbeatTarget, route: string, key: string, body?: string) {
  const response = await fetch(`${target.ingestUrl}${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/x-ndjson' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, text: await response.text() };
}
