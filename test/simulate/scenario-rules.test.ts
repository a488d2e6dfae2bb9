// Every injected scenario trips the shipped rule its ground truth names, through the
// production matching code (`vigil rules match`: the detect stage's matching and the
// correlate stage's engine), on the events the simulator would send with the unit ingest
// stamps from the agent key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRulesMatch } from '../../bin/rules-match.ts';
import { simulation } from '../../simulate/timeline.ts';
import { RULES } from '../../simulate/truth.ts';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const start = Date.UTC(2026, 10, 2); // Monday 2 November 2026
const end = start + 8 * 24 * 3_600_000;
// 13 units: enough for the province-wide outbreak rule (10 units) as well as the unit one.
const sim = simulation({ seed: 11, scale: 1, start, end, units: 13, hosts: 130 });

async function firedRules(events: Record<string, unknown>[]): Promise<Set<string>> {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-sim-rules-')), 'events.ndjson');
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  let out = '';
  let err = '';
  const code = await runRulesMatch([rulesDir, file], { out: (text) => (out += text), err: (text) => (err += text) });
  expect(err).toBe('');
  expect(code).toBe(0);
  return new Set(out.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { rule: string }).rule));
}

describe('injected scenarios against the shipped rules', () => {
  const alerting = sim.injection.scenarios.filter((scenario) => scenario.events.length > 0 && scenario.truth.health === undefined);

  it('injects every kind of scenario, each with a rule or the health view to show it', () => {
    expect(sim.injection.skipped).toEqual([]);
    expect(sim.injection.scenarios.map((scenario) => scenario.truth.kind).sort()).toEqual(
      ['av-disabled', 'beaconing', 'brute-force', 'outbreak', 'port-scan', 'ransomware', 'unit-silent', 'wrong-clock'].sort(),
    );
    for (const { truth } of sim.injection.scenarios) expect(truth.rules.length > 0 || truth.health !== undefined, truth.id).toBe(true);
  });

  it.each(alerting.map((scenario) => [scenario.truth.id, scenario] as const))('%s fires every rule its truth names', async (_id, scenario) => {
    const events = scenario.events.map((event) => ({ ...event.event, organization: { id: event.unit, name: event.unit } }));
    const fired = await firedRules(events);
    for (const rule of scenario.truth.rules) expect(fired.has(rule.id), `${scenario.truth.id}: ${rule.title}`).toBe(true);
  });

  it('expects the province-wide outbreak rule when 10 or more units are hit', () => {
    const outbreak = sim.injection.scenarios.find((scenario) => scenario.truth.kind === 'outbreak')!;
    expect(outbreak.truth.units.length).toBeGreaterThanOrEqual(10);
    expect(outbreak.truth.rules.map((rule) => rule.id)).toEqual([RULES.spread.id, RULES.outbreak.id]);
  });

  it('places the silence on a weekday morning and withholds the unit meanwhile', () => {
    const silent = sim.injection.scenarios.find((scenario) => scenario.truth.kind === 'unit-silent')!;
    const { from, to, unit } = silent.mute!;
    let heardDuring = 0;
    let heardBefore = 0;
    for (const event of sim.events()) {
      if (event.unit !== unit) continue;
      if (event.time >= from && event.time < to) heardDuring += 1;
      if (event.time >= from - 24 * 3_600_000 && event.time < to - 24 * 3_600_000) heardBefore += 1;
    }
    expect(heardDuring).toBe(0);
    // The same hours the day before were busy: the silence is unusual.
    expect(heardBefore).toBeGreaterThan(20);
  });
});
