import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';

/** The digit of a Ctrl/Cmd+digit key press (1–9), by physical key so any layout works. */
export function shortcutDigit(event: KeyboardEvent): number | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
    return undefined;
  }
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code) ?? /^([1-9])$/.exec(event.key);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Ctrl/Cmd+1…n opens paths[0…n-1]. */
export function useViewShortcuts(paths: readonly string[]): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const digit = shortcutDigit(event);
      const path = digit === undefined ? undefined : paths[digit - 1];
      if (path === undefined) {
        return;
      }
      event.preventDefault();
      void navigate(path);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [navigate, paths]);
}
