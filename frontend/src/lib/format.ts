/** Formatting of sizes and times for display. */

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

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The time in the user's time zone and locale, e.g. "27 Nov 2025, 17:46". */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The day in the user's time zone and locale, e.g. "27 Nov 2025". */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
  ['month', 30 * 24 * 60 * 60],
  ['year', 365 * 24 * 60 * 60],
];

/** "2 hours ago", "yesterday", "just now". */
export function formatRelative(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 45) {
    return 'just now';
  }
  let unit: Intl.RelativeTimeFormatUnit = 'minute';
  let size = 60;
  for (const [nextUnit, nextSize] of STEPS) {
    if (Math.abs(seconds) < nextSize) {
      break;
    }
    unit = nextUnit;
    size = nextSize;
  }
  return relativeFormat.format(Math.round(seconds / size), unit);
}
