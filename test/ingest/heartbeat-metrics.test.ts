// What an operator scraping /metrics sees of agents' heartbeats: each one ingest passes
// on to the correlate stage is counted as published; one answered but not passed on
// (another of the agent's went within 15 s) and one refused over the agent's rate are
// counted as not published, with their reason.
import { afterEach, describe, expect, it } from 'vitest';
import { startIngest, type IngestHarness } from './ingest-harness.ts';

async function beat(harness: IngestHarness, key: string): Promise<number> {
  const response = await fetch(`${harness.url}/api/v1/heartbeat`, { method: 'POST', headers: { Authorization: `Bearer ${key}` } });
  await response.text();
  return response.status;
}

/** The value of one series in the Prometheus text /metrics serves; 0 when absent. */
async function scraped(harness: IngestHarness, series: string): Promise<number> {
  const response = await fetch(`${harness.url}/metrics`);
  expect(response.status).toBe(200);
  const line = (await response.text()).split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('heartbeat metrics', () => {
  let harness: IngestHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('counts heartbeats published, and those not published by reason', async () => {
    harness = await startIngest({ limits: { agentRatePerSecond: 1, agentRateBurst: 2 } });
    expect(await scraped(harness, 'vigil_heartbeats_published_total')).toBe(0);

    expect(await beat(harness, harness.keys.a)).toBe(200);
    expect(await scraped(harness, 'vigil_heartbeats_published_total')).toBe(1);
    // Another agent's heartbeat is published too.
    expect(await beat(harness, harness.keys.b)).toBe(200);
    expect(await scraped(harness, 'vigil_heartbeats_published_total')).toBe(2);

    // Agent a again within 15 s: answered, not published.
    expect(await beat(harness, harness.keys.a)).toBe(200);
    expect(await scraped(harness, 'vigil_heartbeats_published_total')).toBe(2);
    expect(await scraped(harness, 'vigil_heartbeats_not_published_total{reason="interval"}')).toBe(1);

    // Over its rate (a burst of 2): refused with 429 and counted so.
    expect(await beat(harness, harness.keys.a)).toBe(429);
    expect(await scraped(harness, 'vigil_heartbeats_not_published_total{reason="rate_limited"}')).toBe(1);
    expect(await scraped(harness, 'vigil_heartbeats_published_total')).toBe(2);
  });
});
