// Where a `vigil` subcommand writes: the process's streams in real use, strings in
// tests. Commands return their exit code instead of exiting, so they stay testable.
//
// A command that prints a lot (`vigil rules match … | jq`) writes in chunks and waits
// when the reader is behind (`backpressure`), so a pipe never makes it hold the whole
// output in memory, and waits for `flushed` before returning, because vigil.ts exits
// right after and an exiting process drops what a pipe has not taken yet.
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Settles once the reader caught up; undefined when writing may go on at once. */
  backpressure?(): Promise<void> | undefined;
  /** Settles once everything written so far has been taken by the reader. */
  flushed?(): Promise<void>;
  /** True once the reader has gone (`| head -1` closed the pipe): nothing more is wanted. */
  closed?(): boolean;
}

let stdoutClosed = false;
let closedWatched = false;

/** A closed pipe (EPIPE) means the reader has all it wanted, not that vigil failed. */
function watchStdoutClosed(): void {
  if (closedWatched) return;
  closedWatched = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
  });
}

function settlesOn(events: readonly string[]): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      for (const event of events) process.stdout.off(event, done);
      resolve();
    };
    for (const event of events) process.stdout.on(event, done);
  });
}

export const processOutput: CliOutput = {
  out: (text) => {
    watchStdoutClosed();
    if (!stdoutClosed) process.stdout.write(text);
  },
  err: (text) => process.stderr.write(text),
  backpressure: () =>
    stdoutClosed || !process.stdout.writableNeedDrain ? undefined : settlesOn(['drain', 'error', 'close']),
  flushed: () =>
    stdoutClosed ? Promise.resolve() : new Promise<void>((resolve) => process.stdout.write('', () => resolve())),
  closed: () => stdoutClosed,
};
