/**
 * How Herald writes a time: the one place for the rules.
 *
 * - The clock is the system's 12/24-hour preference unless the user picks
 *   one in Settings → General ("Clock").
 * - One style: "Mon 4 May, 14:30" this year, "Mon 4 May 2027, 2:30 PM"
 *   in another year (the year of the zone the time is shown in).
 * - A time shows its zone ("14:30 Europe/Berlin") when it is not the
 *   computer's zone, and never when it is.
 * - Relative wording ("in 2 hours", "yesterday") only ever follows a full
 *   time, never replaces it.
 */
import { computerZone, instantToWall, zoneOffsetMinutes } from './zones';

/** The Clock setting: follow the system, or always 12- or 24-hour. */
export type ClockSetting = 'system' | '12' | '24';

export const CLOCK_SETTINGS: readonly ClockSetting[] = ['system', '12', '24'];

export function isClockSetting(value: unknown): value is ClockSetting {
  return value === 'system' || value === '12' || value === '24';
}

let clockSetting: ClockSetting = 'system';
const listeners = new Set<() => void>();

/** The Clock setting in force (Settings → General). */
export function getClockSetting(): ClockSetting {
  return clockSetting;
}

/** Applies the Clock setting everywhere times are shown. */
export function setClockSetting(setting: ClockSetting): void {
  if (setting === clockSetting) {
    return;
  }
  clockSetting = setting;
  listeners.forEach((listener) => {
    listener();
  });
}

