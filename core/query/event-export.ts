// Events written out for a download: NDJSON (one event per line, exactly as stored) or
// CSV with a fixed set of ECS columns, safe to open in a spreadsheet: cells that would
// start a formula (= + - @, tab, carriage return) are prefixed with a quote, and the
// file starts with a UTF-8 byte order mark so Excel reads Vietnamese correctly.
export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Most events one export holds; the route says so in a header, the console beside the button. */
export const MAX_EXPORT_EVENTS = 100_000;

export const CSV_COLUMNS = [
  '@timestamp',
  'organization.id',
  'organization.name',
  'host.name',
  'host.ip',
  'event.kind',
  'event.category',
  'event.action',
  'event.outcome',
  'source.ip',
  'source.port',
  'destination.ip',
  'destination.port',
  'user.name',
  'process.name',
  'process.command_line',
  'file.name',
  'file.path',
  'file.hash.sha256',
  'rule.name',
  'url.full',
  'dns.question.name',
  'message',
  'event.id',
] as const;

export function csvHeader(): string {
  // Our own column names: '@timestamp' is no formula, so no defusing here.
  return `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(event: unknown): string {
  return `${CSV_COLUMNS.map((column) => csvCell(cellText(readPath(event, column)))).join(',')}\r\n`;
}

export function ndjsonLine(event: unknown): string {
  return `${JSON.stringify(event)}\n`;
}

function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
