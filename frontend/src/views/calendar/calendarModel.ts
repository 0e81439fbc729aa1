import type { CalendarItem, ExpiryMarker } from '../../api/posts';
import { formatClock, formatLongCalendarDay } from '../../time/format';
import { targetLook } from '../posts/targetText';

/**
 * The calendar's model, free of React: which days a month or week shows,
 * the range to ask the backend for, items grouped per day, and where the
 * arrow keys go. Days are local calendar days (the calendar is in the
 * computer's zone), keyed "2026-12-08".
 */

export type CalendarMode = 'month' | 'week';

/** Weeks start on Monday, as Herald writes days ("Mon 4 May"). */
const WEEK_START = 1;

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-08" of a local day. */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local day of an instant, at midnight. */
export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** `days` later (or earlier), by the calendar, so daylight saving does not shift it. */
export function addDays(d: Date, days: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days);
}

/** The same day of the month `months` later, clamped to that month's end. */
export function addMonths(d: Date, months: number): Date {
  const first = new Date(d.getFullYear(), d.getMonth() + months, 1);
  const last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
  return new Date(first.getFullYear(), first.getMonth(), Math.min(d.getDate(), last));
}

/** The Monday on or before `d`. */
export function startOfWeek(d: Date): Date {
  return addDays(startOfDay(d), -((d.getDay() - WEEK_START + 7) % 7));
}

/**
 * The days a view shows around `anchor`: for a month, whole weeks from the
 * week of its 1st to the week of its last day (4 to 6 weeks, so a short
 * month takes less height); for a week, its seven days.
 */
export function visibleDays(anchor: Date, mode: CalendarMode): Date[] {
  if (mode === 'week') {
    const start = startOfWeek(anchor);
    return Array.from({ length: 7 }, (_, i) => addDays(start, i));
  }
  const start = startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1));
  const end = addDays(startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0)), 7);
  const days: Date[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) {
    days.push(d);
  }
  return days;
}

/** The days in rows of seven. */
export function weeksOf(days: Date[]): Date[][] {
  const weeks: Date[][] = [];
  for (let i = 0; i < days.length; i += 7) {
    weeks.push(days.slice(i, i + 7));
  }
  return weeks;
}

/** The instants the backend is asked for: the first day's midnight to the midnight after the last. */
export function rangeOf(days: Date[]): { from: Date; to: Date } {
  const first = days[0] ?? startOfDay(new Date());
  const last = days.at(-1) ?? first;
  return { from: first, to: addDays(last, 1) };
}

/** A day's items (time order) and the sign-ins that end on it. */
export interface DayGroup {
  items: CalendarItem[];
  expiry: ExpiryMarker[];
}

/**
 * The items and expiries per local day, each day's items in time order
 * (then by target, as the backend sorts them). One pass over the range:
 * this is all the month does with thousands of items before it draws the
 * few each day shows.
 */
export function groupByDay(items: readonly CalendarItem[], expiry: readonly ExpiryMarker[] = []): Map<string, DayGroup> {
  const days = new Map<string, DayGroup>();
  const get = (key: string) => {
    let group = days.get(key);
    if (!group) {
      group = { items: [], expiry: [] };
      days.set(key, group);
    }
    return group;
  };
  for (const item of items) {
    get(dayKey(new Date(item.at))).items.push(item);
  }
  for (const marker of expiry) {
    get(dayKey(new Date(marker.at))).expiry.push(marker);
  }
  for (const group of days.values()) {
    group.items.sort((a, b) => a.at.localeCompare(b.at) || a.targetId - b.targetId);
  }
  return days;
}

/** How many of a day's items have one look (status label and colour). */
export interface StatusCount {
  label: string;
  color: string;
  count: number;
}

