// expand: `%name%` placeholders in a value stand for lists of values configured
// outside the rule (compile option `placeholders`), such as a site's admin accounts or
// domain controllers; the value becomes any of its expansions.
import { normalise, parseSigmaString, type SigmaString, type StringPart } from '../sigma-value.ts';
import { ModifierMisuse, writtenScalar, type ValueModifier } from './modifier.ts';

const PLACEHOLDER = /%(\w+)%/g;

/** Cap on the values one rule value expands to, so a config cannot blow up a rule. */
const MAX_EXPANSIONS = 4096;

function expand(written: string, placeholders: Readonly<Record<string, readonly string[]>>): SigmaString[] {
  let variants: StringPart[][] = [[]];
  let last = 0;
  const append = (text: string): void => {
    const parts = parseSigmaString(text).parts;
    for (const variant of variants) variant.push(...parts);
  };
  for (const match of written.matchAll(PLACEHOLDER)) {
    append(written.slice(last, match.index));
    last = match.index + match[0].length;
    const name = match[1] as string;
    const values = Object.hasOwn(placeholders, name) ? placeholders[name] : undefined;
    if (values === undefined) {
      const known = Object.keys(placeholders).join(', ') || 'none configured';
      throw new ModifierMisuse(`unknown placeholder '%${name}%' (known: ${known})`);
    }
    if (values.length === 0) throw new ModifierMisuse(`placeholder '%${name}%' has no values`);
    if (variants.length * values.length > MAX_EXPANSIONS) {
      throw new ModifierMisuse(`'expand' would make more than ${MAX_EXPANSIONS} values`);
    }
    variants = variants.flatMap((variant) => values.map((value) => [...variant, ...parseSigmaString(value).parts]));
  }
  append(written.slice(last));
  return variants.map((parts) => normalise(parts));
}

export const expandModifier: ValueModifier = {
  name: 'expand',
  apply: (item, context) => ({
    ...item,
    values: item.values.map((value) => {
      const written = writtenScalar('expand', value, 'placeholders');
      if (typeof written !== 'string') throw new ModifierMisuse("'expand' takes a string with %placeholders%");
      const expanded = expand(written, context.placeholders);
      return expanded.length === 1 ? (expanded[0] as SigmaString) : { kind: 'expansion', values: expanded };
    }),
  }),
};
