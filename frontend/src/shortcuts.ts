import { isMac } from './lib/platform';
import { VIEWS } from './navigation';
import { INBOX_KEYS } from './views/inbox/inboxKeys';

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
 * InboxView (the inbox keys), MentionTextarea (the @mention list),
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
      title: '@mentions (composer and replies)',
      shortcuts: [
        { keys: ['@'], description: 'Followed by two characters, lists matching accounts on the channel’s network' },
        { keys: ['↓'], description: 'Choose the next account in the list' },
        { keys: ['↑'], description: 'Choose the account before' },
        { keys: ['Enter'], description: 'Insert the chosen account' },
        { keys: ['Tab'], description: 'Insert the chosen account' },
        { keys: ['Esc'], description: 'Close the list' },
      ],
    },
    {
      title: 'Inbox',
      shortcuts: INBOX_KEYS.map((k) => ({ keys: [k.key], description: k.description })),
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

export { isTyping } from './lib/typing';
