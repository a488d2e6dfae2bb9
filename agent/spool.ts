// The agent's bounded disk queue. Every batch is written here (temp file, fsync, rename)
// before it is posted, and deleted only once Vigil answered for it, so nothing read is
// lost to a crash or to Vigil being down, and every resend is byte-for-byte the same
// batch. The folder is bounded by max_bytes: when a new batch would not fit, the oldest
// batches are dropped (never the one being posted at that moment) and counted, so a long
// outage costs the oldest events, not the newest and not the disk.
//
// A file is `<seq>.batch`: one JSON line of metadata (input, format, line count, tail
// cursor, CSV header), then the lines to post.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AgentError } from './agent-errors.ts';
import { tailCursorSchema } from './tail-state.ts';

const metaSchema = z.object({
  seq: z.number().int().min(1),
  source: z.string(),
  format: z.string(),
  events: z.number().int().min(0),
  cursor: tailCursorSchema,
  created: z.string(),
  /** Column titles posted before the lines (CSV inputs). */
  header: z.string().optional(),
});
export type SpoolMeta = z.infer<typeof metaSchema>;

export interface SpoolEntry {
  seq: number;
  file: string;
  bytes: number;
  meta: SpoolMeta;
}

export interface Dropped {
  batches: number;
  events: number;
}

const NAME = /^(\d{12})\.batch$/;

export class Spool {
  private readonly entries: SpoolEntry[] = [];
  private total = 0;
  /** The batch being posted right now: never dropped under it. */
  inFlight: number | undefined;

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Opens (or creates) the spool folder; lists what an earlier run left, oldest first, and removes half-written files. */
  static open(dir: string, maxBytes: number): Spool {
    fs.mkdirSync(dir, { recursive: true });
    const spool = new Spool(dir, maxBytes);
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (name.endsWith('.tmp')) {
        fs.rmSync(file, { force: true });
        continue;
      }
      const match = NAME.exec(name);
      if (!match) continue;
      const meta = readMeta(file);
      if (meta === undefined) {
        // Unreadable: keep it aside for an operator rather than post or lose it silently.
        fs.renameSync(file, `${file}.damaged`);
        continue;
      }
      const bytes = fs.statSync(file).size;
      spool.entries.push({ seq: Number(match[1]), file, bytes, meta });
      spool.total += bytes;
    }
    return spool;
  }

  get batches(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.total;
  }

  /** The highest sequence number in the spool (0 when empty). */
  get lastSeq(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }

  /** Oldest first. */
  list(): readonly SpoolEntry[] {
    return this.entries;
  }

  oldest(): SpoolEntry | undefined {
    return this.entries[0];
  }

  /** Writes a batch durably, first dropping the oldest batches it would not fit beside. */
  write(meta: SpoolMeta, lines: readonly string[]): Dropped {
    const body = `${JSON.stringify(meta)}\n${lines.join('\n')}\n`;
    const size = Buffer.byteLength(body);
    const dropped: Dropped = { batches: 0, events: 0 };
    while (this.total + size > this.maxBytes) {
      const victim = this.entries.find((entry) => entry.seq !== this.inFlight);
      if (victim === undefined) break;
      this.remove(victim);
      dropped.batches++;
      dropped.events += victim.meta.events;
    }
    const file = path.join(this.dir, `${String(meta.seq).padStart(12, '0')}.batch`);
    const temp = `${file}.tmp`;
    try {
      const fd = fs.openSync(temp, 'w');
      try {
        fs.writeSync(fd, body);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, file);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw new AgentError('spool', `cannot write a batch to the spool: ${(error as Error).message}`, file, { cause: error });
    }
    this.entries.push({ seq: meta.seq, file, bytes: size, meta });
    this.total += size;
    return dropped;
  }

  /** The NDJSON body of a spooled batch, or undefined when it was dropped meanwhile. */
  readBody(entry: SpoolEntry): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(entry.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AgentError('spool', `cannot read a spooled batch: ${(error as Error).message}`, entry.file, { cause: error });
    }
    return text.slice(text.indexOf('\n') + 1);
  }

  /** Deletes a batch Vigil answered for (or one dropped); a second call is harmless. */
  remove(entry: SpoolEntry): void {
    const index = this.entries.indexOf(entry);
    if (index === -1) return;
    this.entries.splice(index, 1);
    this.total -= entry.bytes;
    fs.rmSync(entry.file, { force: true });
  }
}

function readMeta(file: string): SpoolMeta | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, read).toString('utf8');
    const newline = text.indexOf('\n');
    if (newline === -1) return undefined;
    const parsed = metaSchema.safeParse(JSON.parse(text.slice(0, newline)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
