import { useEffect, useState } from 'react';
import { type AppError, toAppError } from '../../api/errors';
import { type DraftInput, type Validation, validateDraft } from '../../api/posts';

/** How long typing must pause before the variants are checked again. */
export const VALIDATE_DELAY_MS = 150;

export interface LiveValidation {
  /** The latest check; kept while the next one runs. */
  validation: Validation | undefined;
  /** True while the shown check is older than what is typed. */
  pending: boolean;
  error: AppError | undefined;
}

/** Checks the draft against each network's rules as the user types (debounced; works offline). */
export function useValidation(input: DraftInput): LiveValidation {
  const key = JSON.stringify(input);
  const [settled, setSettled] = useState<{ key: string; validation?: Validation; error?: AppError }>({ key: '' });

  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      validateDraft(JSON.parse(key) as DraftInput).then(
        (validation) => {
          if (current) {
            setSettled({ key, validation });
          }
        },
        (err: unknown) => {
          if (current) {
            setSettled((prev) => ({ key, ...(prev.validation ? { validation: prev.validation } : {}), error: toAppError(err) }));
          }
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [key]);

  return { validation: settled.validation, pending: settled.key !== key, error: settled.error };
}
