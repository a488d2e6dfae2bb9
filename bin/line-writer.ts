// Lines to a CliOutput in chunks: one write per ~64 KB instead of one per line (a write
// to a pipe is a system call), pausing while the reader is behind so the output is
// never held whole in memory. `end` returns once the reader has everything.
import type { CliOutput } from './cli-output.ts';

const CHUNK = 64 * 1024;

export class LineWriter {
  private pending = '';

  constructor(private readonly output: CliOutput) {}

  /** Adds a line (with its newline); true when a chunk is full and `flush` should be awaited. */
  add(line: string): boolean {
    this.pending += line;
    return this.pending.length >= CHUNK;
  }

  /** Writes what is pending and waits while the reader is behind. */
  async flush(): Promise<void> {
    if (this.pending !== '') {
      this.output.out(this.pending);
      this.pending = '';
    }
    const wait = this.output.backpressure?.();
    if (wait !== undefined) await wait;
  }

  /** True once nobody reads any more (a closed pipe): producing more lines is wasted. */
  get closed(): boolean {
    return this.output.closed?.() === true;
  }

  async end(): Promise<void> {
    await this.flush();
    await this.output.flushed?.();
  }
}
