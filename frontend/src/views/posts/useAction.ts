import { useCallback, useState } from 'react';
import { notifyError, notifySuccess } from '../../lib/notify';

export interface Action {
  /** The key of the action running now, if any. */
  busy: string | undefined;
  /**
   * Runs one backend call, showing success or the error with its hint.
   * Resolves to the call's result, or undefined when it failed.
   */
  run: <T>(key: string, call: () => Promise<T>, texts: { done?: [string, string]; failed: string }) => Promise<T | undefined>;
}

/** One action at a time, with its outcome notified. */
export function useAction(): Action {
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const run = useCallback(async <T,>(key: string, call: () => Promise<T>, texts: { done?: [string, string]; failed: string }) => {
    setBusy(key);
    try {
      const result = await call();
      if (texts.done) {
        notifySuccess(...texts.done);
      }
      return result;
    } catch (err) {
      notifyError(texts.failed, err);
      return undefined;
    } finally {
      setBusy(undefined);
    }
  }, []);
  return { busy, run };
}
