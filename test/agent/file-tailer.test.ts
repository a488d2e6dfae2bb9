// The tailer follows a file through what log writers and logrotate do to it: appends
// (a half-written line waits for its newline), rotation by rename (the old file's rest
// first, then the new file), truncation, a restart from a saved cursor (also when the
// file was rotated while the agent was stopped), and over-long lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTailer, type TailLine } from '../../agent/file-tailer.ts';
import type { TailCursor } from '../../agent/tail-state.ts';

const dirs: string[] = [];
const tailers: FileTailer[] = [];
afterEach(async () => {
  for (const tailer of tailers.splice(0)) await tailer.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-tail-'));
  dirs.push(dir);
  return path.join(dir, 'app.log');
}

function tailer(file: string, cursor?: TailCursor, options: Partial<{ startAt: 'beginning' | 'end'; maxLineBytes: number; headerLine: boolean }> = {}): FileTailer {
  const created = new FileTailer(file, cursor, { startAt: options.startAt ?? 'beginning', maxLineBytes: options.maxLineBytes ?? 1024, headerLine: options.headerLine ?? false });
  tailers.push(created);
  return created;
}

/** Reads until the tailer says it is at the end; answers every line handed on. */
async function drain(t: FileTailer): Promise<TailLine[]> {
  const lines: TailLine[] = [];
  for (;;) {
    const read = await t.read();
    lines.push(...read.lines);
    if (read.idle && read.lines.length === 0) return lines;
  }
}

const texts = (lines: TailLine[]) => lines.map((line) => line.text);
const cursorAfter = (line: TailLine): TailCursor => ({ dev: line.dev, ino: line.ino, generation: line.generation, offset: line.end });

describe('file tailer', () => {
  it('hands on complete lines with their byte offsets and waits for a half-written one', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'one\r\ntwo\nthr');
    const t = tailer(file);
    const first = await drain(t);
    expect(texts(first)).toEqual(['one', 'two']);
    expect(first.map((line) => [line.offset, line.end])).toEqual([
      [0, 5],
      [5, 9],
    ]);
    fs.appendFileSync(file, 'ee\nfour\n');
    expect(texts(await drain(t))).toEqual(['three', 'four']);
  });

  it('is patient with a file that does not exist yet, and starts at the end when told to', async () => {
    const file = tempFile();
    const t = tailer(file);
    expect(await drain(t)).toEqual([]);
    fs.writeFileSync(file, 'first\n');
    expect(texts(await drain(t))).toEqual(['first']);

    const other = tempFile();
    fs.writeFileSync(other, 'old history\n');
    const fromEnd = tailer(other, undefined, { startAt: 'end' });
    expect(await drain(fromEnd)).toEqual([]);
    fs.appendFileSync(other, 'new\n');
    expect(texts(await drain(fromEnd))).toEqual(['new']);
  });

  it('reads a rotated file to its end (what the writer still added) before the new file', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'a1\na2\n');
    const t = tailer(file);
    expect(texts(await drain(t))).toEqual(['a1', 'a2']);
    // logrotate renames; the writer appends to its open handle once more, then reopens.
    fs.renameSync(file, `${file}.1`);
    fs.appendFileSync(`${file}.1`, 'a3\na4-without-newline');
    fs.writeFileSync(file, 'b1\nb2\n');
    const lines = await drain(t);
    expect(texts(lines)).toEqual(['a3', 'a4-without-newline', 'b1', 'b2']);
    expect(new Set(lines.slice(0, 2).map((line) => line.ino)).size).toBe(1);
    expect(lines[2]!.ino).not.toBe(lines[0]!.ino);
    expect(lines[2]!.offset).toBe(0);
    expect(t.rotations).toBe(1);
  });

  it('starts again from the top of a truncated file, in a new generation', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'a long first line\nanother line\n');
    const t = tailer(file);
    const before = await drain(t);
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, 'x\n');
    const after = await drain(t);
    expect(texts(after)).toEqual(['x']);
    expect(after[0]!.offset).toBe(0);
    expect(after[0]!.generation).toBe(before[0]!.generation + 1);
    expect(t.truncations).toBe(1);
  });

  it('resumes from a saved cursor: nothing before it again, nothing after it missed', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'l1\nl2\nl3\n');
    const first = tailer(file);
    const lines = await drain(first);
    await first.close();
    fs.appendFileSync(file, 'l4\n');
    const resumed = tailer(file, cursorAfter(lines[1]!));
    expect(texts(await drain(resumed))).toEqual(['l3', 'l4']);
  });

  it('after a restart, finds the file it was reading where logrotate moved it and reads its rest first', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'a1\na2\n');
    const first = tailer(file);
    const lines = await drain(first);
    await first.close();
    // While the agent is stopped: more lines, a rotation, a new file.
    fs.appendFileSync(file, 'a3\n');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'b1\n');
    const resumed = tailer(file, cursorAfter(lines[1]!));
    expect(texts(await drain(resumed))).toEqual(['a3', 'b1']);
  });

  it('after a restart, notices a file truncated while it was stopped', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'a fairly long line number one\n');
    const first = tailer(file);
    const lines = await drain(first);
    await first.close();
    fs.writeFileSync(file, 'new\n');
    const resumed = tailer(file, cursorAfter(lines[0]!));
    const again = await drain(resumed);
    expect(texts(again)).toEqual(['new']);
    expect(again[0]!.generation).toBe(1);
  });

  it('skips and counts a line longer than max_line_bytes, and goes on with the next', async () => {
    const file = tempFile();
    const long = 'x'.repeat(3000);
    fs.writeFileSync(file, `short\n${long}\nafter\n`);
    const t = tailer(file, undefined, { maxLineBytes: 1024 });
    expect(texts(await drain(t))).toEqual(['short', 'after']);
    expect(t.skippedLines).toBe(1);
    // One longer than a whole read (1 MiB) is skipped across reads, not cut into pieces.
    fs.appendFileSync(file, `${'y'.repeat(1536 * 1024)}\nlast\n`);
    expect(texts(await drain(t))).toEqual(['last']);
    expect(t.skippedLines).toBe(2);
  });

  it('keeps the first line of a CSV file as its header, also when resuming inside it or after a truncation', async () => {
    const file = tempFile();
    fs.writeFileSync(file, 'Time,Computer,Threat\r\n2026-12-03 08:00,PC-01,EICAR\n');
    const t = tailer(file, undefined, { headerLine: true });
    const first = await drain(t);
    expect(first.map((line) => [line.header, line.text])).toEqual([['Time,Computer,Threat', '2026-12-03 08:00,PC-01,EICAR']]);
    await t.close();

    fs.appendFileSync(file, '2026-12-03 08:05,PC-02,Emotet\n');
    const resumed = tailer(file, cursorAfter(first[0]!), { headerLine: true });
    expect((await drain(resumed)).map((line) => [line.header, line.text])).toEqual([['Time,Computer,Threat', '2026-12-03 08:05,PC-02,Emotet']]);

    fs.writeFileSync(file, 'When;Host\n08:10;PC-03\n');
    expect((await drain(resumed)).map((line) => [line.header, line.text])).toEqual([['When;Host', '08:10;PC-03']]);
  });
});
