import { useCallback, useEffect, useState } from 'react';
import { type AppError, toAppError } from '../api/errors';

export interface Load<T> {
  /** The last loaded value; kept while a reload runs, cleared by an error. */
  data: T | undefined;
  error: AppError | undefined;
  /** True until the latest request has settled. */
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  attempt: number;
  data: T | undefined;
  error: AppError | undefined;
}

/**
 * Loads data with a backend call when the component mounts and on reload().
 * `load` must be stable (a module-level function or a memoised callback).
 */
export function useLoad<T>(load: () => Promise<T>): Load<T> {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({ attempt: -1, data: undefined, error: undefined });

  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) {
          setSettled({ attempt, data, error: undefined });
        }
      },
      (err: unknown) => {
        if (current) {
          setSettled({ attempt, data: undefined, error: toAppError(err) });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [load, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  return { data: settled.data, error: settled.error, loading: settled.attempt !== attempt, reload };
}
