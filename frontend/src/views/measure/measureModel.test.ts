import { describe, expect, it } from 'vitest';
import { formatDayRange } from '../../time/format';
import {
  addDays,
  ariaSort,
  cellLabel,
  dayCount,
  DEFAULT_SORT,
  formatKpiValue,
  intensity,
  kpiChange,
  lastDays,
  moveCell,
  nextSort,
  presetOf,
  showingText,
  stepRows,
  todayIn,
} from './measureModel';

describe('KPI figures', () => {
  it('writes counts with separators and percentages with one decimal; none is "—"', () => {
    expect(formatKpiValue({ unit: 'accounts', value: 12345 })).toBe('12,345');
    expect(formatKpiValue({ unit: 'accounts', value: -12 })).toBe('−12');
    expect(formatKpiValue({ unit: 'percent', value: 2.345 })).toBe('2.3%');
    expect(formatKpiValue({ unit: 'percent', value: 4 })).toBe('4.0%');
    expect(formatKpiValue({ unit: 'posts', value: undefined })).toBe('—');
    expect(formatKpiValue({ unit: 'posts', value: null as unknown as undefined })).toBe('—');
  });

  it('writes the change against the period before as +/− and %', () => {
    expect(kpiChange({ unit: 'accounts', value: 120, previous: 100 }, '3–30 Nov')).toEqual({
      delta: '+20',
      percent: '+20%',
      direction: 'up',
      words: 'up 20 (20%) on 3–30 Nov',
    });
    const down = kpiChange({ unit: 'interactions', value: 1930, previous: 2000 }, '3–30 Nov');
    expect(down?.delta).toBe('−70');
    expect(down?.percent).toBe('−3.5%');
    expect(down?.direction).toBe('down');
    expect(down?.words).toBe('down 70 (3.5%) on 3–30 Nov');
    const same = kpiChange({ unit: 'posts', value: 5, previous: 5 }, '3–30 Nov');
    expect(same?.delta).toBe('±0');
    expect(same?.words).toBe('the same as 3–30 Nov');
  });

  it('changes a percentage in points, and gives no % when the period before had nothing', () => {
    const rate = kpiChange({ unit: 'percent', value: 2.5, previous: 2.1 }, 'Nov');
    expect(rate?.delta).toBe('+0.4 pts');
    expect(rate?.percent).toBeUndefined();
    expect(rate?.words).toBe('up 0.4 points on Nov');
    const fromNothing = kpiChange({ unit: 'posts', value: 4, previous: 0 }, 'Nov');
    expect(fromNothing?.delta).toBe('+4');
    expect(fromNothing?.percent).toBeUndefined();
  });

  it('has no change when either figure is missing', () => {
    expect(kpiChange({ unit: 'accounts', value: undefined, previous: 100 }, 'Nov')).toBeUndefined();
    expect(kpiChange({ unit: 'accounts', value: 100, previous: undefined }, 'Nov')).toBeUndefined();
    expect(kpiChange({ unit: 'accounts', value: 100, previous: null as unknown as undefined }, 'Nov')).toBeUndefined();
  });
});

