import type { network, service, store } from '../wailsjs/go/models';
import * as Measure from '../wailsjs/go/service/Measure';
import { call } from './call';

/*
 * The Measure DTOs as plain data, and the calls of the Measure service.
 */

export type MetricInfo = Omit<service.MetricInfo, 'convertValues'>;
export type MeasureChannel = Omit<service.MeasureChannel, 'convertValues'>;
/** Channels (or a team's; none: every channel) and the user's days from..to, both whole, "YYYY-MM-DD" in timeZone. */
export type MeasureRange = Omit<service.MeasureRange, 'convertValues'>;
export type Kpi = Omit<service.KPI, 'convertValues'>;
export type MetricPoint = Omit<service.Point, 'convertValues'>;
export type MetricSeries = Omit<service.Series, 'convertValues' | 'points'> & { points: MetricPoint[] };
export type Overview = Omit<service.Overview, 'convertValues' | 'kpis' | 'followers' | 'posts' | 'engagement'> & {
  kpis: Kpi[];
  followers: MetricSeries;
  posts: MetricSeries;
  engagement: MetricSeries;
};
export type ContentQuery = Omit<service.ContentQuery, 'convertValues'>;
export type ContentItem = Omit<service.ContentItemView, 'convertValues'>;
export type ContentPage = Omit<service.ContentPage, 'convertValues' | 'rows' | 'columns'> & { rows: ContentItem[]; columns: MetricInfo[] };
export type CurvePoint = Omit<service.CurvePoint, 'convertValues'>;
export type PostCurve = Omit<service.PostCurve, 'convertValues' | 'item'> & { item: ContentItem };
export type BestTimeCell = Omit<service.BestTimeCell, 'convertValues'>;
export type BestTimes = Omit<service.BestTimes, 'convertValues' | 'cells' | 'suggested'> & { cells: BestTimeCell[]; suggested: BestTimeCell[] };
/** One tile of a dashboard: type, what it shows (metric), title ("": the metric's label), size "s" | "m" | "l". */
export type Widget = Omit<store.Widget, 'convertValues'>;
/** What a dashboard shows: channels or a team, a range ("7d", "28d", "90d", "365d" or "custom" with from/to), its widgets in order. */
export type DashboardSpec = Omit<store.DashboardSpec, 'convertValues' | 'widgets'> & { widgets: Widget[] };
export type Dashboard = Omit<service.DashboardView, 'convertValues' | 'spec'> & { spec: DashboardSpec };
export type WatchedAccount = Omit<service.WatchView, 'convertValues'>;
export type CompareRow = Omit<service.CompareRow, 'convertValues'>;
export type DenseChannel = Omit<service.DenseChannel, 'convertValues'>;
export type DenseSeries = Omit<service.DenseSeries, 'convertValues' | 'channels'> & { channels: DenseChannel[] };
/** A public account as a search found it (network.Profile). */
export type PublicProfile = Omit<network.Profile, 'convertValues'>;
/** What to export as CSV: the overview's days and KPIs, every post of a content query, or the best-times cells. */
export type MeasureExport = { kind: 'overview' | 'content' | 'best_times'; query: ContentQuery };
/** A file written; path "" when the user closed the save dialog. */
export type ExportResult = Omit<service.ExportResult, 'convertValues'>;

/** Every metric of every network Herald can measure. */
export const metricCatalogue = (): Promise<MetricInfo[]> => call(() => Measure.Catalogue());

/** Every channel's metrics state: measurable or why not, when last read, what its network does not give. */
export const measureStatus = (): Promise<MeasureChannel[]> => call(() => Measure.Status());

/** Reads a channel's metrics now; resolves to every channel's state after. */
export const syncMetricsNow = (channelId: number): Promise<MeasureChannel[]> => call(() => Measure.SyncNow(channelId));

/** The Channel overview of a range, beside the period of the same length before it. */
export const measureOverview = (range: MeasureRange): Promise<Overview> => call(() => Measure.Overview(range));

/** One page of the range's posts with their latest counts. */
export const measureContent = (query: ContentQuery): Promise<ContentPage> => call(() => Measure.Content(query));

/** A post's growth: each metric's changes, oldest first. */
export const postCurve = (contentId: number): Promise<PostCurve> => call(() => Measure.Curve(contentId));

/** Average engagement by the hour of the week the range's posts went out (the user's time). */
export const bestTimes = (range: MeasureRange): Promise<BestTimes> => call(() => Measure.BestTimes(range));

/** The user's dashboards in their order. */
export const listDashboards = (): Promise<Dashboard[]> => call(() => Measure.Dashboards());

/** Saves a new dashboard, last in the order; a spec the server refuses fails on the field "spec". */
export const createDashboard = (name: string, spec: DashboardSpec): Promise<Dashboard> =>
  call(() => Measure.CreateDashboard(name, spec as store.DashboardSpec));

/** Renames a dashboard and replaces its spec. */
export const updateDashboard = (id: number, name: string, spec: DashboardSpec): Promise<Dashboard> =>
  call(() => Measure.UpdateDashboard(id, name, spec as store.DashboardSpec));

export const deleteDashboard = (id: number): Promise<void> => call(() => Measure.DeleteDashboard(id));

/** Puts a dashboard at a position (1-based); resolves to the new order. */
export const moveDashboard = (id: number, position: number): Promise<Dashboard[]> => call(() => Measure.MoveDashboard(id, position));

/** Writes a dashboard as a PDF into dir every "week" or "month"; "" stops it. */
export const setDashboardReport = (id: number, every: '' | 'week' | 'month', dir: string): Promise<Dashboard> =>
  call(() => Measure.SetDashboardReport(id, every, dir));

/** Asks for a folder in the window; "" when the user cancelled. */
export const chooseFolder = (title: string): Promise<string> => call(() => Measure.ChooseFolder(title));

/** Saves a PNG data: URL to a file the user picks. */
export const saveImage = (defaultName: string, pngDataUrl: string): Promise<ExportResult> => call(() => Measure.SaveImage(defaultName, pngDataUrl));

/** Saves PNG data: URLs, one a block, as a PDF the user picks where to save. */
export const savePdf = (title: string, subtitle: string, pngDataUrls: string[]): Promise<ExportResult> =>
  call(() => Measure.SavePDF(title, subtitle, pngDataUrls));

/** Writes a table or chart as CSV to a file the user picks. */
export const exportMeasureCsv = (e: MeasureExport): Promise<ExportResult> => call(() => Measure.ExportCSV(e as service.MeasureExport));

/** The range's channels and every watched account side by side. */
export const compareAccounts = (range: MeasureRange): Promise<CompareRow[]> => call(() => Measure.Compare(range));

/** A metric's readings per channel, downsampled to about twice width. */
export const denseSeries = (range: MeasureRange, metric: string, width: number): Promise<DenseSeries> => call(() => Measure.Dense(range, metric, width));

/** The watched public accounts with their latest counts. */
export const watchlist = (): Promise<WatchedAccount[]> => call(() => Measure.Watchlist());

/** Watches a public account, read through channelId. */
export const watchAccount = (channelId: number, profile: PublicProfile): Promise<WatchedAccount> =>
  call(() => Measure.Watch(channelId, profile));

export const unwatchAccount = (id: number): Promise<void> => call(() => Measure.Unwatch(id));
