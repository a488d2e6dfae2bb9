// Decodes an agent's POST body into raw JSON values, each with where it came from (the
// NDJSON line or JSON array index) so that every rejection can name its place. Accepts
// one JSON object, a JSON array, or NDJSON; gzip when Content-Encoding says so.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { BadInputError, VigilError } from '../core/errors.ts';

const gunzipAsync = promisify(gunzip);

export type Position = { line: number } | { index: number };

export interface DecodedItem {
  position: Position;
  value: unknown;
}

export interface DecodedBody {
  items: DecodedItem[];
  /** NDJSON lines that were not JSON; other lines are still accepted. */
  malformed: { position: Position; error: string }[];
}

export const ACCEPTED_CONTENT_TYPES = ['application/json', 'application/x-ndjson', 'application/ndjson'] as const;

export class UnsupportedMediaError extends VigilError {
  constructor(message: string) {
    super('unsupported_media_type', message, 'ingest', 415);
  }
}

export class BodyTooLargeError extends VigilError {
  constructor(limit: number) {
    super('body_too_large', `body is larger than the limit of ${limit} bytes (after decompression)`, 'ingest', 413);
  }
}

export async function decodeBody(
  raw: Buffer,
  headers: { contentType: string | undefined; contentEncoding: string | undefined },
  maxBytes: number,
): Promise<DecodedBody> {
  const mediaType = (headers.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(ACCEPTED_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
    throw new UnsupportedMediaError(
      `Content-Type "${mediaType || '(none)'}" is not accepted; send application/json (an object or an array) or application/x-ndjson`,
    );
  }
  const text = (await decompress(raw, headers.contentEncoding, maxBytes)).toString('utf8');
  if (text.trim() === '') throw new BadInputError('body is empty: send at least one event', 'ingest');
  return mediaType === 'application/json' ? decodeJson(text) : decodeNdjson(text);
}

async function decompress(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip') {
    throw new UnsupportedMediaError(`Content-Encoding "${encoding}" is not accepted; send gzip or no encoding`);
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(maxBytes);
    throw new BadInputError(`body is not valid gzip: ${(error as Error).message}`, 'ingest');
  }
}

function decodeJson(text: string): DecodedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text, error as Error);
    throw new BadInputError(`malformed JSON at ${where.text}: ${(error as Error).message}`, 'ingest', where.at);
  }
  if (Array.isArray(value)) {
    return { items: value.map((item, index) => ({ position: { index }, value: item })), malformed: [] };
  }
  return { items: [{ position: { index: 0 }, value }], malformed: [] };
}

function decodeNdjson(text: string): DecodedBody {
  const body: DecodedBody = { items: [], malformed: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue; // blank lines (and the trailing newline) carry nothing
    try {
      body.items.push({ position: { line: i + 1 }, value: JSON.parse(line) });
    } catch (error) {
      body.malformed.push({ position: { line: i + 1 }, error: `malformed JSON: ${(error as Error).message}` });
    }
  }
  return body;
}

/** V8 reports "at position N"; turn it into line and column, which a person can find. */
function locateJsonError(text: string, error: Error): { text: string; at: { line: number; column: number } } {
  const match = /position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { text: `line ${line} column ${column}`, at: { line, column } };
}
