// The open-alert counters (defect 3 of #10: counters counted resolved and false-positive
// alerts and lagged the list): the severity groups of the open statuses (new,
// acknowledged, in progress), from the server, refetched shortly after the live stream
// brings anything and after this console's own triage.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getAlertGroups } from '../api/get-alert-groups.ts';
import type { Severity } from '../types/alert.ts';
import { defaultListQuery, openStatuses } from '../types/list-query.ts';
import { useAlertsLive } from './alerts-live.tsx';

export const openCountsKey = ['alerts', 'open-counts'] as const;
/** Several frames in a burst make one refetch. */
const REFETCH_AFTER_MS = 250;

export interface OpenCounts {
  bySeverity: Partial<Record<Severity, number>>;
  total: number;
}

export function useOpenCounts(): { counts: OpenCounts | undefined; error: unknown } {
  const live = useAlertsLive();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: openCountsKey,
    queryFn: async ({ signal }): Promise<OpenCounts> => {
      const answer = await getAlertGroups({ ...defaultListQuery, status: openStatuses }, 'severity', signal);
      const bySeverity: Partial<Record<Severity, number>> = {};
      for (const group of answer.groups) if (group.key !== null) bySeverity[group.key as Severity] = group.count;
      return { bySeverity, total: answer.total };
    },
    staleTime: 30_000,
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = live.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: openCountsKey });
      }, REFETCH_AFTER_MS);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [live, queryClient]);
  return { counts: query.data, error: query.error };
}
