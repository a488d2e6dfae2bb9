// POST /api/v1/alerts/triage: one change (status, assignee, note) applied to many
// alerts, each recorded in its own history and in the audit log. Alerts the user may
// not change come back in `failed`, one by one; the others are changed.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema, type AlertStatus } from '../types/alert.ts';

/** The server's limit per request (api/alert-routes.ts MAX_BULK_TRIAGE). */
export const MAX_BULK_TRIAGE = 500;

const bulkAnswerSchema = z.object({
  updated: z.array(alertSchema),
  failed: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});
export type BulkTriageAnswer = z.infer<typeof bulkAnswerSchema>;

export interface BulkChange {
  status?: AlertStatus;
  assignee?: string | null;
  note?: string;
}

export function triageAlerts(ids: readonly string[], change: BulkChange): Promise<BulkTriageAnswer> {
  return apiRequest('/alerts/triage', { method: 'POST', body: { ids, ...change }, schema: bulkAnswerSchema });
}
