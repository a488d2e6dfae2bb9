// The reading half of the agent: polls every input's tailer, turns lines into what is
// posted, closes batches by count, bytes and age, and commits each closed batch: written
// to the spool first, then the tail cursor just after its last line saved to the state
// file. A crash between the two leaves the state behind the spool; `reconcile` moves it
// forward from the spool's own record at the next start, so a line is read twice only if
// it never reached the spool. An input whose file name holds a wildcard is looked up again
// at each pass: a new matching file is followed from its beginning.
import fs from 'node:fs';
import type { Logger } from '../core/log.ts';
import type { AgentConfig, AgentInput } from './agent-config.ts';
import type { AgentStats } from './agent-stats.ts';
import { Batcher, type Batch } from './batcher.ts';
import { FileTailer, type TailRead } from './file-tailer.ts';
import { expandPattern, isPattern } from './input-pattern.ts';
import { lineToPost } from './line-event.ts';
import type { Spool } from './spool.ts';
import type { StateFile, TailState } from './tail-state.ts';

/** Chunks read from one file in one pass, so one busy file cannot starve the others. */
const CHUNKS_PER_PASS = 8;

interface Follower {
  input: AgentInput;
  tailer: FileTailer;
  batcher: Batcher;
}

/** Moves each file's saved cursor forward to the newest batch of it still in the spool. */
export function reconcile(state: TailState, spool: Spool): TailState {
  const files = { ...state.files };
  for (const entry of spool.list()) {
    const saved = files[entry.meta.source];
    if (saved === undefined || entry.seq > saved.seq) files[entry.meta.source] = { cursor: entry.meta.cursor, seq: entry.seq };
  }
  return { version: 1, seq: Math.max(state.seq, spool.lastSeq), files };
}

