// A parsed event query (core/query/event-query.ts) as query DSL over the search
// fields (search-fields.ts), matching what the embedded store matches: `field:value`
// is one exact keyword, `*` a wildcard over it; free text is a phrase over the words,
// a trailing `*` a prefix, and a term with no word in it asks for nothing (as in
// FTS5, where it is dropped). User text only ever travels as a value, so query
// syntax in it is just characters.
import type { FieldTerm, ParsedEventQuery } from '../../query/event-query.ts';
import type { Filter } from './scope-filter.ts';
import { fieldTerm, SEARCH_FIELD } from './search-fields.ts';

const TERMS = `${SEARCH_FIELD}.terms`;
const TEXT = `${SEARCH_FIELD}.text`;

/** What the word tokenizer keeps (index-templates.ts); a term without any is no word. */
const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;

/** Prefix expansions a `mimi*` may take; bounded so one query cannot visit the whole dictionary. */
export const MAX_PREFIX_EXPANSIONS = 1000;

export function eventQueryFilters(query: ParsedEventQuery): Filter[] {
  return [...query.fields.map(fieldFilter), ...query.text.flatMap(textFilter)];
}

function fieldFilter(term: FieldTerm): Filter {
  if (!term.hasWildcard) return { term: { [TERMS]: fieldTerm(term.field, term.pattern) } };
  // The path is literal, so the wildcard only ever walks this field's terms.
  return { wildcard: { [TERMS]: { value: wildcardPattern(fieldTerm(term.field, term.pattern)) } } };
}

/** User `*` stays a wildcard; the wildcard query's other syntax (`?`, `\`) becomes literal. */
export function wildcardPattern(folded: string): string {
  return folded.replace(/[?\\]/g, (c) => `\\${c}`);
}

function textFilter(term: string): Filter[] {
  const prefix = term.endsWith('*');
  const body = term.replace(/\*+$/, '');
  if (!WORD_CHAR.test(body)) return [];
  if (prefix) return [{ match_phrase_prefix: { [TEXT]: { query: body, max_expansions: MAX_PREFIX_EXPANSIONS } } }];
  return [{ match_phrase: { [TEXT]: { query: body } } }];
}
