// windash: Windows programs take their flags as `-flag` or `/flag`, and attackers
// also use look-alike dashes (en dash, em dash, horizontal bar) that many programs
// accept. Each dash that starts a flag becomes any of the five characters.
import { normalise, type SigmaString, type StringPart } from '../sigma-value.ts';
import { mapStrings, ModifierMisuse, type ValueModifier } from './modifier.ts';

export const WINDASH_CHARACTERS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/**
 * A dash that starts a flag: after the start or a non-word character, before a word
 * character (pySigma's `\B[-/]\b`), so `a-b` and `http://` stay as written.
 */
const FLAG_DASH = /(?<![\p{L}\p{N}_])[-/\u2013\u2014\u2015](?=[\p{L}\p{N}_])/gu;

/** Variants grow as 5^n; more dashes than this in one value is a rule to split. */
const MAX_DASHES = 4;

function expandWindash(value: SigmaString): SigmaString[] {
  // Each literal part becomes a list of pieces: fixed text and dash slots.
  const pieces: (StringPart | null)[] = [];
  for (const part of value.parts) {
    if (typeof part !== 'string') {
      pieces.push(part);
      continue;
    }
    let last = 0;
    for (const match of part.matchAll(FLAG_DASH)) {
      pieces.push(part.slice(last, match.index), null);
      last = match.index + 1;
    }
    pieces.push(part.slice(last));
  }
  const slots = pieces.filter((piece) => piece === null).length;
  if (slots > MAX_DASHES) {
    throw new ModifierMisuse(`'windash' expands at most ${MAX_DASHES} dashes per value (5^n variants); this one has ${slots}`);
  }
  let variants: StringPart[][] = [[]];
  for (const piece of pieces) {
    if (piece === null) {
      variants = variants.flatMap((variant) => WINDASH_CHARACTERS.map((dash) => [...variant, dash]));
    } else {
      for (const variant of variants) variant.push(piece);
    }
  }
  return variants.map((parts) => normalise(parts));
}

export const windashModifier: ValueModifier = {
  name: 'windash',
  apply: (item) =>
    mapStrings('windash', item, (value) => {
      if (value.encoded !== undefined) throw new ModifierMisuse("'windash' must come before the encoding modifiers");
      return expandWindash(value);
    }),
};
