import type { service } from '../wailsjs/go/models';
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

export type DenseChannel = Omit<service.DenseChannel, 'convertValues'>;
export type DenseSeries = Omit<service.DenseSeries, 'convertValues' | 'channels'> & { channels: DenseChannel[] };

/** A channel metric's every reading in a range, per channel, downsampled in Go to twice `width` points. */
export const denseSeries = (range: MeasureRange, metric: string, width: number): Promise<DenseSeries> =>
  call(() => Measure.Dense(range, metric, width));
