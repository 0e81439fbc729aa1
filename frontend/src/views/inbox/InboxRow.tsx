import { Avatar, Badge, Group, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconNote } from '@tabler/icons-react';
import type { InboxItem } from '../../api/inbox';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { formatDateTime } from '../../time/format';
import { authorName, kindLabel } from './inboxText';
import classes from './Inbox.module.css';

interface InboxRowProps {
  item: InboxItem;
  selected: boolean;
  onSelect: (id: number) => void;
}

/**
 * One item in the list: who, what kind, on which channel, when, and the
 * start of the text. Avatars are the author's initials: Herald loads no
 * remote image the user did not ask for.
 */
export function InboxRow({ item, selected, onSelect }: InboxRowProps) {
  const now = useNow();
  const at = parseTime(item.createdAt);
  const name = authorName(item);
  return (
    <UnstyledButton
      className={classes.row}
      data-selected={selected || undefined}
      data-unread={!item.read || undefined}
      aria-current={selected ? 'true' : undefined}
      data-testid={`inbox-row-${item.id}`}
      data-inbox-id={item.id}
      data-kind={item.kind}
      onClick={() => {
        onSelect(item.id);
      }}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Avatar name={name} color="initials" size={32} aria-hidden />
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          {/* The row is named by what it shows (WCAG "label in name"); only the unread mark is for screen readers alone. */}
          {!item.read && <VisuallyHidden>Unread:</VisuallyHidden>}
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Text size="sm" fw={item.read ? 500 : 700} truncate="end" dir="auto">
              {item.authorHandle && item.authorName ? `${name} ` : name}
              {item.authorHandle && item.authorName && (
                <Text span c="dimmed" fw={400} inherit>
                  {item.authorHandle}
                </Text>
              )}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {at ? formatDateTime(at, { now }) : ''}
            </Text>
          </Group>
          <Text size="sm" lineClamp={2} dir="auto" className={classes.text} c={item.deletedAt ? 'dimmed' : undefined}>
            {item.deletedAt ? 'Deleted on the network.' : item.text.slice(0, 400)}
          </Text>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="light" color="gray">
              {kindLabel(item.kind)}
            </Badge>
            <Text size="xs" c="dimmed" truncate="end" maw={200}>
              {item.channelName}
            </Text>
            {item.labels.map((label) => (
              <Badge key={label} size="xs" variant="outline">
                {label}
              </Badge>
            ))}
            {item.note && <IconNote size={14} aria-label="Has a note" />}
          </Group>
        </Stack>
        {!item.read && <span className={classes.unreadDot} aria-hidden />}
      </Group>
    </UnstyledButton>
  );
}
