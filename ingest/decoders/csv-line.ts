// One CSV record on one line, as antivirus consoles export them: fields separated by a
// delimiter, a field in double quotes may hold the delimiter, and "" inside quotes is
// one quote (RFC 4180). A record that spans lines (a line break inside quotes) is not
// supported: ingest reads a post line by line, so such a row is refused, not guessed.

export type CsvFields = { ok: true; fields: string[] } | { ok: false; error: string };

export function parseCsvLine(line: string, delimiter: string): CsvFields {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = '';
      let i = at + 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) return { ok: false, error: `a quoted field opened at column ${at + 1} is not closed on this line` };
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
      if (at === line.length) return { ok: true, fields };
      if (!line.startsWith(delimiter, at)) return { ok: false, error: `text after the closing quote at column ${at + 1}` };
      at += delimiter.length;
    } else {
      const next = line.indexOf(delimiter, at);
      if (next === -1) {
        fields.push(line.slice(at).trim());
        return { ok: true, fields };
      }
      fields.push(line.slice(at, next).trim());
      at = next + delimiter.length;
    }
  }
}
