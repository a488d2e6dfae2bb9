// The contract every input format implements: a Decoder turns one line (or one JSON
// value) of what a device really produces into an ECS event object, or says why it
// cannot, for that line alone. Ingest then checks field names, validates the event
// against the event schema and stamps it exactly as for native ECS posts, so a decoder
// only translates: it never authenticates, never picks the unit (the agent key does)
// and never stamps ids or ingest time.
//
// Writing one (a new file in ingest/decoders/, one line in registry.ts):
// - `name`: what agents send as `?format=<name>` or `X-Vigil-Format: <name>`.
// - `input: 'json'`: each event of the post (the object, each array item, each NDJSON
//   line) is parsed as JSON by ingest; `decode` gets the value and its text.
//   `input: 'text'`: each non-blank line of the post is handed over as text (CSV, CEF,
//   key=value); `value` is undefined. With `headerLine: true` the post's first line is
//   a header (CSV column names), given to every `decode` as `context.header` and never
//   decoded itself.
// - `decode` is pure and synchronous: the same input gives the same event (a retried
//   post must derive the same event id). It returns `decoded(event)` or
//   `undecodable(reason)`; a reason says what is wrong with the line in words an agent
//   author can act on ("not a Suricata EVE record: no event_type"). A throw is a bug,
//   but is still reported as that line's error rather than failing the post.
// - `event.original` is not the decoder's job: `decodePiece` adds the line's text when
//   the operator turned it on (VIGIL_INGEST_KEEP_ORIGINAL), for every format but ECS.
//
// Callers outside the HTTP route (the syslog listener) call `decodePiece` too, so a
// format behaves the same whichever way its lines arrive.

/** An ECS event as a decoder builds it; validated by ingest afterwards. */
export type EcsObject = Record<string, unknown>;

export interface DecoderInput {
  /** The line or JSON value's text exactly as received. */
  text: string;
  /** The parsed JSON value for `input: 'json'` decoders; undefined for `input: 'text'`. */
  value: unknown;
}

export interface DecodeContext {
  /** `headerLine` decoders: the post's first line (e.g. CSV column names). */
  header?: string;
}

export type DecodeResult = { ok: true; event: EcsObject } | { ok: false; reason: 'undecodable'; error: string };

export interface Decoder {
  readonly name: string;
  /** One line for the 400 that lists formats and for the README. */
  readonly summary: string;
  readonly input: 'json' | 'text';
  readonly headerLine?: boolean;
  decode(input: DecoderInput, context: DecodeContext): DecodeResult;
}

export function decoded(event: EcsObject): DecodeResult {
  return { ok: true, event };
}

export function undecodable(error: string): DecodeResult {
  return { ok: false, reason: 'undecodable', error };
}

export interface DecodeOptions {
  /** Keep the line's text in `event.original` (formats other than native ECS). */
  keepOriginal: boolean;
}

/**
 * Runs one decoder on one line: turns a throw into the line's error and adds
 * `event.original` when configured. The one way every caller decodes.
 */
export function decodePiece(decoder: Decoder, input: DecoderInput, context: DecodeContext, options: DecodeOptions): DecodeResult {
  let result: DecodeResult;
  try {
    result = decoder.decode(input, context);
  } catch (error) {
    return undecodable(`${decoder.name} decoder failed on this line: ${(error as Error).message}`);
  }
  if (!result.ok || !options.keepOriginal || decoder.name === NATIVE_FORMAT) return result;
  const event = isObject(result.event.event) ? result.event.event : {};
  if (event.original !== undefined) return result;
  return decoded({ ...result.event, event: { ...event, original: input.text } });
}

/** The default format: events already in ECS, as agents have always posted them. */
export const NATIVE_FORMAT = 'ecs';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
