import { Box, Group, Paper, Stack, Text, Textarea, type TextareaProps } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import { type CSSProperties, type KeyboardEvent, type Ref, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ProfileView, SearchChannel } from '../api/search';
import { useMentionSearch } from '../hooks/useMentionSearch';
import { applyMention, findMentionToken } from '../lib/mention';
import { ChannelAvatar } from '../views/channels/ChannelAvatar';

interface MentionTextareaProps extends Omit<TextareaProps, 'value' | 'onChange'> {
  value: string;
  onChange: (value: string) => void;
  /** The channel whose network the accounts are looked up on; none: a plain text field. */
  channel: SearchChannel | undefined;
  ref?: Ref<HTMLTextAreaElement>;
  /** Styles the field with its list (flex: 1 in a row). */
  style?: CSSProperties;
}

/** Who an account is, in one line for the list. */
function profileName(p: ProfileView): string {
  return p.displayName.trim() || p.handle;
}

/**
 * A Textarea with @mention autocompletion: typing "@" and two characters
 * lists the matching accounts on the channel's network under the field.
 * ↑/↓ choose, Enter or Tab insert, Esc closes; typing never waits for it.
 */
export function MentionTextarea({ value, onChange, channel, onKeyDown, onFocus, onBlur, onSelect, ref, style, ...props }: MentionTextareaProps) {
  const id = useId();
  const listId = `${id}-mentions`;
  const own = useRef<HTMLTextAreaElement>(null);
  const merged = useMergedRef(own, ref);
  const [caret, setCaret] = useState<number | undefined>(undefined);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState<string | undefined>(undefined);
  const [active, setActive] = useState<{ key: string; index: number }>({ key: '', index: 0 });
  // Where to put the caret once an inserted mention is in the field.
  const placeCaret = useRef<number | undefined>(undefined);

  const token =
    channel !== undefined && caret !== undefined ? findMentionToken(value, caret, { withDomain: channel.network === 'mastodon' }) : undefined;
  const tokenKey = token ? `${token.start}:${token.query}` : undefined;
  const open = focused && token !== undefined && tokenKey !== dismissed;
  const search = useMentionSearch(open && channel?.available ? channel.channelId : undefined, open ? token.query : undefined);
  const options = open ? search.results : [];
  const resultsKey = `${tokenKey ?? ''}|${search.loading ? 'loading' : options.map((p) => p.remoteId).join(',')}`;
  const activeIndex = active.key === resultsKey ? Math.min(active.index, options.length - 1) : 0;
  const optionId = (i: number) => `${id}-mention-${i}`;

  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at !== undefined && own.current && own.current.value === value) {
      placeCaret.current = undefined;
      own.current.setSelectionRange(at, at);
    }
  }, [value]);

  const insert = (profile: ProfileView) => {
    if (!token) {
      return;
    }
    const inserted = applyMention(value, token, profile.mention);
    placeCaret.current = inserted.caret;
    setCaret(inserted.caret);
    onChange(inserted.text);
    own.current?.focus();
  };

  const readCaret = (el: HTMLTextAreaElement) => {
    setCaret(el.selectionStart === el.selectionEnd ? el.selectionStart : undefined);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (open && plain) {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissed(tokenKey);
        return;
      }
      const n = options.length;
      if (n > 0) {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          const step = event.key === 'ArrowDown' ? 1 : -1;
          setActive({ key: resultsKey, index: (activeIndex + step + n) % n });
          return;
        }
        if ((event.key === 'Enter' && !event.shiftKey) || (event.key === 'Tab' && !event.shiftKey)) {
          const chosen = options[activeIndex];
          if (chosen) {
            event.preventDefault();
            insert(chosen);
            return;
          }
        }
      }
    }
    onKeyDown?.(event);
  };

  const listed = open && options.length > 0;
  const combobox = channel
    ? {
        role: 'combobox',
        'aria-autocomplete': 'list' as const,
        'aria-expanded': listed,
        'aria-controls': listed ? listId : undefined,
        'aria-activedescendant': listed ? optionId(activeIndex) : undefined,
      }
    : {};

  let status: string | undefined;
  if (open && channel) {
    if (!channel.available) {
      status = `Search unavailable: ${channel.reason}`;
    } else if (search.error) {
      status = `Search unavailable: ${search.error.message}`;
    } else if (search.loading) {
      status = 'Searching…';
    } else if (options.length === 0) {
      status = `No accounts match “${token.query}”.`;
    }
  }

  return (
    <Box style={style}>
      <Textarea
        {...props}
        {...combobox}
        ref={merged}
        value={value}
        onChange={(event) => {
          readCaret(event.currentTarget);
          onChange(event.currentTarget.value);
        }}
        onKeyDown={handleKeyDown}
        onSelect={(event) => {
          readCaret(event.currentTarget);
          onSelect?.(event);
        }}
        onFocus={(event) => {
          setFocused(true);
          readCaret(event.currentTarget);
          onFocus?.(event);
        }}
        onBlur={(event) => {
          setFocused(false);
          onBlur?.(event);
        }}
      />
      {open && channel && (
        // In the flow under the field, not over the page: a card around the field clips what overflows it.
        <Paper withBorder shadow="sm" radius="md" p={4} mt={4} maw={420} data-testid="mention-popup">
          <Text size="xs" c="dimmed" px={6} pt={2} pb={4}>
            Accounts on {channel.networkName}, found through {channel.channelName}
          </Text>
          <Text size="sm" c="dimmed" px={6} pb={status ? 4 : 0} role="status" aria-live="polite" data-testid="mention-status">
            {status ?? ''}
          </Text>
          {options.length > 0 && (
            <Stack
              component="ul"
              gap={0}
              id={listId}
              role="listbox"
              aria-label={`Accounts on ${channel.networkName} to mention`}
              m={0}
              p={0}
              style={{ listStyle: 'none' }}
            >
              {options.map((p, i) => (
                <Group
                  component="li"
                  key={p.remoteId || p.handle}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  gap="xs"
                  wrap="nowrap"
                  px={6}
                  py={4}
                  onMouseDown={(event) => {
                    // The field keeps the focus (and its caret).
                    event.preventDefault();
                  }}
                  onClick={() => {
                    insert(p);
                  }}
                  style={{
                    cursor: 'pointer',
                    borderRadius: 'var(--mantine-radius-sm)',
                    background: i === activeIndex ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                  data-testid="mention-option"
                >
                  <ChannelAvatar src={p.avatarUrl} name={profileName(p)} size={24} />
                  <Box style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {profileName(p)}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {p.handle}
                    </Text>
                  </Box>
                </Group>
              ))}
            </Stack>
          )}
        </Paper>
      )}
    </Box>
  );
}
