// The rules folder watcher behind hot reload: a burst of changes (an editor's save, a
// copied folder) is one reload, nested folders count, editors' swap files do not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchRules, type RulesWatcher } from '../../detect/watch-rules.ts';

let dir: string;
let watcher: RulesWatcher | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-watch-'));
  mkdirSync(join(dir, 'network'));
});
afterEach(() => {
  watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchRules', () => {
  it('debounces a burst of changes, in nested folders too, into one reload', async () => {
    let reloads = 0;
    watcher = watchRules(dir, () => (reloads += 1), (error) => { throw error; }, 100);
    await sleep(50);
    for (let i = 0; i < 5; i += 1) {
      writeFileSync(join(dir, 'network', `r${i}.yml`), `title: r${i}\n`);
      await sleep(10);
    }
    await sleep(400);
    expect(reloads).toBe(1);
  });

  it('ignores files that are not rules (editor swap and backup files)', async () => {
    let reloads = 0;
    watcher = watchRules(dir, () => (reloads += 1), (error) => { throw error; }, 50);
    await sleep(50);
    writeFileSync(join(dir, '.r.yml.swp'), 'x');
    writeFileSync(join(dir, 'r.yml~'), 'x');
    await sleep(300);
    expect(reloads).toBe(0);
  });

  it('reports a folder it cannot watch instead of throwing', () => {
    const errors: Error[] = [];
    watcher = watchRules(join(dir, 'missing'), () => undefined, (error) => errors.push(error));
    expect(errors).toHaveLength(1);
  });
});
