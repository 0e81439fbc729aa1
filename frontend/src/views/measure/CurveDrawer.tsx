import '@mantine/charts/styles.css';

import { LineChart } from '@mantine/charts';
import { Button, Drawer, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'react-router-dom';
import { type ContentItem, type MetricInfo, postCurve } from '../../api/measure';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ExternalLink } from '../../components/ExternalLink';
import { TimeValue } from '../../components/TimeValue';
import { useLoad } from '../../hooks/useLoad';
import { formatDateTime, formatDay } from '../../time/format';
import { formatCount, stepRows } from './measureModel';

export const SERIES_COLORS = ['indigo.6', 'teal.7', 'grape.6', 'orange.7', 'cyan.7', 'pink.6', 'lime.8', 'blue.6'];

function CurveBody({ item, columns, zone }: { item: ContentItem; columns: MetricInfo[]; zone: string }) {
  const load = useCallback(() => postCurve(item.id), [item.id]);
  const curve = useLoad(load);
  const [table, setTable] = useState(false);
  if (curve.error) {
    return <ErrorPanel title="Herald could not read this post's curve" error={curve.error} onRetry={curve.reload} />;
  }
  if (!curve.data) {
    return <Skeleton h={260} aria-hidden data-testid="measure-curve-loading" />;
  }
  const keys = columns.map((c) => c.key).filter((k) => (curve.data?.series[k] ?? []).length > 0);
  const labelOf = (key: string) => columns.find((c) => c.key === key)?.label ?? key;
  const rows = stepRows(curve.data.series);
  const readAt = curve.data.item.readAt ?? item.readAt ?? '';
  if (keys.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="measure-curve-empty">
        Herald has no readings of this post yet.
      </Text>
    );
  }
  const summary = `${keys
    .map((k) => {
      const points = curve.data?.series[k] ?? [];
      return `${labelOf(k)} ${formatCount(points[points.length - 1]?.value ?? 0)}`;
    })
    .join(', ')}, over ${points(rows.length)}.`;
  return (
    <Stack gap="sm" data-testid="measure-curve">
      <Group gap={6}>
        <Text size="sm" c="dimmed">
          Read
        </Text>
        <TimeValue iso={readAt} none="Not yet" past />
      </Group>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" data-testid="measure-curve-summary">
          {summary}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          aria-pressed={table}
          onClick={() => {
            setTable((t) => !t);
          }}
        >
          {table ? 'Show as chart' : 'Show as table'}
        </Button>
      </Group>
      {table ? (
        <Table.ScrollContainer minWidth={320} maxHeight={420}>
          <Table striped verticalSpacing={4} data-testid="measure-curve-table">
            <Table.Caption>Each reading: the counts from that time on</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Read at</Table.Th>
                {keys.map((k) => (
                  <Table.Th key={k} ta="right">
                    {labelOf(k)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.at}>
                  <Table.Th scope="row" fw={400}>
                    {formatDateTime(new Date(r.at), { zone })}
                  </Table.Th>
                  {keys.map((k) => (
                    <Table.Td key={k} ta="right">
                      {r[k] === undefined ? '—' : formatCount(r[k])}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <div role="img" aria-label={summary}>
          <LineChart
            h={280}
            data={rows}
            dataKey="at"
            curveType="stepAfter"
            connectNulls={false}
            withDots={false}
            withLegend
            series={keys.map((k, i) => ({ name: k, label: labelOf(k), color: SERIES_COLORS[i % SERIES_COLORS.length] ?? 'indigo.6' }))}
            valueFormatter={(v) => formatCount(v)}
            xAxisProps={{
              type: 'number',
              scale: 'time',
              domain: ['dataMin', 'dataMax'],
              tickFormatter: (ms: number) => formatDay(new Date(ms), { zone }),
              minTickGap: 32,
            }}
            tooltipProps={{ labelFormatter: (ms: unknown) => (typeof ms === 'number' ? formatDateTime(new Date(ms), { zone }) : '') }}
            lineChartProps={{ accessibilityLayer: false }}
          />
        </div>
      )}
    </Stack>
  );
}

const points = (n: number) => `${n} ${n === 1 ? 'reading' : 'readings'}`;

/** A post's growth curve: one step line per metric, changing at each reading. */
export function CurveDrawer({ item, columns, zone, onClose }: { item: ContentItem | undefined; columns: MetricInfo[]; zone: string; onClose: () => void }) {
  return (
    <Drawer opened={item !== undefined} onClose={onClose} position="right" size="lg" title={item ? 'How this post grew' : ''} data-testid="measure-curve-drawer">
      {item && (
        <Stack gap="md">
          <Stack gap={4}>
            <Text size="sm" lineClamp={4}>
              {item.excerpt || 'A post without text'}
            </Text>
            <Text size="xs" c="dimmed">
              {item.channelName} · {formatDateTime(new Date(item.publishedAt), { zone })}
            </Text>
            <Group gap="md">
              {item.url && <ExternalLink href={item.url}>View on the network</ExternalLink>}
              {item.postId ? (
                <Button component={Link} to={`/posts/${item.postId}`} size="compact-sm" variant="subtle">
                  Open in Herald
                </Button>
              ) : null}
            </Group>
          </Stack>
          <CurveBody key={item.id} item={item} columns={columns} zone={zone} />
        </Stack>
      )}
    </Drawer>
  );
}
