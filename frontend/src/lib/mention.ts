/**
 * The @mention being typed at the caret, and putting a found account in its
 * place. Pure functions: the autocompletion (components/MentionAutocomplete)
 * and its tests use them.
 */

/** The characters of a handle: letters, digits, "_", "." and "-". */
const HANDLE = '[\\p{L}\\p{N}_.\\-]';

/** Fewer characters after the "@" ask nothing. */
export const MIN_MENTION_QUERY = 2;

export interface MentionToken {
  /** Where the "@" is. */
  start: number;
  /** Just after the token's last character (the caret, or the end of the word the caret is in). */
  end: number;
  /** What to search for: the token without its "@" (and without a trailing "@" or "."). */
  query: string;
}

export interface MentionOptions {
  /** Allow a second "@server" part, as Mastodon handles have: "@alice@example.social". */
  withDomain: boolean;
}

const BEFORE_CARET = {
  plain: new RegExp(`(?:^|[^\\p{L}\\p{N}_@.\\-])@(${HANDLE}+)$`, 'u'),
  domain: new RegExp(`(?:^|[^\\p{L}\\p{N}_@.\\-])@(${HANDLE}+(?:@${HANDLE}*)?)$`, 'u'),
};
const AFTER_CARET = new RegExp(`^${HANDLE}*`, 'u');
const AFTER_CARET_DOMAIN = new RegExp(`^${HANDLE}*(?:@${HANDLE}*)?`, 'u');

/**
 * The @mention the caret is in or just after, when its name part has at
 * least MIN_MENTION_QUERY characters. An "@" inside a word (an email
 * address) starts none.
 */
export function findMentionToken(text: string, caret: number, { withDomain }: MentionOptions): MentionToken | undefined {
  if (caret < 0 || caret > text.length) {
    return undefined;
  }
  const before = text.slice(0, caret);
  const match = (withDomain ? BEFORE_CARET.domain : BEFORE_CARET.plain).exec(before);
  if (!match?.[1]) {
    return undefined;
  }
  const typed = match[1];
  const start = caret - typed.length - 1;
  // The rest of the word after the caret belongs to the token, unless the
  // "@server" part is already complete before the caret.
  const rest = text.slice(caret);
  const after = (withDomain && !typed.includes('@') ? AFTER_CARET_DOMAIN : AFTER_CARET).exec(rest)?.[0] ?? '';
  const whole = typed + after;
  const [name = ''] = whole.split('@');
  if ([...name].length < MIN_MENTION_QUERY) {
    return undefined;
  }
  return { start, end: caret + after.length, query: whole.replace(/[@.]+$/u, '') };
}

export interface Inserted {
  text: string;
  /** Where the caret goes: after the mention and the space that follows it. */
  caret: number;
}

/** Replaces the token with the mention and one space; a space already there is kept, not doubled. */
export function applyMention(text: string, token: Pick<MentionToken, 'start' | 'end'>, mention: string): Inserted {
  const head = text.slice(0, token.start) + mention;
  const tail = text.slice(token.end);
  if (/^\s/u.test(tail)) {
    return { text: head + tail, caret: head.length + 1 };
  }
  return { text: `${head} ${tail}`, caret: head.length + 1 };
}
