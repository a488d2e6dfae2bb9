// The event search language (the `q` parameter): whitespace-separated terms, ANDed.
// `field:value` matches an ECS field (dotted path, `*` wildcards, case-insensitive);
// anything else is free text matched against the event's words. Parsing is separate
// from any store so every adapter reads a query the same way and reports the same
// errors, each with the column where the problem is.
import { BadInputError } from '../errors.ts';

export interface FieldTerm {
  /** Dotted ECS path, e.g. `host.name`; validated against FIELD_NAME. */
  field: string;
  /** The value as typed (quotes removed); `*` matches any run of characters. */
  pattern: string;
  hasWildcard: boolean;
}

export interface ParsedEventQuery {
  fields: FieldTerm[];
  /** Words and quoted phrases, as typed. */
  text: string[];
}

/** Field names end up inside JSON paths and index field names, so only these shapes pass. */
export const FIELD_NAME = /^[A-Za-z@_][A-Za-z0-9_.@-]*$/;

/** Bounds on one query, so a pasted log line cannot become a thousand-term SQL statement. */
export const MAX_QUERY_CHARS = 4096;
export const MAX_QUERY_TERMS = 32;

export function parseEventQuery(q: string): ParsedEventQuery {
  if (q.length > MAX_QUERY_CHARS) fail(`q: longer than ${MAX_QUERY_CHARS} characters`, 0);
  const parsed: ParsedEventQuery = { fields: [], text: [] };
  let i = 0;
  while (i < q.length) {
    if (isSpace(q[i])) {
      i++;
      continue;
    }
    i = q[i] === '"' ? readPhrase(q, i, parsed) : readWordOrField(q, i, parsed);
    if (parsed.fields.length + parsed.text.length > MAX_QUERY_TERMS) {
      fail(`q: more than ${MAX_QUERY_TERMS} terms`, 0);
    }
  }
  return parsed;
}

/** A free-text "quoted phrase". Returns the index after it. */
function readPhrase(q: string, start: number, parsed: ParsedEventQuery): number {
  const { value, end } = readQuoted(q, start);
  // An empty phrase asks for nothing; dropping it beats failing the whole search.
  if (value.trim() !== '') parsed.text.push(value);
  return end;
}

/** A bare word, or `field:value` when a colon comes before any space. */
function readWordOrField(q: string, start: number, parsed: ParsedEventQuery): number {
  let j = start;
  while (j < q.length && !isSpace(q[j]) && q[j] !== ':' && q[j] !== '"') j++;
  if (q[j] === '"') unexpectedQuote(j);
  if (q[j] !== ':') {
    parsed.text.push(q.slice(start, j));
    return j;
  }
  const field = q.slice(start, j);
  validateFieldName(field, start, j);
  const valueStart = j + 1;
  if (valueStart >= q.length || isSpace(q[valueStart])) {
    fail(`q: missing value after "${field}:" at column ${valueStart + 1}`, valueStart);
  }
  let pattern: string;
  let end: number;
  if (q[valueStart] === '"') {
    ({ value: pattern, end } = readQuoted(q, valueStart));
    if (pattern === '') fail(`q: empty value for ${field} at column ${valueStart + 1}`, valueStart);
  } else {
    end = valueStart;
    while (end < q.length && !isSpace(q[end])) {
      if (q[end] === '"') unexpectedQuote(end);
      end++;
    }
    pattern = q.slice(valueStart, end);
  }
  parsed.fields.push({ field, pattern, hasWildcard: pattern.includes('*') });
  return end;
}

function validateFieldName(field: string, start: number, colon: number): void {
  if (field === '') fail(`q: empty field name at column ${colon + 1}`, colon);
  if (!FIELD_NAME.test(field) || field.split('.').includes('')) {
    fail(
      `q: invalid field name "${field}" at column ${start + 1} (put free text that contains ':' in double quotes)`,
      start,
    );
  }
}

/** Reads `"..."` starting at the opening quote; `\"` and `\\` escape. */
function readQuoted(q: string, open: number): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < q.length) {
    const c = q[i];
    if (c === '\\' && (q[i + 1] === '"' || q[i + 1] === '\\')) {
      value += q[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') {
      const end = i + 1;
      if (end < q.length && !isSpace(q[end])) {
        fail(`q: expected a space after the closing quote at column ${end + 1}`, end);
      }
      return { value, end };
    }
    value += c;
    i++;
  }
  return fail(`q: unterminated quote at column ${open + 1}`, open);
}

function unexpectedQuote(at: number): never {
  return fail(`q: unexpected quote at column ${at + 1} (quote a whole term, or write field:"value")`, at);
}

function isSpace(c: string | undefined): boolean {
  return c !== undefined && /\s/.test(c);
}

function fail(message: string, index: number): never {
  throw new BadInputError(message, 'store', { param: 'q', column: index + 1 });
}
