// contains, startswith, endswith: add `*` around a string value, as Sigma defines them.
// Wildcards written inside the value stay wildcards.
import { surroundWithAnyChars } from '../sigma-value.ts';
import { mapStrings, type ValueModifier } from './modifier.ts';

function wildcardModifier(name: string, where: { before: boolean; after: boolean }): ValueModifier {
  return { name, apply: (item) => mapStrings(name, item, (value) => surroundWithAnyChars(value, where)) };
}

export const wildcardModifiers: readonly ValueModifier[] = [
  wildcardModifier('contains', { before: true, after: true }),
  wildcardModifier('startswith', { before: false, after: true }),
  wildcardModifier('endswith', { before: true, after: false }),
];
