// re, with its sub-modifiers i, m and s: the value is a regular expression, compiled
// once at compile time. Event text is attacker-controlled, so two guards apply:
//  - patterns with a repeated group that itself holds an unbounded repetition
//    (`(a+)+`, `(\w+\s?)*`) are rejected: they backtrack exponentially on a near-miss,
//    and JavaScript's engine has no timeout, so one event could stall the detect thread.
//    Groups split by a separator the repetitions cannot eat (`(\.\w+)+`) are allowed;
//  - a regex only ever runs on the first REGEX_MAX_INPUT characters of a value, so even
//    a pattern that slips past the check (overlapping alternations such as `(a|aa)*`,
//    polynomial shapes such as `.*a.*a.*b`) has a bounded cost per event. A payload
//    hidden beyond 64 KiB evades `re` rules, which is the price of bounding the cost;
//    wildcard matching (value-matcher.ts) has no such limit and needs none.
import type { SigmaRegex } from '../sigma-value.ts';
import { describeKind, ModifierMisuse, requireField, writtenScalar, type ValueModifier } from './modifier.ts';

export const REGEX_MAX_INPUT = 64 * 1024;

/** A leading PCRE inline flag group, `(?i)` or `(?is)`, which JavaScript lacks. */
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
      return { kind: 'regex', source: withoutLeadingAnyRun(source), flags };
    });
    return { ...item, values };
  },
};

/**
 * `.*X` finds a match exactly where `X` does (the run may be empty), but each failed
 * start position rescans the rest of the line, which turns `.*a.*b` from quadratic
 * into cubic on a near-miss (1 KiB: 0.4 s; 4 KiB: 20 s). Rules often start with `.*`.
 */
export function withoutLeadingAnyRun(source: string): string {
  let rest = source;
  for (;;) {
    const run = /^\.\*\??/.exec(rest);
    if (run === null || '*+?{'.includes(rest[run[0].length] ?? '*')) return rest;
    rest = rest.slice(run[0].length);
  }
}

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
    new RegExp(source, flags);
  } catch (error) {
    throw new ModifierMisuse(`invalid regular expression: ${(error as Error).message}`);
  }
  const nested = nestedUnboundedQuantifier(source, flags);
  if (nested !== undefined) {
    throw new ModifierMisuse(
      `regular expression has a repeated group holding an unbounded repetition at character ${nested + 1}, ` +
        'which can backtrack catastrophically on attacker-controlled text; rewrite it without the nesting',
    );
  }
}

/**
 * Where a group that contains `*`, `+` or `{n,}` is itself repeated by one of them
 * (the classic exponential-backtracking shape), or undefined when there is none.
 * A group that starts or ends with a literal separator its repetitions cannot consume
 * (`(\.\w+)+`, `([a-z]+\.)+`, common in domain and path patterns) is unambiguous,
 * hence linear, and allowed.
 */
export function nestedUnboundedQuantifier(source: string, flags = ''): number | undefined {
  // One entry per open group: where it opened, and whether something inside it
  // repeats without bound.
  const groups: { open: number; unbounded: boolean }[] = [];
  const markOpenGroup = (): void => {
    const top = groups[groups.length - 1];
    if (top !== undefined) top.unbounded = true;
  };
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
    } else if (char === '[') {
      i = classEnd(source, i);
    } else if (char === '(') {
      groups.push({ open: i, unbounded: false });
    } else if (char === ')') {
      const group = groups.pop();
      const innerUnbounded = group?.unbounded ?? false;
      const quantifier = unboundedQuantifierAt(source, i + 1);
      if (quantifier && innerUnbounded && !separated(groupBody(source.slice((group?.open ?? 0) + 1, i)), flags)) return i;
      if (quantifier || innerUnbounded) markOpenGroup();
    } else if (unboundedQuantifierAt(source, i)) {
      markOpenGroup();
    }
  }
  return undefined;
}

/** The pattern inside a group, without `?:` or `?<name>`. */
function groupBody(inner: string): string {
  const prefix = /^\?(?::|<[A-Za-z_]\w*>)/.exec(inner);
  return prefix === null ? inner : inner.slice(prefix[0].length);
}

interface Atom {
  readonly text: string;
  readonly quantifier: 'none' | 'bounded' | 'unbounded';
}

/** Atoms of a group body, or undefined when it holds alternation, groups or lookaround. */
function atoms(body: string): Atom[] | undefined {
  if (body.startsWith('?')) return undefined;
  const out: Atom[] = [];
  for (let i = 0; i < body.length; ) {
    const start = i;
    const char = body[i];
    if (char === '(' || char === '|' || char === ')') return undefined;
    if (char === '\\') i += /^[xu]/.test(body[i + 1] ?? '') ? 2 + (body[i + 1] === 'x' ? 2 : 4) : 2;
    else if (char === '[') i = classEnd(body, i) + 1;
    else i += 1;
    const text = body.slice(start, i);
    const quantifier = /^(?:[*+]|\{\d+,\})/.exec(body.slice(i));
    const bounded = /^(?:\?|\{\d+(?:,\d+)?\})/.exec(body.slice(i));
    const taken = quantifier ?? bounded;
    if (taken !== null) i += taken[0].length;
    if (body[i] === '?' && taken !== null) i += 1;
    out.push({ text, quantifier: quantifier !== null ? 'unbounded' : bounded !== null ? 'bounded' : 'none' });
  }
  return out;
}

/** A single literal character an atom stands for, or undefined. */
function literalCharacter(atom: Atom): string | undefined {
  if (atom.quantifier !== 'none') return undefined;
  if (atom.text.length === 1 && !'.^$?*+{}[]()|'.includes(atom.text)) return atom.text;
  if (atom.text.length === 2 && atom.text[0] === '\\' && /[^A-Za-z0-9]/.test(atom.text[1] ?? '')) return atom.text[1];
  return undefined;
}

/** Whether the body begins or ends with a separator no repeated or optional atom in it can match. */
function separated(body: string, flags: string): boolean {
  const list = atoms(body);
  if (list === undefined) return false;
  const repeated = list.filter((atom) => atom.quantifier !== 'none');
  const caseless = flags.includes('i') ? 'i' : '';
  const unconsumed = (char: string | undefined): boolean =>
    char !== undefined && repeated.every((atom) => atom.text !== '.' && !new RegExp(`^(?:${atom.text})$`, caseless).test(char));
  const first = list[0];
  const last = list[list.length - 1];
  return (
    (first !== undefined && unconsumed(literalCharacter(first))) || (last !== undefined && unconsumed(literalCharacter(last)))
  );
}

function unboundedQuantifierAt(source: string, index: number): boolean {
  const char = source[index];
  if (char === '*' || char === '+') return true;
  return char === '{' && /^\{\d+,\}/.test(source.slice(index, index + 12));
}

/** The index of the `]` closing the character class opened at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  for (; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === ']') return i;
  }
  return source.length;
}

/** The test for a `re` value on one event string: built once, at compile time. */
export function compileRegexTest(value: SigmaRegex): (text: string) => boolean {
  const regex = new RegExp(value.source, value.flags);
  return (text) => regex.test(text.length > REGEX_MAX_INPUT ? text.slice(0, REGEX_MAX_INPUT) : text);
}

export const regexModifiers: readonly ValueModifier[] = [re, subModifier('i'), subModifier('m'), subModifier('s')];
