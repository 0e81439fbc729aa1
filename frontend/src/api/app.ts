import { BrowserOpenURL, ClipboardSetText, Quit } from '../wailsjs/runtime/runtime';
import { AppError } from './errors';
import { hasBackend } from './call';
import { hasRuntime } from './runtime';

/**
 * Copies text. The desktop webview may not offer navigator.clipboard (its
 * page is not a secure context on every OS), so the Wails runtime goes first.
 */
export async function copyText(text: string): Promise<void> {
  if (hasRuntime()) {
    try {
      if (await ClipboardSetText(text)) {
        return;
      }
    } catch {
      // Fall through to the browser clipboard.
    }
  }
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    throw new AppError(
      { code: 'clipboard', message: 'Herald could not copy to the clipboard.', hint: 'Select the text and press Ctrl+C.' },
      { cause: err },
    );
  }
}

/** Quits Herald; false when there is no desktop runtime to ask. */
export function quitApp(): boolean {
  if (!hasRuntime() || !hasBackend()) {
    return false;
  }
  Quit();
  return true;
}

/**
 * Opens a web page in the system browser. The desktop webview would
 * otherwise open it inside Herald's own window.
 */
export function openExternal(url: string): void {
  if (hasRuntime()) {
    BrowserOpenURL(url);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}
