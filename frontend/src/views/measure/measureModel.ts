import type { BestTimeCell, CurvePoint, Kpi } from '../../api/measure';
import { formatClock, formatDayRange, formatShortCalendarDay } from '../../time/format';
import { instantToWall } from '../../time/zones';

/**
 * The Measure views' model, free of React: the range presets in the
 * user's days, how a KPI and its change are written, the heatmap's order,
 * labels and keys, the content table's sorting and a post's step curve.
 */

/** The days a dashboard covers, "YYYY-MM-DD" in the user's zone, both whole. */
export interface DayRange {
  from: string;
  to: string;
}

/** The presets, in days ending today. */
export const PRESETS = [7, 28, 90] as const;
export const DEFAULT_PRESET = 28;

const pad = (n: number) => String(n).padStart(2, '0');

/** Today in the zone, "YYYY-MM-DD". */
export function todayIn(zone: string, now: Date = new Date()): string {
  return instantToWall(now, zone).slice(0, 10);
}

/** The calendar day `days` after (or before) `day`, by the calendar. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d + days));
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** The last `days` days in the zone, today included. */
export function lastDays(days: number, zone: string, now: Date = new Date()): DayRange {
  const to = todayIn(zone, now);
  return { from: addDays(to, -(days - 1)), to };
}

/** The preset a range is (7, 28 or 90 days ending today), or undefined for another. */
export function presetOf(range: DayRange, zone: string, now: Date = new Date()): number | undefined {
  return PRESETS.find((days) => {
    const p = lastDays(days, zone, now);
    return p.from === range.from && p.to === range.to;
  });
}

/** How many days a range covers. */
export function dayCount(range: DayRange): number {
  const [fy, fm, fd] = range.from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = range.to.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000) + 1;
}

/** A day on a chart's axis: "3 Nov". */
export function axisDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return formatShortCalendarDay(y, m, d);
}

/** The range in words: "3–30 Nov". */
export function periodText(from: string, to: string, thisYear?: number): string {
  return formatDayRange(from, to, thisYear);
}

const MINUS = '−';
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** A count: "1,234", "−12" (the minus sign, not a hyphen). */
export function formatCount(n: number): string {
  return n < 0 ? `${MINUS}${integer.format(-n)}` : integer.format(n);
}

/** A KPI's figure: "1,234", "2.4%"; "—" when there is none. */
export function formatKpiValue(kpi: Pick<Kpi, 'unit' | 'value'>): string {
  const v = kpi.value;
  if (v === undefined || v === null) {
    return '—';
  }
  if (kpi.unit === 'percent') {
    return `${v < 0 ? MINUS : ''}${oneDecimal.format(Math.abs(v))}%`;
  }
  return formatCount(v);
}

export interface KpiChange {
  /** "+20", "−3", "+0.4 pts", "±0". */
  delta: string;
  /** "+20%", "−3.5%"; undefined when there is nothing to divide by. */
  percent?: string;
  direction: 'up' | 'down' | 'same';
  /** For screen readers and tooltips: "up 20 (20%) on 3–30 Nov". */
  words: string;
}

const signed = (n: number, format: (abs: number) => string) => (n > 0 ? `+${format(n)}` : n < 0 ? `${MINUS}${format(-n)}` : `±${format(0)}`);

/**
 * A KPI's change against the period before: the difference as +/−, and
 * the percentage of the earlier figure (a percent KPI changes in points);
 * undefined when either figure is missing.
 */
export function kpiChange(kpi: Pick<Kpi, 'unit' | 'value' | 'previous'>, period: string): KpiChange | undefined {
  const { value, previous } = kpi;
  if (value === undefined || value === null || previous === undefined || previous === null) {
    return undefined;
  }
  const diff = value - previous;
  const direction = diff > 0 ? 'up' : diff < 0 ? 'down' : 'same';
  const percentUnit = kpi.unit === 'percent';
  const delta = percentUnit ? `${signed(diff, (n) => oneDecimal.format(n))} pts` : signed(diff, (n) => integer.format(n));
  let percent: string | undefined;
  if (!percentUnit && previous !== 0) {
    const p = (diff / Math.abs(previous)) * 100;
    percent = `${signed(p, (n) => (n >= 10 ? integer.format(n) : upToOneDecimal.format(n)))}%`;
  }
  const amount = percentUnit ? `${oneDecimal.format(Math.abs(diff))} points` : integer.format(Math.abs(diff));
  const words =
    direction === 'same'
      ? `the same as ${period}`
      : `${direction} ${amount}${percent ? ` (${percent.slice(1)})` : ''} on ${period}`;
  return { delta, ...(percent ? { percent } : {}), direction, words };
}

/* The best-times heatmap. */

/** Weekdays as BestTimeCell.weekday counts them (0 is Sunday). */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The rows, in Herald's week order: Monday first, as the calendar and the queue times have it. */
export const WEEK_ROWS = [1, 2, 3, 4, 5, 6, 0] as const;

