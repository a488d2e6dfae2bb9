// The alert contract: what detect raises, the store keeps, the hub streams and the
// console shows. `history` records every change a person made, with who and when.
import { z } from 'zod';
import { organizationSchema } from './event.ts';

export const alertStatuses = ['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;
export const alertStatusSchema = z.enum(alertStatuses);
export type AlertStatus = z.infer<typeof alertStatusSchema>;

/** Sigma rule levels, which are also the alert severities, least to most urgent. */
export const severities = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

export const historyEntrySchema = z.object({
  at: z.iso.datetime({ offset: true }),
  actor: z.string(),
  field: z.enum(['status', 'assignee', 'note']),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const noteSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  author: z.string(),
  text: z.string().min(1).max(10_000),
});
export type Note = z.infer<typeof noteSchema>;

export const alertSchema = z.object({
  id: z.string().min(1),
  rule: z.object({
    id: z.string(),
    title: z.string(),
    level: severitySchema,
    tags: z.array(z.string()),
    kind: z.enum(['match', 'correlation']),
  }),
  severity: severitySchema,
  status: alertStatusSchema,
  assignee: z.string().nullable(),
  organization: organizationSchema,
  host: z.object({ id: z.string().optional(), name: z.string().optional() }),
  group: z.record(z.string(), z.string()),
  /**
   * The antivirus/IDS signature (the event's rule.name) behind a single-event alert:
   * the one its first event carried. Correlations group by theirs (group['rule.name']).
   */
  threat: z.string().optional(),
  first_seen: z.iso.datetime({ offset: true }),
  last_seen: z.iso.datetime({ offset: true }),
  count: z.number().int().positive(),
  event_ids: z.array(z.string()),
  attack: z.object({ tactics: z.array(z.string()), techniques: z.array(z.string()) }),
  notes: z.array(noteSchema),
  history: z.array(historyEntrySchema),
  /** When detect created the alert (processing time), for lag metrics. */
  created: z.iso.datetime({ offset: true }),
  updated: z.iso.datetime({ offset: true }),
});
export type Alert = z.infer<typeof alertSchema>;

/** What a person may change on an alert. */
export const alertPatchSchema = z
  .object({
    status: alertStatusSchema.optional(),
    assignee: z.string().max(200).nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((p) => p.status !== undefined || p.assignee !== undefined || p.note !== undefined, {
    message: 'give at least one of status, assignee, note',
  });
export type AlertPatch = z.infer<typeof alertPatchSchema>;

/** Most alerts a sample keeps of the events behind it. */
export const ALERT_EVENT_SAMPLE_CAP = 100;
