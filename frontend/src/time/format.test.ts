import { afterEach, describe, expect, it } from 'vitest';
import {
  daylightSavingNote,
  formatClock,
  formatDateTime,
  formatDay,
  formatDuration,
  formatDurationLong,
  formatOffset,
  formatRelative,
  formatTime,
  getClockSetting,
  setClockSetting,
  subscribeClockSetting,
  systemUses12Hour,
  uses12Hour,
} from './format';
import { wallToInstant } from './zones';

const BERLIN = 'Europe/Berlin';
// 4 May 2026 is a Monday; 14:30 in Berlin (summer time) is 12:30 UTC.
const at = new Date('2026-05-04T12:30:00Z');
const now = new Date('2026-04-01T10:00:00Z');
const inBerlin = { zone: BERLIN, localZone: BERLIN, now };

afterEach(() => {
  setClockSetting('system');
});

describe('the clock', () => {
  it('writes 24-hour and 12-hour readings', () => {
    expect(formatClock(14, 30, false)).toBe('14:30');
    expect(formatClock(9, 5, false)).toBe('09:05');
    expect(formatClock(14, 30, true)).toBe('2:30 PM');
    expect(formatClock(0, 0, true)).toBe('12:00 AM');
    expect(formatClock(12, 0, true)).toBe('12:00 PM');
  });

  it('follows the system unless the user picks one', () => {
    expect(systemUses12Hour('en-US')).toBe(true);
    expect(systemUses12Hour('de-DE')).toBe(false);
    expect(uses12Hour('system', 'en-US')).toBe(true);
    expect(uses12Hour('24', 'en-US')).toBe(false);
    expect(uses12Hour('12', 'de-DE')).toBe(true);
  });

  it('applies the setting everywhere and tells who listens', () => {
    const seen: string[] = [];
    const off = subscribeClockSetting(() => seen.push(getClockSetting()));
    setClockSetting('12');
    expect(formatTime(at, inBerlin)).toBe('2:30 PM');
    setClockSetting('24');
    expect(formatTime(at, inBerlin)).toBe('14:30');
    off();
    setClockSetting('12');
    expect(seen).toEqual(['12', '24']);
  });
});

describe('formatDateTime', () => {
  it('leaves out this year and writes another', () => {
    expect(formatDateTime(at, { ...inBerlin, clock: '24' })).toBe('Mon 4 May, 14:30');
    expect(formatDateTime(new Date('2027-05-04T12:30:00Z'), { ...inBerlin, clock: '12' })).toBe('Tue 4 May 2027, 2:30 PM');
    expect(formatDay(at, inBerlin)).toBe('Mon 4 May');
    expect(formatDay(new Date('2027-05-04T12:30:00Z'), inBerlin)).toBe('Tue 4 May 2027');
  });

  it('decides the year in the zone shown', () => {
    // 31 Dec 2026 23:30 UTC is already 2027 in Berlin.
    const newYear = new Date('2026-12-31T23:30:00Z');
    const end2026 = new Date('2026-12-31T12:00:00Z');
    expect(formatDateTime(newYear, { zone: BERLIN, localZone: BERLIN, now: end2026, clock: '24' })).toBe('Fri 1 Jan 2027, 00:30');
    expect(formatDateTime(newYear, { zone: 'UTC', localZone: 'UTC', now: end2026, clock: '24' })).toBe('Thu 31 Dec, 23:30');
  });

  it('names the zone only when it is not the computer’s', () => {
    expect(formatDateTime(at, { ...inBerlin, clock: '24' })).toBe('Mon 4 May, 14:30');
    expect(formatDateTime(at, { zone: BERLIN, localZone: 'America/New_York', now, clock: '24' })).toBe('Mon 4 May, 14:30 Europe/Berlin');
    expect(formatTime(at, { zone: 'America/New_York', localZone: BERLIN, clock: '12' })).toBe('8:30 AM America/New_York');
    expect(formatTime(at, { zone: 'UTC', localZone: 'Etc/UTC', clock: '24' })).toBe('12:30');
    // Without a zone, the computer's zone is meant, and never named.
    expect(formatTime(at, { clock: '24' })).not.toMatch(/[A-Za-z]/);
  });
});