export const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The cell of a weekday and hour (cells come Sunday 0:00 first, 24 a day). */
export function cellAt(cells: BestTimeCell[], weekday: number, hour: number): BestTimeCell {
  return cells[weekday * 24 + hour] ?? { weekday, hour, posts: 0, average: 0 };
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** An average: "10", "2.5". */
export function formatAverage(n: number): string {
  return upToOneDecimal.format(n);
}

/** What a cell says: "Tuesday 09:00: 3 posts, 10 interactions on average". */
export function cellLabel(cell: Pick<BestTimeCell, 'weekday' | 'hour' | 'posts' | 'average'>, twelve = false): string {
  const when = `${WEEKDAY_NAMES[cell.weekday] ?? ''} ${formatClock(cell.hour, 0, twelve)}`;
  if (cell.posts === 0) {
    return `${when}: no posts`;
  }
  const average = formatAverage(cell.average);
  return `${when}: ${plural(cell.posts, 'post')}, ${average} ${average === '1' ? 'interaction' : 'interactions'} on average`;
}

/** Where the heatmap's focus is: row (0–6, in WEEK_ROWS order) and hour. */
export interface GridPos {
  row: number;
  col: number;
}

/**
 * Where a key moves the focus, or undefined for other keys: arrows by a
 * cell (stopping at the edges), Home and End to the day's first and last
 * hour, Page Up and Page Down to the first and last day.
 */
export function moveCell(pos: GridPos, key: string): GridPos | undefined {
  const clamp = (n: number, max: number) => Math.min(max, Math.max(0, n));
  switch (key) {
    case 'ArrowLeft':
      return { row: pos.row, col: clamp(pos.col - 1, 23) };
    case 'ArrowRight':
      return { row: pos.row, col: clamp(pos.col + 1, 23) };
    case 'ArrowUp':
      return { row: clamp(pos.row - 1, 6), col: pos.col };
    case 'ArrowDown':
      return { row: clamp(pos.row + 1, 6), col: pos.col };
    case 'Home':
      return { row: pos.row, col: 0 };
    case 'End':
      return { row: pos.row, col: 23 };
    case 'PageUp':
      return { row: 0, col: pos.col };
    case 'PageDown':
      return { row: 6, col: pos.col };
    default:
      return undefined;
  }
}

/** How strong a cell is drawn, 0 (no posts) to 5 (the best average of the range). */
export function intensity(average: number, posts: number, best: number): number {
  if (posts === 0) {
    return 0;
  }
  if (best <= 0) {
    return 1;
  }
  return Math.max(1, Math.min(5, Math.ceil((average / best) * 5)));
}

/* The content table. */

export interface SortState {
  sort: string;
  desc: boolean;
}

/** The default order: the newest first. */
export const DEFAULT_SORT: SortState = { sort: 'published', desc: true };

/** A header clicked: the same column turns its order round; another starts with the largest (or newest) first. */
export function nextSort(current: SortState, key: string): SortState {
  return current.sort === key ? { sort: key, desc: !current.desc } : { sort: key, desc: true };
}

/** A column's aria-sort. */
export function ariaSort(current: SortState, key: string): 'ascending' | 'descending' | 'none' {
  if (current.sort !== key) {
    return 'none';
  }
  return current.desc ? 'descending' : 'ascending';
}

/* A post's curve. */

/** One moment of a post's curve: each metric's value from then on (carried forward). */
export type CurveRow = { at: number } & Record<string, number>;

/**
 * The metrics' changes merged on one time line, each value carried forward
 * to the next reading (a step line: a count stays as it was read until the
 * next reading); a metric appears from its first reading on.
 */
export function stepRows(series: Record<string, CurvePoint[]>): CurveRow[] {
  const keys = Object.keys(series);
  const times = [...new Set(keys.flatMap((k) => (series[k] ?? []).map((p) => Date.parse(p.at))))].filter(Number.isFinite).sort((a, b) => a - b);
  const next = new Map(keys.map((k) => [k, 0]));
  const current = new Map<string, number>();
  return times.map((at) => {
    const row: CurveRow = { at };
    for (const k of keys) {
      const points = series[k] ?? [];
      let i = next.get(k) ?? 0;
      while (i < points.length && Date.parse(points[i]?.at ?? '') <= at) {
        current.set(k, points[i]?.value ?? 0);
        i++;
      }
      next.set(k, i);
      const v = current.get(k);
      if (v !== undefined) {
        row[k] = v;
      }
    }
    return row;
  });
}

/** The page's place in words: "Showing 1–50 of 1,234". */
export function showingText(offset: number, count: number, total: number): string {
  if (total === 0 || count === 0) {
    return 'No posts';
  }
  return `Showing ${formatCount(offset + 1)}–${formatCount(offset + count)} of ${formatCount(total)}`;
}
