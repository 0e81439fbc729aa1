import { Skeleton, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { AppError } from '../../api/errors';
import { type BestTimes, type ContentItem, measureContent, type MeasureRange, type MetricInfo, type Overview, type Widget } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { formatDateTime, uses12Hour } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { metricLabel } from './dashboardModel';
import { Heatmap } from './Heatmap';
import { cellAt, cellLabel, formatCount, type GridPos, periodText, WEEK_ROWS } from './measureModel';
import { KpiTile, type Kind, SeriesCard } from './OverviewView';

/** A piece of the dashboard's data, shared by its widgets: loaded once for all of them. */
export interface Shared<T> {
  data: T | undefined;
  error: AppError | undefined;
  reload: () => void;
}

interface WidgetBodyProps {
  widget: Widget;
  range: MeasureRange;
  version: number;
  catalogue: MetricInfo[];
  overview: Shared<Overview>;
  best: Shared<BestTimes>;
}

const SERIES: Record<string, { kind: Kind; unit: string; color: string }> = {
  followers: { kind: 'level', unit: 'followers', color: 'indigo.6' },
  posts: { kind: 'count', unit: 'posts', color: 'teal.7' },
  engagement: { kind: 'count', unit: 'interactions', color: 'grape.6' },
};

function Loading() {
  return <Skeleton h={120} aria-hidden data-testid="widget-loading" />;
}

/** A post's figure for the metric a table is sorted by: engagement, a post metric; "—" when absent. */
function postValue(row: ContentItem, metric: string): string {
  const v = metric === 'engagement' ? row.engagement : row.metrics[metric];
  return v === undefined || v === null ? '—' : formatCount(v);
}

/** table: a page of 10 posts sorted by the metric; top_posts: the 5 first, with their figure. */
function PostsWidget({ widget, range, version, catalogue, top }: Pick<WidgetBodyProps, 'widget' | 'range' | 'version' | 'catalogue'> & { top: boolean }) {
  const load = useCallback(
    () => measureContent({ ...range, search: '', replies: false, sort: widget.metric, desc: true, offset: 0, limit: top ? 5 : 10 }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
    [range, widget.metric, top, version],
  );
  const page = useLoad(load);
  if (page.error) {
    return <ErrorPanel title="Herald could not list the posts" error={page.error} onRetry={page.reload} />;
  }
  if (!page.data) {
    return <Loading />;
  }
  const rows = page.data.rows;
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="widget-empty">
        No posts in this range.
      </Text>
    );
  }
  const byPublished = widget.metric === 'published';
  const label = byPublished ? 'Engagement' : metricLabel(widget.metric, catalogue);
  const valueOf = (row: ContentItem) => postValue(row, byPublished ? 'engagement' : widget.metric);
  if (top) {
    return (
      <Stack component="ol" gap={6} m={0} pl="md" data-testid="widget-top-posts">
        {rows.map((row) => (
          <li key={row.id}>
            <Text size="sm" lineClamp={2}>
              {row.excerpt || 'A post without text'}
            </Text>
            <Text size="xs" c="dimmed">
              {row.channelName} · <strong>{valueOf(row)}</strong> {label.toLowerCase()}
            </Text>
          </li>
        ))}
      </Stack>
    );
  }
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing={6} data-testid="widget-table">
        <Table.Caption>
          {rows.length} of {formatCount(page.data.total)} posts, {byPublished ? 'newest first' : `the most ${label.toLowerCase()} first`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Post</Table.Th>
            <Table.Th ta="right">{label}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                <Text size="sm" lineClamp={1}>
                  {row.excerpt || 'A post without text'}
                </Text>
                <Text size="xs" c="dimmed">
                  {row.channelName} · <time dateTime={row.publishedAt}>{formatDateTime(new Date(row.publishedAt), { zone: range.timeZone })}</time>
                </Text>
              </Table.Td>
              <Table.Td ta="right">{valueOf(row)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function HeatmapWidget({ best }: { best: BestTimes }) {
  const twelve = uses12Hour(useClockSetting());
  const [focused, setFocused] = useState<GridPos>({ row: 0, col: 9 });
  const current = cellAt(best.cells, WEEK_ROWS[focused.row] ?? 1, focused.col);
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {best.note}
      </Text>
      <div style={{ overflowX: 'auto' }}>
        <div style={{ minWidth: 560 }}>
          <Heatmap cells={best.cells} focused={focused} onFocus={setFocused} twelve={twelve} />
        </div>
      </div>
      <Text size="sm">{cellLabel(current, twelve)}</Text>
    </Stack>
  );
}

/** What one widget shows, from the dashboard's range. */
export function WidgetBody({ widget, range, version, catalogue, overview, best }: WidgetBodyProps) {
  switch (widget.type) {
    case 'kpi':
    case 'timeseries':
    case 'bar': {
      if (overview.error) {
        return <ErrorPanel title="Herald could not read the channel figures" error={overview.error} onRetry={overview.reload} />;
      }
      const o = overview.data;
      if (!o) {
        return <Loading />;
      }
      if (widget.type === 'kpi') {
        const kpi = o.kpis.find((k) => k.key === widget.metric);
        if (!kpi) {
          return (
            <Text size="sm" c="dimmed">
              Herald has no such figure.
            </Text>
          );
        }
        return <KpiTile kpi={kpi} period={periodText(o.prevFrom, o.prevTo)} embedded idPrefix={`widget-${widget.id}-kpi`} />;
      }
      const key = widget.metric as 'followers' | 'posts' | 'engagement';
      const series = o[key];
      const look = SERIES[key] ?? { kind: 'count' as const, unit: '', color: 'indigo.6' };
      return <SeriesCard series={series} kind={look.kind} unit={look.unit} color={look.color} chart={widget.type === 'bar' ? 'bar' : 'line'} bare />;
    }
    case 'table':
    case 'top_posts':
      return <PostsWidget widget={widget} range={range} version={version} catalogue={catalogue} top={widget.type === 'top_posts'} />;
    case 'heatmap':
      if (best.error) {
        return <ErrorPanel title="Herald could not work out the best times" error={best.error} onRetry={best.reload} />;
      }
      return best.data ? <HeatmapWidget best={best.data} /> : <Loading />;
    default:
      return (
        <Text size="sm" c="dimmed">
          Herald cannot draw a “{widget.type}” widget.
        </Text>
      );
  }
}
