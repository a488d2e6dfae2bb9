// Finds each event's bytes in a body before any of it is parsed: the items of a JSON
// array, the lines of NDJSON, or one JSON value. Works on the raw UTF-8 bytes (JSON's
// structural characters are ASCII, and no byte of a multi-byte character is ASCII), and
// measures each item's nesting depth on the way, so an item that nests 10,000 levels is
// refused before JSON.parse could overflow the stack, and one larger than the size limit
// is never parsed at all. Resumable: `next()` does a bounded amount of work, so the
// caller can yield to other requests between steps of a large body. Formats that are
// not JSON (CSV, CEF) are split into plain lines, with no JSON scan at all.
import { BadInputError } from '../core/errors.ts';

export type Position = { line: number } | { index: number };

/** One event's bytes, [start, end) in the body, and how deeply it nests. */
export interface BodyPiece {
  position: Position;
  start: number;
  end: number;
  depth: number;
  /** Byte offset where nesting first went past the depth limit, or -1. */
  deepAt: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Line and column (1-based, the column in characters) of byte offsets, for errors a
 * person can find. Walks forward from the offset it was last asked for, so a body whose
 * events are refused one after another is walked once, not once per refusal.
 */
export class Locator {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly body: Buffer) {}

  at(offset: number): { line: number; column: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.column = 1;
    }
    const { body } = this;
    for (let i = this.offset; i < offset && i < body.length; i++) {
      const byte = body[i]!;
      if (byte === NEWLINE) {
        this.line++;
        this.column = 1;
      } else if ((byte & 0xc0) !== 0x80) {
        this.column++; // the first byte of a character; continuation bytes are 10xxxxxx
      }
    }
    this.offset = offset;
    return { line: this.line, column: this.column };
  }
}

function malformed(body: Buffer, offset: number, what: string): BadInputError {
  const at = new Locator(body).at(offset);
  return new BadInputError(`malformed JSON at line ${at.line} column ${at.column}: ${what}`, 'ingest', at);
}

/**
 * Scans one JSON value from `start` without parsing it: where it ends and how deep it
 * nests. It trusts nothing: a malformed value still ends somewhere, and JSON.parse of
 * its bytes then says what is wrong with it.
 */
class ValueScan {
  pos: number;
  depth = 0;
  maxDepth = 0;
  deepAt = -1;
  done = false;

  constructor(
    private readonly body: Buffer,
    readonly start: number,
    private readonly end: number,
    private readonly depthLimit: number,
  ) {
    this.pos = start;
  }

  /** Advances over at most `budget` bytes (a string counts as one step); true once the value ended. */
  advance(budget: number): boolean {
    const { body, end } = this;
    let steps = 0;
    while (!this.done && this.pos < end && steps++ < budget) {
      const byte = body[this.pos]!;
      if (byte === QUOTE) {
        this.pos = stringEnd(body, this.pos + 1, end);
        if (this.depth === 0) this.done = true;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        this.depth++;
        if (this.depth > this.maxDepth) this.maxDepth = this.depth;
        if (this.depth > this.depthLimit && this.deepAt === -1) this.deepAt = this.pos;
        this.pos++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        // At depth 0 this closes an enclosing array, so the value ended before it.
        if (this.depth === 0) this.done = true;
        else {
          this.pos++;
          if (--this.depth === 0) this.done = true;
        }
      } else if (this.depth === 0 && this.pos > this.start && (byte === COMMA || isSpace(byte))) {
        this.done = true; // the end of a number, true, false or null
      } else {
        this.pos++;
      }
    }
    if (this.pos >= end) this.done = true;
    return this.done;
  }
}

