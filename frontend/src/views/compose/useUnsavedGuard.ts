import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { shortcutDigit } from '../../hooks/useViewShortcuts';
import { VIEW_PATHS } from '../../navigation';

export interface UnsavedGuard {
  /** Where the user tried to go while there were unsaved changes. */
  pending: string | undefined;
  /** Goes there anyway. */
  leave: () => void;
  /** Stays in the composer. */
  stay: () => void;
}

/** The in-app path of a link, e.g. "#/queue" or "/queue" → "/queue"; undefined for other links. */
function appPath(anchor: HTMLAnchorElement): string | undefined {
  const href = anchor.getAttribute('href') ?? '';
  if (anchor.target === '_blank') {
    return undefined;
  }
  if (href.startsWith('#/')) {
    return href.slice(1);
  }
  return href.startsWith('/') ? href : undefined;
}

/**
 * Holds the user in the composer while it has unsaved changes: links,
 * the Ctrl/Cmd+digit view shortcuts and closing the page ask first.
 * (The router is not a data router, so it cannot block navigation itself.)
 */
export function useUnsavedGuard(dirty: boolean): UnsavedGuard {
  const navigate = useNavigate();
  const [pending, setPending] = useState<string | undefined>(undefined);
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  }, [dirty]);

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (!dirtyRef.current || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
        return;
      }
      const anchor = (event.target as Element | null)?.closest?.('a[href]');
      const path = anchor instanceof HTMLAnchorElement ? appPath(anchor) : undefined;
      if (path === undefined || path.startsWith('/compose')) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      setPending(path);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const digit = dirtyRef.current ? shortcutDigit(event) : undefined;
      const path = digit === undefined ? undefined : VIEW_PATHS[digit - 1];
      if (path === undefined || path === '/compose') {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      setPending(path === '/settings' ? '/settings/general' : path);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (dirtyRef.current) {
        event.preventDefault();
      }
    };
    document.addEventListener('click', onClick, true);
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  const leave = useCallback(() => {
    const to = pending;
    setPending(undefined);
    if (to) {
      dirtyRef.current = false;
      void navigate(to);
    }
  }, [navigate, pending]);

  const stay = useCallback(() => {
    setPending(undefined);
  }, []);

  return { pending, leave, stay };
}
