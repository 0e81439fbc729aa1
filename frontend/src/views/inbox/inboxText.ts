import type { InboxItem, InboxKind } from '../../api/inbox';

export const KIND_LABEL: Readonly<Record<InboxKind, string>> = {
  mention: 'Mention',
  reply: 'Reply',
  quote: 'Quote',
  message: 'Message',
};

export const KIND_OPTIONS: readonly { value: InboxKind; label: string }[] = [
  { value: 'mention', label: 'Mentions' },
  { value: 'reply', label: 'Replies' },
  { value: 'quote', label: 'Quotes' },
  { value: 'message', label: 'Messages' },
];

export function kindLabel(kind: string): string {
  return KIND_LABEL[kind as InboxKind] ?? 'Item';
}

/** "Alice (@alice@example.social)", or the handle alone when there is no name. */
export function authorName(item: Pick<InboxItem, 'authorName' | 'authorHandle'>): string {
  return item.authorName.trim() || item.authorHandle || 'Someone';
}

/**
 * How much of an item's text is drawn: a body of megabytes would freeze
 * the window, and no person writes a reply that long.
 */
export const TEXT_SHOWN = 20_000;

/** The text to draw and how many characters were left out. */
export function shownText(text: string): { text: string; hidden: number } {
  if (text.length <= TEXT_SHOWN) {
    return { text, hidden: 0 };
  }
  return { text: text.slice(0, TEXT_SHOWN), hidden: text.length - TEXT_SHOWN };
}
