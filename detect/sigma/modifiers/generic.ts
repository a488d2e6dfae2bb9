// The generic modifiers: all, cased, neq, exists. They change how an item's values are
// combined or compared, not the values themselves.
import { describeKind, ModifierMisuse, requireField, type ValueModifier } from './modifier.ts';

/** `all`: every value must match (AND) instead of any (OR). */
const all: ValueModifier = {
  name: 'all',
  apply: (item) => {
    // The spec forbids `all` on one value: it is a no-op that hides a mistake.
    if (item.values.length < 2) throw new ModifierMisuse("'all' needs a list of at least two values");
    return { ...item, linking: 'and' };
  },
};

/** `cased`: compare strings case-sensitively. */
const cased: ValueModifier = {
  name: 'cased',
  apply: (item) => {
    // Keyword search runs on the event's lowercased text, so it cannot honour case.
    requireField('cased', item);
    for (const value of item.values) {
      if (value.kind !== 'string' && value.kind !== 'expansion' && value.kind !== 'fieldref') {
        throw new ModifierMisuse(`'cased' applies to strings and field references, not to ${describeKind(value)}`);
      }
    }
    return { ...item, cased: true };
  },
};

/** `neq`: the field must not match the values (absent fields do not match them). */
const neq: ValueModifier = {
  name: 'neq',
  apply: (item) => {
    requireField('neq', item);
    if (item.negated === true) throw new ModifierMisuse("'neq' is written twice");
    return { ...item, negated: true };
  },
};

/** `exists: true|false`: whether the field is present, whatever its value (even null). */
const exists: ValueModifier = {
  name: 'exists',
  apply: (item, context) => {
    requireField('exists', item);
    if (context.previous.length > 0 || context.next.length > 0) {
      throw new ModifierMisuse("'exists' stands alone: it tests presence, so no other modifier applies");
    }
    const [value] = item.values;
    if (item.values.length !== 1 || value?.kind !== 'string' || typeof value.written !== 'boolean') {
      throw new ModifierMisuse("'exists' takes one boolean, true or false");
    }
    return { ...item, values: [{ kind: 'exists', exists: value.written }] };
  },
};

export const genericModifiers: readonly ValueModifier[] = [all, cased, neq, exists];
