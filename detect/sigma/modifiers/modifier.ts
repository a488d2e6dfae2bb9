// What a value modifier is, and the helpers the modifiers in this folder share. Each
// modifier is a small rewrite of a detection item, applied at compile time in the
// order the rule writes them; one that cannot apply throws `ModifierMisuse`, which the
// detection parser turns into an error located at the modifier.
import type { DetectionItem } from '../detection-tree.ts';
import type { SigmaString, SigmaValue } from '../sigma-value.ts';

export interface ModifierContext {
  /** Modifiers before this one in the chain, as written. */
  readonly previous: readonly string[];
  /** Modifiers after this one in the chain, as written. */
  readonly next: readonly string[];
  /** `%name%` → values, for `expand`. */
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
}

export interface ValueModifier {
  readonly name: string;
  /** The item with this modifier applied; throws `ModifierMisuse` when it cannot apply. */
  apply(item: DetectionItem, context: ModifierContext): DetectionItem;
}

/** A modifier applied where it makes no sense, e.g. `contains` on `null`. */
export class ModifierMisuse extends Error {}

const kindNames: Record<SigmaValue['kind'], string> = {
  string: 'strings',
  null: 'null',
  regex: 'regular expressions (re)',
  cidr: 'CIDR networks (cidr)',
  compare: 'numeric comparisons',
  exists: 'exists',
  fieldref: 'field references (fieldref)',
  expansion: 'strings',
};

export function describeKind(value: SigmaValue): string {
  return kindNames[value.kind];
}

/**
 * Rewrites every string value (inside expansions too) with `rewrite`, which may
 * return several strings (an expansion). Any other kind of value is a misuse.
 */
export function mapStrings(
  name: string,
  item: DetectionItem,
  rewrite: (value: SigmaString) => SigmaString | readonly SigmaString[],
): DetectionItem {
  const values = item.values.map((value): SigmaValue => {
    if (value.kind === 'string') return asValue(rewrite(value));
    if (value.kind === 'expansion') return asValue(value.values.flatMap((member) => rewrite(member)));
    throw new ModifierMisuse(`'${name}' applies to strings, not to ${describeKind(value)}`);
  });
  return { ...item, values };
}

function asValue(result: SigmaString | readonly SigmaString[]): SigmaValue {
  if (!Array.isArray(result)) return result as SigmaString;
  const list = result as readonly SigmaString[];
  return list.length === 1 ? (list[0] as SigmaString) : { kind: 'expansion', values: list };
}

/** The scalar the rule wrote, when no earlier modifier has changed the value. */
export function writtenScalar(name: string, value: SigmaValue, what: string): SigmaString['written'] {
  if (value.kind === 'string' && value.written !== undefined) return value.written;
  if (value.kind === 'string' || value.kind === 'expansion') {
    throw new ModifierMisuse(`'${name}' must come first in the chain: it reads ${what} as written in the rule`);
  }
  throw new ModifierMisuse(`'${name}' applies to ${what}, not to ${describeKind(value)}`);
}

/** For modifiers that only make sense on a field, not on keywords. */
export function requireField(name: string, item: DetectionItem): void {
  if (item.field === null) throw new ModifierMisuse(`'${name}' needs a field; keywords take only string modifiers`);
}
