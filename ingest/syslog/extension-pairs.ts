// Splits a CEF extension ("src=10.0.0.1 act=blocked a \= dst=1.1.1.1") into key/value
// pairs per the ArcSight CEF spec: pairs are separated by spaces, values may contain
// spaces, "\=" "\\" "\n" "\r" are escapes. A key is the word right before an unescaped
// "=" that follows a space; an "=" inside a word that cannot be a key (a URL's query,
// "request=http://x/?a=b", which devices often forget to escape) stays in the value.

const KEY_CHAR = /[A-Za-z0-9_.[\]-]/;
/** Dotted parts must not be empty (search stores refuse "a..b"), and no key may reach Object.prototype. */
const KEY = /^[A-Za-z0-9_[\]-]+(?:\.[A-Za-z0-9_[\]-]+)*$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function isExtensionKey(key: string): boolean {
  return KEY.test(key) && !FORBIDDEN.has(key);
}

export function extensionPairs(text: string): Array<[string, string]> {
  const keys: Array<{ key: string; start: number; valueStart: number }> = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (char !== '=') continue;
    let start = index;
    while (start > 0 && KEY_CHAR.test(text[start - 1]!)) start -= 1;
    if (start === index) continue;
    if (start > 0 && !/\s/.test(text[start - 1]!)) continue;
    if (!isExtensionKey(text.slice(start, index))) continue;
    keys.push({ key: text.slice(start, index), start, valueStart: index + 1 });
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < keys.length; i += 1) {
    const current = keys[i]!;
    const end = keys[i + 1]?.start ?? text.length;
    pairs.push([current.key, unescapeValue(text.slice(current.valueStart, end).trimEnd())]);
  }
  return pairs;
}

/** Extension value escapes. A backslash before anything else is kept: Windows paths arrive unescaped. */
export function unescapeValue(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\([=\\nr|])/g, (_match, char: string) => (char === 'n' ? '\n' : char === 'r' ? '\r' : char));
}