describe('range presets in the user’s zone', () => {
  // 23:30 UTC on 7 December is already 8 December in Auckland and still 7 December in Los Angeles.
  const now = new Date('2026-12-07T23:30:00Z');

  it('ends today in the zone, today included', () => {
    expect(todayIn('Pacific/Auckland', now)).toBe('2026-12-08');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-12-07');
    expect(lastDays(28, 'Pacific/Auckland', now)).toEqual({ from: '2026-11-11', to: '2026-12-08' });
    expect(lastDays(7, 'America/Los_Angeles', now)).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(lastDays(90, 'UTC', now)).toEqual({ from: '2026-09-09', to: '2026-12-07' });
    expect(dayCount(lastDays(90, 'UTC', now))).toBe(90);
  });

  it('counts calendar days across a daylight-saving change and a year', () => {
    expect(addDays('2026-03-29', -1)).toBe('2026-03-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(dayCount({ from: '2026-03-01', to: '2026-03-31' })).toBe(31);
  });

  it('knows which preset a range is', () => {
    expect(presetOf(lastDays(7, 'Europe/Berlin', now), 'Europe/Berlin', now)).toBe(7);
    expect(presetOf({ from: '2026-11-01', to: '2026-11-30' }, 'Europe/Berlin', now)).toBeUndefined();
  });

  it('writes a period in words', () => {
    expect(formatDayRange('2026-11-03', '2026-11-30', 2026)).toBe('3–30 Nov');
    expect(formatDayRange('2026-10-28', '2026-11-26', 2026)).toBe('28 Oct – 26 Nov');
    expect(formatDayRange('2025-12-15', '2026-01-12', 2026)).toBe('15 Dec 2025 – 12 Jan 2026');
    expect(formatDayRange('2025-11-03', '2025-11-30', 2026)).toBe('3–30 Nov 2025');
    expect(formatDayRange('2026-11-03', '2026-11-03', 2026)).toBe('3 Nov');
  });
});

describe('the heatmap', () => {
  it('labels a cell with the day, the hour and the posts in words', () => {
    expect(cellLabel({ weekday: 2, hour: 9, posts: 3, average: 10 })).toBe('Tuesday 09:00: 3 posts, 10 interactions on average');
    expect(cellLabel({ weekday: 0, hour: 14, posts: 1, average: 2.25 }, true)).toBe('Sunday 2:00 PM: 1 post, 2.3 interactions on average');
    expect(cellLabel({ weekday: 1, hour: 0, posts: 0, average: 0 })).toBe('Monday 00:00: no posts');
  });

  it('moves with the arrow keys and stops at the edges', () => {
    expect(moveCell({ row: 0, col: 0 }, 'ArrowLeft')).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 0, col: 0 }, 'ArrowRight')).toEqual({ row: 0, col: 1 });
    expect(moveCell({ row: 0, col: 5 }, 'ArrowDown')).toEqual({ row: 1, col: 5 });
    expect(moveCell({ row: 6, col: 5 }, 'ArrowDown')).toEqual({ row: 6, col: 5 });
    expect(moveCell({ row: 3, col: 5 }, 'Home')).toEqual({ row: 3, col: 0 });
    expect(moveCell({ row: 3, col: 5 }, 'End')).toEqual({ row: 3, col: 23 });
    expect(moveCell({ row: 3, col: 5 }, 'PageUp')).toEqual({ row: 0, col: 5 });
    expect(moveCell({ row: 3, col: 5 }, 'a')).toBeUndefined();
  });

  it('draws a cell stronger for a better average, and none without posts', () => {
    expect(intensity(0, 0, 10)).toBe(0);
    expect(intensity(0, 2, 10)).toBe(1);
    expect(intensity(10, 2, 10)).toBe(5);
    expect(intensity(5, 2, 10)).toBe(3);
  });
});

describe('the content table', () => {
  it('turns a column round on a second click, and starts another with the largest first', () => {
    const byLikes = nextSort(DEFAULT_SORT, 'favourites');
    expect(byLikes).toEqual({ sort: 'favourites', desc: true });
    expect(nextSort(byLikes, 'favourites')).toEqual({ sort: 'favourites', desc: false });
    expect(ariaSort(byLikes, 'favourites')).toBe('descending');
    expect(ariaSort({ sort: 'favourites', desc: false }, 'favourites')).toBe('ascending');
    expect(ariaSort(byLikes, 'engagement')).toBe('none');
  });

  it('says which posts a page shows', () => {
    expect(showingText(0, 50, 1234)).toBe('Showing 1–50 of 1,234');
    expect(showingText(1200, 34, 1234)).toBe('Showing 1,201–1,234 of 1,234');
    expect(showingText(0, 0, 0)).toBe('No posts');
  });
});

describe('a post’s curve', () => {
  it('merges the metrics on one time line and carries each value to the next reading', () => {
    const rows = stepRows({
      favourites: [
        { at: '2026-12-01T10:00:00Z', value: 1 },
        { at: '2026-12-01T12:00:00Z', value: 5 },
      ],
      reblogs: [{ at: '2026-12-01T11:00:00Z', value: 2 }],
    });
    expect(rows).toEqual([
      { at: Date.parse('2026-12-01T10:00:00Z'), favourites: 1 },
      { at: Date.parse('2026-12-01T11:00:00Z'), favourites: 1, reblogs: 2 },
      { at: Date.parse('2026-12-01T12:00:00Z'), favourites: 5, reblogs: 2 },
    ]);
  });
});
