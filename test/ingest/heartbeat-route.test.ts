// POST /api/v1/heartbeat as a hostile or buggy agent might use it: nothing it sends is
// believed (the heartbeat carries its key's agent and unit and Vigil's time, whatever
// the body says), a loop of heartbeats becomes at most one bus record per agent and 15
// seconds, the agent's rate limit answers 429 like for events, an unknown key publishes
// nothing, and a heartbeat is never an event (no events topic record, no event counted).
import { afterEach, describe, expect, it } from 'vitest';
import { signalBundleSchema } from '../../detect/correlation/signal-record.ts';
import { TOPICS, type BusRecord } from '../../core/ports/bus.ts';
import { HEARTBEAT_PUBLISH_EVERY_MS, HeartbeatGate } from '../../ingest/heartbeat-gate.ts';
import { startIngest, type IngestHarness } from './ingest-harness.ts';

async function beat(harness: IngestHarness, key: string, body?: string) {
  const response = await fetch(`${harness.url}/api/v1/heartbeat`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function signals(harness: IngestHarness): Promise<BusRecord[]> {
  return harness.bus.readAfter(TOPICS.signals, {}, 100);
}

const counter = async (harness: IngestHarness, name: string) =>
  (await harness.metrics.registry.getSingleMetric(name)?.get())?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;

describe('POST /api/v1/heartbeat', () => {
  let harness: IngestHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('publishes the key’s agent and unit at Vigil’s time, whatever the body claims, and once per 15 s', async () => {
    harness = await startIngest();
    const before = Date.now();
    const hostile = JSON.stringify({ kind: 'heartbeat', time: 0, organization: { id: 'unit-b', name: 'Unit B' }, agent: 'someone-else' });
    const first = await beat(harness, harness.keys.a, hostile);
    const after = Date.now();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ unit: 'unit-a' });
    const records = await signals(harness);
    expect(records).toHaveLength(1);
    const bundle = signalBundleSchema.parse(JSON.parse(Buffer.from(records[0]!.value).toString('utf8')));
    expect(bundle.signals).toEqual([{ kind: 'heartbeat', time: Date.parse(first.body.time as string), organization: { id: 'unit-a', name: 'Unit A' }, agent: first.body.agent }]);
    const time = Date.parse(first.body.time as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);

    // A loop of heartbeats: every one is answered, one is published.
    for (let i = 0; i < 5; i++) expect((await beat(harness, harness.keys.a)).status).toBe(200);
    expect(await signals(harness)).toHaveLength(1);
    // Another agent's heartbeat is its own.
    expect((await beat(harness, harness.keys.b)).status).toBe(200);
    expect(await signals(harness)).toHaveLength(2);

    // Not an event: nothing on the events topic, nothing counted as received.
    expect(await harness.bus.readAfter(TOPICS.events, {}, 10)).toEqual([]);
    expect(await counter(harness, 'vigil_events_received_total')).toBe(0);
  });

  it('answers 429 with Retry-After to an agent over its rate, and 401 to an unknown key, publishing nothing', async () => {
    harness = await startIngest({ limits: { agentRatePerSecond: 1, agentRateBurst: 2 } });
    expect((await beat(harness, harness.keys.a)).status).toBe(200);
    expect((await beat(harness, harness.keys.a)).status).toBe(200);
    const refused = await beat(harness, harness.keys.a);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const unknown = await beat(harness, 'not-a-real-key-0123456789abcdef');
    expect(unknown.status).toBe(401);
    expect(await signals(harness)).toHaveLength(1);
  });
});

describe('heartbeat gate', () => {
  it('passes one heartbeat per agent and interval, and one after a clock that went back', () => {
    const gate = new HeartbeatGate();
    const t = Date.parse('2026-11-18T03:00:00Z');
    expect(gate.due('a', t)).toBe(true);
    gate.published('a', t);
    expect(gate.due('a', t + HEARTBEAT_PUBLISH_EVERY_MS - 1)).toBe(false);
    expect(gate.due('b', t + 1)).toBe(true);
    expect(gate.due('a', t + HEARTBEAT_PUBLISH_EVERY_MS)).toBe(true);
    expect(gate.due('a', t - 60_000)).toBe(true);
  });
});
