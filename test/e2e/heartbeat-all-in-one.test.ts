// Heartbeats in the all-in-one Vigil (`vigil start`): ingest on the main thread
// publishes them on the embedded bus, the correlate stage on the detection thread hears
// them. The scenario (heartbeat-scenario.ts): agents that only beat are not reported
// silent, nor their units; the agent that stopped is.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, signIn, startVigil, type VigilProcess } from '../support/start-vigil.ts';
import { runHeartbeatScenario, setUpHeartbeatScenario, type HeartbeatTarget } from './heartbeat-scenario.ts';

const UNITS = { tanPhu: 'xa-tan-phu', anBinh: 'thcs-an-binh' } as const;

describe('Vigil all-in-one: heartbeats keep quiet agents from being called silent', () => {
  let vigil: VigilProcess;
  let target: HeartbeatTarget;
  let agents: Awaited<ReturnType<typeof setUpHeartbeatScenario>>;

  beforeAll(async () => {
    vigil = await startVigil({ dataDir: join(makeTempDir('vigil-heartbeat-'), 'data'), env: { VIGIL_SILENT_AGENT_MINUTES: '60' } });
    const cookie = await signIn(vigil.url, 'admin', vigil.adminPassword);
    target = {
      ingestUrl: vigil.url,
      apiUrl: vigil.url,
      cookie,
      // The health view's lag is read from the bus when asked.
      drained: async (what) => {
        await eventually(async () => {
          const response = await fetch(`${vigil.url}/api/v1/health`, { headers: { Cookie: cookie } });
          const lag = ((await response.json()) as { detection?: { lag?: { events: number; signals: number } } }).detection?.lag;
          return lag !== undefined && lag.events === 0 && (what === 'events' || lag.signals === 0) ? true : undefined;
        }, 60_000);
      },
    };
    agents = await setUpHeartbeatScenario(target, UNITS);
  }, 120_000);

  afterAll(async () => {
    expect(await vigil?.stop()).toBe(0);
  }, 60_000);

  it('reports the agent that stopped, and neither the agents that only beat nor their units', async () => {
    await runHeartbeatScenario(target, UNITS, agents);
  }, 180_000);
});
