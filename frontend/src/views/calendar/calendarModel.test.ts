import { describe, expect, it } from 'vitest';
import { calendarItemFixture } from '../../test/postFixtures';
import {
  addMonths,
  countByStatus,
  dayKey,
  dayLabel,
  fitChannelGroups,
  groupByChannel,
  groupByDay,
  moveFocus,
  rangeOf,
  sameTimeOn,
  timeOf,
  visibleDays,
} from './calendarModel';

/** An instant at a local wall-clock time, as RFC 3339 (the calendar is in the computer's zone). */
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).toISOString().replace('.000Z', 'Z');

describe('the days a view shows', () => {
  it('covers a month in whole weeks from Monday, only as many weeks as it needs', () => {
    const dec = visibleDays(new Date(2026, 11, 8), 'month');
    // 1 December 2026 is a Tuesday, 31 December a Thursday: Mon 30 Nov to Sun 3 Jan.
    expect(dayKey(dec[0] as Date)).toBe('2026-11-30');
    expect(dayKey(dec.at(-1) as Date)).toBe('2027-01-03');
    expect(dec).toHaveLength(35);
    // February 2027 starts on a Monday and takes exactly four weeks.
    expect(visibleDays(new Date(2027, 1, 10), 'month')).toHaveLength(28);
    // August 2026 starts on a Saturday and needs six.
    expect(visibleDays(new Date(2026, 7, 20), 'month')).toHaveLength(42);
  });

  it('covers a week from its Monday, and asks the backend for exactly those days', () => {
    const week = visibleDays(new Date(2026, 11, 10), 'week');
    expect(week.map(dayKey)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13']);
    const { from, to } = rangeOf(week);
    expect(from).toEqual(new Date(2026, 11, 7));
    expect(to).toEqual(new Date(2026, 11, 14));
  });

  it('steps months without overflowing into the next one', () => {
    expect(dayKey(addMonths(new Date(2027, 0, 31), 1))).toBe('2027-02-28');
    expect(dayKey(addMonths(new Date(2027, 2, 31), -1))).toBe('2027-02-28');
  });
});

describe('grouping', () => {
  it('puts items and expiries on their local day, each day in time order', () => {
    const items = [
      calendarItemFixture({ targetId: 3, at: local(2026, 12, 8, 17) }),
      calendarItemFixture({ targetId: 1, at: local(2026, 12, 8, 9) }),
      calendarItemFixture({ targetId: 2, at: local(2026, 12, 9, 0, 5) }),
      calendarItemFixture({ targetId: 4, at: local(2026, 12, 8, 9) }),
    ];
    const groups = groupByDay(items, [{ channelId: 12, at: local(2026, 12, 9, 23, 59), label: 'ends' }]);
    expect(groups.get('2026-12-08')?.items.map((i) => i.targetId)).toEqual([1, 4, 3]);
    expect(groups.get('2026-12-09')?.items.map((i) => i.targetId)).toEqual([2]);
    expect(groups.get('2026-12-09')?.expiry).toHaveLength(1);
    expect(groups.get('2026-12-10')).toBeUndefined();
  });

  it('counts a day by how its items look, most first', () => {
    const counts = countByStatus([
      calendarItemFixture({ status: 'published', editable: false }),
      calendarItemFixture({ status: 'scheduled' }),
      calendarItemFixture({ status: 'scheduled', handedOff: true }),
      calendarItemFixture({ status: 'published', editable: false }),
      calendarItemFixture({ status: 'failed' }),
    ]);
    expect(counts).toEqual([
      { label: 'Published', color: 'teal', count: 2 },
      { label: 'Failed', color: 'red', count: 1 },
      { label: 'Handed off', color: 'violet', count: 1 },
      { label: 'Scheduled', color: 'blue', count: 1 },
    ]);
  });

  it('groups a day by channel in order of first post, and cuts the groups to the lines a week day has', () => {
    const items = [
      calendarItemFixture({ targetId: 1, channelId: 5 }),
      calendarItemFixture({ targetId: 2, channelId: 9 }),
      calendarItemFixture({ targetId: 3, channelId: 5 }),
      calendarItemFixture({ targetId: 4, channelId: 7 }),
      calendarItemFixture({ targetId: 5, channelId: 9 }),
    ];
    const groups = groupByChannel(items);
    expect(groups.map((g) => [g.channelId, g.items.map((i) => i.targetId)])).toEqual([
      [5, [1, 3]],
      [9, [2, 5]],
      [7, [4]],
    ]);
    // Six lines: heading + 2, heading + 2, and no room for channel 7's heading and post.
    const fit = fitChannelGroups(groups, 6);
    expect(fit.shown.map((g) => [g.channelId, g.items.length])).toEqual([
      [5, 2],
      [9, 2],
    ]);
    expect(fit.hidden).toBe(1);
    // Five lines: channel 5 whole, channel 9 cut to its first post.
    const tight = fitChannelGroups(groups, 5);
    expect(tight.shown.map((g) => [g.channelId, g.items.length])).toEqual([
      [5, 2],
      [9, 1],
    ]);
    expect(tight.hidden).toBe(2);
    expect(fitChannelGroups(groups, 100).hidden).toBe(0);
  });
});

describe('a day for a screen reader', () => {
  const today = new Date(2026, 11, 7, 10);
  it('says the day in words and how many posts it has', () => {
    const day = new Date(2026, 11, 8);
    const items = Array.from({ length: 36 }, (_, i) => calendarItemFixture({ targetId: i }));
    expect(dayLabel(day, { items, expiry: [] }, today)).toBe('Tuesday 8 December, 36 posts');
    expect(dayLabel(day, { items: items.slice(0, 1), expiry: [] }, today)).toBe('Tuesday 8 December, 1 post');
    expect(dayLabel(day, undefined, today)).toBe('Tuesday 8 December, no posts');
  });

  it('names sign-ins that end, today, and another year', () => {
    expect(dayLabel(new Date(2026, 11, 7), { items: [], expiry: [{ channelId: 1, at: '', label: '' }] }, today)).toBe(
      'Monday 7 December, no posts, a sign-in ends, today',
    );
    expect(dayLabel(new Date(2027, 0, 1), undefined, today)).toBe('Friday 1 January 2027, no posts');
  });
});

describe('keyboard movement', () => {
  const tue = new Date(2026, 11, 8);
  const key = (k: string, mode: 'month' | 'week' = 'month') => {
    const d = moveFocus(tue, k, mode);
    return d && dayKey(d);
  };
  it('moves by a day, a week, to the week ends and by a month', () => {
    expect(key('ArrowRight')).toBe('2026-12-09');
    expect(key('ArrowLeft')).toBe('2026-12-07');
    expect(key('ArrowDown')).toBe('2026-12-15');
    expect(key('ArrowUp')).toBe('2026-12-01');
    expect(key('Home')).toBe('2026-12-07');
    expect(key('End')).toBe('2026-12-13');
    expect(key('PageDown')).toBe('2027-01-08');
    expect(key('PageUp')).toBe('2026-11-08');
    expect(key('PageDown', 'week')).toBe('2026-12-15');
    expect(key('a')).toBeUndefined();
  });

  it('crosses months and daylight-saving changes by the calendar', () => {
    expect(dayKey(moveFocus(new Date(2026, 11, 31), 'ArrowRight', 'month') as Date)).toBe('2027-01-01');
    // Around 29 March 2026 (Europe) or 8 March 2026 (US) a day is 23 hours; still the next day.
    expect(dayKey(moveFocus(new Date(2026, 2, 28), 'ArrowRight', 'month') as Date)).toBe('2026-03-29');
    expect(dayKey(moveFocus(new Date(2026, 2, 7), 'ArrowDown', 'month') as Date)).toBe('2026-03-14');
  });
});

describe('dropping on another day', () => {
  it('keeps the wall-clock time', () => {
    const moved = sameTimeOn({ at: local(2026, 12, 8, 14, 30) }, new Date(2026, 11, 10));
    expect(moved).toEqual(new Date(2026, 11, 10, 14, 30));
  });
});

describe('times', () => {
  it('are written on the computer\'s clock with the Clock setting', () => {
    expect(timeOf(local(2026, 12, 8, 14, 5), false)).toBe('14:05');
    expect(timeOf(local(2026, 12, 8, 14, 5), true)).toBe('2:05 PM');
    expect(timeOf(local(2026, 12, 8, 0, 30), true)).toBe('12:30 AM');
  });
});
