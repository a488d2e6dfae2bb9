// GET /api/v1/notifications/dead-letters (admins): the notifications given up on, newest
// first, of the admin's units (SOC-wide ones for SOC-wide admins only).
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../../../lib/api-client.ts';
import { deliverySchema } from './deliveries.ts';

export const DEAD_LETTER_LIMIT = 500;
export const deadLettersQueryKey = ['notifications', 'dead-letters'] as const;

export function useDeadLetters() {
  return useQuery({
    queryKey: deadLettersQueryKey,
    queryFn: ({ signal }) =>
      apiRequest('/notifications/dead-letters', { query: { limit: DEAD_LETTER_LIMIT }, schema: z.object({ items: z.array(deliverySchema) }), signal }),
    staleTime: 0,
  });
}
