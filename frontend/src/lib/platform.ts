/** True on macOS, where shortcuts use ⌘ instead of Ctrl. */
export function isMac(): boolean {
  if (typeof navigator === 'undefined') {
    return false;
  }
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** How a Ctrl/Cmd+key shortcut is written for people: "Ctrl+1" or "⌘1". */
export function shortcutLabel(key: string): string {
  return isMac() ? `⌘${key}` : `Ctrl+${key}`;
}

/** The same shortcut for aria-keyshortcuts. */
export function ariaShortcut(key: string): string {
  return isMac() ? `Meta+${key}` : `Control+${key}`;
}
