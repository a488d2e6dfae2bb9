// Large posts share the main thread in slices: other work (another request, /healthz)
// runs between the slices of a long decode instead of after it.
import { describe, expect, it } from 'vitest';
import { CpuTurns } from '../../ingest/cpu-turns.ts';

/** About `ms` of CPU work, the way decoding a chunk of events is. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('CpuTurns', () => {
  it('lets I/O and timers run in the middle of a long run', async () => {
    const turns = new CpuTurns(5);
    let steps = 0;
    const run = turns.run(() => {
      busy(1);
      return ++steps === 200;
    });
    const stepsWhenTimerRan = await new Promise<number>((resolve) => setTimeout(() => resolve(steps), 0));
    await run;
    expect(stepsWhenTimerRan).toBeLessThan(200);
    expect(steps).toBe(200);
  });

  it('takes turns between runs, so a small one finishes long before a large one started earlier', async () => {
    const turns = new CpuTurns(5);
    const finished: string[] = [];
    let large = 0;
    const first = turns.run(() => {
      busy(1);
      return ++large === 300;
    }).then(() => finished.push('large'));
    let small = 0;
    const second = turns.run(() => ++small === 3).then(() => finished.push('small'));
    await Promise.all([first, second]);
    expect(finished).toEqual(['small', 'large']);
  });

  it('ends a run with the error its step threw, and keeps serving other runs', async () => {
    const turns = new CpuTurns();
    await expect(
      turns.run(() => {
        throw new Error('bad event');
      }),
    ).rejects.toThrow('bad event');
    let n = 0;
    await turns.run(() => ++n === 2);
    expect(n).toBe(2);
  });
});
