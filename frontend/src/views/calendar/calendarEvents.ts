import type { EventInput } from '@fullcalendar/core';
import type { CalendarItem, CalendarRange, ExpiryMarker } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { targetLook } from '../posts/targetText';

/** The Mantine colour of a calendar item, from its status (the same as the status badges). */
export function itemColor(item: Pick<CalendarItem, 'status' | 'handedOff'>): string {
  return targetLook({ status: item.status, handedOff: item.handedOff }).color;
}

/** The legend: what each colour means. */
export const LEGEND: { label: string; color: string }[] = [
  { label: 'Scheduled', color: 'blue' },
  { label: 'Handed off', color: 'violet' },
  { label: 'Published', color: 'teal' },
  { label: 'Failed', color: 'red' },
  { label: 'Waiting / needs you', color: 'orange' },
  { label: 'Not published', color: 'gray' },
];

export interface ItemProps {
  kind: 'item';
  item: CalendarItem;
  channel: ChannelView | undefined;
}

export interface ExpiryProps {
  kind: 'expiry';
  marker: ExpiryMarker;
  channel: ChannelView | undefined;
}

const cssColor = (color: string, shade = 6) => `var(--mantine-color-${color}-${shade})`;

/** "2026-12-01" of an instant in the computer's zone (the calendar's zone). */
function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The calendar's events: one per variant, coloured by status and draggable
 * when the backend says so, and for each sign-in ending in the range a red
 * marker at its time plus a red background on its day.
 */
export function toEvents(range: CalendarRange, channels: ChannelView[]): EventInput[] {
  const channelOf = (id: number) => channels.find((c) => c.id === id);
  const events: EventInput[] = (range.items ?? []).map((item) => {
    // Light tint, text in the theme's readable light-variant colour, edged in the status colour.
    const color = cssColor(itemColor(item));
    const props: ItemProps = { kind: 'item', item, channel: channelOf(item.channelId) };
    return {
      id: `target-${item.targetId}`,
      // The variants of a post move together, as Reschedule moves them.
      ...(item.editable ? { groupId: `post-${item.postId}` } : {}),
      title: item.title || 'Untitled post',
      start: item.at,
      allDay: false,
      editable: item.editable,
      startEditable: item.editable,
      durationEditable: false,
      backgroundColor: `var(--mantine-color-${itemColor(item)}-light)`,
      borderColor: color,
      textColor: `var(--mantine-color-${itemColor(item)}-light-color)`,
      classNames: item.editable ? ['herald-draggable'] : [],
      extendedProps: props,
    };
  });
  for (const marker of range.expiry ?? []) {
    const props: ExpiryProps = { kind: 'expiry', marker, channel: channelOf(marker.channelId) };
    events.push({
      id: `expiry-${marker.channelId}-${marker.at}`,
      title: marker.label,
      start: marker.at,
      allDay: false,
      editable: false,
      backgroundColor: cssColor('red', 9),
      borderColor: cssColor('red', 9),
      textColor: 'white',
      extendedProps: props,
    });
    events.push({
      id: `expiry-day-${marker.channelId}-${marker.at}`,
      start: localDay(marker.at),
      allDay: true,
      display: 'background',
      backgroundColor: cssColor('red', 6),
    });
  }
  return events;
}

/** An instant as RFC 3339 without milliseconds, as the backend parses it. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
