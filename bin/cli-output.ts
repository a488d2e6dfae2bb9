// Where a `vigil` subcommand writes: the process's streams in real use, strings in
// tests. Commands return their exit code instead of exiting, so they stay testable.
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};
