// Events an analyst pasted into "test this rule": a JSON array of objects, or NDJSON (one
// object per line). Every problem names its line (and column when JSON says where), so
// a fix is one glance away; every event keeps the line it starts on, which is how the
// console says which events matched.
export interface PastedEvent {
  line: number;
  event: Record<string, unknown>;
}

export interface PasteProblem {
  line: number;
  column?: number;
  message: string;
}

export const MAX_PASTED_EVENTS = 1000;

export function parsePastedEvents(text: string): { events: PastedEvent[]; problems: PasteProblem[] } {
  return text.trimStart().startsWith('[') ? parseArray(text) : parseLines(text);
}

function parseLines(text: string) {
  const events: PastedEvent[] = [];
  const problems: PasteProblem[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const at = positionIn(raw, error);
      problems.push({ line, ...(at === undefined ? {} : { column: at.column }), message: `not JSON: ${jsonMessage(error)}` });
      continue;
    }
    if (!isObject(value)) problems.push({ line, message: 'an event is a JSON object ({…})' });
    else events.push({ line, event: value });
  }
  return limit(events, problems);
}

function parseArray(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = positionIn(text, error);
    return { events: [], problems: [{ line: at?.line ?? 1, ...(at === undefined ? {} : { column: at.column }), message: `not JSON: ${jsonMessage(error)}` }] };
  }
  if (!Array.isArray(value)) return { events: [], problems: [{ line: 1, message: 'paste a JSON array of events, or one event per line' }] };
  const starts = elementLines(text);
  const events: PastedEvent[] = [];
  const problems: PasteProblem[] = [];
  for (const [index, item] of value.entries()) {
    const line = starts[index] ?? 1;
    if (isObject(item)) events.push({ line, event: item });
    else problems.push({ line, message: `element ${index + 1} is not an event (a JSON object)` });
  }
  return limit(events, problems);
}

function limit(events: PastedEvent[], problems: PasteProblem[]) {
  if (events.length <= MAX_PASTED_EVENTS) return { events, problems };
  const first = events[MAX_PASTED_EVENTS]!;
  return { events: events.slice(0, MAX_PASTED_EVENTS), problems: [...problems, { line: first.line, message: `at most ${MAX_PASTED_EVENTS} events per test; the rest were left out` }] };
}

/** The line each top-level element of a (valid) JSON array starts on. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expecting = false;
  for (const char of text) {
    if (char === '\n') line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (depth === 1 && expecting && char !== ']') {
      lines.push(line);
      expecting = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth += 1;
      if (depth === 1) expecting = true;
    } else if (char === ']' || char === '}') depth -= 1;
    else if (char === ',' && depth === 1) expecting = true;
  }
  return lines;
}

/**
 * Where a JSON error is: V8 says "at position N" for most errors, but only quotes the
 * input for an unexpected token; then the first prefix that is already wrong (not merely
 * unfinished) is found by bisection, a handful of parses.
 */
function positionIn(text: string, error: unknown): { line: number; column: number } | undefined {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : firstWrongOffset(text);
  if (offset === undefined) return undefined;
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The offset of the character that makes `text` invalid JSON, when a prefix shows it. */
function firstWrongOffset(text: string): number | undefined {
  const wrong = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (/end of JSON input/.test(message)) return false;
      const at = /at position (\d+)/.exec(message);
      return at === null || Number(at[1]) < length;
    }
  };
  if (!wrong(text.length)) return undefined;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (wrong(middle)) bad = middle;
    else good = middle;
  }
  return bad - 1;
}

function jsonMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes the whole input after the message; the line and column say enough.
  return message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '').slice(0, 200);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
