import { isTyping } from '../../lib/typing';

/** What a key does in the inbox list. */
export type InboxCommand = 'next' | 'previous' | 'reply' | 'done' | 'archive' | 'unread' | 'label' | 'note' | 'search';

const KEYS: Readonly<Record<string, InboxCommand>> = {
  j: 'next',
  k: 'previous',
  r: 'reply',
  e: 'done',
  a: 'archive',
  u: 'unread',
  l: 'label',
  n: 'note',
  '/': 'search',
};

/** The keys, for the ? overlay and the hints in the view. */
export const INBOX_KEYS: readonly { key: string; command: InboxCommand; description: string }[] = [
  { key: 'J', command: 'next', description: 'Next item' },
  { key: 'K', command: 'previous', description: 'Previous item' },
  { key: 'R', command: 'reply', description: 'Write a reply' },
  { key: 'E', command: 'done', description: 'Mark done (again: reopen)' },
  { key: 'A', command: 'archive', description: 'Archive (again: reopen)' },
  { key: 'U', command: 'unread', description: 'Mark unread' },
  { key: 'L', command: 'label', description: 'Add a label' },
  { key: 'N', command: 'note', description: 'Write an internal note' },
  { key: '/', command: 'search', description: 'Search the inbox' },
];

/**
 * The command a key press means, or undefined: plain letters only (a
 * modifier means another shortcut), never while typing in a field, and
 * not when something else already handled the key.
 */
export function inboxCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target' | 'defaultPrevented'>): InboxCommand | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) {
    return undefined;
  }
  // Inside a dialog or menu the keys are theirs.
  if (event.target instanceof Element && event.target.closest('[role="dialog"], [role="menu"], [role="listbox"]')) {
    return undefined;
  }
  return KEYS[event.key];
}

/**
 * The item after (step 1) or before (step -1) `current` in `ids`; the first
 * when nothing is chosen or the chosen item left the list; stays at the
 * ends.
 */
export function stepSelection(ids: readonly number[], current: number | undefined, step: 1 | -1): number | undefined {
  if (ids.length === 0) {
    return undefined;
  }
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at === -1) {
    return ids[0];
  }
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}

/** The status `e` (done) or `a` (archive) sets: the same key again reopens. */
export function toggledStatus(current: string, wanted: 'done' | 'archived'): 'open' | 'done' | 'archived' {
  return current === wanted ? 'open' : wanted;
}
