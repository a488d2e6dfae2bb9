// GET /api/v1/alerts/groups: how many alerts of the list's filter fall in each rule,
// host, unit, threat (signature), severity or status, largest first. The open-alert
// counters are the severity groups of the open statuses.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { listQueryParams, type AlertListQuery } from '../types/list-query.ts';

export const alertGroupsSchema = z.object({
  by: z.string(),
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number().int().nonnegative() })),
  total: z.number().int().nonnegative(),
});
export type AlertGroups = z.infer<typeof alertGroupsSchema>;

export type GroupBy = 'rule' | 'host' | 'unit' | 'threat' | 'severity' | 'status';

export function getAlertGroups(query: AlertListQuery, by: GroupBy, signal?: AbortSignal): Promise<AlertGroups> {
  return apiRequest('/alerts/groups', { query: { ...listQueryParams(query), by }, schema: alertGroupsSchema, signal });
}
