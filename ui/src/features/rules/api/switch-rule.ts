// PATCH /api/v1/rules/library/:id { enabled }: switches a rule off or on for detection
// everywhere (SOC-wide analysts and admins only; the server records it in the audit log).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';

const switchedSchema = z.object({ id: z.string(), enabled: z.boolean() });

export function useSwitchRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      apiRequest(`/rules/library/${encodeURIComponent(id)}`, { method: 'PATCH', body: { enabled }, schema: switchedSchema }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['rules'] }),
  });
}
