// GET /api/v1/events/export: the current search as a file (CSV or NDJSON), streamed by
// the server up to EXPORT_LIMIT events. The console only builds the link; the browser
// downloads it with the session cookie like any same-origin request.
import { appConfig } from '../../../config/app-config.ts';

/** The server's cap (core/query/event-export.ts MAX_EXPORT_EVENTS), stated beside the buttons. */
export const EXPORT_LIMIT = 100_000;

export function exportUrl(format: 'csv' | 'ndjson', input: { q: string; from?: string; to?: string }): string {
  const params = new URLSearchParams({ format });
  if (input.q) params.set('q', input.q);
  if (input.from) params.set('from', input.from);
  if (input.to) params.set('to', input.to);
  return `${appConfig.apiBase}/events/export?${params.toString()}`;
}
