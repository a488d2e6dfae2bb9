// De-duplication of signals detect published twice: a replayed signal is refused, a new
// one accepted, per events partition, and the memory survives a checkpoint.
import { describe, expect, it } from 'vitest';
import { AppliedSignals } from '../../../detect/correlation/applied-signals.ts';

describe('AppliedSignals', () => {
  it('accepts each event position once, in order, per events partition', () => {
    const applied = new AppliedSignals();
    expect(applied.accept({ p: 0, o: 5, i: 0 })).toBe(true);
    expect(applied.accept({ p: 0, o: 5, i: 1 })).toBe(true);
    // detect replays its batch after a crash: the same positions again
    expect(applied.accept({ p: 0, o: 5, i: 0 })).toBe(false);
    expect(applied.accept({ p: 0, o: 5, i: 1 })).toBe(false);
    expect(applied.accept({ p: 0, o: 4, i: 9 })).toBe(false);
    // another events partition has its own order
    expect(applied.accept({ p: 1, o: 0, i: 0 })).toBe(true);
    expect(applied.accept({ p: 0, o: 6, i: 0 })).toBe(true);
  });

  it('remembers what it applied through a snapshot', () => {
    const applied = new AppliedSignals();
    applied.accept({ p: 2, o: 10, i: 3 });
    const restored = AppliedSignals.restore(JSON.parse(JSON.stringify(applied.snapshot())));
    expect(restored.accept({ p: 2, o: 10, i: 3 })).toBe(false);
    expect(restored.accept({ p: 2, o: 10, i: 4 })).toBe(true);
    expect(() => AppliedSignals.restore({ 0: { o: 'x' } })).toThrow();
  });
});
