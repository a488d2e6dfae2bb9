// Reading a rule's dotted ECS field from an event. Agents send nested objects
// (`{ destination: { port: 445 } }`) but some flatten keys (`{ "destination.port": 445 }`),
// so the flat key is tried first, then the nested path; arrays met on the way fan out.

/** An event as the matcher sees it: any JSON object. `SecurityEvent` is one. */
export type MatchableEvent = Readonly<Record<string, unknown>>;

/** The raw value at a field: a scalar, an array (any element may match), or undefined. */
export type FieldReader = (event: MatchableEvent) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

export function compileFieldReader(field: string): FieldReader {
  const segments = field.split('.');
  // A rule on `constructor` or `toString` must not read Object.prototype; for any other
  // name a plain property read finds own properties only (events are JSON objects), and
  // is much faster than hasOwnProperty on this hot path.
  const inherited = segments.some((segment) => segment in Object.prototype) || field in Object.prototype;
  const walk = inherited ? walkOwn : walkPlain;
  if (segments.length === 1) return (event) => walk(event, segments, 0);
  return (event) => {
    const flat = inherited ? (hasOwn.call(event, field) ? event[field] : undefined) : event[field];
    return flat !== undefined ? flat : walk(event, segments, 0);
  };
}

type Walk = (node: unknown, segments: readonly string[], index: number) => unknown;

const walkPlain: Walk = (node, segments, index) => {
  let current = node;
  for (let i = index; i < segments.length; i += 1) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) return fanOut(current, segments, i, walkPlain);
    current = (current as Record<string, unknown>)[segments[i] as string];
  }
  return current;
};

const walkOwn: Walk = (node, segments, index) => {
  let current = node;
  for (let i = index; i < segments.length; i += 1) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) return fanOut(current, segments, i, walkOwn);
    const key = segments[i] as string;
    current = hasOwn.call(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
};

/** A list met before the end of the path: the field's values from every element. */
function fanOut(list: readonly unknown[], segments: readonly string[], index: number, walk: Walk): unknown {
  const found: unknown[] = [];
  for (const element of list) {
    const value = walk(element, segments, index);
    if (Array.isArray(value)) found.push(...(value as unknown[]));
    else if (value !== undefined) found.push(value);
  }
  return found.length === 0 ? undefined : found;
}

/** Nesting deeper than this is not searched by keywords; real events are far shallower. */
const KEYWORD_MAX_DEPTH = 32;

const keywordTextCache = new WeakMap<object, readonly string[]>();

/**
 * Every scalar value in the event, lowercased, for keyword search. Numbers and booleans
 * count by their string form, as in field matching. Computed once per event however
 * many keyword rules run on it.
 */
export function keywordText(event: MatchableEvent): readonly string[] {
  let text = keywordTextCache.get(event);
  if (text === undefined) {
    const collected: string[] = [];
    collectScalars(event, collected, 0);
    text = collected;
    keywordTextCache.set(event, text);
  }
  return text;
}

function collectScalars(node: unknown, out: string[], depth: number): void {
  if (typeof node === 'string') out.push(node.toLowerCase());
  else if (typeof node === 'number' || typeof node === 'boolean') out.push(String(node));
  else if (node !== null && typeof node === 'object' && depth < KEYWORD_MAX_DEPTH) {
    for (const value of Array.isArray(node) ? node : Object.values(node)) collectScalars(value, out, depth + 1);
  }
}
