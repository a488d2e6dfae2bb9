// Plain indicator lists: one indicator per line, its kind inferred from its form
// (indicator-value.ts), `#` starting a comment (a whole line, or after whitespace so a
// URL's `#fragment` survives). What many public blocklists publish as .txt.
import { addProblem, type Indicator, type ParseContext, type ParseResult } from './indicator.ts';
import { inferKind } from './indicator-value.ts';

export function parsePlain(text: string, context: ParseContext): ParseResult {
  const indicators: Indicator[] = [];
  const problems: string[] = [];
  let skipped = 0;
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line += 1;
    const entry = withoutComment(text.slice(start, end)).trim();
    start = end + 1;
    if (entry === '') continue;
    const found = inferKind(entry);
    if (found === undefined) {
      skipped += 1;
      addProblem(problems, `${context.file}:${line}: not an IP, CIDR, domain, URL or hash: ${entry.slice(0, 80)}`);
      continue;
    }
    indicators.push({ kind: found.kind, value: found.value, list: context.list, source: context.list, tags: [] });
  }
  return { indicators, skipped, problems };
}

function withoutComment(line: string): string {
  if (line.trimStart().startsWith('#')) return '';
  const comment = line.search(/\s#/);
  return comment < 0 ? line : line.slice(0, comment);
}
