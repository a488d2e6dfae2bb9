// When a partition is checkpointed: after enough signals, or after enough time with
// something to save; never when nothing changed.
import { describe, expect, it } from 'vitest';
import { CheckpointSchedule } from '../../../detect/correlation/checkpoint-schedule.ts';

describe('CheckpointSchedule', () => {
  it('is due after enough signals or enough time with changes, and not without changes', () => {
    let now = 0;
    const schedule = new CheckpointSchedule({ everyMs: 10_000, everySignals: 100 }, () => now);
    now = 20_000;
    expect(schedule.due).toBe(false);
    schedule.applied(99);
    expect(schedule.due).toBe(true);
    schedule.saved();
    expect(schedule.changed).toBe(false);
    schedule.applied(99);
    expect(schedule.due).toBe(false);
    schedule.applied(1);
    expect(schedule.due).toBe(true);
    schedule.saved();
    schedule.applied(1);
    now = 29_999;
    expect(schedule.due).toBe(false);
    now = 30_000;
    expect(schedule.due).toBe(true);
  });
});
