import type { DashboardSpec, MeasureRange, MetricInfo, Widget } from '../../api/measure';
import { type DayRange, lastDays } from './measureModel';

/**
 * The user's dashboards without React: what each kind of widget may show
 * (the rules the server checks, store.CheckSpec), their labels, the range
 * a spec names, and moving things in a list.
 */

export type WidgetType = 'kpi' | 'timeseries' | 'bar' | 'table' | 'top_posts' | 'heatmap';
export type WidgetSize = 's' | 'm' | 'l';
export type SpecRange = '7d' | '28d' | '90d' | '365d' | 'custom';

/** The most widgets a dashboard holds. */
export const MAX_WIDGETS = 24;
/** The longest dashboard name and widget title. */
export const MAX_NAME = 80;

export const WIDGET_TYPES: { value: WidgetType; label: string }[] = [
  { value: 'kpi', label: 'Key figure' },
  { value: 'timeseries', label: 'Line chart' },
  { value: 'bar', label: 'Bar chart' },
  { value: 'table', label: 'Post table' },
  { value: 'top_posts', label: 'Top posts' },
  { value: 'heatmap', label: 'Best times heatmap' },
];

export const WIDGET_SIZES: { value: WidgetSize; label: string }[] = [
  { value: 's', label: 'A third of a row' },
  { value: 'm', label: 'Half a row' },
  { value: 'l', label: 'A whole row' },
];

export const SPEC_RANGES: { value: SpecRange; label: string; days?: number }[] = [
  { value: '7d', label: 'Last 7 days', days: 7 },
  { value: '28d', label: 'Last 28 days', days: 28 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: '365d', label: 'Last 365 days', days: 365 },
  { value: 'custom', label: 'Custom' },
];

/** The channel figures (KPIs and daily series) by key. */
const CHANNEL_LABELS: Record<string, string> = {
  followers: 'Followers',
  growth: 'Follower growth',
  posts: 'Posts published',
  engagement: 'Engagement',
  engagement_rate: 'Engagement rate',
  published: 'Newest first',
};

/** What a kind of widget may show; "" in the server's list stands for any post metric. */
const ALLOWED: Record<WidgetType, string[]> = {
  kpi: ['followers', 'growth', 'posts', 'engagement', 'engagement_rate'],
  timeseries: ['followers', 'posts', 'engagement'],
  bar: ['followers', 'posts', 'engagement'],
  table: ['published', 'engagement'],
  top_posts: ['engagement'],
  heatmap: [''],
};

/** Whether the widget also takes any post metric of the catalogue. */
const TAKES_POST_METRICS: Record<WidgetType, boolean> = { kpi: false, timeseries: false, bar: false, table: true, top_posts: true, heatmap: false };

export interface MetricOption {
  value: string;
  label: string;
}

/** The post metrics of the catalogue (lifetime counts of a post). */
export function postMetrics(catalogue: MetricInfo[]): MetricInfo[] {
  return catalogue.filter((m) => m.scope === 'post');
}

/** What a kind of widget can show, labelled: the only choices the add dialog offers. */
export function metricOptions(type: WidgetType, catalogue: MetricInfo[]): MetricOption[] {
  const own = ALLOWED[type].filter((k) => k !== '').map((k) => ({ value: k, label: CHANNEL_LABELS[k] ?? k }));
  if (!TAKES_POST_METRICS[type]) {
    return own;
  }
  const known = new Set(own.map((o) => o.value));
  return [...own, ...postMetrics(catalogue).filter((m) => !known.has(m.key)).map((m) => ({ value: m.key, label: m.label }))];
}

/** A metric's label: a channel figure's, else the catalogue's post metric, else its key. */
export function metricLabel(metric: string, catalogue: MetricInfo[]): string {
  return CHANNEL_LABELS[metric] ?? postMetrics(catalogue).find((m) => m.key === metric)?.label ?? metric;
}

export function typeLabel(type: string): string {
  return WIDGET_TYPES.find((t) => t.value === type)?.label ?? type;
}

/** A widget's heading: its title, else what it shows. */
export function widgetTitle(w: Widget, catalogue: MetricInfo[]): string {
  if (w.title.trim()) {
    return w.title.trim();
  }
  switch (w.type) {
    case 'heatmap':
      return 'Best times to post';
    case 'table':
      return w.metric === 'published' ? 'Latest posts' : `Posts by ${metricLabel(w.metric, catalogue).toLowerCase()}`;
    case 'top_posts':
      return `Top posts by ${metricLabel(w.metric, catalogue).toLowerCase()}`;
    default:
      return metricLabel(w.metric, catalogue);
  }
}

/**
 * What the figures of a widget are: channel activity in the range (a
 * KPI, a daily series) or a post's lifetime counts (tables of posts
 * published in the range), which must not be read as the same thing.
 */
export function widgetScope(type: string): string {
  switch (type) {
    case 'table':
    case 'top_posts':
      return 'Post lifetime counts, for posts published in the range';
    case 'heatmap':
      return 'Lifetime engagement per post, by the hour it went out';
    default:
      return 'Channel activity in the range';
  }
}

/** An id no widget of the list has: "w1", "w2", … */
export function newWidgetId(widgets: Widget[]): string {
  const taken = new Set(widgets.map((w) => w.id));
  let n = widgets.length + 1;
  while (taken.has(`w${n}`)) {
    n++;
  }
  return `w${n}`;
}

/** The list with the item at `from` put at `to` (0-based, clamped). */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  if (item === undefined) {
    return list;
  }
  out.splice(Math.min(Math.max(to, 0), out.length), 0, item);
  return out;
}

/** A new dashboard's spec: every channel, the last 28 days, no widget. */
export function emptySpec(): DashboardSpec {
  return { channelIds: [], teamId: 0, range: '28d', widgets: [] };
}

/** The days a spec covers, in the zone. */
export function specDays(spec: DashboardSpec, zone: string, now: Date = new Date()): DayRange {
  const preset = SPEC_RANGES.find((r) => r.value === spec.range);
  if (preset?.days) {
    return lastDays(preset.days, zone, now);
  }
  const fallback = lastDays(28, zone, now);
  return { from: spec.from || fallback.from, to: spec.to || fallback.to };
}

/** The range a dashboard's widgets are read with. */
export function specRange(spec: DashboardSpec, zone: string, now: Date = new Date()): MeasureRange {
  const days = specDays(spec, zone, now);
  return { channelIds: spec.channelIds, teamId: spec.teamId, from: days.from, to: days.to, timeZone: zone };
}

/** The spec as the server wants it: from and to only for a custom range. */
export function cleanSpec(spec: DashboardSpec): DashboardSpec {
  const out: DashboardSpec = { channelIds: spec.channelIds, teamId: spec.teamId, range: spec.range, widgets: spec.widgets };
  if (spec.range === 'custom') {
    out.from = spec.from ?? '';
    out.to = spec.to ?? '';
  }
  return out;
}
