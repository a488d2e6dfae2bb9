// Reads the severity each source gave its events (ECS event.severity, a number whose
// scale is the source's own) as the levels a report shows beside the alerts':
// - Suricata (event.module suricata): 1 is the most severe, 3 the least (its signature
//   priorities; ingest/decoders/suricata.ts keeps them as they are): 1 high, 2 medium,
//   3 low, anything larger informational.
// - Everything else on the CEF scale 0-10 that the syslog decoders and antivirus
//   mappings write (ingest/syslog/severity-level.ts): 0 informational, 1-3 low,
//   4-6 medium, 7-8 high, 9-10 critical; a larger number is read on a 0-100 scale.
// - No event.severity: "unrated".
import type { ReportFigures } from '../ports/report-figures.ts';

/** Most severe first: the order tables show them in. */
export const eventSeverityLevels = ['critical', 'high', 'medium', 'low', 'informational', 'unrated'] as const;
export type EventSeverityLevel = (typeof eventSeverityLevels)[number];

export function eventSeverityLevel(module: string | null, severity: number | null): EventSeverityLevel {
  if (severity === null) return 'unrated';
  if (module === 'suricata') return severity <= 1 ? 'high' : severity === 2 ? 'medium' : severity === 3 ? 'low' : 'informational';
  const cef = severity > 10 ? severity / 10 : severity;
  if (cef <= 0) return 'informational';
  if (cef <= 3) return 'low';
  if (cef <= 6) return 'medium';
  if (cef <= 8) return 'high';
  return 'critical';
}

/** Events per level, every level present (0 where none). */
export function countEventSeverities(rows: ReportFigures['eventSeverities']): Record<EventSeverityLevel, number> {
  const counts = Object.fromEntries(eventSeverityLevels.map((level) => [level, 0])) as Record<EventSeverityLevel, number>;
  for (const row of rows) counts[eventSeverityLevel(row.module, row.severity)] += row.count;
  return counts;
}

