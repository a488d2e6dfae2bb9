// Follows one log file the way a sensor or antivirus console writes it: hands on each
// complete line with where it came from (device, inode, truncation generation, byte
// offset), and survives the file's life:
// - rotation (the file renamed or removed and a new one created at the path): noticed
//   by the path's inode changing; the old file's rest is read to its end first (the
//   handle stays open), then the new file from its beginning;
// - truncation (copytruncate, or an operator emptying the file): noticed by the size
//   dropping below the offset; reading restarts at 0 with the next generation;
// - a restart: resumes from a saved cursor; when the file it names was rotated while
//   the agent was away, it is found by inode beside the path and its rest read first.
// With `headerLine` (CSV exports), each file's first line is its column titles: kept as
// the file's header and handed on with every line instead of as a line of its own.
// Polling, not fs.watch: watch events are lost across renames and on network shares.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TailCursor } from './tail-state.ts';

export interface TailLine {
  /** The line without its newline (and without a trailing \r). */
  text: string;
  dev: string;
  ino: string;
  generation: number;
  /** Byte offset of the line's start in its file. */
  offset: number;
  /** Byte offset just after its newline: the cursor once this line is handed on. */
  end: number;
  /** With `headerLine`: the first line of the file this line is in. */
  header?: string;
}

export interface TailRead {
  lines: TailLine[];
  /** Nothing more to read right now (the file is at its end, or absent). */
  idle: boolean;
}

export interface TailerOptions {
  /** Where to begin a file never read before and with no saved cursor. */
  startAt: 'beginning' | 'end';
  /** A longer line is skipped (and counted in `skippedLines`). */
  maxLineBytes: number;
  /** Each file's first line is a header (CSV column titles), not a line to hand on. */
  headerLine?: boolean;
}

interface FileId {
  dev: string;
  ino: string;
}

export class FileTailer {
  private handle: FileHandle | undefined;
  private id: FileId | undefined;
  private offset = 0;
  private generation = 0;
  /** In the middle of a line longer than maxLineBytes: drop bytes up to the next newline. */
  private skipping = false;
  /** Once any file was followed, a new file at the path is read from its beginning. */
  private followed = false;
  private readonly chunkBytes: number;
  /** With `headerLine`: the current file's first line, once read. */
  private header: string | undefined;

  /** Times the path moved on to a new file. */
  rotations = 0;
  /** Times the file shrank below what was read. */
  truncations = 0;
  /** Lines longer than maxLineBytes, skipped. */
  skippedLines = 0;
  /** A saved cursor's file was gone (rotated and deleted while the agent was away): its unread rest is lost. */
  lostFiles = 0;

  constructor(
    readonly path: string,
    private saved: TailCursor | undefined,
    private readonly options: TailerOptions,
  ) {
    this.chunkBytes = Math.max(1024 * 1024, options.maxLineBytes * 2);
    this.followed = saved !== undefined;
  }

  /** Reads what was appended since the last call, up to about a megabyte. */
  async read(): Promise<TailRead> {
    if (this.handle === undefined && !(await this.open())) return { lines: [], idle: true };
    const handle = this.handle!;
    const { size } = await handle.stat();
    if (size < this.offset) {
      this.truncations++;
      this.generation++;
      this.offset = 0;
      this.skipping = false;
      this.header = undefined;
    }
    let partial: Buffer | undefined;
    if (size > this.offset) {
      const length = Math.min(size - this.offset, this.chunkBytes);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
      const before = this.offset;
      const { lines, rest } = this.split(buffer.subarray(0, bytesRead));
      if (lines.length > 0 || this.offset > before) return { lines, idle: false };
      partial = rest;
    }
    // At the end of this file (but for an unfinished last line): has the path moved on?
    if (!(await this.rotatedAway())) return { lines: [], idle: true };
    // The old file is finished: its unterminated last line, if any, is final now.
    const lines: TailLine[] = [];
    if (partial !== undefined && partial.length > 0 && !this.skipping) {
      lines.push(this.line(partial, this.offset, this.offset + partial.length));
    }
    await this.close();
    this.rotations++;
    return { lines, idle: false };
  }

