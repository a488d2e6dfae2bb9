// Sigma value modifiers (`field|contains|all: ...`), a registry keyed by the name used in
// YAML. Each modifier rewrites a detection item, left to right as written; adding one is
// adding an entry here (and, for a new value type, teaching the matcher about it).
import type { DetectionItem } from './detection-tree.ts';
import { surroundWithAnyChars, type SigmaValue } from './sigma-value.ts';

export interface ValueModifier {
  readonly name: string;
  /** The item with this modifier applied; throws `ModifierMisuse` when it cannot apply. */
  apply(item: DetectionItem): DetectionItem;
}

/** A modifier applied where it makes no sense, e.g. `contains` on `null`. */
export class ModifierMisuse extends Error {}

function wildcardModifier(name: string, where: { before: boolean; after: boolean }): ValueModifier {
  return {
    name,
    apply: (item) => ({
      ...item,
      values: item.values.map((value: SigmaValue) => {
        if (value.kind !== 'string') throw new ModifierMisuse(`'${name}' applies to strings, not to null`);
        return surroundWithAnyChars(value, where);
      }),
    }),
  };
}

const implemented: readonly ValueModifier[] = [
  wildcardModifier('contains', { before: true, after: true }),
  wildcardModifier('startswith', { before: false, after: true }),
  wildcardModifier('endswith', { before: true, after: false }),
  { name: 'all', apply: (item) => ({ ...item, linking: 'and' }) },
];

export const modifierRegistry: ReadonlyMap<string, ValueModifier> = new Map(implemented.map((m) => [m.name, m]));

/** Modifiers in the Sigma specification that Vigil does not implement yet. */
export const specifiedModifiers: ReadonlySet<string> = new Set([
  're', 'i', 'm', 's', 'cidr', 'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide',
  'windash', 'exists', 'fieldref', 'gt', 'gte', 'lt', 'lte', 'expand', 'cased',
  'minute', 'hour', 'day', 'week', 'month', 'year',
]);
