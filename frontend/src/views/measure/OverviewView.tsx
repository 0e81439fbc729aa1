import '@mantine/charts/styles.css';

import { BarChart, LineChart } from '@mantine/charts';
import { ActionIcon, Button, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconInfoCircle, IconMinus } from '@tabler/icons-react';
import { useCallback, useRef, useState } from 'react';
import { type Kpi, type MetricSeries, measureOverview } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { formatCalendarDay } from '../../time/format';
import { DenseChart } from './DenseChart';
import { BLOCK_ATTR, ExportMenu, SKIP_ATTR } from './ExportMenu';
import { useMeasure } from './MeasureLayout';
import { axisDay, formatCount, formatKpiValue, kpiChange, periodText } from './measureModel';

/** One KPI against the period before; embedded: inside a dashboard widget, whose heading names it. */
export function KpiTile({ kpi, period, embedded = false, idPrefix = 'kpi' }: { kpi: Kpi; period: string; embedded?: boolean; idPrefix?: string }) {
  const value = formatKpiValue(kpi);
  const change = kpiChange(kpi, period);
  const none = kpi.value === undefined || kpi.value === null;
  const Arrow = change?.direction === 'up' ? IconArrowUpRight : change?.direction === 'down' ? IconArrowDownRight : IconMinus;
  const color = change?.direction === 'up' ? 'teal' : change?.direction === 'down' ? 'red' : 'dimmed';
  return (
    <Card
      padding={embedded ? 0 : 'md'}
      bg={embedded ? 'transparent' : undefined}
      withBorder={embedded ? false : undefined}
      shadow={embedded ? 'none' : undefined}
      data-testid="measure-kpi"
      data-key={kpi.key}
      component="section"
      aria-labelledby={`${idPrefix}-${kpi.key}`}
    >
      <Group justify="space-between" wrap="nowrap" gap={4}>
        <Text size="sm" fw={500} c="dimmed" id={`${idPrefix}-${kpi.key}`}>
          {kpi.label}
        </Text>
        <Tooltip label={kpi.help} multiline w={240}>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`About ${kpi.label}: ${kpi.help}`}>
            <IconInfoCircle size={15} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Text fz={28} fw={650} lh={1.3} data-testid="measure-kpi-value">
        {value}
      </Text>
      {none ? (
        <Text size="xs" c="dimmed">
          {kpi.help}
        </Text>
      ) : change ? (
        <Text size="sm" c={color} data-testid="measure-kpi-change">
          <Arrow size={14} aria-hidden style={{ verticalAlign: '-2px' }} /> <span aria-hidden>{change.delta}</span>
          {change.percent && <span aria-hidden> ({change.percent})</span>}
          <VisuallyHidden component="span">{change.words}</VisuallyHidden>
          <Text span size="xs" c="dimmed" aria-hidden>
            {' '}
            vs {period}
          </Text>
        </Text>
      ) : (
        <Text size="xs" c="dimmed">
          Nothing to compare with in {period}.
        </Text>
      )}
    </Card>
  );
}

export type Kind = 'level' | 'count';

/** A series in one sentence: what a chart says to someone who cannot see it. */
export function seriesSummary(series: MetricSeries, kind: Kind, unit: string): string {
  const known = series.points.filter((p) => p.value !== undefined && p.value !== null);
  if (known.length === 0) {
    return `${series.label}: no figures in this range.`;
  }
  if (kind === 'level') {
    const first = known[0]!;
    const last = known[known.length - 1]!;
    return `${series.label}: ${formatCount(first.value!)} on ${axisDay(first.date)}, ${formatCount(last.value!)} on ${axisDay(last.date)}.`;
  }
  const total = known.reduce((sum, p) => sum + (p.value ?? 0), 0);
  if (total === 0) {
    return `${series.label}: none in these ${series.points.length} days.`;
  }
  const best = known.reduce((a, b) => ((b.value ?? 0) > (a.value ?? 0) ? b : a));
  return `${series.label}: ${formatCount(total)} ${unit} in ${series.points.length} days; the most on ${axisDay(best.date)} (${formatCount(best.value ?? 0)}).`;
}

function dayLong(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return formatCalendarDay(y, m, d);
}

interface SeriesCardProps {
  series: MetricSeries;
  kind: Kind;
  unit: string;
  color: string;
  /** The chart drawn: lines for a level, bars for a count, unless named. */
  chart?: 'line' | 'bar';
  /** Inside a dashboard widget, whose heading names the series: no card, no heading of its own. */
  bare?: boolean;
}

