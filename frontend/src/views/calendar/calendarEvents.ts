import type { CalendarItem } from '../../api/posts';
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

/** An instant as RFC 3339 without milliseconds, as the backend parses it. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
