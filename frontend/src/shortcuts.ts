import { isMac } from './lib/platform';
import { VIEWS } from './navigation';

export interface Shortcut {
  /** The keys pressed together, as printed on the keyboard: ["Ctrl", "1"]. */
  keys: string[];
  description: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

/** Ctrl on Linux and Windows, ⌘ on macOS. */
export const modKey = (): string => (isMac() ? '⌘' : 'Ctrl');

/**
 * Every keyboard shortcut Herald has, for the ? overlay. Each one is handled
 * where it works: useViewShortcuts (views), Composer (Ctrl+Enter, Ctrl+S),
 * ShortcutsOverlay (?), TeamsPanel and TeamPicker (Enter, Escape), and
 * Mantine's dialogs and menus (Escape).
 */
export function shortcutGroups(): ShortcutGroup[] {
  const mod = modKey();
  return [
    {
      title: 'Anywhere',
      shortcuts: [
        ...VIEWS.map((view, index) => ({ keys: [mod, String(index + 1)], description: `Open ${view.label}` })),
        { keys: ['?'], description: 'Show these keyboard shortcuts' },
        { keys: ['Esc'], description: 'Close a dialog, drawer or menu' },
      ],
    },
    {
      title: 'Compose',
      shortcuts: [
        { keys: [mod, 'Enter'], description: 'Schedule, add to the queue or publish, as the main button says' },
        { keys: [mod, 'S'], description: 'Save the draft' },
      ],
    },
    {
      title: 'Teams',
      shortcuts: [
        { keys: ['Enter'], description: 'Create or rename the team being typed' },
        { keys: ['Esc'], description: 'Stop renaming a team' },
      ],
    },
  ];
}

/** Whether a key press happened while typing, where ? is a character, not a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('[contenteditable="true"]') !== null;
}
