// The rules reload policy behind hot reload, the same in every process that detects: a
// change is picked up, a broken file is reported and skipped, and a folder where
// nothing loads never replaces a working rule set.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { startRulesReloader, type RulesReloader, type RulesStatus } from '../../detect/rules-reloader.ts';
import { makeTempDir } from '../support/start-vigil.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'bin', 'fixtures');
const log = createLogger('silent');
let reloader: RulesReloader | undefined;
afterEach(() => reloader?.close());

function copyRules(): string {
  const dir = makeTempDir('vigil-reloader-');
  fs.cpSync(path.join(FIXTURES, 'rules'), dir, { recursive: true });
  return dir;
}

describe('startRulesReloader', () => {
  it('keeps the previous set when nothing in the folder loads, and takes a good set again', () => {
    const dir = copyRules();
    const metrics = createMetrics({ defaultMetrics: false });
    reloader = startRulesReloader({ rulesDir: dir, metrics, log, watch: false });
    const first = reloader.current();
    const count = first.loaded;
    expect(count).toBeGreaterThan(1);
    expect(reloader.status()).toEqual({ loaded: count, errors: [] });

    for (const file of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, file), 'title: [unclosed\n');
    const refused = reloader.reload();
    expect(reloader.current()).toBe(first);
    expect(refused.loaded).toBe(count);
    expect(refused.errors.length).toBeGreaterThan(0);

    fs.rmSync(dir, { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'broken'), dir, { recursive: true });
    const partial = reloader.reload();
    expect(reloader.current()).not.toBe(first);
    expect(partial.loaded).toBe(1);
    expect(partial.errors.length).toBeGreaterThan(0);
    expect(partial.errors.every((error) => error.includes('bad.yml'))).toBe(true);
  });

  it('reloads on a change in the watched folder and says so', async () => {
    const dir = copyRules();
    let told!: (status: RulesStatus) => void;
    const reloaded = new Promise<RulesStatus>((resolve) => (told = resolve));
    reloader = startRulesReloader({ rulesDir: dir, metrics: createMetrics({ defaultMetrics: false }), log, onReload: told, debounceMs: 50 });
    const count = reloader.current().loaded;
    fs.rmSync(path.join(dir, 'fw-rdp.yml'));
    expect((await reloaded).loaded).toBe(count - 1);
    expect(reloader.current().loaded).toBe(count - 1);
  });
});
