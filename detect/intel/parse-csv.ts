// CSV indicator lists with a header naming the columns: `indicator` (or `value`), and
// optionally `type`, `confidence`, `tags` (separated by `;` or `|`), `expires` (ISO
// 8601 date or time, or epoch seconds) and `source`. Columns may come in any order and
// others are ignored; a missing type is inferred from the value. Quoting follows RFC
// 4180 (double quotes, `""` inside).
import { addProblem, type Indicator, type ParseContext, type ParseResult } from './indicator.ts';
import { inferKind, kindFromName, normalizeIndicator } from './indicator-value.ts';
import { parseExpiry } from './parse-expiry.ts';

const VALUE_COLUMNS = ['indicator', 'value', 'ioc', 'observable'];

export function parseCsv(text: string, context: ParseContext): ParseResult {
  const indicators: Indicator[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const rows = csvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = rows.next();
  if (header.done === true) return { indicators, skipped, problems };
  const names = header.value.cells.map((cell) => cell.trim().toLowerCase());
  const column = (...candidates: string[]) => names.findIndex((name) => candidates.includes(name));
  const valueAt = column(...VALUE_COLUMNS);
  if (valueAt < 0) {
    addProblem(problems, `${context.file}:1: the header names no indicator column (one of ${VALUE_COLUMNS.join(', ')})`);
    return { indicators, skipped, problems };
  }
  const typeAt = column('type', 'kind', 'indicator_type');
  const confidenceAt = column('confidence', 'score');
  const tagsAt = column('tags', 'tag', 'labels');
  const expiresAt = column('expires', 'expiry', 'valid_until', 'expiration');
  const sourceAt = column('source', 'provider', 'feed');

  for (const { cells, line } of rows) {
    const raw = (cells[valueAt] ?? '').trim();
    if (raw === '' && cells.every((cell) => cell.trim() === '')) continue;
    const typeName = typeAt < 0 ? '' : (cells[typeAt] ?? '').trim();
    const where = `${context.file}:${line}`;
    let kind = typeName === '' ? undefined : kindFromName(typeName);
    let value: string | undefined;
    if (typeName !== '' && kind === undefined) {
      skipped += 1;
      addProblem(problems, `${where}: type '${typeName}' is not one Vigil matches (ip, domain, url, md5, sha1, sha256)`);
      continue;
    }
    if (kind === undefined) {
      const inferred = inferKind(raw);
      kind = inferred?.kind;
      value = inferred?.value;
    } else {
      value = normalizeIndicator(kind, raw);
    }
    if (kind === undefined || value === undefined) {
      skipped += 1;
      addProblem(problems, `${where}: '${raw.slice(0, 80)}' is not a valid ${typeName || 'indicator'}`);
      continue;
    }
    const confidenceText = confidenceAt < 0 ? '' : (cells[confidenceAt] ?? '').trim();
    const confidence = confidenceText === '' ? undefined : Number(confidenceText);
    if (confidence !== undefined && !(confidence >= 0 && confidence <= 100)) {
      addProblem(problems, `${where}: confidence '${confidenceText}' is not 0–100; kept without one`);
    }
    const expiresText = expiresAt < 0 ? '' : (cells[expiresAt] ?? '').trim();
    const expires = expiresText === '' ? undefined : parseExpiry(expiresText);
    if (expiresText !== '' && expires === undefined) {
      skipped += 1;
      addProblem(problems, `${where}: expires '${expiresText}' is not a date; the indicator is not loaded`);
      continue;
    }
    const tagsText = tagsAt < 0 ? '' : (cells[tagsAt] ?? '');
    const source = sourceAt < 0 ? '' : (cells[sourceAt] ?? '').trim();
    indicators.push({
      kind,
      value,
      list: context.list,
      source: source === '' ? context.list : source,
      ...(confidence !== undefined && confidence >= 0 && confidence <= 100 ? { confidence } : {}),
      tags: tagsText.split(/[;|]/).map((tag) => tag.trim()).filter((tag) => tag !== ''),
      ...(expires === undefined ? {} : { expires }),
    });
  }
  return { indicators, skipped, problems };
}

/** RFC 4180 rows with the (1-based) line each starts on; quoted cells may span lines. */
function* csvRows(text: string): Generator<{ cells: string[]; line: number }> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
      any = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      if (any || cell !== '') {
        cells.push(cell);
        if (!(cells.length === 1 && cells[0]!.trimStart().startsWith('#'))) yield { cells, line: rowLine };
      }
      cells = [];
      cell = '';
      any = false;
      line += 1;
      rowLine = line;
    } else {
      cell += char;
      any = true;
    }
  }
  if (any || cell !== '') {
    cells.push(cell);
    yield { cells, line: rowLine };
  }
}
