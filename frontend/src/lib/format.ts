/** Formatting of sizes and times for display; the rules for times are in ../time/format. */

import { formatDateTime as formatTimeDateTime, formatDay, formatRelative } from '../time/format';

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB". Uses powers of 1000, as file managers do. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return 'Unknown';
  }
  if (bytes < 1000) {
    return `${Math.round(bytes)} B`;
  }
  let value = bytes;
  let unit: string = 'B';
  for (const next of SIZE_UNITS) {
    if (value < 1000) {
      break;
    }
    value /= 1000;
    unit = next;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

/** Parses an RFC 3339 time from the backend; undefined for "" or garbage. */
export function parseTime(iso: string | undefined): Date | undefined {
  if (!iso) {
    return undefined;
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The time in the computer's zone, in Herald's one style (see time/format). */
export function formatDateTime(date: Date): string {
  return formatTimeDateTime(date);
}

/** The day in the computer's zone, e.g. "Mon 4 May" or "Mon 4 May 2027". */
export function formatDate(date: Date): string {
  return formatDay(date);
}

export { formatRelative };

const countFormat = new Intl.NumberFormat('en');

/** 4012 → "4,012"; with the noun, singular for one: "1 follower", "4,012 posts". */
export function formatCount(n: number, noun?: { one: string; other: string }): string {
  const text = countFormat.format(n);
  return noun ? `${text} ${n === 1 ? noun.one : noun.other}` : text;
}