/** The items counted by how they look (Scheduled, Published, Failed…), most first. */
export function countByStatus(items: readonly CalendarItem[]): StatusCount[] {
  const counts = new Map<string, StatusCount>();
  for (const item of items) {
    const look = targetLook({ status: item.status, handedOff: item.handedOff });
    const entry = counts.get(look.label);
    if (entry) {
      entry.count++;
    } else {
      counts.set(look.label, { label: look.label, color: look.color, count: 1 });
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** One channel's items on a day. */
export interface ChannelGroup {
  channelId: number;
  items: CalendarItem[];
}

/** A day's items by channel, channels in the order of their first item. */
export function groupByChannel(items: readonly CalendarItem[]): ChannelGroup[] {
  const groups = new Map<number, ChannelGroup>();
  for (const item of items) {
    let group = groups.get(item.channelId);
    if (!group) {
      group = { channelId: item.channelId, items: [] };
      groups.set(item.channelId, group);
    }
    group.items.push(item);
  }
  return [...groups.values()];
}

/**
 * What fits in a week column of `rows` lines, channel by channel (a
 * channel's heading takes a line): the groups cut to fit, and how many
 * items are left out.
 */
export function fitChannelGroups(groups: readonly ChannelGroup[], rows: number): { shown: ChannelGroup[]; hidden: number } {
  const shown: ChannelGroup[] = [];
  let left = rows;
  let hidden = 0;
  for (const group of groups) {
    if (left < 2) {
      hidden += group.items.length;
      continue;
    }
    const take = Math.min(group.items.length, left - 1);
    shown.push({ channelId: group.channelId, items: group.items.slice(0, take) });
    hidden += group.items.length - take;
    left -= take + 1;
  }
  return { shown, hidden };
}

/** What a screen reader says for a day: "Tuesday 8 December, 36 posts", and its sign-in expiries. */
export function dayLabel(day: Date, group: DayGroup | undefined, today = new Date()): string {
  const name = formatLongCalendarDay(day.getFullYear(), day.getMonth() + 1, day.getDate(), day.getFullYear() !== today.getFullYear());
  const n = group?.items.length ?? 0;
  const parts = [name, n === 0 ? 'no posts' : n === 1 ? '1 post' : `${n} posts`];
  const ends = group?.expiry.length ?? 0;
  if (ends > 0) {
    parts.push(ends === 1 ? 'a sign-in ends' : `${ends} sign-ins end`);
  }
  if (dayKey(day) === dayKey(today)) {
    parts.push('today');
  }
  return parts.join(', ');
}

/**
 * Where a key moves the focused day, or undefined for other keys: arrows by
 * a day or a week, Home and End to the week's ends, Page Up and Page Down
 * by a month (by a week in the week view).
 */
export function moveFocus(day: Date, key: string, mode: CalendarMode): Date | undefined {
  switch (key) {
    case 'ArrowLeft':
      return addDays(day, -1);
    case 'ArrowRight':
      return addDays(day, 1);
    case 'ArrowUp':
      return addDays(day, -7);
    case 'ArrowDown':
      return addDays(day, 7);
    case 'Home':
      return startOfWeek(day);
    case 'End':
      return addDays(startOfWeek(day), 6);
    case 'PageUp':
      return mode === 'month' ? addMonths(day, -1) : addDays(day, -7);
    case 'PageDown':
      return mode === 'month' ? addMonths(day, 1) : addDays(day, 7);
    default:
      return undefined;
  }
}

/**
 * A dragged item's new time on another day: the same wall-clock time there
 * (the calendar moves posts between days; the post's own screen sets the
 * minute).
 */
export function sameTimeOn(item: Pick<CalendarItem, 'at'>, day: Date): Date {
  const at = new Date(item.at);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), at.getHours(), at.getMinutes(), at.getSeconds());
}

/**
 * "14:30" or "2:30 PM" of an instant on the computer's clock, the calendar's
 * zone: the shared clock format, without the zone lookups `formatTime` does
 * per call (a month draws a hundred of these at a time).
 */
export function timeOf(iso: string, twelve: boolean): string {
  const at = new Date(iso);
  return formatClock(at.getHours(), at.getMinutes(), twelve);
}
