// On the embedded bus one process per consumer group and data dir: a second one is
// refused with what to do, and a lock left by a process that is gone is taken over.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config.ts';
import { lockDataDir, lockEmbeddedGroup } from '../../../core/adapters/data-dir-lock.ts';
import { makeTempDir } from '../../support/start-vigil.ts';

const holder = (pid: number) => JSON.stringify({ host: os.hostname(), pid, what: 'vigil detect' });

describe('lockDataDir', () => {
  it('refuses a group another live process consumes from this data dir', () => {
    const dir = makeTempDir('vigil-lock-');
    // The test runner's parent: alive, and not us.
    fs.writeFileSync(path.join(dir, 'vigil-detect.lock'), holder(process.ppid));
    let error: unknown;
    try {
      lockDataDir(dir, 'vigil-detect', 'vigil detect');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`vigil detect \\(pid ${process.ppid} on .+\\) already consumes vigil-detect`));
    expect((error as Error).message).toMatch(/VIGIL_BUS=kafka/);
  });

  it('takes over a lock whose process is gone, and releases it on stop', () => {
    const dir = makeTempDir('vigil-lock-');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const file = path.join(dir, 'vigil-correlate.lock');
    fs.writeFileSync(file, holder(gone));
    const lock = lockDataDir(dir, 'vigil-correlate', 'vigil correlate');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, what: 'vigil correlate' });
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes no lock with the Kafka bus, whose group coordinator shares the partitions', () => {
    const dir = makeTempDir('vigil-lock-');
    expect(lockEmbeddedGroup({ bus: 'kafka', dataDir: dir }, 'vigil-detect', 'vigil detect')).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
