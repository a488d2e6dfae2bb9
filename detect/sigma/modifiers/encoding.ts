// The encoding modifiers: utf16le (alias wide), utf16be, utf16, base64 and
// base64offset. Attackers hide command lines as base64 of UTF-16LE text (PowerShell's
// -EncodedCommand), so rules chain them: `CommandLine|wide|base64offset|contains`.
// The utf16 modifiers turn each literal part into a byte string (one character per
// byte) and keep wildcards; base64 then encodes those bytes, or the UTF-8 of text.
import { Buffer } from 'node:buffer';
import { ANY_CHARS, plainSigmaString, type SigmaString } from '../sigma-value.ts';
import { mapStrings, ModifierMisuse, type ValueModifier } from './modifier.ts';

type Utf16 = NonNullable<SigmaString['encoded']>;

function utf16Bytes(text: string, encoding: Utf16): string {
  const bytes = Buffer.from(text, 'utf16le');
  if (encoding === 'utf16be') bytes.swap16();
  return bytes.toString('latin1');
}

function utf16Modifier(name: string, encoding: Utf16): ValueModifier {
  return {
    name,
    apply: (item) =>
      mapStrings(name, item, (value) => {
        if (value.encoded !== undefined) throw new ModifierMisuse(`'${name}': the value is already ${value.encoded}`);
        const parts = value.parts.map((part) => (typeof part === 'string' ? utf16Bytes(part, encoding) : part));
        // `utf16` is little-endian with a byte order mark in front.
        return { kind: 'string', parts: encoding === 'utf16' ? ['\xff\xfe', ...parts] : parts, encoded: encoding };
      }),
  };
}

/** The bytes a literal-only value stands for: its byte string, or its text as UTF-8. */
function valueBytes(name: string, value: SigmaString): Buffer {
  const literal = value.parts.map((part) => {
    if (typeof part !== 'string') {
      throw new ModifierMisuse(`'${name}' cannot encode a wildcard; write the literal text (use contains for '*' around it)`);
    }
    return part;
  });
  const text = literal.join('');
  return Buffer.from(text, value.encoded === undefined ? 'utf8' : 'latin1');
}

const base64: ValueModifier = {
  name: 'base64',
  apply: (item) => mapStrings('base64', item, (value) => plainSigmaString(valueBytes('base64', value).toString('base64'))),
};

/**
 * The three forms the value takes inside a longer base64 text, one per byte offset
 * modulo 3: the value is encoded after 0, 1 and 2 filler bytes, and the characters
 * that depend on the filler or on whatever follows are cut off.
 */
export function base64OffsetForms(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const forms = [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const end = ends[(bytes.length + shift) % 3] ?? 0;
    return encoded.slice(starts[shift], end === 0 ? undefined : end);
  });
  return forms.filter((form) => form !== '');
}

const base64offset: ValueModifier = {
  name: 'base64offset',
  apply: (item, context) => {
    // The forms are fragments of a longer text; matched whole they would find nothing.
    if (!context.next.includes('contains')) throw new ModifierMisuse("'base64offset' must be followed by 'contains'");
    return mapStrings('base64offset', item, (value) => {
      // `*` at either end says "anywhere", which contains already means.
      const parts = [...value.parts];
      if (parts[0] === ANY_CHARS) parts.shift();
      if (parts[parts.length - 1] === ANY_CHARS) parts.pop();
      const forms = base64OffsetForms(valueBytes('base64offset', { ...value, parts }));
      if (forms.length === 0) throw new ModifierMisuse("'base64offset' needs a non-empty value");
      return forms.map((form) => plainSigmaString(form));
    });
  },
};

export const encodingModifiers: readonly ValueModifier[] = [
  utf16Modifier('utf16le', 'utf16le'),
  utf16Modifier('wide', 'utf16le'),
  utf16Modifier('utf16be', 'utf16be'),
  utf16Modifier('utf16', 'utf16'),
  base64,
  base64offset,
];