describe('daylight saving time', () => {
  it('writes the offset either side of a change', () => {
    expect(formatOffset(new Date('2027-03-28T00:30:00Z'), BERLIN)).toBe('UTC+01:00');
    expect(formatOffset(new Date('2027-03-28T01:30:00Z'), BERLIN)).toBe('UTC+02:00');
    expect(formatOffset(at, 'America/New_York')).toBe('UTC-04:00');
    expect(formatOffset(at, 'Asia/Kolkata')).toBe('UTC+05:30');
  });

  it('names the instant a skipped time is stored at (Berlin, 28 Mar 2027: 02:00 → 03:00)', () => {
    const stored = wallToInstant('2027-03-28T02:30', BERLIN);
    expect(stored?.exists).toBe(false);
    expect(stored?.at.toISOString()).toBe('2027-03-28T01:30:00.000Z'); // what the backend stores
    const options = { localZone: BERLIN, now, clock: '24' as const };
    expect(daylightSavingNote('2027-03-28T02:30', BERLIN, new Date('2027-03-28T01:30:00Z'), options)).toBe(
      '02:30 does not exist on Sun 28 Mar 2027 in Europe/Berlin: the clocks jump from 02:00 to 03:00. Herald will publish at Sun 28 Mar 2027, 03:30 (UTC+02:00).',
    );
    expect(daylightSavingNote('2027-03-28T02:30', BERLIN, new Date('2027-03-28T01:30:00Z'), { localZone: 'UTC', now, clock: '12' })).toBe(
      '2:30 AM does not exist on Sun 28 Mar 2027 in Europe/Berlin: the clocks jump from 2:00 AM to 3:00 AM. Herald will publish at Sun 28 Mar 2027, 3:30 AM Europe/Berlin (UTC+02:00).',
    );
  });

  it('names which of a repeated time is used (Berlin, 31 Oct 2027: 03:00 → 02:00)', () => {
    const stored = wallToInstant('2027-10-31T02:30', BERLIN);
    expect(stored?.exists).toBe(true);
    expect(stored?.at.toISOString()).toBe('2027-10-31T00:30:00.000Z'); // the first, as the backend stores
    expect(daylightSavingNote('2027-10-31T02:30', BERLIN, new Date('2027-10-31T00:30:00Z'), { localZone: BERLIN, now, clock: '24' })).toBe(
      '02:30 happens twice on Sun 31 Oct 2027 in Europe/Berlin (the clocks go back). Herald will publish at the first, Sun 31 Oct 2027, 02:30 (UTC+02:00), not the second (UTC+01:00).',
    );
    // Told the second instead, it says so.
    expect(daylightSavingNote('2027-10-31T02:30', BERLIN, new Date('2027-10-31T01:30:00Z'), { localZone: BERLIN, now, clock: '24' })).toMatch(
      /at the second, Sun 31 Oct 2027, 02:30 \(UTC\+01:00\), not the first \(UTC\+02:00\)\.$/,
    );
  });

  it('says nothing about an ordinary time', () => {
    expect(daylightSavingNote('2027-03-28T03:30', BERLIN, new Date('2027-03-28T01:30:00Z'))).toBeUndefined();
    expect(daylightSavingNote('2027-10-31T03:30', BERLIN, new Date('2027-10-31T02:30:00Z'))).toBeUndefined();
    expect(daylightSavingNote('2027-10-31T02:30', 'UTC', new Date('2027-10-31T02:30:00Z'))).toBeUndefined();
  });

  it('writes times on a change day with the offset then in force', () => {
    const options = { zone: BERLIN, localZone: 'UTC', now, clock: '24' as const };
    expect(formatDateTime(new Date('2027-10-31T00:30:00Z'), options)).toBe('Sun 31 Oct 2027, 02:30 Europe/Berlin');
    expect(formatDateTime(new Date('2027-10-31T01:30:00Z'), options)).toBe('Sun 31 Oct 2027, 02:30 Europe/Berlin');
    expect(formatDateTime(new Date('2027-03-28T01:00:00Z'), options)).toBe('Sun 28 Mar 2027, 03:00 Europe/Berlin');
  });
});

describe('formatRelative', () => {
  const base = new Date('2026-05-04T12:00:00Z');
  it.each([
    [-10_000, 'just now'],
    [10_000, 'in less than a minute'],
    [-5 * 60_000, '5 minutes ago'],
    [2 * 3600_000, 'in 2 hours'],
    [-24 * 3600_000, 'yesterday'],
    [3 * 24 * 3600_000, 'in 3 days'],
  ])('%d ms away is "%s"', (ms, text) => {
    expect(formatRelative(new Date(base.getTime() + ms), base)).toBe(text);
  });
});

describe('formatDuration', () => {
  it('writes two units at most, rounded down', () => {
    expect(formatDuration(0)).toBe('under a minute');
    expect(formatDuration(59)).toBe('under a minute');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(12 * 60 + 59)).toBe('12 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3600 + 5 * 60)).toBe('1 h 5 min');
    expect(formatDuration(2 * 86400)).toBe('2 d');
    expect(formatDuration(2 * 86400 + 4 * 3600 + 59 * 60)).toBe('2 d 4 h');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('spells the units out for reading aloud', () => {
    expect(formatDurationLong(3600 + 5 * 60)).toBe('1 hour 5 minutes');
    expect(formatDurationLong(86400 + 3600)).toBe('1 day 1 hour');
    expect(formatDurationLong(60)).toBe('1 minute');
    expect(formatDurationLong(30)).toBe('under a minute');
  });
});
