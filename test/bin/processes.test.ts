// The distributed deployment's processes, run as a person would: `vigil api`,
// `vigil ingest`, `vigil detect` and `vigil correlate` as separate child processes on the
// embedded bus and store, sharing one data dir (SQLite WAL lets processes share it; the
// embedded bus has one member per group, so one detect and one correlate). An event
// posted to ingest becomes an alert on the api's WebSocket; the console's Health view
// shows what correlate published; SIGTERM stops each with exit code 0.
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, makeTempDir, signIn, startVigilProcess, type VigilProcess } from '../support/start-vigil.ts';
import { eicarEvent, postEvents } from '../e2e/events.ts';
import { connectStream } from '../e2e/ws-client.ts';
import { VIGIL_COMMANDS, VIGIL_PROCESSES } from '../../bin/commands.ts';

describe('vigil ingest | detect | correlate | api', () => {
  const dataDir = makeTempDir('vigil-processes-');
  const running: VigilProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map((process) => process.stop()));
  });

  it('carries an event from ingest to an alert on the api stream, and each stops cleanly', async () => {
    // api first: it creates the admin, the unit and the agent key the others use.
    const api = await startVigilProcess('api', { dataDir });
    running.push(api);
    const [ingest, detect, correlate] = await Promise.all(
      (['ingest', 'detect', 'correlate'] as const).map((name) => startVigilProcess(name, { dataDir })),
    );
    running.push(ingest!, detect!, correlate!);
    for (const process of running) {
      expect(process.stderr()).toMatch(/vigil (api|ingest|detect|correlate) listening on http:\/\/127\.0\.0\.1:\d+ -- .*\(bus embedded, store embedded\)/);
      expect((await fetch(`${process.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${process.url}/readyz`)).status).toBe(200);
    }
    // Every process has its own /metrics, with its stage's figures.
    expect(await (await fetch(`${detect!.url}/metrics`)).text()).toMatch(/^vigil_rules_loaded [1-9]/m);

    // The embedded bus has one member per group and data dir: a second correlate is refused.
    await expect(startVigilProcess('correlate', { dataDir })).rejects.toThrow(
      /exited with 2 before listening:[\s\S]*vigil correlate \(pid \d+ on .+\) already consumes vigil-correlate/,
    );

    const cookie = await signIn(api.url, 'admin', api.adminPassword);
    const stream = await connectStream(api.url, cookie);
    await stream.waitFor((frames) => frames.some((f) => f.type === 'ready'));

    const posted = await postEvents(ingest!.url, ingest!.agentKey, JSON.stringify(eicarEvent('PC-PROCESSES-1')));
    expect(posted.status).toBe(202);
    // Ingest serves only ingest: the console is the api's.
    expect((await fetch(`${ingest!.url}/api/v1/alerts`)).status).toBe(404);

    const frames = await stream.waitFor((all) => all.some((f) => f.alert?.host.name === 'PC-PROCESSES-1'), 30_000);
    const alert = frames.find((f) => f.alert?.host.name === 'PC-PROCESSES-1')!.alert!;
    expect(alert.rule.title).toMatch(/EICAR/i);
    await stream.close();

    // Detection health reaches the api through the health topic that correlate publishes to.
    const health = await eventually(async () => {
      const response = await fetch(`${api.url}/api/v1/health`, { headers: { Cookie: cookie } });
      return response.status === 200 ? ((await response.json()) as { detection: { lag: { events: number } }; rules: { loaded: number } }) : undefined;
    }, 20_000);
    expect(health.rules.loaded).toBeGreaterThan(0);
    expect(health.detection.lag.events).toBe(0);

    // SIGTERM: each finishes its work in hand and exits 0 (correlate last, so its final
    // health snapshot and checkpoint land while the bus is still open).
    for (const process of [ingest!, detect!, api, correlate!]) {
      expect(await process.stop()).toBe(0);
    }
    running.length = 0;
  });

  it('refuses VIGIL_BUS=kafka without brokers at start, exit code 2, naming the setting', async () => {
    await expect(startVigilProcess('ingest', { dataDir, env: { VIGIL_BUS: 'kafka', VIGIL_KAFKA_BROKERS: '' } })).rejects.toThrow(
      /exited with 2 before listening:\s+vigil: invalid configuration:\s+VIGIL_KAFKA_BROKERS: required when VIGIL_BUS=kafka/,
    );
  });

  it('lists every process as a vigil subcommand', () => {
    expect(VIGIL_COMMANDS).toEqual(expect.arrayContaining([...VIGIL_PROCESSES, 'start']));
  });
});
