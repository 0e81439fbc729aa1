import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { onPauseChanged, onPostsChanged, onPublishResult } from '../../api/events';
import { type PublishingStatus, publishingStatus, setPublishingPaused } from '../../api/publishing';
import { type Load, useLoad } from '../../hooks/useLoad';
import { notifyError } from '../../lib/notify';

/** How often the header reads the status anyway (the next post changes as time passes). */
export const STATUS_REFRESH_MS = 60_000;

export interface Publishing {
  status: Load<PublishingStatus>;
  /** The pause switch as last set here or reported by the backend. */
  paused: boolean | undefined;
  /** True while a pause or resume is being saved. */
  switching: boolean;
  setPaused: (paused: boolean) => void;
  /** Pauses or resumes and resolves to true once saved (false, with a notification, when it failed). */
  changePaused: (paused: boolean) => Promise<boolean>;
}

const PublishingContext = createContext<Publishing | undefined>(undefined);

/**
 * Reads Publishing.Status once for the window (the header and the paused
 * banner share it) and again on every posts:changed, publish:result and
 * publish:pause event, and once a minute.
 */
export function PublishingStatusProvider({ children }: { children: ReactNode }) {
  const status = useLoad(publishingStatus);
  const { reload } = status;
  // The answer of SetPaused, shown until the status read after it arrives.
  const [answered, setAnswered] = useState<boolean | undefined>(undefined);
  const [switching, setSwitching] = useState(false);

  useEffect(() => {
    const offs = [onPostsChanged(reload), onPublishResult(reload), onPauseChanged(reload)];
    const timer = window.setInterval(reload, STATUS_REFRESH_MS);
    return () => {
      offs.forEach((off) => {
        off();
      });
      window.clearInterval(timer);
    };
  }, [reload]);

  const changePaused = useCallback(
    (paused: boolean): Promise<boolean> => {
      setSwitching(true);
      return setPublishingPaused(paused).then(
        (next) => {
          setAnswered(next.paused);
          setSwitching(false);
          reload();
          return true;
        },
        (err: unknown) => {
          setSwitching(false);
          notifyError(paused ? 'Publishing was not paused' : 'Publishing was not resumed', err);
          return false;
        },
      );
    },
    [reload],
  );
  const setPaused = useCallback(
    (paused: boolean) => {
      void changePaused(paused);
    },
    [changePaused],
  );

  const paused = (status.loading || status.error) && answered !== undefined ? answered : status.data?.paused;

  return (
    <PublishingContext.Provider value={{ status, paused, switching, setPaused, changePaused }}>{children}</PublishingContext.Provider>
  );
}

export function usePublishing(): Publishing {
  const publishing = useContext(PublishingContext);
  if (!publishing) {
    throw new Error('usePublishing needs a PublishingStatusProvider');
  }
  return publishing;
}

/** The publishing state where a provider is present (the main window), else undefined. */
export function useMaybePublishing(): Publishing | undefined {
  return useContext(PublishingContext);
}