  /** The file (device and inode) being read now, if one is open: a wildcard input skips a rotated copy of it. */
  get following(): Readonly<FileId> | undefined {
    return this.id;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.id = undefined;
    await handle?.close();
  }

  /** Splits a chunk into complete lines, advancing the offset past them; the unfinished rest is left to re-read. */
  private split(chunk: Buffer): { lines: TailLine[]; rest: Buffer } {
    const lines: TailLine[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const lineStart = this.offset + start;
      const bytes = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.skipping) {
        this.skipping = false;
      } else if (bytes.length > this.options.maxLineBytes) {
        this.skippedLines++;
      } else if (this.options.headerLine && lineStart === 0) {
        this.header = withoutCr(bytes.toString('utf8'));
      } else {
        lines.push(this.line(bytes, lineStart, this.offset + start));
      }
    }
    const rest = chunk.subarray(start);
    this.offset += start;
    // A full chunk without a newline is a line longer than any we send: skip to its end.
    if (rest.length > this.options.maxLineBytes) {
      if (!this.skipping) this.skippedLines++;
      this.skipping = true;
      this.offset += rest.length;
      return { lines, rest: Buffer.alloc(0) };
    }
    return { lines, rest };
  }

  private line(bytes: Buffer, offset: number, end: number): TailLine {
    const line: TailLine = {
      text: withoutCr(bytes.toString('utf8')),
      dev: this.id!.dev,
      ino: this.id!.ino,
      generation: this.generation,
      offset,
      end,
    };
    if (this.options.headerLine && this.header !== undefined) line.header = this.header;
    return line;
  }

  /** Opens the file to read next: the saved cursor's (at the path or, rotated, beside it), else the path's. */
  private async open(): Promise<boolean> {
    const saved = this.saved;
    this.saved = undefined;
    if (saved !== undefined) {
      const atPath = await this.openAt(this.path);
      if (atPath && same(atPath.id, saved)) return this.adopt(atPath, saved.offset, saved.generation);
      const moved = await findByInode(path.dirname(this.path), saved);
      if (moved !== undefined) {
        const rotated = await this.openAt(moved);
        if (rotated && same(rotated.id, saved)) {
          await atPath?.handle.close();
          return this.adopt(rotated, saved.offset, saved.generation);
        }
        await rotated?.handle.close();
      }
      this.lostFiles++;
      if (!atPath) return false;
      return this.adopt(atPath, 0, 0);
    }
    const opened = await this.openAt(this.path);
    if (!opened) return false;
    const fromEnd = !this.followed && this.options.startAt === 'end';
    this.followed = true;
    return this.adopt(opened, fromEnd ? (await opened.handle.stat()).size : 0, 0);
  }

  private async adopt(opened: { handle: FileHandle; id: FileId }, offset: number, generation: number): Promise<true> {
    this.handle = opened.handle;
    this.id = opened.id;
    this.offset = offset;
    this.generation = generation;
    this.skipping = false;
    this.followed = true;
    this.header = undefined;
    // Resuming inside a file: its header is its first line, read again from the top.
    if (this.options.headerLine && offset > 0) {
      const buffer = Buffer.allocUnsafe(this.options.maxLineBytes + 1);
      const { bytesRead } = await opened.handle.read(buffer, 0, buffer.length, 0);
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline !== -1) this.header = withoutCr(buffer.subarray(0, newline).toString('utf8'));
    }
    return true;
  }

  private async openAt(file: string): Promise<{ handle: FileHandle; id: FileId } | undefined> {
    let handle: FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const stats = await handle.stat({ bigint: true });
    return { handle, id: { dev: String(stats.dev), ino: String(stats.ino) } };
  }

  /** The path now names another file, or none. */
  private async rotatedAway(): Promise<boolean> {
    try {
      const stats = await fs.stat(this.path, { bigint: true });
      return !same({ dev: String(stats.dev), ino: String(stats.ino) }, this.id!);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
  }
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function same(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** A file in `dir` that is the given inode: where logrotate renamed it (app.log.1, ...). */
async function findByInode(dir: string, id: FileId): Promise<string | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const stats = await fs.stat(file, { bigint: true });
      if (stats.isFile() && same({ dev: String(stats.dev), ino: String(stats.ino) }, id)) return file;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
