// PATCH /api/v1/alerts/:id: change status or assignee, or add a note. Viewers get 403.
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { alertSchema, type Alert, type AlertStatus } from '../types/alert.ts';

export interface AlertUpdate {
  status?: AlertStatus;
  assignee?: string | null;
  note?: string;
}

const updateResponseSchema = z.object({ alert: alertSchema });

export async function updateAlert(id: string, update: AlertUpdate): Promise<Alert> {
  const res = await apiRequest(`/alerts/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: update,
    schema: updateResponseSchema,
  });
  return res.alert;
}
