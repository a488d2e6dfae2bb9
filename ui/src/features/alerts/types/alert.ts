// The console's own schema for an alert, compatible with the server's contract
// (core/schemas/alert.ts) but owned here: the UI never imports server code. Lenient
// where being strict would only hide an alert from an analyst (extra fields pass).
import { z } from 'zod';
import { severityOrder } from '../../../components/ui/severity-badge.tsx';
import { statusOrder } from '../../../components/ui/status-badge.tsx';
import { revealControls } from '../../../lib/visible-text.ts';

export const alertStatusSchema = z.enum(statusOrder);
export type AlertStatus = z.infer<typeof alertStatusSchema>;
export const severitySchema = z.enum(severityOrder);
export type Severity = z.infer<typeof severitySchema>;

export const alertSchema = z.object({
  id: z.string().min(1),
  rule: z.object({
    id: z.string(),
    title: z.string(),
    level: severitySchema,
    tags: z.array(z.string()).default([]),
    kind: z.enum(['match', 'correlation']),
  }),
  severity: severitySchema,
  status: alertStatusSchema,
  assignee: z.string().nullable().default(null),
  organization: z.object({ id: z.string(), name: z.string() }),
  host: z.object({ id: z.string().optional(), name: z.string().optional() }).default({}),
  group: z.record(z.string(), z.string()).default({}),
  first_seen: z.string(),
  last_seen: z.string(),
  count: z.number().int().nonnegative(),
  event_ids: z.array(z.string()).default([]),
  attack: z.object({ tactics: z.array(z.string()), techniques: z.array(z.string()) }).default({ tactics: [], techniques: [] }),
  notes: z.array(z.object({ at: z.string(), author: z.string(), text: z.string() })).default([]),
  history: z
    .array(
      z.object({
        at: z.string(),
        actor: z.string(),
        field: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
      }),
    )
    .default([]),
  created: z.string(),
  updated: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

/** A raw event behind an alert: any JSON object; shown as text, never interpreted. */
export const rawEventSchema = z.record(z.string(), z.unknown());
export type RawEvent = z.infer<typeof rawEventSchema>;

export interface AlertFilters {
  statuses: AlertStatus[];
  severities: Severity[];
}

export function matchesFilters(alert: Alert, filters: AlertFilters): boolean {
  if (filters.statuses.length > 0 && !filters.statuses.includes(alert.status)) return false;
  if (filters.severities.length > 0 && !filters.severities.includes(alert.severity)) return false;
  return true;
}

/** Most recent activity first; ties broken by id so the order is stable. */
export function compareAlerts(a: Alert, b: Alert): number {
  if (a.last_seen !== b.last_seen) return Date.parse(b.last_seen) - Date.parse(a.last_seen);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether `incoming` is at least as new as `current` (frames and REST may race). */
export function isNewerOrSame(incoming: Alert, current: Alert): boolean {
  return Date.parse(incoming.updated) >= Date.parse(current.updated);
}

/** The host as an analyst names it: the name when known, else the id. */
export function hostLabel(alert: Alert): string {
  return revealControls(alert.host.name ?? alert.host.id ?? '—');
}

/** Group-by values worth showing next to the title (not the unit or host again). */
export function groupSummary(alert: Alert): string[] {
  const skip = new Set([alert.host.id, alert.host.name, alert.organization.id, alert.organization.name]);
  return Object.values(alert.group)
    .filter((v) => v !== '' && !skip.has(v))
    .map(revealControls);
}
