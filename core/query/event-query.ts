// The event search language (the `q` parameter), as analysts know it from Kibana and
// Lucene: `field:value` on an ECS field (dotted path, `*` wildcards, case-insensitive),
// free words and "quoted phrases", AND / OR / NOT (capitals; `-term` is NOT term),
// parentheses, and ranges: `destination.port >= 1024`, `field:>v`, `field:[a TO b]`
// (`{}` exclusive, `*` open). Terms side by side are ANDed; NOT binds tightest, then
// AND, then OR. Ranges compare numbers as numbers, times as instants and IP addresses
// as addresses (range-key.ts); a bound of any other kind is an error, and a field value
// of another kind than the bound never matches. Parsing is separate from any store so
// every adapter reads a query alike, and every error names the column where it is.
import { queryError } from './query-error.ts';
import { tokenize, type Token } from './query-lexer.ts';
import type { ParsedEventQuery, QueryNode } from './query-tree.ts';

export { FIELD_NAME } from './query-lexer.ts';
export type { FieldTerm, ParsedEventQuery, QueryNode, RangeTerm, TextTerm } from './query-tree.ts';

/** Bounds on one query, so a pasted log line cannot become a thousand-term SQL statement. */
export const MAX_QUERY_CHARS = 4096;
export const MAX_QUERY_TERMS = 32;
/** Nested groups and NOTs; deeper is never typed by a person and would only stress the stores. */
export const MAX_QUERY_DEPTH = 12;

export function parseEventQuery(q: string): ParsedEventQuery {
  if (q.length > MAX_QUERY_CHARS) queryError(`longer than ${MAX_QUERY_CHARS} characters`, 0);
  const tokens = tokenize(q);
  if (tokens.filter((t) => t.type === 'term').length > MAX_QUERY_TERMS) queryError(`more than ${MAX_QUERY_TERMS} terms`, 0);
  if (tokens.length === 0) return { root: null };
  return { root: new Parser(tokens, q.length).query() };
}

const OPERATOR_NAME = { and: 'AND', or: 'OR', not: 'NOT', neg: '-' } as const;

class Parser {
  private next = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
  ) {}

  query(): QueryNode {
    const root = this.or();
    const extra = this.peek();
    if (extra !== undefined) queryError(`unexpected ")" at column ${extra.at + 1}`, extra.at);
    return root;
  }

  private or(): QueryNode {
    const children = [this.and()];
    for (let token = this.peek(); token?.type === 'or'; token = this.peek()) {
      this.next++;
      this.expectOperand({ type: 'or', at: token.at });
      children.push(this.and());
    }
    return combine('or', children);
  }

  private and(): QueryNode {
    const children = [this.unary()];
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      if (token.type === 'and') {
        this.next++;
        this.expectOperand({ type: 'and', at: token.at });
      } else if (!startsOperand(token)) {
        break;
      }
      children.push(this.unary());
    }
    return combine('and', children);
  }

  private unary(): QueryNode {
    const token = this.peek();
    if (token === undefined) return queryError(`expected a term at column ${this.end + 1}`, this.end);
    switch (token.type) {
      case 'term':
        this.next++;
        return token.leaf;
      case 'not':
      case 'neg': {
        this.next++;
        this.expectOperand({ type: token.type, at: token.at });
        return { kind: 'not', child: this.nested(token.at, () => this.unary()) };
      }
      case 'lparen': {
        this.next++;
        const close = this.peek();
        if (close?.type === 'rparen') queryError(`empty parentheses at column ${token.at + 1}`, token.at);
        const inner = this.nested(token.at, () => this.or());
        if (this.peek()?.type !== 'rparen') queryError(`the "(" at column ${token.at + 1} is never closed`, token.at);
        this.next++;
        return inner;
      }
      case 'rparen':
        return queryError(`unexpected ")" at column ${token.at + 1}`, token.at);
      case 'and':
      case 'or':
        return queryError(`${OPERATOR_NAME[token.type]} at column ${token.at + 1} needs a term before it`, token.at);
    }
  }

  /** After an operator: a term, a group or NOT must follow. */
  private expectOperand(operator: { type: keyof typeof OPERATOR_NAME; at: number }): void {
    const token = this.peek();
    if (token === undefined || !startsOperand(token)) {
      const name = OPERATOR_NAME[operator.type];
      queryError(`${name} at column ${operator.at + 1} needs a term after it`, operator.at);
    }
  }

  private nested(at: number, parse: () => QueryNode): QueryNode {
    if (++this.depth > MAX_QUERY_DEPTH) queryError(`nested deeper than ${MAX_QUERY_DEPTH} levels at column ${at + 1}`, at);
    const node = parse();
    this.depth--;
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }
}

function startsOperand(token: Token): boolean {
  return token.type === 'term' || token.type === 'lparen' || token.type === 'not' || token.type === 'neg';
}

/** One child stays itself; nested ANDs (or ORs) flatten into one. */
function combine(kind: 'and' | 'or', children: QueryNode[]): QueryNode {
  if (children.length === 1) return children[0]!;
  return { kind, children: children.flatMap((child) => (child.kind === kind ? child.children : [child])) };
}
