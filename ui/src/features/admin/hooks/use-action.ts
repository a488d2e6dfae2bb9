// One server change at a time from a form or a row: tracks "working…" and keeps the
// server's error next to the control that caused it.
import { useCallback, useState } from 'react';
import { describeError } from '../../../lib/api-client.ts';

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  error: string | null;
  clearError: () => void;
}

export function useAction<A extends unknown[]>(perform: (...args: A) => Promise<unknown>): Action<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (...args: A) => {
      setPending(true);
      setError(null);
      try {
        await perform(...args);
        return true;
      } catch (err) {
        setError(describeError(err));
        return false;
      } finally {
        setPending(false);
      }
    },
    [perform],
  );
  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}
