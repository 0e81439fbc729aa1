import { Badge, Button, Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconKeyOff } from '@tabler/icons-react';
import { useState } from 'react';
import type { ChannelView } from '../../api/types';
import { formatLongCalendarDay } from '../../time/format';
import { ChannelAvatar } from '../channels/ChannelAvatar';
import { channelName } from '../channels/channelText';
import { targetLook } from '../posts/targetText';
import { countByStatus, type DayGroup, groupByChannel, timeOf } from './calendarModel';

/** Rows the day list draws at first and adds per "Show more": a day of 150 posts opens at once. */
export const DAY_PAGE = 40;

export interface DayListProps {
  day: Date | undefined;
  group: DayGroup | undefined;
  /** A 12-hour clock (the Clock setting, resolved once for the whole calendar). */
  twelve: boolean;
  channelOf: (id: number) => ChannelView | undefined;
  onClose: () => void;
  onOpenPost: (postId: number) => void;
  onOpenExpiry: (channelId: number) => void;
}

/** Everything on one day: counts by status and channel, then the posts in time order, a page at a time. */
export function DayList({ day, group, ...rest }: DayListProps) {
  const title = day ? formatLongCalendarDay(day.getFullYear(), day.getMonth() + 1, day.getDate(), day.getFullYear() !== new Date().getFullYear()) : '';
  return (
    <Modal opened={day !== undefined} onClose={rest.onClose} title={title} size="lg" data-testid="calendar-day-list">
      {/* Keyed by day: a day opened afresh starts at its first page. */}
      {day && <DayListBody key={day.getTime()} group={group} {...rest} />}
    </Modal>
  );
}

function DayListBody({ group, twelve, channelOf, onOpenPost, onOpenExpiry }: Omit<DayListProps, 'day' | 'onClose'>) {
  const [shown, setShown] = useState(DAY_PAGE);
  const items = group?.items ?? [];
  const expiry = group?.expiry ?? [];
  const name = (id: number) => {
    const channel = channelOf(id);
    return channel ? channelName(channel) : 'Removed channel';
  };
  const channels = groupByChannel(items);
  return (
    <Stack gap="sm">
      <Text size="sm" data-testid="calendar-day-summary">
        {items.length === 0 ? 'No posts on this day.' : `${items.length} ${items.length === 1 ? 'post' : 'posts'}`}
        {items.length > 0 && ` on ${channels.length} ${channels.length === 1 ? 'channel' : 'channels'}: `}
        {countByStatus(items)
          .map((c) => `${c.count} ${c.label.toLowerCase()}`)
          .join(', ')}
      </Text>
      {expiry.map((marker) => (
        <UnstyledButton
          key={`${marker.channelId}-${marker.at}`}
          onClick={() => {
            onOpenExpiry(marker.channelId);
          }}
        >
          <Group gap="xs" wrap="nowrap">
            <IconKeyOff size={16} aria-hidden color="var(--mantine-color-red-8)" />
            <Text size="sm" fw={600}>
              {timeOf(marker.at, twelve)}
            </Text>
            <Text size="sm">{marker.label}</Text>
          </Group>
        </UnstyledButton>
      ))}
      <Stack gap={2} component="ul" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Posts on this day">
        {items.slice(0, shown).map((item) => {
          const look = targetLook({ status: item.status, handedOff: item.handedOff });
          const channel = channelOf(item.channelId);
          return (
            <li key={item.targetId}>
              <UnstyledButton
                w="100%"
                px={6}
                py={4}
                style={{ borderRadius: 4 }}
                data-testid="calendar-day-item"
                data-post-id={item.postId}
                data-target-id={item.targetId}
                onClick={() => {
                  onOpenPost(item.postId);
                }}
              >
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600} w={72} style={{ flexShrink: 0 }}>
                    {timeOf(item.at, twelve)}
                  </Text>
                  <ChannelAvatar src={channel?.avatarUrl ?? ''} name={name(item.channelId)} size={20} />
                  <Text size="sm" fw={500} w={120} truncate style={{ flexShrink: 0 }}>
                    {name(item.channelId)}
                  </Text>
                  <Text size="sm" truncate style={{ flex: 1 }}>
                    {item.title || 'Untitled post'}
                  </Text>
                  <Badge size="sm" variant="light" color={look.color} style={{ flexShrink: 0 }}>
                    {look.label}
                  </Badge>
                </Group>
              </UnstyledButton>
            </li>
          );
        })}
      </Stack>
      {items.length > shown && (
        <Button
          variant="default"
          onClick={() => {
            setShown((n) => n + DAY_PAGE);
          }}
        >
          Show {Math.min(DAY_PAGE, items.length - shown)} more of {items.length - shown}
        </Button>
      )}
    </Stack>
  );
}