/** Calls `listener` whenever the Clock setting changes; returns the unsubscribe. */
export function subscribeClockSetting(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * True when the system (the locale, as the engine reports it) uses a
 * 12-hour clock: its hour cycle, or else how it writes 13:00.
 */
export function systemUses12Hour(locale?: string): boolean {
  // The engine reads the locale once at start, so its answer is kept.
  const key = locale ?? '';
  let known = twelveHourOf.get(key);
  if (known === undefined) {
    known = askUses12Hour(locale);
    twelveHourOf.set(key, known);
  }
  return known;
}

const twelveHourOf = new Map<string, boolean>();

function askUses12Hour(locale?: string): boolean {
  try {
    const format = new Intl.DateTimeFormat(locale, { hour: 'numeric' });
    const cycle = format.resolvedOptions().hourCycle;
    if (cycle) {
      return cycle === 'h11' || cycle === 'h12';
    }
    return !format.format(new Date(2000, 0, 1, 13)).includes('13');
  } catch {
    return false;
  }
}

/** True when times are written with a 12-hour clock under `setting`. */
export function uses12Hour(setting: ClockSetting = clockSetting, locale?: string): boolean {
  return setting === 'system' ? systemUses12Hour(locale) : setting === '12';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A wall-clock reading: "14:30" on a 24-hour clock, "2:30 PM" on a 12-hour one. */
export function formatClock(hour: number, minute: number, twelve = uses12Hour()): string {
  if (!twelve) {
    return `${pad(hour)}:${pad(minute)}`;
  }
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}:${pad(minute)} ${hour < 12 ? 'AM' : 'PM'}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Where and how a time is shown. */
export interface TimeOptions {
  /** The zone to read the time in; the computer's by default. */
  zone?: string;
  /** Now, to decide whether to write the year. */
  now?: Date;
  /** Overrides the Clock setting (tests, previews). */
  clock?: ClockSetting;
  /** The computer's zone; read from the system by default (tests set it). */
  localZone?: string;
}

interface Reading {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  zone: string;
  local: boolean;
  twelve: boolean;
  thisYear: boolean;
}

function read(at: Date, options: TimeOptions): Reading {
  const localZone = options.localZone ?? computerZone();
  const zone = options.zone ?? localZone;
  const wall = instantToWall(at, zone);
  const [year, month, day, hour, minute] = wall.split(/[-T:]/).map(Number) as [number, number, number, number, number];
  const nowYear = Number(instantToWall(options.now ?? new Date(), zone).slice(0, 4));
  return {
    year,
    month,
    day,
    hour,
    minute,
    zone,
    local: sameZone(zone, localZone, at),
    twelve: uses12Hour(options.clock ?? clockSetting),
    thisYear: year === nowYear,
  };
}

/**
 * True when two zone names mean the computer's clock at that instant
 * ("UTC" and "Etc/UTC", or the same name).
 */
function sameZone(a: string, b: string, at: Date): boolean {
  if (a === b) {
    return true;
  }
  const utc = (z: string) => z === 'UTC' || z === 'Etc/UTC' || z === 'Etc/GMT' || z === 'GMT';
  return utc(a) && utc(b) && zoneOffsetMinutes(at.getTime(), a) === zoneOffsetMinutes(at.getTime(), b);
}

function dayText(r: Reading, withYear: boolean): string {
  const weekday = WEEKDAYS[new Date(Date.UTC(r.year, r.month - 1, r.day)).getUTCDay()];
  const base = `${weekday} ${r.day} ${MONTHS[r.month - 1]}`;
  return withYear ? `${base} ${r.year}` : base;
}

/** "Mon 4 May" (or "Mon 4 May 2027" with the year) of a calendar day; month is 1–12. */
export function formatCalendarDay(year: number, month: number, day: number, withYear = false): string {
  return dayText({ year, month, day, hour: 0, minute: 0, zone: '', local: true, twelve: false, thisYear: !withYear }, withYear);
}

const zoneSuffix = (r: Reading) => (r.local ? '' : ` ${r.zone}`);

/** "14:30", or "14:30 Europe/Berlin" when the zone is not the computer's. */
export function formatTime(at: Date, options: TimeOptions = {}): string {
  const r = read(at, options);
  return `${formatClock(r.hour, r.minute, r.twelve)}${zoneSuffix(r)}`;
}

/** "Mon 4 May" this year, "Mon 4 May 2027" in another. */
export function formatDay(at: Date, options: TimeOptions = {}): string {
  const r = read(at, options);
  return dayText(r, !r.thisYear);
}

/**
 * "Mon 4 May, 14:30" this year, "Mon 4 May 2027, 2:30 PM" in another, with
 * the zone after the time when it is not the computer's.
 */
export function formatDateTime(at: Date, options: TimeOptions = {}): string {
  const r = read(at, options);
  return `${dayText(r, !r.thisYear)}, ${formatClock(r.hour, r.minute, r.twelve)}${zoneSuffix(r)}`;
}

/** "UTC+02:00", "UTC-04:00", "UTC+05:30": how far the zone is from UTC at that instant. */
export function formatOffset(at: Date, zone: string): string {
  const minutes = zoneOffsetMinutes(at.getTime(), zone);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
  ['month', 30 * 24 * 60 * 60],
  ['year', 365 * 24 * 60 * 60],
];

/** "2 hours ago", "in 3 days", "yesterday", "just now", "in less than a minute". */
export function formatRelative(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 45) {
    // A time about to come is not "just now": the composer shows it for a
    // post scheduled seconds ahead.
    return seconds > 0 ? 'in less than a minute' : 'just now';
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

/** The first minute at which the zone's offset is the one in force at `hi` (lo has another). */
function changeBetween(lo: number, hi: number, zone: string): number {
  const after = zoneOffsetMinutes(hi, zone);
  let a = lo;
  let b = hi;
  while (b - a > 60_000) {
    const mid = Math.floor((a + b) / 120_000) * 60_000;
    if (zoneOffsetMinutes(mid, zone) === after) {
      b = mid;
    } else {
      a = mid;
    }
  }
  return b;
}

/** The clock reading of an instant at a fixed offset from UTC. */
function clockAt(instant: number, offsetMinutes: number, twelve: boolean): string {
  const d = new Date(instant + offsetMinutes * 60_000);
  return formatClock(d.getUTCHours(), d.getUTCMinutes(), twelve);
}

/**
 * What daylight saving time does to a wall-clock time ("2027-03-28T02:30")
 * picked in a zone, given the instant Herald stores for it: undefined when
 * nothing; otherwise a sentence naming that instant, written like every
 * other time.
 */
export function daylightSavingNote(local: string, zone: string, stored: Date, options: Omit<TimeOptions, 'zone'> = {}): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) {
    return undefined;
  }
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const wanted = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  const twelve = uses12Hour(options.clock ?? clockSetting);
  const at = stored.getTime();
  const dayName = dayText({ year, month, day, hour, minute, zone, local: true, twelve, thisYear: false }, true);
  const picked = formatClock(hour, minute, twelve);
  const full = (instant: number) => formatDateTime(new Date(instant), { ...options, zone });
  const hours = 3 * 3600_000;
  if (instantToWall(stored, zone) !== wanted) {
    // Skipped: find the jump just before the stored instant.
    const before = zoneOffsetMinutes(at - hours, zone);
    const after = zoneOffsetMinutes(at, zone);
    if (before === after) {
      return undefined;
    }
    const change = changeBetween(at - hours, at, zone);
    return (
      `${picked} does not exist on ${dayName} in ${zone}: the clocks jump from ${clockAt(change, before, twelve)} to ${clockAt(change, after, twelve)}. ` +
      `Herald will publish at ${full(at)} (${formatOffset(stored, zone)}).`
    );
  }
  // Repeated: the same reading at the other offset around it.
  for (const near of [at - hours, at + hours]) {
    const other = at + (zoneOffsetMinutes(at, zone) - zoneOffsetMinutes(near, zone)) * 60_000;
    if (other !== at && instantToWall(new Date(other), zone) === wanted) {
      const [first, second] = other < at ? [other, at] : [at, other];
      const which = first === at ? 'first' : 'second';
      return (
        `${picked} happens twice on ${dayName} in ${zone} (the clocks go back). ` +
        `Herald will publish at the ${which}, ${full(at)} (${formatOffset(stored, zone)}), not the ${which === 'first' ? 'second' : 'first'} (${formatOffset(new Date(which === 'first' ? second : first), zone)}).`
      );
    }
  }
  return undefined;
}

const LONG_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** "Mon" … "Sun" of a weekday (0 = Sunday), for column headings. */
export function formatWeekday(weekday: number): string {
  return WEEKDAYS[((weekday % 7) + 7) % 7] ?? '';
}

/**
 * "Tuesday 8 December" (with the year: "Tuesday 8 December 2027") of a
 * calendar day, month 1–12: what a screen reader says for a day, where the
 * short form would be read letter by letter.
 */
export function formatLongCalendarDay(year: number, month: number, day: number, withYear = false): string {
  const weekday = LONG_WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const base = `${weekday} ${day} ${LONG_MONTHS[month - 1]}`;
  return withYear ? `${base} ${year}` : base;
}

/** "4 May" (with the year: "4 May 2027") of a calendar day, month 1–12: chart axes and ranges, where the weekday crowds. */
export function formatShortCalendarDay(year: number, month: number, day: number, withYear = false): string {
  const base = `${day} ${MONTHS[month - 1]}`;
  return withYear ? `${base} ${year}` : base;
}

/**
 * Days from..to ("YYYY-MM-DD", both whole) as a range: "3–30 Nov",
 * "28 Oct – 26 Nov", "15 Dec 2025 – 12 Jan 2026", "4 May" for one day.
 * The year is written when the range leaves `thisYear`.
 */
export function formatDayRange(from: string, to: string, thisYear = new Date().getFullYear()): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (fy !== ty) {
    return `${formatShortCalendarDay(fy, fm, fd, true)} – ${formatShortCalendarDay(ty, tm, td, true)}`;
  }
  const withYear = ty !== thisYear;
  if (fm !== tm) {
    return `${formatShortCalendarDay(fy, fm, fd)} – ${formatShortCalendarDay(ty, tm, td, withYear)}`;
  }
  if (fd === td) {
    return formatShortCalendarDay(ty, tm, td, withYear);
  }
  return `${fd}–${formatShortCalendarDay(ty, tm, td, withYear)}`;
}

/** "December 2026": a calendar's month; month 1–12. */
export function formatMonthYear(year: number, month: number): string {
  return `${LONG_MONTHS[month - 1]} ${year}`;
}

/**
 * How long something took, for reports: "under a minute", "12 min",
 * "1 h 5 min", "3 h", "2 d 4 h". Two units at most (the larger is what
 * people compare), rounded down; "—" for no value.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) {
    return 'under a minute';
  }
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 ? `${days} d` : `${days} d ${rest} h`;
}

/**
 * The same duration in words for a screen reader or a tooltip, where
 * "h" and "d" would be read letter by letter: "1 hour 5 minutes".
 */
export function formatDurationLong(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return formatDuration(seconds)
    .replace(/(\d+) d\b/, (_, n: string) => plural(Number(n), 'day'))
    .replace(/(\d+) h\b/, (_, n: string) => plural(Number(n), 'hour'))
    .replace(/(\d+) min\b/, (_, n: string) => plural(Number(n), 'minute'));
}
