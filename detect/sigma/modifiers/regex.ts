// re, with its sub-modifiers i, m and s: the value is a regular expression, compiled
// once at compile time with RE2 (re2js, a JavaScript port of Google's RE2). Event text
// is attacker-controlled and JavaScript's own engine backtracks: `(a+)+b`, or even
// `.*a.*a.*b`, can take seconds to minutes on a crafted value, and it has no timeout,
// so one event could stall the detect thread. RE2 matches in time linear in the text
// whatever the pattern. The price: RE2 syntax has no lookaround and no backreferences;
// a rule using them gets a located error that says so.
import { RE2JS } from 're2js';
import type { SigmaRegex } from '../sigma-value.ts';
import { describeKind, ModifierMisuse, requireField, writtenScalar, type ValueModifier } from './modifier.ts';

/**
 * A regex runs on at most this many characters of a value: the longest value an event
 * may carry (event.original), so nothing hides beyond it; linear time keeps it cheap.
 */
export const REGEX_MAX_INPUT = 1024 * 1024;

/** A leading PCRE inline flag group, `(?i)` or `(?is)`, read as the rule's flags. */
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

const re: ValueModifier = {
  name: 're',
  apply: (item) => {
    requireField('re', item);
    const values = item.values.map((value): SigmaRegex => {
      const written = writtenScalar('re', value, 'a regular expression');
      if (typeof written !== 'string') throw new ModifierMisuse("'re' takes a string, the regular expression");
      let source = written;
      let flags = '';
      const inline = INLINE_FLAGS.exec(source);
      if (inline !== null) {
        source = source.slice(inline[0].length);
        flags = mergeFlags('', inline[1] ?? '');
      }
      checkRegex(source, flags);
      return { kind: 'regex', source, flags };
    });
    return { ...item, values };
  },
};

function subModifier(name: 'i' | 'm' | 's'): ValueModifier {
  return {
    name,
    apply: (item) => ({
      ...item,
      values: item.values.map((value) => {
        if (value.kind !== 'regex') {
          throw new ModifierMisuse(`'${name}' is a flag of 're' and must follow it, not apply to ${describeKind(value)}`);
        }
        return { ...value, flags: mergeFlags(value.flags, name) };
      }),
    }),
  };
}

function mergeFlags(flags: string, added: string): string {
  return [...new Set([...flags, ...added])].sort().join('');
}

function checkRegex(source: string, flags: string): void {
  try {
    compileRe2(source, flags);
  } catch (error) {
    throw new ModifierMisuse(
      `invalid regular expression for RE2 (no lookaround or backreferences): ${(error as Error).message}`,
    );
  }
}

function compileRe2(source: string, flags: string): RE2JS {
  let options = 0;
  if (flags.includes('i')) options |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) options |= RE2JS.MULTILINE;
  if (flags.includes('s')) options |= RE2JS.DOTALL;
  return RE2JS.compile(source, options);
}

export function compileRegexTest(value: SigmaRegex): (text: string) => boolean {
  const regex = compileRe2(value.source, value.flags);
  return (text) => regex.test(text.length > REGEX_MAX_INPUT ? text.slice(0, REGEX_MAX_INPUT) : text);
}

export const regexModifiers: readonly ValueModifier[] = [re, subModifier('i'), subModifier('m'), subModifier('s')];
