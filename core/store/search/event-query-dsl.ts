// A parsed event query (a tree: core/query/query-tree.ts) as query DSL over the search
// fields (search-fields.ts), matching what the embedded store matches: `field:value`
// is one exact keyword, `*` a wildcard over it; a range is a keyword range over the
// field's range keys (core/query/range-key.ts); free text is a phrase over the words, a
// trailing `*` a prefix, and a term with no word in it asks for nothing (as in FTS5,
// where it is dropped); AND, OR and NOT are bool queries. User text only ever travels as
// a value, so query syntax in it is just characters.
import { conjuncts, type FieldTerm, type ParsedEventQuery, type QueryNode, type RangeTerm } from '../../query/query-tree.ts';
import type { Filter } from './scope-filter.ts';
import { fieldRangeTerm, fieldTerm, SEARCH_FIELD } from './search-fields.ts';

const TERMS = `${SEARCH_FIELD}.terms`;
const TEXT = `${SEARCH_FIELD}.text`;

/** What the word tokenizer keeps (index-templates.ts); a term without any is no word. */
const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;

/** Prefix expansions a `mimi*` may take; bounded so one query cannot visit the whole dictionary. */
export const MAX_PREFIX_EXPANSIONS = 1000;

/** The query's conditions, to AND into a bool filter; none for the empty query. */
export function eventQueryFilters(query: ParsedEventQuery): Filter[] {
  return conjuncts(query.root).flatMap((node) => {
    const filter = nodeQuery(node);
    return filter === null ? [] : [filter];
  });
}

/** The node as a query, or null when it matches every event. */
function nodeQuery(node: QueryNode): Filter | null {
  switch (node.kind) {
    case 'text':
      return textQuery(node.text);
    case 'field':
      return fieldQuery(node);
    case 'range':
      return rangeQuery(node);
    case 'not': {
      const inner = nodeQuery(node.child);
      return { bool: { must_not: [inner ?? { match_all: {} }] } };
    }
    case 'and': {
      const parts = node.children.map(nodeQuery).filter((p): p is Filter => p !== null);
      return parts.length === 0 ? null : { bool: { filter: parts } };
    }
    case 'or': {
      const parts = node.children.map(nodeQuery);
      if (parts.some((p) => p === null)) return null;
      return { bool: { should: parts, minimum_should_match: 1 } };
    }
  }
}

function fieldQuery(term: FieldTerm): Filter {
  if (!term.hasWildcard) return { term: { [TERMS]: fieldTerm(term.field, term.pattern) } };
  // The path is literal, so the wildcard only ever walks this field's terms.
  return { wildcard: { [TERMS]: { value: wildcardPattern(fieldTerm(term.field, term.pattern)) } } };
}

/** Both bounds carry the field and kind, so the range walks only this field's keys of this kind. */
function rangeQuery(term: RangeTerm): Filter {
  return {
    range: {
      [TERMS]: {
        [term.lower.inclusive ? 'gte' : 'gt']: fieldRangeTerm(term.field, term.lower.key),
        [term.upper.inclusive ? 'lte' : 'lt']: fieldRangeTerm(term.field, term.upper.key),
      },
    },
  };
}

/** User `*` stays a wildcard; the wildcard query's other syntax (`?`, `\`) becomes literal. */
export function wildcardPattern(folded: string): string {
  return folded.replace(/[?\\]/g, (c) => `\\${c}`);
}

function textQuery(term: string): Filter | null {
  const prefix = term.endsWith('*');
  const body = term.replace(/\*+$/, '');
  if (!WORD_CHAR.test(body)) return null;
  if (prefix) return { match_phrase_prefix: { [TEXT]: { query: body, max_expansions: MAX_PREFIX_EXPANSIONS } } };
  return { match_phrase: { [TEXT]: { query: body } } };
}
