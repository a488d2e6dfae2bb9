// When the correlate stage checkpoints a partition: after enough signals or enough time
// since its last checkpoint. Between checkpoints a crash costs a replay of at most that
// much of the signals topic (silent: nothing is written twice), never a loss.
export interface CheckpointScheduleOptions {
  /** Most time between checkpoints. */
  readonly everyMs: number;
  /** Most signals between checkpoints. */
  readonly everySignals: number;
}

export class CheckpointSchedule {
  private signals = 0;
  private last: number;

  constructor(
    private readonly options: CheckpointScheduleOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = clock();
  }

  /** Signals applied since the last checkpoint. */
  applied(signals: number): void {
    this.signals += signals;
  }

  get changed(): boolean {
    return this.signals > 0;
  }

  get due(): boolean {
    return this.signals >= this.options.everySignals || (this.signals > 0 && this.clock() - this.last >= this.options.everyMs);
  }

  saved(): void {
    this.signals = 0;
    this.last = this.clock();
  }
}
