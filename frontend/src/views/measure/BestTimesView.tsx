import { Button, Card, Checkbox, Group, List, Modal, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconClockPlus } from '@tabler/icons-react';
import { useCallback, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type BestTimeCell, bestTimes } from '../../api/measure';
import type { QueueSlot } from '../../api/publishing';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { formatClock, uses12Hour } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { channelLabel } from '../channels/channelText';
import { QUEUE_SUGGESTION_STATE, type QueueSuggestion } from '../queue/queueSuggestion';
import { Heatmap } from './Heatmap';
import { BLOCK_ATTR, ExportMenu } from './ExportMenu';
import { useMeasure } from './MeasureLayout';
import { cellAt, cellLabel, formatAverage, formatCount, type GridPos, WEEK_ROWS, WEEKDAY_NAMES } from './measureModel';

const pad = (n: number) => String(n).padStart(2, '0');

/** A suggested hour as a weekly posting time. */
export function slotOf(cell: Pick<BestTimeCell, 'weekday' | 'hour'>): QueueSlot {
  return { weekday: cell.weekday, time: `${pad(cell.hour)}:00` };
}

function slotKey(cell: Pick<BestTimeCell, 'weekday' | 'hour'>): string {
  return `${cell.weekday}-${cell.hour}`;
}

function AddToQueueDialog({ opened, onClose, suggested, zone, twelve }: { opened: boolean; onClose: () => void; suggested: BestTimeCell[]; zone: string; twelve: boolean }) {
  const { channels, selected } = useMeasure();
  const navigate = useNavigate();
  const candidates = channels.filter((c) => selected.length === 0 || selected.some((s) => s.channelId === c.id));
  const [channelId, setChannelId] = useState<string | null>(candidates.length === 1 ? String(candidates[0]?.id) : null);
  const [chosen, setChosen] = useState<string[]>(suggested.map(slotKey));
  const go = () => {
    const suggestion: QueueSuggestion = {
      channelId: Number(channelId),
      timeZone: zone,
      slots: suggested.filter((c) => chosen.includes(slotKey(c))).map(slotOf),
    };
    onClose();
    void navigate('/settings/queue', { state: { [QUEUE_SUGGESTION_STATE]: suggestion } });
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Add to a channel's queue times" size="md">
      <Stack gap="md">
        <Text size="sm">
          Herald opens the channel&apos;s posting times with these hours added, in {zone}. Nothing is saved until you press Save there.
        </Text>
        <Select
          label="Channel"
          placeholder="Choose a channel"
          data={candidates.map((c) => ({ value: String(c.id), label: `${channelLabel(c)} · ${c.networkName}` }))}
          value={channelId}
          onChange={setChannelId}
          comboboxProps={{ withinPortal: false }}
          data-testid="best-times-channel"
        />
        <Checkbox.Group label="Hours" value={chosen} onChange={setChosen}>
          <Stack gap={6} mt={6}>
            {suggested.map((c) => (
              <Checkbox key={slotKey(c)} value={slotKey(c)} label={`${WEEKDAY_NAMES[c.weekday] ?? ''} ${formatClock(c.hour, 0, twelve)}`} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={go} disabled={!channelId || chosen.length === 0} data-testid="best-times-open-queue">
            Open queue times
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Where the focus starts: the best suggested hour, else Monday at midnight. */
function startAt(suggested: BestTimeCell[]): GridPos {
  const first = suggested[0];
  if (!first) {
    return { row: 0, col: 0 };
  }
  return { row: WEEK_ROWS.indexOf(first.weekday as (typeof WEEK_ROWS)[number]), col: first.hour };
}

/** #/measure/best-times: average engagement per post by the hour of the week it went out, and the hours to try. */
export function BestTimesView() {
  const { range, version, subtitle } = useMeasure();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version reloads on purpose
  const load = useCallback(() => bestTimes(range), [range, version]);
  const root = useRef<HTMLDivElement>(null);
  const result = useLoad(load);
  const clock = useClockSetting();
  const twelve = uses12Hour(clock);
  const [focused, setFocused] = useState<GridPos | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const data = result.data;

  if (result.error) {
    return <ErrorPanel title="Herald could not work out the best times" error={result.error} onRetry={result.reload} />;
  }
  if (!data) {
    return <Skeleton h={300} aria-hidden data-testid="measure-best-loading" />;
  }
  const pos = focused ?? startAt(data.suggested);
  const current = cellAt(data.cells, WEEK_ROWS[pos.row] ?? 1, pos.col);
  return (
    <Stack gap="lg" data-testid="measure-best-times" ref={root}>
      <Group justify="flex-end">
        <ExportMenu
          target={root}
          title="Best times"
          subtitle={subtitle}
          csv={[{ label: 'CSV: the 7 × 24 hours', export: { kind: 'best_times', query: { ...range, search: '', replies: false, sort: 'published', desc: true, offset: 0, limit: 0 } } }]}
        />
      </Group>
      <Card {...{ [BLOCK_ATTR]: '' }}>
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Title order={2} size="h5">
                Engagement by day and hour
              </Title>
              <Text size="sm" c="dimmed" data-testid="best-times-note">
                {data.note} Based on {formatCount(data.posts)} {data.posts === 1 ? 'post' : 'posts'}, at the hour each went out in {range.timeZone}.
              </Text>
            </Stack>
          </Group>
          <div style={{ overflowX: 'auto' }}>
            <div style={{ minWidth: 720 }}>
              <Heatmap cells={data.cells} focused={pos} onFocus={setFocused} twelve={twelve} />
            </div>
          </div>
          <Text size="sm" data-testid="best-times-current">
            {cellLabel(current, twelve)}
          </Text>
        </Stack>
      </Card>
      <Card {...{ [BLOCK_ATTR]: '' }}>
        <Stack gap="sm">
          <Title order={2} size="h5">
            Hours to try
          </Title>
          {data.suggested.length === 0 ? (
            <Text size="sm" c="dimmed">
              No hour has {data.minPosts} posts yet, so Herald suggests none.
            </Text>
          ) : (
            <>
              <List size="sm" data-testid="best-times-suggested">
                {data.suggested.map((c) => (
                  <List.Item key={slotKey(c)}>
                    <strong>
                      {WEEKDAY_NAMES[c.weekday]} {formatClock(c.hour, 0, twelve)}
                    </strong>
                    : {formatAverage(c.average)} interactions per post on average, over {formatCount(c.posts)} posts
                  </List.Item>
                ))}
              </List>
              <Group>
                <Button
                  variant="light"
                  leftSection={<IconClockPlus size={16} aria-hidden />}
                  onClick={() => {
                    setAdding(true);
                  }}
                  data-testid="best-times-add"
                >
                  Add to queue times…
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Card>
      {adding && (
        <AddToQueueDialog
          opened
          onClose={() => {
            setAdding(false);
          }}
          suggested={data.suggested}
          zone={range.timeZone}
          twelve={twelve}
        />
      )}
    </Stack>
  );
}
