// IBM QRadar's Log Event Extended Format: "LEEF:1.0|Vendor|Product|Version|EventID|"
// then key=value attributes separated by a tab; LEEF 2.0 adds a DelimiterCharacter
// header field ("^", or hex "x5E"/"0x5E") naming the separator. Tolerated: a 1.0 event
// whose attributes are separated by spaces instead of tabs (read like a CEF extension),
// and a 2.0 event that left the delimiter field out (tab assumed).
import { extensionPairs, isExtensionKey } from './extension-pairs.ts';

export interface LeefRecord {
  version: '1.0' | '2.0';
  vendor: string;
  product: string;
  productVersion: string;
  eventId: string;
  delimiter: string;
  attributes: Record<string, string>;
}

export type LeefParse = { ok: true; value: LeefRecord } | { ok: false; error: string };

/** `text` starts at "LEEF:". */
export function parseLeef(text: string): LeefParse {
  const head = /^LEEF: ?([12])(?:\.0)?\|/.exec(text);
  if (!head) return { ok: false, error: 'LEEF header must start with "LEEF:1.0|" or "LEEF:2.0|"' };
  const version = head[1] === '1' ? '1.0' : '2.0';
  const fields: string[] = [];
  let index = head[0].length;
  while (fields.length < 4) {
    const pipe = text.indexOf('|', index);
    if (pipe < 0) return { ok: false, error: `LEEF header has ${fields.length + 1} of its 5 fields (Version|Vendor|Product|Version|EventID|)` };
    fields.push(text.slice(index, pipe));
    index = pipe + 1;
  }
  let delimiter = '\t';
  if (version === '2.0') {
    const pipe = text.indexOf('|', index);
    const candidate = pipe < 0 ? undefined : text.slice(index, pipe);
    if (candidate !== undefined && candidate.length <= 6 && !candidate.includes('=')) {
      if (candidate !== '') {
        const parsed = delimiterCharacter(candidate);
        if (parsed === undefined) return { ok: false, error: `LEEF 2.0 delimiter "${candidate}" is not one character or a hex code like x5E` };
        delimiter = parsed;
      }
      index = pipe + 1;
    }
  }
  const [vendor, product, productVersion, eventId] = fields as [string, string, string, string];
  const body = text.slice(index);
  const attributes: Record<string, string> = {};
  const spaced = delimiter === '\t' && !body.includes('\t');
  if (spaced) {
    for (const [key, value] of extensionPairs(body)) attributes[key] = value;
  } else {
    let last: string | undefined;
    for (const piece of body.split(delimiter)) {
      const equals = piece.indexOf('=');
      const key = equals > 0 ? piece.slice(0, equals).trim() : '';
      if (isExtensionKey(key)) {
        attributes[key] = piece.slice(equals + 1);
        last = key;
      } else if (last !== undefined && piece !== '') {
        // The delimiter occurred inside a value (a space-delimited 2.0 event with "name=A B").
        attributes[last] += delimiter + piece;
      }
    }
  }
  for (const key of Object.keys(attributes)) attributes[key] = attributes[key]!.replace(/[\r\n]+$/, '');
  return { ok: true, value: { version, vendor, product, productVersion, eventId, delimiter, attributes } };
}

function delimiterCharacter(field: string): string | undefined {
  const hex = /^(?:0x|x)([0-9a-f]{1,4})$/i.exec(field);
  if (hex) return String.fromCharCode(parseInt(hex[1]!, 16));
  return [...field].length === 1 ? field : undefined;
}
