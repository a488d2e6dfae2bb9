// Golden tests of the condition grammar: a condition in, the exact tree out; and where
// a condition that does not parse fails.
import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, parseCondition } from '../../../detect/sigma/condition-parser.ts';

const id = (name: string, offset: number) => ({ kind: 'identifier', name, offset });

describe('parseCondition', () => {
  it('parses precedence: not over and over or', () => {
    expect(parseCondition('a or not b and c')).toEqual({
      kind: 'or',
      operands: [id('a', 0), { kind: 'and', operands: [{ kind: 'not', operand: id('b', 9) }, id('c', 15)] }],
    });
  });

  it('flattens chains and keeps parentheses as grouping only', () => {
    expect(parseCondition('(a or b) and c and d')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [id('a', 1), id('b', 6)] }, id('c', 13), id('d', 19)],
    });
  });

  it('parses 1 of, any of and all of, with them or a pattern', () => {
    expect(parseCondition('1 of selection_* and not all of them')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'of', quantifier: 'any', target: { pattern: 'selection_*' }, offset: 5 },
        { kind: 'not', operand: { kind: 'of', quantifier: 'all', target: { them: true }, offset: 25 } },
      ],
    });
    expect(parseCondition('any of them')).toEqual({ kind: 'of', quantifier: 'any', target: { them: true }, offset: 0 });
  });

  it('accepts operators in any case and extra whitespace', () => {
    expect(parseCondition('  a  AND\tNOT b ')).toEqual({
      kind: 'and',
      operands: [id('a', 2), { kind: 'not', operand: id('b', 13) }],
    });
  });

  it.each([
    ['a and', 5, 'found the end of the condition'],
    ['a b', 2, "expected 'and', 'or' or the end"],
    ['(a or b', 7, "expected ')'"],
    ['a or b)', 6, "')' without a matching '('"],
    ['2 of them', 0, "not '2 of'"],
    ['selection | count() > 5', 10, 'correlation rule'],
    ['sel*', 0, "only after '1 of' or 'all of'"],
    ['a and or b', 6, "expected an identifier, found 'or'"],
    ['1 of (a)', 5, "expected 'them' or an identifier pattern"],
  ])('rejects %j at offset %i', (condition, offset, message) => {
    let thrown: unknown;
    try {
      parseCondition(condition);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConditionSyntaxError);
    expect((thrown as ConditionSyntaxError).offset).toBe(offset);
    expect((thrown as ConditionSyntaxError).message).toContain(message);
  });
});
