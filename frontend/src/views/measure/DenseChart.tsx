import 'uplot/dist/uPlot.min.css';

import { Button, Card, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { type DenseSeries, type MeasureRange, denseSeries } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { formatDateTime } from '../../lib/format';
import { BLOCK_ATTR, SKIP_ATTR } from './ExportMenu';
import { formatCount } from './measureModel';

/** The theme's chart colours, read from its CSS variables (a canvas needs the values). */
const PALETTE = ['indigo', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'violet'];

function themeColor(name: string, shade = 6): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--mantine-color-${name}-${shade}`).trim();
  return value || '#4c6ef5';
}

/**
 * Joins each channel's readings (its own times) on one time axis: a level
 * holds from one reading to the next, and is absent before the first.
 */
export function alignLevels(series: DenseSeries): uPlot.AlignedData {
  const xs = new Set<number>();
  for (const ch of series.channels) {
    for (const x of ch.x) {
      xs.add(x);
    }
  }
  const x = [...xs].sort((a, b) => a - b);
  const ys = series.channels.map((ch) => {
    const out: (number | null)[] = new Array<number | null>(x.length).fill(null);
    let j = -1;
    x.forEach((t, i) => {
      while (j + 1 < ch.x.length && (ch.x[j + 1] ?? Infinity) <= t) {
        j++;
      }
      out[i] = j >= 0 ? (ch.y[j] ?? null) : null;
    });
    return out;
  });
  return [x, ...ys];
}

/**
 * Followers per channel, every reading Herald kept, drawn on a canvas
 * (uPlot): a year of readings for fifty channels, downsampled in Go to
 * twice the chart's width, hovers without dropping frames.
 */
export function DenseChart({ range }: { range: MeasureRange }) {
  const box = useRef<HTMLDivElement>(null);
  const plotEl = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [table, setTable] = useState(false);

  useEffect(() => {
    const el = box.current;
    if (!el) {
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      clearTimeout(timer);
      // Ask again only once a resize settles.
      timer = setTimeout(() => {
        setWidth((old) => (Math.abs(old - w) > 40 ? w : old));
      }, 200);
    });
    observer.observe(el);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, []);

  const load = useCallback(() => (width > 0 ? denseSeries(range, 'followers', Math.min(Math.max(width, 50), 8000)) : Promise.resolve(undefined)), [range, width]);
  const dense = useLoad(load);
  const data = dense.data;
  const aligned = useMemo(() => (data ? alignLevels(data) : undefined), [data]);

  useEffect(() => {
    const el = plotEl.current;
    if (!el || !data || !aligned || data.channels.length === 0) {
      return undefined;
    }
    const plot = new uPlot(
      {
        width: Math.max(width, 200),
        height: 260,
        scales: { x: { time: true } },
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        axes: [{ stroke: themeColor('gray', 7) }, { stroke: themeColor('gray', 7), values: (_u, splits) => splits.map((v) => formatCount(v)) }],
        series: [
          {},
          ...data.channels.map((ch, i) => ({
            label: ch.name,
            stroke: themeColor(PALETTE[i % PALETTE.length] ?? 'indigo'),
            width: 1.5,
            paths: uPlot.paths.stepped?.({ align: 1 }),
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : formatCount(v)),
          })),
        ],
      },
      aligned,
      el,
    );
    return () => {
      plot.destroy();
    };
  }, [data, aligned, width]);

  const points = data?.channels.reduce((n, ch) => n + ch.x.length, 0) ?? 0;
  const read = data?.channels.reduce((n, ch) => n + ch.read, 0) ?? 0;
  const summary = data
    ? `Followers of ${data.channels.length} channel${data.channels.length === 1 ? '' : 's'}, every reading: ${formatCount(read)} readings drawn as ${formatCount(points)} points.`
    : '';

  return (
    <Card data-testid="measure-dense" {...{ [BLOCK_ATTR]: '' }}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            Followers per channel
          </Title>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setTable((t) => !t);
            }}
            aria-pressed={table}
            {...{ [SKIP_ATTR]: '' }}
          >
            {table ? 'Hide the table' : 'Show as table'}
          </Button>
        </Group>
        {dense.error && <ErrorPanel title="Herald could not read the followers per channel" error={dense.error} onRetry={dense.reload} />}
        {data && (
          <Text size="sm" c="dimmed" data-testid="measure-dense-summary">
            {data.channels.length === 0 ? 'No channel was read in this range yet.' : summary}
          </Text>
        )}
        <div ref={box} role="img" aria-label={summary || 'Followers per channel'} style={{ minHeight: 260 }}>
          {!data && !dense.error && <Skeleton h={260} aria-hidden />}
          <div ref={plotEl} />
        </div>
        {table && data && (
          <Table striped verticalSpacing={4} data-testid="measure-dense-table">
            <Table.Caption>The last reading of each channel in the range</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Read</Table.Th>
                <Table.Th ta="right">Followers</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.channels.map((ch) => (
                <Table.Tr key={ch.channelId}>
                  <Table.Th scope="row" fw={400}>
                    {ch.name}
                  </Table.Th>
                  <Table.Td>{ch.x.length ? formatDateTime(new Date((ch.x[ch.x.length - 1] ?? 0) * 1000)) : '—'}</Table.Td>
                  <Table.Td ta="right">{ch.y.length ? formatCount(ch.y[ch.y.length - 1] ?? 0) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
