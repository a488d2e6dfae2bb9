// Decodes an agent's POST body into raw JSON values (or text lines, for formats that
// are not JSON), each with where it came from (the NDJSON line or JSON array index) so
// that every rejection can name its place. Accepts one JSON object, a JSON array, or
// NDJSON; for text formats (CSV, CEF) lines of text/plain, text/csv or NDJSON; gzip when
// Content-Encoding says so. Three steps, so the route can charge the agent's rate
// between counting and parsing: readBody (type, gzip, size), splitBody (where each
// event is, how many), parsePiece.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { BadInputError } from '../core/errors.ts';
import type { IngestLimits } from '../core/config.ts';
import type { CpuTurns } from './cpu-turns.ts';
import { BodyTooLargeError, TooManyEventsError, UnsupportedMediaError } from './ingest-errors.ts';
import { BodySplitter, Locator, type BodyPiece, type BodyShape } from './split-body.ts';

export type { BodyPiece, Position } from './split-body.ts';

const gunzipAsync = promisify(gunzip);

export const ACCEPTED_CONTENT_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson'] as const;
/** Formats read line by line as text take these; every line is one event. */
export const ACCEPTED_TEXT_CONTENT_TYPES = ['text/plain', 'text/csv', 'application/x-ndjson', 'application/ndjson'] as const;

/** What the chosen format reads: JSON values, or lines of text. */
export type BodyInput = 'json' | 'text';

/** Bytes scanned per step while splitting: a fraction of a millisecond of work. */
const SPLIT_STEP_BYTES = 64 * 1024;

export interface ReadBody {
  bytes: Buffer;
  shape: BodyShape;
  /** Where a byte offset is, as line and column; asked in increasing order. */
  locator: Locator;
}

/** Why one event was refused; the metric's `reason` label. */
export type RejectReason = 'malformed' | 'too_large' | 'too_deep' | 'invalid' | 'undecodable';

/** One event's parsed JSON value (undefined for text lines) and its text. */
export type ParsedPiece = { ok: true; value: unknown; text: string; bytes: number } | { ok: false; reason: RejectReason; error: string };

/** Checks type and encoding, decompresses within the body limit. */
export async function readBody(
  raw: Buffer,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  maxBodyBytes: number,
  input: BodyInput = 'json',
): Promise<ReadBody> {
  const mediaType = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const accepted: readonly string[] = input === 'json' ? ACCEPTED_CONTENT_TYPES : ACCEPTED_TEXT_CONTENT_TYPES;
  if (!accepted.includes(mediaType)) {
    throw new UnsupportedMediaError(
      input === 'json'
        ? `Content-Type "${mediaType || '(none)'}" is not accepted; send application/json (an object or an array) or application/x-ndjson`
        : `Content-Type "${mediaType || '(none)'}" is not accepted for this format, which reads lines of text; send text/plain, text/csv or application/x-ndjson`,
    );
  }
  const bytes = await decompress(raw, headers.contentEncoding, maxBodyBytes);
  if (isBlank(bytes)) throw new BadInputError('body is empty: send at least one event', 'ingest');
  const shape: BodyShape = input === 'text' ? 'lines' : mediaType === 'application/json' ? 'json' : 'ndjson';
  return { bytes, shape, locator: new Locator(bytes) };
}

/**
 * Where each event is. Refuses the whole post (413) as soon as it holds more events
 * than allowed, without reading the rest: `[{},{},…]` of 1.5 MB is refused after the
 * first few kilobytes, not turned into half a million objects.
 */
export async function splitBody(
  body: ReadBody,
  limits: Pick<IngestLimits, 'maxEventsPerPost' | 'maxEventDepth'>,
  turns: CpuTurns,
): Promise<BodyPiece[]> {
  const splitter = new BodySplitter(body.bytes, body.shape, limits.maxEventDepth);
  const pieces: BodyPiece[] = [];
  await turns.run(() => {
    const piece = splitter.next(SPLIT_STEP_BYTES);
    if (piece === undefined) return false;
    if (piece === null) return true;
    if (pieces.length === limits.maxEventsPerPost) throw new TooManyEventsError(limits.maxEventsPerPost, 'VIGIL_MAX_EVENTS_PER_POST');
    pieces.push(piece);
    return false;
  });
  return pieces;
}

/**
 * One event's value, or why it is refused: nested deeper than the depth limit, larger
 * than the event limit (both checked before parsing), or not JSON. A text line (shape
 * 'lines') is only measured: its format's decoder reads it. In a JSON body,
 * broken JSON is the whole body's problem (400 with line and column), as the items
 * around it cannot be trusted either; in NDJSON it is the line's alone.
 */
export function parsePiece(body: ReadBody, piece: BodyPiece, limits: Pick<IngestLimits, 'maxEventBytes' | 'maxEventDepth'>): ParsedPiece {
  if (piece.deepAt !== -1) {
    const at = body.locator.at(piece.deepAt);
    return {
      ok: false,
      reason: 'too_deep',
      error: `event nests deeper than ${limits.maxEventDepth} levels of objects and arrays (VIGIL_MAX_EVENT_DEPTH), at line ${at.line} column ${at.column}`,
    };
  }
  const size = piece.end - piece.start;
  if (size > limits.maxEventBytes) {
    return {
      ok: false,
      reason: 'too_large',
      error: `event is ${size} bytes, over the limit of ${limits.maxEventBytes} bytes per event (VIGIL_MAX_EVENT_BYTES)`,
    };
  }
  const text = body.bytes.toString('utf8', piece.start, piece.end);
  if (body.shape === 'lines') return { ok: true, value: undefined, text, bytes: size };
  try {
    return { ok: true, value: JSON.parse(text), text, bytes: size };
  } catch (error) {
    const message = (error as Error).message;
    if (body.shape === 'ndjson') return { ok: false, reason: 'malformed', error: `malformed JSON: ${message}` };
    // V8 sometimes says "at position N" (characters into the item); else point at the item.
    const match = /position (\d+)/.exec(message);
    const offset = piece.start + (match ? Buffer.byteLength(text.slice(0, Number(match[1]))) : 0);
    const at = body.locator.at(offset);
    throw new BadInputError(`malformed JSON at line ${at.line} column ${at.column}: ${message}`, 'ingest', at);
  }
}

async function decompress(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip') {
    throw new UnsupportedMediaError(`Content-Encoding "${encoding}" is not accepted; send gzip or no encoding`);
  }
  try {
    // Decompressed on libuv's thread pool, never on the main thread.
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(maxBytes);
    throw new BadInputError(`body is not valid gzip: ${(error as Error).message}`, 'ingest');
  }
}

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  }
  return true;
}
