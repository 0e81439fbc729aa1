import { useCallback, useEffect, useRef, useState } from 'react';
import { cancelConnect, connectSession } from '../api/channels';
import { toAppError } from '../api/errors';
import { onConnectProgress } from '../api/events';
import type { ConnectStage, Snapshot } from '../api/types';

/** How often the session is read back in case an oauth:progress event was missed. */
export const POLL_MS = 2000;

const ORDER: Record<ConnectStage, number> = {
  starting: 0,
  waiting_for_browser: 1,
  exchanging: 2,
  listing: 3,
  ready: 4,
  failed: 5,
  cancelled: 5,
  finished: 5,
};

function rank(stage: string): number {
  return ORDER[stage as ConnectStage] ?? 0;
}

/** True while the backend is still working on the sign-in. */
export function inProgress(snapshot: Snapshot | undefined): boolean {
  return snapshot !== undefined && rank(snapshot.stage) < ORDER.ready;
}

export interface ConnectSession {
  /** The latest known state of the sign-in; undefined before one starts. */
  snapshot: Snapshot | undefined;
  /** Follows a sign-in the backend just started (or settled, for app passwords). */
  track: (snapshot: Snapshot) => void;
  /** Cancels the sign-in if it is still running, and forgets it. */
  cancel: () => void;
  /** Forgets the sign-in without cancelling it (it settled or was finished). */
  reset: () => void;
}

/**
 * Follows one connect session: oauth:progress events for its id, and a read
 * of ConnectSession every two seconds as a fallback while it runs. A stage
 * never goes backwards, whichever of the two arrives first.
 */
export function useConnectSession(): ConnectSession {
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>(undefined);
  const current = useRef<Snapshot | undefined>(undefined);

  const accept = useCallback((next: Snapshot) => {
    const prev = current.current;
    if (!prev || prev.id !== next.id || rank(next.stage) < rank(prev.stage)) {
      return;
    }
    current.current = next;
    setSnapshot(next);
  }, []);

  const track = useCallback((next: Snapshot) => {
    current.current = next;
    setSnapshot(next);
  }, []);

  const reset = useCallback(() => {
    current.current = undefined;
    setSnapshot(undefined);
  }, []);

  const cancel = useCallback(() => {
    const prev = current.current;
    current.current = undefined;
    setSnapshot(undefined);
    if (prev && rank(prev.stage) < ORDER.failed) {
      // A ready session holds a credential until it expires; cancelling frees it now.
      cancelConnect(prev.id).catch(() => undefined);
    }
  }, []);

  const id = snapshot?.id;
  const running = inProgress(snapshot);

  useEffect(() => {
    if (!id || !running) {
      return undefined;
    }
    const off = onConnectProgress((next) => {
      if (next?.id === id) {
        accept(next);
      }
    });
    const poll = () => {
      connectSession(id).then(accept, (err: unknown) => {
        const error = toAppError(err);
        const prev = current.current;
        // The session is gone (expired, or finished elsewhere): stop waiting for it.
        if (prev?.id === id && (error.code === 'expired' || error.code === 'not_found')) {
          current.current = { ...prev, stage: 'failed', error: { code: error.code, message: error.message, hint: error.hint ?? '', field: '' } };
          setSnapshot(current.current);
        }
      });
    };
    // The backend may have moved on before this listener existed (its first
    // event can beat StartConnect's answer): read the session once at once.
    poll();
    const timer = window.setInterval(poll, POLL_MS);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [id, running, accept]);

  // Closing the dialog (Escape included) while the browser is still open
  // stops the loopback listener instead of leaving it waiting, and a sign-in
  // that was never finished lets go of its credential.
  useEffect(
    () => () => {
      const prev = current.current;
      if (prev && rank(prev.stage) < ORDER.failed) {
        cancelConnect(prev.id).catch(() => undefined);
      }
    },
    [],
  );

  return { snapshot, track, cancel, reset };
}
