// A fast reader for the plain YAML nearly every Sigma rule is written in: one document
// of block maps and sequences, plain and quoted one-line scalars, multi-line plain
// scalars, `|`/`|-` literal blocks, one-line flow lists of plain scalars, comments.
// Loading SigmaHQ's 3,141 rules spent a third of its time in the general `yaml`
// package building a full syntax tree nobody reads unless a rule is broken.
//
// It gives exactly what `yaml` (core schema, intAsBigInt, uniqueKeys) gives for that
// subset, or `undefined` for anything else (anchors, tags, flow maps, escapes in double
// quotes, several documents, odd numbers, duplicate keys, tabs...), and the caller
// falls back to `yaml`, which also explains every error. It never reports problems.

export interface SimpleDocument {
  readonly data: Record<string, unknown>;
  /** Where each top-level key's one-line value starts, 1-based, for locating `id` without a tree. */
  readonly valueAt: ReadonlyMap<string, { line: number; col: number }>;
}

interface Line {
  /** 0-based line number. */
  readonly number: number;
  indent: number;
  /** The line without its indentation (and, for a `- ` item, without the dash). */
  text: string;
}

class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

const INT = /^[-+]?[0-9]+$/;
/** Other core-schema numbers (hex, octal, floats, .inf, .nan): left to `yaml`. */
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** Characters a plain scalar may not start with (indicators); such values go to `yaml`. */
const INDICATOR = /^[[\]{}&*!|>%@`#,?:-]/;

function resolvePlain(text: string): unknown {
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  if (INT.test(text)) return BigInt(text);
  if (OTHER_NUMBER.test(text)) unsupported();
  return text;
}

/** Plain data of a one-document rule file, or undefined when `yaml` must read it. */
export function readSimpleYaml(text: string): SimpleDocument | undefined {
  // eslint-disable-next-line no-control-regex -- control characters, BOM, line separators go to yaml
  if (/[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029\ufeff]/.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

class Reader {
  private readonly raw: string[];
  private current: Line | undefined;
  readonly valueAt = new Map<string, { line: number; col: number }>();

  constructor(text: string) {
    this.raw = text.split('\n');
    this.current = this.nextContent(0);
  }

  document(): SimpleDocument {
    const first = this.current;
    if (first === undefined || first.indent !== 0 || first.text.startsWith('- ') || first.text === '-') unsupported();
    const data = this.map(0, true);
    if (this.current !== undefined) unsupported();
    return { data, valueAt: this.valueAt };
  }

  /** The next line with content from raw line `from` on; document markers and directives are left to yaml. */
  private nextContent(from: number): Line | undefined {
    for (let number = from; number < this.raw.length; number += 1) {
      const line = this.raw[number]!;
      const body = line.trimStart();
      if (body === '' || body.startsWith('#')) continue;
      const indent = line.length - body.length;
      if (indent === 0 && (body.startsWith('---') || body.startsWith('...') || body.startsWith('%'))) unsupported();
      return { number, indent, text: body.trimEnd() };
    }
    return undefined;
  }

  private advance(): void {
    this.current = this.nextContent((this.current?.number ?? this.raw.length) + 1);
  }

  private map(indent: number, top = false): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (let line = this.current; line !== undefined && line.indent === indent; line = this.current) {
      if (line.text === '-' || line.text.startsWith('- ')) break;
      const colon = keyEnd(line.text);
      const key = line.text.slice(0, colon);
      if (key === '' || INDICATOR.test(key) || key.startsWith("'") || key.startsWith('"') || key.endsWith(' ') || key.includes(' #')) unsupported();
      if (key === '__proto__' || resolvePlain(key) !== key || seen.has(key)) unsupported();
      seen.add(key);
      const rest = line.text.slice(colon + 1).trimStart();
      const restCol = line.indent + line.text.length - rest.length;
      if (rest === '' || rest.startsWith('#')) {
        this.advance();
        const next = this.current;
        if (next !== undefined && next.indent > indent) result[key] = this.node(next.indent);
        else if (next !== undefined && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) result[key] = this.sequence(indent);
        else result[key] = null;
      } else if (rest.startsWith('|')) {
        result[key] = this.literalBlock(rest, indent);
      } else {
        if (top) this.valueAt.set(key, { line: line.number + 1, col: restCol + 1 });
        result[key] = this.inlineValue(rest, indent);
      }
    }
    if (this.current !== undefined && this.current.indent > indent) unsupported();
    return result;
  }

  private node(indent: number): unknown {
    const line = this.current!;
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    if (keyEnd(line.text) === -1) {
      // A lone scalar on its own lines under a key: uncommon in rules.
      unsupported();
    }
    return this.map(indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.current; line !== undefined && line.indent === indent; line = this.current) {
      if (line.text !== '-' && !line.text.startsWith('- ')) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '' || rest.startsWith('#')) {
        this.advance();
        const next = this.current;
        items.push(next !== undefined && next.indent > indent ? this.node(next.indent) : null);
        continue;
      }
      if (rest === '-' || rest.startsWith('- ') || rest.startsWith('|') || rest.startsWith('>')) unsupported();
      const column = line.indent + line.text.length - rest.length;
      if (keyEnd(rest) !== -1 && !rest.startsWith("'") && !rest.startsWith('"') && !rest.startsWith('[')) {
        // `- key: value` opens a map at the column of `key`.
        line.indent = column;
        line.text = rest;
        items.push(this.map(column));
        continue;
      }
      items.push(this.inlineValue(rest, indent));
    }
    if (this.current !== undefined && this.current.indent > indent) unsupported();
    return items;
  }

  /** A value on the key's (or dash's) line, with a plain scalar's continuation lines; moves past them. */
  private inlineValue(text: string, parentIndent: number): unknown {
    const first = text[0];
    if (first === "'" || first === '"') {
      const value = first === "'" ? singleQuoted(text) : doubleQuoted(text);
      this.advance();
      return value;
    }
    if (first === '[') {
      const value = flowList(text);
      this.advance();
      return value;
    }
    if (INDICATOR.test(text)) unsupported();
    const parts = [plainPart(text)];
    let previous = this.current!.number;
    this.advance();
    // Continuation lines of a plain scalar: deeper than its parent, folded with spaces.
    for (let line = this.current; line !== undefined && line.indent > parentIndent; line = this.current) {
      // A blank or comment line inside the scalar changes its folding: left to yaml.
      if (line.number !== previous + 1) unsupported();
      parts.push(plainPart(line.text));
      previous = line.number;
      this.advance();
    }
    return parts.length === 1 ? resolvePlain(parts[0]!) : parts.join(' ');
  }

  /** `|` or `|-`: lines kept as written, less their common indentation. */
  private literalBlock(header: string, parentIndent: number): string {
    if (header !== '|' && header !== '|-') unsupported();
    const from = (this.current?.number ?? 0) + 1;
    const lines: string[] = [];
    let indent = -1;
    let number = from;
    for (; number < this.raw.length; number += 1) {
      const line = this.raw[number]!;
      const body = line.trimStart();
      if (body === '') {
        if (line !== '' || indent === -1) unsupported();
        lines.push('');
        continue;
      }
      const lineIndent = line.length - body.length;
      if (indent === -1) {
        if (lineIndent <= parentIndent) unsupported();
        indent = lineIndent;
      }
      if (lineIndent < indent) break;
      lines.push(line.slice(indent));
    }
    if (indent === -1) unsupported();
    while (lines.at(-1) === '') lines.pop();
    this.current = this.nextContent(number);
    return lines.join('\n') + (header === '|' ? '\n' : '');
  }
}

/** Index of the `:` ending a `key:` at the start of the line, or -1. */
function keyEnd(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] !== ':') continue;
    if (i + 1 === text.length || text[i + 1] === ' ') return i;
  }
  return -1;
}

/** A plain scalar's text on one line, less a trailing comment. */
function plainPart(text: string): string {
  const comment = text.indexOf(' #');
  const value = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  if (value === '' || value.startsWith('#') || keyEnd(value) !== -1 || INDICATOR.test(value)) unsupported();
  return value;
}

/** After a closing quote only spaces and a comment may follow. */
function checkTail(tail: string): void {
  const rest = tail.trimStart();
  if (rest !== '' && !(rest.startsWith('#') && tail.startsWith(' '))) unsupported();
}

function singleQuoted(text: string): string {
  let value = '';
  for (let i = 1; i < text.length; i += 1) {
    if (text[i] !== "'") {
      value += text[i];
      continue;
    }
    if (text[i + 1] === "'") {
      value += "'";
      i += 1;
      continue;
    }
    checkTail(text.slice(i + 1));
    return value;
  }
  return unsupported();
}

function doubleQuoted(text: string): string {
  const end = text.indexOf('"', 1);
  if (end === -1) unsupported();
  const value = text.slice(1, end);
  if (value.includes('\\')) unsupported();
  checkTail(text.slice(end + 1));
  return value;
}

/** `[a, b, c]` of plain scalars on one line. */
function flowList(text: string): unknown[] {
  const comment = text.indexOf(' #');
  const body = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  if (!body.endsWith(']')) unsupported();
  const inner = body.slice(1, -1).trim();
  if (inner === '') return [];
  if (/[[\]{}'"#&*!|>%@`]/.test(inner) || inner.includes(': ') || inner.endsWith(',')) unsupported();
  return inner.split(',').map((item) => {
    const value = item.trim();
    if (value === '' || value.endsWith(':') || INDICATOR.test(value)) unsupported();
    return resolvePlain(value);
  });
}
