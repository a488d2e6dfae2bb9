// Cuts an event query into tokens: parentheses, the operators AND, OR, NOT and a leading
// `-`, and whole terms (`field:value`, `field:"quoted value"`, ranges written
// `field >= v`, `field:>v` or `field:[a TO b]`, words and "phrases"). Every token knows
// its position, so each error names the column where the query went wrong.
//
// What is text and what is syntax, decided so that old queries keep working: AND, OR
// and NOT are operators only in capitals; a `(` or `)` inside a word is part of it
// (`NEAR(x`, `setup(1).exe`) unless the `)` closes a group the query opened; `<` and `>`
// start a range only after a field name; an unquoted value runs to the next space.
import { KIND_END, rangeKeyOfText, type RangeKeyed } from './range-key.ts';
import { queryError } from './query-error.ts';
import type { QueryLeaf, RangeBound } from './query-tree.ts';

export type Token =
  | { type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'neg'; at: number }
  | { type: 'term'; at: number; leaf: QueryLeaf };

/** Field names end up inside JSON paths and index terms, so only these shapes pass. */
export const FIELD_NAME = /^[A-Za-z@_][A-Za-z0-9_.@-]*$/;

const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };
/** What may follow a `-` for it to mean NOT: the start of a term or a group. */
const NEGATABLE = /[\p{L}\p{N}"(@_]/u;

export function tokenize(q: string): Token[] {
  return new Lexer(q).run();
}

class Lexer {
  private i = 0;
  /** Groups opened and not yet closed: only then does a `)` end a word. */
  private depth = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly q: string) {}

  run(): Token[] {
    const { q } = this;
    while (this.i < q.length) {
      const c = q[this.i]!;
      const at = this.i;
      if (isSpace(c)) {
        this.i++;
      } else if (c === '(') {
        this.depth++;
        this.i++;
        this.tokens.push({ type: 'lparen', at });
      } else if (c === ')' && this.depth > 0) {
        this.depth--;
        this.i++;
        this.tokens.push({ type: 'rparen', at });
      } else if (c === ')') {
        queryError(`unexpected ")" at column ${at + 1} (no group is open)`, at);
      } else if (c === '-' && NEGATABLE.test(q[at + 1] ?? '')) {
        this.i++;
        this.tokens.push({ type: 'neg', at });
      } else if (c === '"') {
        this.phrase(at);
      } else {
        this.term(at);
      }
    }
    return this.tokens;
  }

  /** A free-text "quoted phrase"; an empty one asks for nothing and is dropped. */
  private phrase(at: number): void {
    const value = this.quoted(at);
    if (value.trim() !== '') this.tokens.push({ type: 'term', at, leaf: { kind: 'text', text: value } });
  }

  /** An operator, a bare word, `field:value`, or a range. */
  private term(at: number): void {
    const { q } = this;
    let j = at;
    while (j < q.length && !isSpace(q[j]!) && !':"<>()'.includes(q[j]!)) j++;
    const head = q.slice(at, j);
    const next = q[j];
    if (next === ':') {
      this.fieldTerm(head, at, j);
      return;
    }
    if ((next === '<' || next === '>') && FIELD_NAME.test(head)) {
      this.i = j;
      this.comparison(head, at);
      return;
    }
    if (FIELD_NAME.test(head) && next !== undefined && isSpace(next)) {
      // `field >= value`, with spaces around the operator.
      let k = j;
      while (k < q.length && isSpace(q[k]!)) k++;
      if (q[k] === '<' || q[k] === '>') {
        this.i = k;
        this.comparison(head, at);
        return;
      }
    }
    const word = this.word(at);
    const operator = OPERATORS[word];
    this.tokens.push(operator === undefined ? { type: 'term', at, leaf: { kind: 'text', text: word } } : { type: operator, at });
  }

  /**
   * A bare word from `at`: to the next space, or a `)` that closes an open group. A
   * quote inside it is an error (quote the whole term); parentheses balance inside it.
   */
  private word(at: number): string {
    const { q } = this;
    let j = at;
    let inner = 0;
    while (j < q.length && !isSpace(q[j]!)) {
      const c = q[j]!;
      if (c === '"') unexpectedQuote(j);
      if (c === '(') inner++;
      if (c === ')') {
        if (inner > 0) inner--;
        else if (this.depth > 0) break;
      }
      j++;
    }
    this.i = j;
    return q.slice(at, j);
  }

  private fieldTerm(field: string, at: number, colon: number): void {
    validateFieldName(field, at, colon);
    const { q } = this;
    const start = colon + 1;
    const c = q[start];
    if (c === undefined || isSpace(c) || (c === ')' && this.depth > 0)) {
      queryError(`missing value after "${field}:" at column ${start + 1}`, start);
    }
    if (c === '<' || c === '>') {
      this.i = start;
      this.comparison(field, at);
      return;
    }
    if (c === '[' || c === '{') {
      this.i = start;
      this.bracketRange(field, at);
      return;
    }
    let pattern: string;
    if (c === '"') {
      pattern = this.quoted(start);
      if (pattern === '') queryError(`empty value for ${field} at column ${start + 1}`, start);
    } else {
      pattern = this.word(start);
    }
    this.tokens.push({ type: 'term', at, leaf: { kind: 'field', field, pattern, hasWildcard: pattern.includes('*') } });
  }

  /** `>= v`, `> v`, `<= v`, `< v` from this.i (spaces allowed after the operator). */
  private comparison(field: string, at: number): void {
    const { q } = this;
    const opAt = this.i;
    const op = q[opAt + 1] === '=' ? q.slice(opAt, opAt + 2) : q[opAt]!;
    this.i = opAt + op.length;
    this.skipSpaces();
    const valueAt = this.i;
    if (valueAt >= q.length || (q[valueAt] === ')' && this.depth > 0)) {
      queryError(`missing value after "${field} ${op}" at column ${valueAt + 1}`, valueAt);
    }
    const text = q[valueAt] === '"' ? this.quoted(valueAt) : this.word(valueAt);
    const value = rangeValue(text, valueAt);
    const bound: RangeBound = { key: value.key, inclusive: op.endsWith('=') };
    const lower = op.startsWith('>') ? bound : { key: value.kind, inclusive: true };
    const upper = op.startsWith('<') ? bound : { key: `${value.kind}${KIND_END}`, inclusive: false };
    this.tokens.push({ type: 'term', at, leaf: { kind: 'range', field, valueKind: value.kind, lower, upper } });
  }

  /** `[a TO b]` (inclusive), `{a TO b}` (exclusive) or a mix; `*` leaves an end open. */
  private bracketRange(field: string, at: number): void {
    const { q } = this;
    const openAt = this.i;
    const lowerInclusive = q[openAt] === '[';
    this.i++;
    this.skipSpaces();
    const low = this.bound(openAt);
    this.skipSpaces();
    if (q.slice(this.i, this.i + 2) !== 'TO' || !isSpace(q[this.i + 2] ?? ' ')) {
      queryError(`expected "TO" at column ${this.i + 1} (write ${field}:[1 TO 10])`, this.i);
    }
    this.i += 2;
    this.skipSpaces();
    const high = this.bound(openAt);
    this.skipSpaces();
    const close = q[this.i];
    if (close !== ']' && close !== '}') queryError(`expected "]" or "}" at column ${this.i + 1} to close the range`, this.i);
    this.i++;
    const end = q[this.i];
    if (end !== undefined && !isSpace(end) && !(end === ')' && this.depth > 0)) {
      queryError(`expected a space after the range at column ${this.i + 1}`, this.i);
    }
    const kind = low?.value.kind ?? high?.value.kind;
    if (kind === undefined) queryError(`a range needs at least one bound at column ${openAt + 1} (${field}:* matches any value)`, openAt);
    if (low && high && low.value.kind !== high.value.kind) {
      queryError(`the bounds at column ${low.at + 1} and ${high.at + 1} are of different kinds (${kindName(low.value)} and ${kindName(high.value)})`, high.at);
    }
    const lower = low ? { key: low.value.key, inclusive: lowerInclusive } : { key: kind, inclusive: true };
    const upper = high ? { key: high.value.key, inclusive: close === ']' } : { key: `${kind}${KIND_END}`, inclusive: false };
    this.tokens.push({ type: 'term', at, leaf: { kind: 'range', field, valueKind: kind, lower, upper } });
  }

  /** One bound of a bracket range; null for `*`. */
  private bound(openAt: number): { value: RangeKeyed; at: number } | null {
    const { q } = this;
    const at = this.i;
    if (at >= q.length) queryError(`unclosed range: the "${q[openAt]}" at column ${openAt + 1} has no "]" or "}"`, openAt);
    let text: string;
    if (q[at] === '"') {
      text = this.quoted(at);
    } else {
      let j = at;
      while (j < q.length && !isSpace(q[j]!) && q[j] !== ']' && q[j] !== '}') j++;
      text = q.slice(at, j);
      this.i = j;
    }
    if (text === '*') return null;
    if (text === '') queryError(`missing bound at column ${at + 1}`, at);
    return { value: rangeValue(text, at), at };
  }

  /** Reads `"..."` starting at the opening quote; `\"` and `\\` escape. */
  private quoted(open: number): string {
    const { q } = this;
    let value = '';
    let i = open + 1;
    while (i < q.length) {
      const c = q[i]!;
      if (c === '\\' && (q[i + 1] === '"' || q[i + 1] === '\\')) {
        value += q[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') {
        const end = i + 1;
        const after = q[end];
        if (after !== undefined && !isSpace(after) && !(after === ')' && this.depth > 0) && after !== ']' && after !== '}') {
          queryError(`expected a space after the closing quote at column ${end + 1}`, end);
        }
        this.i = end;
        return value;
      }
      value += c;
      i++;
    }
    return queryError(`unterminated quote at column ${open + 1}`, open);
  }

  private skipSpaces(): void {
    while (this.i < this.q.length && isSpace(this.q[this.i]!)) this.i++;
  }
}

/** A range bound must be a number, a time or an IP address: anything else cannot be ordered alike in every store. */
function rangeValue(text: string, at: number): RangeKeyed {
  const value = rangeKeyOfText(text);
  if (value === null) {
    queryError(
      `"${text}" at column ${at + 1} is not a number, a time (2024-05-01T08:00:00Z) or an IP address; ranges compare only those`,
      at,
    );
  }
  return value;
}

function kindName(value: RangeKeyed): string {
  return value.kind === 'n' ? 'a number' : value.kind === 't' ? 'a time' : 'an IP address';
}

function validateFieldName(field: string, start: number, colon: number): void {
  if (field === '') queryError(`empty field name at column ${colon + 1}`, colon);
  if (!FIELD_NAME.test(field) || field.split('.').includes('')) {
    queryError(`invalid field name "${field}" at column ${start + 1} (put free text that contains ':' in double quotes)`, start);
  }
}

function unexpectedQuote(at: number): never {
  return queryError(`unexpected quote at column ${at + 1} (quote a whole term, or write field:"value")`, at);
}

function isSpace(c: string): boolean {
  return /\s/.test(c);
}
