// fieldref: the value names another field of the same event, and the item holds when
// the two fields are equal (case-insensitively unless `cased`), e.g. a process whose
// parent has the same executable.
import { ModifierMisuse, requireField, writtenScalar, type ValueModifier } from './modifier.ts';

export const fieldrefModifier: ValueModifier = {
  name: 'fieldref',
  apply: (item) => {
    requireField('fieldref', item);
    const values = item.values.map((value) => {
      const written = writtenScalar('fieldref', value, 'a field name');
      if (typeof written !== 'string' || written === '') throw new ModifierMisuse("'fieldref' takes a field name");
      return { kind: 'fieldref' as const, field: written };
    });
    return { ...item, values };
  },
};
