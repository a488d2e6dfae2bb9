// Lists reload without a restart: a list added, changed or removed in the watched intel
// folder is matched (or no longer matched) once the reloader has rebuilt the index, and
// the index in force is swapped whole, so a batch holding the old one is unaffected.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.ts';
import { matchIntel } from '../../../detect/intel/intel-matcher.ts';
import { startIntelReloader, type IntelReloader } from '../../../detect/intel/intel-reloader.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

let reloader: IntelReloader | undefined;
afterEach(() => reloader?.close());

const toDestination = (ip: string) => securityEvent({ destination: { ip } });

describe('startIntelReloader', () => {
  it('rebuilds the index when a list file is added, changed or removed, and swaps it whole', async () => {
    const rulesDir = makeTempDir('vigil-intel-reload-');
    const intelDir = path.join(rulesDir, 'intel');
    // The folder does not exist yet: creating it later is seen too. Each step waits for
    // the reload that shows its change (a late event of the step before may reload too).
    let waiters: { check: () => boolean; resolve: () => void }[] = [];
    const reloadShowing = (check: () => boolean) => new Promise<void>((resolve) => waiters.push({ check, resolve }));
    reloader = startIntelReloader({
      intelDir,
      log: createLogger('silent'),
      debounceMs: 50,
      onReload: () => {
        for (const waiter of waiters.filter((w) => w.check())) waiter.resolve();
        waiters = waiters.filter((w) => !w.check());
      },
    });
    const hits = (ip: string) => matchIntel(reloader!.current(), toDestination(ip));
    const empty = reloader.current();
    expect(empty.size).toBe(0);

    let shown = reloadShowing(() => reloader!.current().size === 2);
    fs.mkdirSync(intelDir);
    fs.writeFileSync(path.join(intelDir, 'c2.txt'), '# C2 servers\n203.0.113.10\n203.0.113.11\n');
    await shown;
    expect(hits('203.0.113.10')).toEqual(['intel:c2:ip:203.0.113.10']);
    expect(matchIntel(empty, toDestination('203.0.113.10'))).toEqual([]); // the old index is untouched

    shown = reloadShowing(() => hits('203.0.113.12').length > 0);
    fs.writeFileSync(path.join(intelDir, 'c2.txt'), '# C2 servers\n203.0.113.11\n203.0.113.12\n');
    await shown;
    expect(hits('203.0.113.10')).toEqual([]);
    expect(hits('203.0.113.12')).toEqual(['intel:c2:ip:203.0.113.12']);

    shown = reloadShowing(() => reloader!.current().size === 0);
    fs.rmSync(path.join(intelDir, 'c2.txt'));
    await shown;
    expect(reloader.status().loaded).toBe(0);
    expect(hits('203.0.113.12')).toEqual([]);
  });

  it('reports each list with what it loaded and skipped, and the located problems', () => {
    const rulesDir = makeTempDir('vigil-intel-status-');
    const intelDir = path.join(rulesDir, 'intel');
    fs.mkdirSync(intelDir);
    fs.writeFileSync(path.join(intelDir, 'mixed.txt'), 'evil.example\nnot a value\n198.51.100.1\n');
    fs.writeFileSync(path.join(intelDir, 'broken.json'), '{"type": "bundle", "objects": [');
    reloader = startIntelReloader({ intelDir, log: createLogger('silent'), watch: false });
    const status = reloader.status();
    expect(status.lists).toEqual([
      { name: 'broken', indicators: 0, skipped: 0 },
      { name: 'mixed', indicators: 2, skipped: 1 },
    ]);
    expect(status.problems).toEqual([
      expect.stringMatching(/^intel\/broken\.json: not JSON/),
      'intel/mixed.txt:2: not an IP, CIDR, domain, URL or hash: not a value',
    ]);
  });

  it('holds at most the configured number of indicators, and counts the rest', () => {
    const rulesDir = makeTempDir('vigil-intel-cap-');
    const intelDir = path.join(rulesDir, 'intel');
    fs.mkdirSync(intelDir);
    fs.writeFileSync(path.join(intelDir, 'many.txt'), Array.from({ length: 10 }, (_, i) => `192.0.2.${i}`).join('\n'));
    reloader = startIntelReloader({ intelDir, log: createLogger('silent'), watch: false, maxIndicators: 4 });
    expect(reloader.status()).toMatchObject({ loaded: 4, dropped: 6 });
  });
});