export class ReadLoop {
  private readonly followers: Follower[];
  private state: TailState;
  /** Files whose last read failed, with the error logged for them. */
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly config: AgentConfig,
    private readonly spool: Spool,
    private readonly stateFile: StateFile,
    state: TailState,
    private readonly stats: AgentStats,
    private readonly log: Logger,
    /** Called after each batch is spooled: the sender has work. */
    private readonly onSpooled: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.state = state;
    this.followers = [];
    this.patterns = config.inputs.filter((input) => isPattern(input.path));
    // Files read before a restart: a rotated copy of one that now matches a pattern is not new.
    for (const { cursor } of Object.values(state.files)) this.seenFiles.add(`${cursor.dev}:${cursor.ino}`);
    for (const input of config.inputs) if (!isPattern(input.path)) this.follow(input, input.startAt);
    // Files a pattern names at start are read as the input says; later ones from the start.
    this.discover('configured');
  }

  private readonly patterns: AgentInput[];
  /** Device:inode of every file a follower has read, so a rotated copy matching a pattern is not read again. */
  private readonly seenFiles = new Set<string>();

  private follow(input: AgentInput, startAt: AgentInput['startAt']): void {
    this.followers.push({
      input,
      tailer: new FileTailer(input.path, this.state.files[input.path]?.cursor, { startAt, maxLineBytes: this.config.maxLineBytes, headerLine: input.headerLine }),
      batcher: new Batcher(input.path, input.format, this.config.batch),
    });
  }

  /** Follows each file a wildcard input names that is not followed yet, nor a rotated copy of one that is. */
  private discover(startAt: 'configured' | 'beginning'): void {
    if (this.patterns.length === 0) return;
    const followed = new Set(this.followers.map((follower) => follower.input.path));
    for (const { tailer } of this.followers) {
      const id = tailer.following;
      if (id !== undefined) this.seenFiles.add(`${id.dev}:${id.ino}`);
    }
    for (const pattern of this.patterns) {
      for (const file of expandPattern(pattern.path)) {
        if (followed.has(file) || this.isReadCopy(file)) continue;
        followed.add(file);
        this.follow({ ...pattern, path: file }, startAt === 'configured' ? pattern.startAt : 'beginning');
        this.log.info({ file, pattern: pattern.path }, 'following a new file that matches an input pattern');
      }
    }
  }

  /**
   * Whether a file not followed yet is one already read under another name (rotated to a
   * name the pattern also matches). A file read before a restart resumes from its cursor
   * instead; one that vanished meanwhile is left for the next look.
   */
  private isReadCopy(file: string): boolean {
    if (this.state.files[file] !== undefined) return false;
    try {
      const stat = fs.statSync(file, { bigint: true });
      return this.seenFiles.has(`${stat.dev}:${stat.ino}`);
    } catch {
      return true;
    }
  }

  /** One poll of every input; answers whether every file was at its end. */
  async pass(): Promise<boolean> {
    this.discover('beginning');
    let idle = true;
    for (const follower of this.followers) {
      for (let chunk = 0; chunk < CHUNKS_PER_PASS; chunk++) {
        const read = await this.readSafely(follower);
        if (read.lines.length > 0 || !read.idle) idle = false;
        const readAt = this.now();
        for (const line of read.lines) {
          this.stats.linesRead++;
          const text = lineToPost(follower.input.path, follower.input.format, line, readAt);
          const cursor = { dev: line.dev, ino: line.ino, generation: line.generation, offset: line.end };
          for (const batch of follower.batcher.add(text, cursor, readAt.getTime(), line.header)) this.commit(batch);
        }
        if (read.idle) break;
      }
      if (follower.batcher.due(this.now().getTime())) this.commitOpen(follower);
    }
    this.countTailers();
    return idle;
  }

  /** Commits every open batch (at the end of a --once run, or when stopping). */
  flush(): void {
    for (const follower of this.followers) this.commitOpen(follower);
  }

  async close(): Promise<void> {
    for (const follower of this.followers) await follower.tailer.close();
  }

  private commitOpen(follower: Follower): void {
    const batch = follower.batcher.take();
    if (batch !== undefined) this.commit(batch);
  }

  private commit(batch: Batch): void {
    if (batch.lines.length > 0) {
      const seq = this.state.seq + 1;
      const meta = { seq, source: batch.source, format: batch.format, events: batch.lines.length, cursor: batch.cursor, created: this.now().toISOString() };
      const dropped = this.spool.write(batch.header === undefined ? meta : { ...meta, header: batch.header }, batch.lines);
      if (dropped.batches > 0) {
        this.stats.droppedBatches += dropped.batches;
        this.stats.droppedEvents += dropped.events;
        this.log.warn({ batches: dropped.batches, events: dropped.events, spool: this.spool.dir }, 'spool full (spool.max_bytes): dropped the oldest batches');
      }
      this.state = { ...this.state, seq, files: { ...this.state.files, [batch.source]: { cursor: batch.cursor, seq } } };
    } else {
      // Only blank lines: nothing to send, but no need to read them again either.
      const seq = this.state.files[batch.source]?.seq ?? 0;
      this.state = { ...this.state, files: { ...this.state.files, [batch.source]: { cursor: batch.cursor, seq } } };
    }
    this.stateFile.write(this.state);
    this.stats.spoolBatches = this.spool.batches;
    this.stats.spoolBytes = this.spool.bytes;
    if (batch.lines.length > 0) this.onSpooled();
  }

  /** A file the agent may not read (permissions, a folder) is logged once and retried each pass; it never stops the others. */
  private async readSafely(follower: Follower): Promise<TailRead> {
    try {
      const read = await follower.tailer.read();
      this.failing.delete(follower.input.path);
      return read;
    } catch (error) {
      const message = (error as Error).message;
      if (this.failing.get(follower.input.path) !== message) {
        this.failing.set(follower.input.path, message);
        this.log.error({ file: follower.input.path, err: message }, 'cannot read this file: retrying at each poll');
      }
      return { lines: [], idle: true };
    }
  }

  private countTailers(): void {
    let skipped = 0;
    let rotations = 0;
    let truncations = 0;
    for (const { tailer } of this.followers) {
      if (tailer.lostFiles > 0) {
        this.log.warn({ file: tailer.path }, 'the file being read was rotated and removed while the agent was stopped: its unread rest is lost');
        tailer.lostFiles = 0;
      }
      skipped += tailer.skippedLines;
      rotations += tailer.rotations;
      truncations += tailer.truncations;
    }
    this.stats.skippedLines = skipped;
    this.stats.rotations = rotations;
    this.stats.truncations = truncations;
  }
}
