// Phase 3b of rule compilation: a Sigma condition string → an expression tree. Grammar
// and precedence per the Sigma spec, loosest first: or, and, not, `1 of`/`all of`,
// parentheses. Identifiers are resolved later, against the rule's detection.

export type ConditionNode =
  | { readonly kind: 'identifier'; readonly name: string; readonly offset: number }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | {
      readonly kind: 'of';
      readonly quantifier: 'any' | 'all';
      /** `them`, or an identifier pattern with `*` wildcards. */
      readonly target: { readonly them: true } | { readonly pattern: string };
      readonly offset: number;
    };

/** A condition that does not parse; `offset` is the character it failed at. */
export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
}

interface Token {
  readonly text: string;
  /** Lowercased, for operators, which Vigil accepts in any case. */
  readonly word: string;
  readonly offset: number;
}

const operators = new Set(['and', 'or', 'not', 'of', 'them']);

export function parseCondition(condition: string): ConditionNode {
  const parser = new Parser(tokenize(condition), condition.length);
  const tree = parser.parseOr();
  parser.expectEnd();
  return tree;
}

function tokenize(condition: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([()|])|([^\s()|]+))/y;
  while (pattern.lastIndex < condition.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(condition);
    if (match === null) break; // only trailing whitespace is left
    const text = match[1] ?? match[2] ?? '';
    if (text === '') break;
    tokens.push({ text, word: text.toLowerCase(), offset: start + match[0].length - text.length });
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly end: number,
  ) {}

  parseOr(): ConditionNode {
    const operands = [this.parseAnd()];
    while (this.peek()?.word === 'or') {
      this.position += 1;
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? (operands[0] as ConditionNode) : { kind: 'or', operands };
  }

  expectEnd(): void {
    const token = this.peek();
    if (token === undefined) return;
    if (token.text === ')') throw new ConditionSyntaxError("')' without a matching '('", token.offset);
    if (token.text === '|') throw aggregationError(token);
    const reason = `expected 'and', 'or' or the end of the condition, found '${token.text}'`;
    throw new ConditionSyntaxError(reason, token.offset);
  }

  private parseAnd(): ConditionNode {
    const operands = [this.parseNot()];
    while (this.peek()?.word === 'and') {
      this.position += 1;
      operands.push(this.parseNot());
    }
    return operands.length === 1 ? (operands[0] as ConditionNode) : { kind: 'and', operands };
  }

  private parseNot(): ConditionNode {
    if (this.peek()?.word === 'not') {
      this.position += 1;
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const token = this.next('an identifier, `1 of`, `all of`, `not` or `(`');
    if (token.text === '(') {
      const inner = this.parseOr();
      const close = this.next("')'");
      if (close.text !== ')') throw new ConditionSyntaxError(`expected ')', found '${close.text}'`, close.offset);
      return inner;
    }
    if (token.text === '|') throw aggregationError(token);
    if (this.peek()?.word === 'of') return this.parseOf(token);
    if (token.text === ')' || operators.has(token.word)) {
      throw new ConditionSyntaxError(`expected an identifier, found '${token.text}'`, token.offset);
    }
    if (token.text.includes('*')) {
      const reason = `wildcards select identifiers only after '1 of' or 'all of': '${token.text}'`;
      throw new ConditionSyntaxError(reason, token.offset);
    }
    return { kind: 'identifier', name: token.text, offset: token.offset };
  }

  /** `1 of X`, `any of X`, `all of X`; X is `them` or an identifier pattern. */
  private parseOf(quantifier: Token): ConditionNode {
    this.position += 1; // `of`
    let kind: 'any' | 'all';
    if (quantifier.word === '1' || quantifier.word === 'any') kind = 'any';
    else if (quantifier.word === 'all') kind = 'all';
    else {
      throw new ConditionSyntaxError(
        `Sigma allows '1 of', 'any of' and 'all of', not '${quantifier.text} of'`,
        quantifier.offset,
      );
    }
    const target = this.next("'them' or an identifier pattern");
    if (target.word === 'them') {
      return { kind: 'of', quantifier: kind, target: { them: true }, offset: quantifier.offset };
    }
    if (target.text === '(' || target.text === ')' || target.text === '|' || operators.has(target.word)) {
      throw new ConditionSyntaxError(`expected 'them' or an identifier pattern, found '${target.text}'`, target.offset);
    }
    return { kind: 'of', quantifier: kind, target: { pattern: target.text }, offset: target.offset };
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position];
    if (token === undefined) {
      throw new ConditionSyntaxError(`expected ${expected}, found the end of the condition`, this.end);
    }
    this.position += 1;
    return token;
  }
}

function aggregationError(token: Token): ConditionSyntaxError {
  return new ConditionSyntaxError(
    "aggregations after '|' (count() by ...) are Sigma 1 syntax; write a correlation rule instead",
    token.offset,
  );
}
