// GET /api/v1/audit: one page of the audit log, newest first, filtered by unit, actor,
// action and time; `next` is the cursor of the next (older) page. The server applies
// the admin's scope.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

export const auditEntrySchema = z.object({
  id: z.string(),
  time: z.string(),
  actor: z.string(),
  source: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  units: z.array(z.string()),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const auditPageSchema = z.object({ items: z.array(auditEntrySchema), next: z.string().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;

export interface AuditFilters {
  unit?: string;
  actor?: string;
  action?: string;
  /** ISO times, inclusive. */
  from?: string;
  to?: string;
}

export async function getAudit(filters: AuditFilters, cursor: string | null, limit: number, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest('/audit', {
    query: { ...filters, cursor, limit },
    schema: auditPageSchema,
    signal,
  });
}
