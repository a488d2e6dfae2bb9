// Gathers one input's lines into batches bounded by count, bytes and age: a batch is
// closed when it holds max_events lines, when the next line would take it past
// max_bytes, or max_wait_ms after its first line. Each batch carries the tail cursor just
// after its last line, which becomes the saved state once the batch is in the spool, and
// (CSV inputs) the header of the file its lines came from: a new header closes the batch.
import type { TailCursor } from './tail-state.ts';

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  maxWaitMs: number;
}

export interface Batch {
  /** The tailed file's configured path. */
  source: string;
  format: string;
  lines: string[];
  /** Bytes of the NDJSON body (lines and newlines). */
  bytes: number;
  /** Lines read for it, blank ones included. */
  linesRead: number;
  cursor: TailCursor;
  /** The column titles posted before the lines (inputs with header_line). */
  header?: string;
}

export class Batcher {
  private open: (Batch & { startedAt: number }) | undefined;

  constructor(
    readonly source: string,
    readonly format: string,
    private readonly limits: BatchLimits,
  ) {}

  /** Adds one line (or, with `text` undefined, only moves the cursor past a blank one); answers the batches it closed. */
  add(text: string | undefined, cursor: TailCursor, now: number, header?: string): Batch[] {
    const closed: Batch[] = [];
    const size = text === undefined ? 0 : Buffer.byteLength(text) + 1;
    if (this.open !== undefined && this.open.lines.length > 0 && this.open.bytes + size > this.limits.maxBytes) closed.push(this.take()!);
    if (this.open !== undefined && text !== undefined && this.open.header !== header) closed.push(this.take()!);
    if (this.open === undefined) {
      this.open = { source: this.source, format: this.format, lines: [], bytes: 0, linesRead: 0, cursor, startedAt: now };
      if (header !== undefined) this.open.header = header;
    }
    if (text !== undefined) this.open.lines.push(text);
    this.open.bytes += size;
    this.open.linesRead++;
    this.open.cursor = cursor;
    if (this.open.lines.length >= this.limits.maxEvents) closed.push(this.take()!);
    return closed;
  }

  /** The open batch is older than max_wait_ms. */
  due(now: number): boolean {
    return this.open !== undefined && now - this.open.startedAt >= this.limits.maxWaitMs;
  }

  /** Closes the open batch, if any. */
  take(): Batch | undefined {
    const open = this.open;
    this.open = undefined;
    if (open === undefined) return undefined;
    const { startedAt: _startedAt, ...batch } = open;
    return batch;
  }
}
