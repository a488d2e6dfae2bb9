// The agent's memory across restarts: for each tailed file, which file (device and
// inode) it was reading, how far, and how many times it saw that file truncated; plus
// the sequence number of the last batch it wrote to the spool. Written atomically (temp
// file, fsync, rename) each time a batch is spooled, so a restart resumes exactly after
// the last spooled line: a line is read again only if it never reached the spool.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AgentError } from './agent-errors.ts';

export const tailCursorSchema = z.object({
  /** Device and inode of the file being read, as decimal strings (inodes can pass 2^53). */
  dev: z.string(),
  ino: z.string(),
  /** Bytes of that file already handed on (always at a line's start). */
  offset: z.number().int().min(0),
  /** Truncations seen on this inode: a line written at a reused offset gets a new event id. */
  generation: z.number().int().min(0),
});
export type TailCursor = z.infer<typeof tailCursorSchema>;

const stateSchema = z.object({
  version: z.literal(1),
  /** Sequence number of the last batch written to the spool. */
  seq: z.number().int().min(0),
  /** Per tailed path (absolute): its cursor and the batch that set it. */
  files: z.record(z.string(), z.object({ cursor: tailCursorSchema, seq: z.number().int().min(0) })),
});
export type TailState = z.infer<typeof stateSchema>;

export function emptyState(): TailState {
  return { version: 1, seq: 0, files: {} };
}

export class StateFile {
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'state.json');
  }

  read(): TailState {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new AgentError('state', `cannot read the state file: ${(error as Error).message}`, this.file, { cause: error });
    }
    const parsed = stateSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new AgentError('state', 'the state file is damaged; move it away to start over (files are then read again from the start)', this.file);
    }
    return parsed.data;
  }

  write(state: TailState): void {
    const temp = `${this.file}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(state));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