/** A daily series as a chart, with a summary in words and a table to switch to. */
export function SeriesCard({ series, kind, unit, color, chart = kind === 'level' ? 'line' : 'bar', bare = false }: SeriesCardProps) {
  const [table, setTable] = useState(false);
  const summary = seriesSummary(series, kind, unit);
  const data = series.points.map((p) => ({ date: p.date, value: p.value ?? null }));
  const common = {
    h: 220,
    data,
    dataKey: 'date',
    series: [{ name: 'value', label: series.label, color }],
    valueFormatter: (v: number) => formatCount(v),
    xAxisProps: { tickFormatter: (d: string) => axisDay(d), minTickGap: 24 },
    gridAxis: 'y' as const,
  };
  const body = (
    <Stack gap="xs" data-testid={bare ? `measure-chart-${series.key}` : undefined}>
      <Group justify={bare ? 'flex-end' : 'space-between'} wrap="nowrap">
        {!bare && (
          <Title order={2} size="h5">
            {series.label}
          </Title>
        )}
        <Button
          size="compact-xs"
          variant="subtle"
          aria-pressed={table}
          aria-label={bare ? `${table ? 'Show as chart' : 'Show as table'}: ${series.label}` : undefined}
          {...{ [SKIP_ATTR]: '' }}
          onClick={() => {
            setTable((t) => !t);
          }}
        >
          {table ? 'Show as chart' : 'Show as table'}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" data-testid="measure-chart-summary">
        {summary}
      </Text>
      {table ? (
        <Table.ScrollContainer minWidth={240} maxHeight={260}>
          <Table striped verticalSpacing={4} data-testid="measure-chart-table">
            <Table.Caption>{series.label} per day</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Day</Table.Th>
                <Table.Th ta="right">{series.label}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {series.points.map((p) => (
                <Table.Tr key={p.date}>
                  <Table.Th scope="row" fw={400}>
                    {dayLong(p.date)}
                  </Table.Th>
                  <Table.Td ta="right">{p.value === undefined || p.value === null ? '—' : formatCount(p.value)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        // The summary above and the table say what the chart shows.
        <div role="img" aria-label={summary}>
          {chart === 'line' ? (
            // A level is read against its own range, not from zero: a
            // follower count of 9,000 that gains 40 must show the rise.
            <LineChart
              {...common}
              connectNulls={false}
              withDots={false}
              curveType="linear"
              yAxisProps={kind === 'level' ? { domain: ['auto', 'auto'] } : {}}
              lineChartProps={{ accessibilityLayer: false }}
            />
          ) : (
            <BarChart {...common} barChartProps={{ accessibilityLayer: false }} />
          )}
        </div>
      )}
    </Stack>
  );
  if (bare) {
    return body;
  }
  return (
    <Card data-testid={`measure-chart-${series.key}`} {...{ [BLOCK_ATTR]: '' }}>
      {body}
    </Card>
  );
}

/** #/measure: the selected channels' KPIs against the period before, and their days in charts. */
export function OverviewView() {
  const { range, version, subtitle } = useMeasure();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const load = useCallback(() => measureOverview(range), [range, version]);
  const overview = useLoad(load);
  const root = useRef<HTMLDivElement>(null);
  const o = overview.data;
  if (overview.error) {
    return <ErrorPanel title="Herald could not build the overview" error={overview.error} onRetry={overview.reload} />;
  }
  if (!o) {
    return (
      <Stack gap="xs" aria-hidden data-testid="measure-overview-loading">
        <Skeleton h={110} />
        <Skeleton h={240} />
      </Stack>
    );
  }
  const period = periodText(o.prevFrom, o.prevTo);
  return (
    <Stack gap="lg" data-testid="measure-overview" ref={root}>
      <Group justify="flex-end">
        <ExportMenu
          target={root}
          title="Channel overview"
          subtitle={subtitle}
          csv={[{ label: 'CSV: days and KPIs', export: { kind: 'overview', query: { ...range, search: '', replies: false, sort: 'published', desc: true, offset: 0, limit: 0 } } }]}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }} spacing="sm" {...{ [BLOCK_ATTR]: '' }}>
        {o.kpis.map((kpi) => (
          <KpiTile key={kpi.key} kpi={kpi} period={period} />
        ))}
      </SimpleGrid>
      <SeriesCard series={o.followers} kind="level" unit="followers" color="indigo.6" />
      <DenseChart range={range} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <SeriesCard series={o.posts} kind="count" unit="posts" color="teal.7" />
        <SeriesCard series={o.engagement} kind="count" unit="interactions" color="grape.6" />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {periodText(o.from, o.to)} against the {o.followers.points.length} days before ({period}). Days are in {range.timeZone}.
      </Text>
    </Stack>
  );
}
