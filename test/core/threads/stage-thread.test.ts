// The stage-thread plumbing behind the all-in-one detection thread: a crashed thread is
// restarted, and a stop is honoured whatever state the thread is in, including the
// delay before a restart, when there is no thread to tell.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.ts';
import { startStageThread, type StageThread } from '../../../core/threads/stage-thread.ts';

const ENTRY = new URL('./fixtures/crashing-stage.ts', import.meta.url);
const log = createLogger('silent');
let thread: StageThread<{ starts: number }, { starts: number }> | undefined;

afterEach(async () => {
  await thread?.stop();
  thread = undefined;
});

function startsFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-stage-thread-')), 'starts');
}

describe('startStageThread', () => {
  it('restarts a crashed thread, which then answers again', async () => {
    let crashed!: (code: number) => void;
    const crash = new Promise<number>((resolve) => (crashed = resolve));
    let readyAgain!: (status: unknown) => void;
    const again = new Promise<unknown>((resolve) => (readyAgain = resolve));
    let readies = 0;
    thread = await startStageThread({
      name: 'test',
      entry: ENTRY,
      data: { startsFile: startsFile() },
      log,
      restartDelayMs: 50,
      onCrash: crashed,
      onReady: (status) => {
        readies += 1;
        if (readies === 2) readyAgain(status);
      },
    });
    expect(thread.status).toEqual({ starts: 1 });
    expect(await thread.health()).toEqual({ starts: 1 });

    void thread.metrics();
    expect(await crash).toBe(3);
    expect(thread.running).toBe(false);
    // While it is down, questions get the fallback at once instead of waiting.
    expect(await thread.health()).toBeNull();

    expect(await again).toEqual({ starts: 2 });
    expect(thread.running).toBe(true);
    expect(await thread.health()).toEqual({ starts: 2 });
  });

  it('stops during the delay before a restart without waiting for a thread that is gone', async () => {
    let crashed!: (code: number) => void;
    const crash = new Promise<number>((resolve) => (crashed = resolve));
    const file = startsFile();
    thread = await startStageThread({
      name: 'test',
      entry: ENTRY,
      data: { startsFile: file },
      log,
      // Long enough that the stop below certainly lands inside the delay.
      restartDelayMs: 60_000,
      onCrash: crashed,
    });
    void thread.metrics();
    await crash;

    const stopped = await Promise.race([
      thread.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5_000)),
    ]);
    expect(stopped).toBe('stopped');
    expect(thread.running).toBe(false);
    // The restart was cancelled: the stage started once.
    expect(fs.readFileSync(file, 'utf8')).toBe('1');
  });

  it('stops a running thread cleanly', async () => {
    thread = await startStageThread({ name: 'test', entry: ENTRY, data: { startsFile: startsFile() }, log });
    await thread.stop();
    expect(thread.running).toBe(false);
  });
});

describe('a stage thread that cannot start', () => {
  it('fails the start with the stage\'s own error', async () => {
    const file = startsFile();
    // The fixture cannot write its counter into a folder that does not exist.
    const missing = path.join(file, 'no-such-folder', 'starts');
    await expect(startStageThread({ name: 'test', entry: ENTRY, data: { startsFile: missing }, log, restartDelayMs: 10 })).rejects.toThrow(/ENOENT/);
  });
});
