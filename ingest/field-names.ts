// Field names an event may carry. A name that is empty or has an empty dotted segment
// (`""`, `"."`, `".a"`, `"a..b"`, `"a."`) cannot be indexed by Elasticsearch or
// OpenSearch: the cluster refuses the whole document, and a refused document would hold
// up the detect batch it is in. `_vigil` at the top is Vigil's own search field in the
// search store. Such events are refused here, on their own line, naming the field.

/** Vigil's hidden search field in the search store (core/store/search/search-fields.ts). */
const RESERVED_TOP_LEVEL = new Set(['_vigil']);

/** The first bad field name in `value` with where it is, or undefined when all are fine. */
export function badFieldName(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (RESERVED_TOP_LEVEL.has(key)) return `field "${key}" is reserved for Vigil's search index; rename it`;
    }
  }
  return walk(value, '');
}

function walk(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const problem = walk(value[index], `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  // Every key of every event passes here at ingest's full rate: no allocation unless
  // there is something to say or an object to descend into.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (hasEmptySegment(key)) {
      const where = path === '' ? 'the top level' : `"${path}"`;
      return `field name ${JSON.stringify(key)} under ${where} is empty or has an empty part between dots; search stores cannot index it`;
    }
    const child = (value as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object') continue;
    const problem = walk(child, path === '' ? key : `${path}.${key}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** `key.split('.')` has an empty part: empty, a leading or trailing dot, or two dots in a row. */
function hasEmptySegment(key: string): boolean {
  return key === '' || key.charCodeAt(0) === 46 || key.charCodeAt(key.length - 1) === 46 || key.includes('..');
}