/** The offset just past the quote that closes a string whose text starts at `from`; `end` if none. */
function stringEnd(body: Buffer, from: number, end: number): number {
  let at = from;
  for (;;) {
    const found = body.subarray(at, end).indexOf(QUOTE);
    if (found === -1) return end;
    const quote = at + found;
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && body[quote - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

function skipSpace(body: Buffer, from: number, end: number): number {
  let at = from;
  while (at < end && isSpace(body[at]!)) at++;
  return at;
}

/** json: one value or an array; ndjson: a JSON value per line; lines: a text line each. */
export type BodyShape = 'json' | 'ndjson' | 'lines';

/**
 * Splits a body into pieces, a bounded step at a time. `next(budget)` answers the next
 * piece, `null` at the end, or `undefined` when its budget ran out first (call again).
 * Throws BadInputError (400, with line and column) when a JSON body's structure around
 * the items is broken; a broken NDJSON line is the line's problem, not the body's.
 */
export class BodySplitter {
  private pos: number;
  private readonly end: number;
  private scan: ValueScan | null = null;
  private count = 0;
  /** JSON: 'open' (before the first value), 'array' (inside [...]), 'done'. */
  private state: 'open' | 'array' | 'single' | 'done' = 'open';
  private line = 0;
  private lineEnd = -1;

  constructor(
    private readonly body: Buffer,
    private readonly shape: BodyShape,
    private readonly depthLimit: number,
  ) {
    // A UTF-8 byte order mark is not JSON, but some agents' libraries write one.
    this.pos = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
    this.end = body.length;
  }

  /** Pieces answered so far. */
  get pieces(): number {
    return this.count;
  }

  next(budget: number): BodyPiece | null | undefined {
    if (this.shape === 'lines') return this.nextTextLine();
    return this.shape === 'ndjson' ? this.nextLine(budget) : this.nextItem(budget);
  }

  /** The next non-blank line as it is, without its line break and trailing white space. */
  private nextTextLine(): BodyPiece | null {
    const { body, end } = this;
    for (;;) {
      if (this.pos >= end) return null;
      const newline = body.indexOf(NEWLINE, this.pos);
      const lineEnd = newline === -1 ? end : newline;
      this.line++;
      const first = skipSpace(body, this.pos, lineEnd);
      this.pos = lineEnd + 1;
      if (first === lineEnd) continue;
      let last = lineEnd;
      while (last > first && isSpace(body[last - 1]!)) last--;
      this.count++;
      return { position: { line: this.line }, start: first, end: last, depth: 0, deepAt: -1 };
    }
  }

  private nextLine(budget: number): BodyPiece | null | undefined {
    const { body, end } = this;
    for (;;) {
      if (this.scan === null) {
        if (this.pos >= end) return null;
        const newline = body.indexOf(NEWLINE, this.pos);
        this.lineEnd = newline === -1 ? end : newline;
        this.line++;
        const first = skipSpace(body, this.pos, this.lineEnd);
        if (first === this.lineEnd) {
          this.pos = this.lineEnd + 1; // blank lines (and the trailing newline) carry nothing
          continue;
        }
        this.scan = new ValueScan(body, first, this.lineEnd, this.depthLimit);
      }
      // The whole line is the item: scanning it measures its depth; whatever follows the
      // first value on the line makes JSON.parse of the line fail, as it should.
      const scan = this.scan;
      while (scan.pos < this.lineEnd) {
        if (!scan.advance(budget)) return undefined;
        if (scan.pos < this.lineEnd) {
          // Another value on the same line: keep measuring its depth, the parse will refuse it.
          scan.pos = skipSpace(body, scan.pos + (isSpace(body[scan.pos]!) ? 0 : 1), this.lineEnd);
          scan.done = false;
        }
      }
      let last = this.lineEnd;
      while (last > scan.start && isSpace(body[last - 1]!)) last--;
      this.scan = null;
      this.pos = this.lineEnd + 1;
      this.count++;
      return { position: { line: this.line }, start: scan.start, end: last, depth: scan.maxDepth, deepAt: scan.deepAt };
    }
  }

  private nextItem(budget: number): BodyPiece | null | undefined {
    const { body, end } = this;
    if (this.state === 'done') return null;
    if (this.state === 'open') {
      const first = skipSpace(body, this.pos, end);
      if (body[first] === OPEN_BRACKET) {
        this.state = 'array';
        this.pos = skipSpace(body, first + 1, end);
        if (body[this.pos] === CLOSE_BRACKET) return this.finish(this.pos + 1);
      } else {
        this.state = 'single';
        this.pos = first;
      }
    }
    if (this.scan === null) {
      if (this.pos >= end) throw malformed(body, end, this.state === 'array' ? 'the array is not closed with ]' : 'no value');
      this.scan = new ValueScan(body, this.pos, end, this.depthLimit);
    }
    const scan = this.scan;
    if (!scan.advance(budget)) return undefined;
    this.scan = null;
    if (scan.pos === scan.start) throw malformed(body, scan.pos, `expected an event, found "${String.fromCharCode(body[scan.pos]!)}"`);
    const index = this.count++;
    const piece: BodyPiece = { position: { index }, start: scan.start, end: scan.pos, depth: scan.maxDepth, deepAt: scan.deepAt };
    const after = skipSpace(body, scan.pos, end);
    if (this.state === 'single') {
      this.finish(after);
    } else if (body[after] === COMMA) {
      this.pos = skipSpace(body, after + 1, end);
    } else if (body[after] === CLOSE_BRACKET) {
      this.finish(after + 1);
    } else {
      throw malformed(body, after, after >= end ? 'the array is not closed with ]' : `expected , or ] after item ${index}`);
    }
    return piece;
  }

  /** Only white space may follow the body's value. */
  private finish(from: number): null {
    const rest = skipSpace(this.body, from, this.end);
    if (rest < this.end) throw malformed(this.body, rest, 'unexpected text after the end of the JSON value');
    this.state = 'done';
    return null;
  }
}
