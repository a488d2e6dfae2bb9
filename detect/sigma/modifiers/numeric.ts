// lt, lte, gt, gte (the field as a number against the rule's number) and the time-part
// modifiers minute, hour, day, week, month, year (a part of the field's timestamp,
// compared for equality, or with lt/lte/gt/gte when one follows: `hour|gte: 22`).
import type { TimePart } from '../detection-tree.ts';
import type { CompareOperator, SigmaCompare, SigmaValue } from '../sigma-value.ts';
import { describeKind, ModifierMisuse, requireField, writtenScalar, type ValueModifier } from './modifier.ts';

function writtenNumber(name: string, value: SigmaValue): number {
  const written = writtenScalar(name, value, 'a number');
  if (typeof written === 'number' || typeof written === 'bigint') return Number(written);
  throw new ModifierMisuse(`'${name}' compares numbers; ${JSON.stringify(written)} is not a number (write it unquoted)`);
}

function comparisonModifier(operator: Exclude<CompareOperator, 'eq'>): ValueModifier {
  return {
    name: operator,
    apply: (item) => {
      requireField(operator, item);
      const values = item.values.map((value): SigmaCompare => {
        // After a time part the values are already numbers to compare for equality.
        if (value.kind === 'compare') {
          if (value.operator !== 'eq') throw new ModifierMisuse(`'${operator}' follows another comparison`);
          return { ...value, operator };
        }
        return { kind: 'compare', operator, number: writtenNumber(operator, value) };
      });
      return { ...item, values };
    },
  };
}

function timePartModifier(part: TimePart): ValueModifier {
  return {
    name: part,
    apply: (item) => {
      requireField(part, item);
      if (item.timePart !== undefined) throw new ModifierMisuse(`'${part}' follows '${item.timePart}'; use one time part`);
      const values = item.values.map((value): SigmaCompare => {
        if (value.kind === 'compare') throw new ModifierMisuse(`'${part}' must come before '${value.operator}'`);
        if (value.kind !== 'string') throw new ModifierMisuse(`'${part}' applies to numbers, not to ${describeKind(value)}`);
        return { kind: 'compare', operator: 'eq', number: writtenNumber(part, value) };
      });
      return { ...item, values, timePart: part };
    },
  };
}

export const numericModifiers: readonly ValueModifier[] = [
  comparisonModifier('lt'),
  comparisonModifier('lte'),
  comparisonModifier('gt'),
  comparisonModifier('gte'),
  ...(['minute', 'hour', 'day', 'week', 'month', 'year'] as const).map(timePartModifier),
];

/** An event value as a number: numbers, and strings that are exactly a decimal number. */
export function eventNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string' && DECIMAL.test(raw)) return Number(raw);
  return undefined;
}

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function compareTest(value: SigmaCompare): (n: number) => boolean {
  const { number } = value;
  switch (value.operator) {
    case 'eq':
      return (n) => n === number;
    case 'lt':
      return (n) => n < number;
    case 'lte':
      return (n) => n <= number;
    case 'gt':
      return (n) => n > number;
    case 'gte':
      return (n) => n >= number;
  }
}
