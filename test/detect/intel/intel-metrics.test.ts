// The threat-intel metrics a detect process exports: indicators loaded per list, when
// the index was last rebuilt, and hits per indicator kind as events are matched.
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.ts';
import type { Detector } from '../../../detect/detect-stage.ts';
import { withIntel } from '../../../detect/intel/intel-detector.ts';
import { startIntelReloader, type IntelReloader } from '../../../detect/intel/intel-reloader.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

let reloader: IntelReloader | undefined;
afterEach(() => reloader?.close());

const noRules: Detector = { match: () => [], routing: { correlationsReferencing: () => [], raisesOwnAlerts: () => false } };

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)?.get())?.values ?? [];
}

describe('intel metrics', () => {
  it('exports indicators per list, the last rebuild time, and hits per kind', async () => {
    const intelDir = path.join(makeTempDir('vigil-intel-metrics-'), 'intel');
    fs.mkdirSync(intelDir);
    fs.writeFileSync(path.join(intelDir, 'c2.txt'), '203.0.113.10\n203.0.113.11\nevil.example\n');
    fs.writeFileSync(path.join(intelDir, 'hashes.txt'), 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c\n');
    const registry = new Registry();
    const started = Date.now();
    reloader = startIntelReloader({ intelDir, log: createLogger('silent'), watch: false, metrics: registry });

    const loaded = await values(registry, 'vigil_intel_indicators');
    expect(loaded.map((v) => [v.labels.list, v.value]).sort()).toEqual([
      ['c2', 3],
      ['hashes', 1],
    ]);
    const [last] = await values(registry, 'vigil_intel_last_reload_seconds');
    expect(last!.value * 1000).toBeGreaterThanOrEqual(started - 1000);

    const detector = withIntel(noRules, reloader.current(), reloader.countHits);
    detector.match(securityEvent({ destination: { ip: '203.0.113.10' }, dns: { question: { name: 'www.evil.example' } } }));
    detector.match(securityEvent({ source: { ip: '203.0.113.11' } }));
    detector.match(securityEvent({ destination: { ip: '198.51.100.1' } }));
    const hits = await values(registry, 'vigil_intel_hits_total');
    expect(Object.fromEntries(hits.map((v) => [v.labels.kind, v.value]))).toEqual({ ip: 2, domain: 1 });

    fs.rmSync(path.join(intelDir, 'hashes.txt'));
    await reloader.reload();
    expect((await values(registry, 'vigil_intel_indicators')).map((v) => [v.labels.list, v.value])).toEqual([['c2', 3]]);
  });
});
