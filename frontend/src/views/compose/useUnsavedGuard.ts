import { useCallback, useEffect, useRef } from 'react';
import { useBlocker } from 'react-router-dom';

export interface UnsavedGuard {
  /** Where the user tried to go while there were unsaved changes. */
  pending: string | undefined;
  /** Goes there anyway. */
  leave: () => void;
  /** Stays in the composer. */
  stay: () => void;
  /** Lets the next navigation through: the composer's own, after saving. */
  release: () => void;
}

/**
 * Holds the user in the composer while it has unsaved changes. The router
 * blocks every way out — links, the Ctrl/Cmd+digit shortcuts, the back and
 * forward buttons, a notification that opens another view — and the page
 * asks before it is closed or reloaded.
 */
export function useUnsavedGuard(dirty: boolean): UnsavedGuard {
  // Read when a navigation starts, which can be before React re-renders.
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirtyRef.current && nextLocation.pathname !== currentLocation.pathname && !nextLocation.pathname.startsWith('/compose'),
  );

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (dirtyRef.current) {
        event.preventDefault();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  const pending = blocker.state === 'blocked' ? blocker.location.pathname + blocker.location.search : undefined;

  const leave = useCallback(() => {
    if (blocker.state === 'blocked') {
      dirtyRef.current = false;
      blocker.proceed();
    }
  }, [blocker]);

  const stay = useCallback(() => {
    if (blocker.state === 'blocked') {
      blocker.reset();
    }
  }, [blocker]);

  const release = useCallback(() => {
    dirtyRef.current = false;
  }, []);

  return { pending, leave, stay, release };
}
