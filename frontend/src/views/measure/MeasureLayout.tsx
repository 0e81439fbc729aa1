import '@mantine/dates/styles.css';

import {
  Alert,
  Badge,
  Button,
  Card,
  Collapse,
  EmptyState,
  Group,
  List,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import {
  IconBroadcast,
  IconCalendar,
  IconChartBar,
  IconChevronDown,
  IconClockHour9,
  IconInfoCircle,
  IconLayoutDashboard,
  IconListNumbers,
  IconRefresh,
  IconUsersGroup,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate, useOutletContext } from 'react-router-dom';
import { onMetricsChanged } from '../../api/events';
import { type MeasureChannel, type MeasureRange, measureStatus, syncMetricsNow } from '../../api/measure';
import { listTeams } from '../../api/teams';
import type { ChannelView, TeamView } from '../../api/types';
import { channelLabel } from '../channels/channelText';
import { ChannelFilter } from '../../components/ChannelFilter';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { TimeValue } from '../../components/TimeValue';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { notifyError } from '../../lib/notify';
import { computerZone } from '../../time/zones';
import { type DayRange, DEFAULT_PRESET, lastDays, periodText, PRESETS, presetOf, todayIn } from './measureModel';

/** What every Measure view gets from the shared header. */
export interface MeasureContext {
  range: MeasureRange;
  /** Goes up when metrics were read (an event or Sync now): the views load again. */
  version: number;
  /** The selected channels' metrics state. */
  selected: MeasureChannel[];
  /** Every channel's metrics state. */
  status: MeasureChannel[];
  channels: ChannelView[];
  teams: TeamView[];
  /** The channels and the days in words, for an export's subtitle. */
  subtitle: string;
}

export function useMeasure(): MeasureContext {
  return useOutletContext<MeasureContext>();
}

const TABS = [
  { value: 'overview', path: '/measure', label: 'Channel overview', icon: IconChartBar },
  { value: 'content', path: '/measure/content', label: 'Content performance', icon: IconListNumbers },
  { value: 'best-times', path: '/measure/best-times', label: 'Best times', icon: IconClockHour9 },
  { value: 'dashboards', path: '/measure/dashboards', label: 'Dashboards', icon: IconLayoutDashboard },
  { value: 'compare', path: '/measure/compare', label: 'Compare', icon: IconUsersGroup },
] as const;

/** The tabs whose view has a channel and range of its own (a dashboard's spec). */
const OWN_RANGE = new Set<string>(['dashboards']);

/** The channels (named, a team's, or every one) and the days in words: "Shop, Blog · 3–30 Nov". */
export function rangeSubtitle(
  range: Pick<MeasureRange, 'channelIds' | 'teamId' | 'from' | 'to'>,
  channels: ChannelView[],
  teams: Pick<TeamView, 'id' | 'name'>[],
): string {
  let who = 'All channels';
  if (range.channelIds.length > 0) {
    const names = range.channelIds.map((id) => {
      const c = channels.find((ch) => ch.id === id);
      return c ? channelLabel(c) : `Channel ${id}`;
    });
    who = names.join(', ');
  } else if (range.teamId) {
    who = `Team ${teams.find((t) => t.id === range.teamId)?.name ?? range.teamId}`;
  }
  return `${who} · ${periodText(range.from, range.to)}`;
}

/** How long the view waits after a metrics:changed before it loads again: a sync emits one per channel. */
const RELOAD_DEBOUNCE_MS = 1000;

/** The channels a range names: the chosen ones, a team's, or every one. */
export function selectedStatus(status: MeasureChannel[], channels: ChannelView[], range: Pick<MeasureRange, 'channelIds' | 'teamId'>): MeasureChannel[] {
  if (range.channelIds.length > 0) {
    return status.filter((s) => range.channelIds.includes(s.channelId));
  }
  if (range.teamId) {
    const ids = new Set(channels.filter((c) => c.teams.some((t) => t.id === range.teamId)).map((c) => c.id));
    return status.filter((s) => ids.has(s.channelId));
  }
  return status;
}

/** The oldest last reading among the channels (what "Last synced" promises for all of them). */
export function oldestRead(status: MeasureChannel[]): string {
  let oldest = '';
  for (const s of status) {
    if (s.channelReadAt && (!oldest || Date.parse(s.channelReadAt) < Date.parse(oldest))) {
      oldest = s.channelReadAt;
    }
  }
  return oldest;
}

function ChannelStatusTable({ rows, busy, onSync }: { rows: MeasureChannel[]; busy: boolean; onSync: (ids: number[]) => void }) {
  return (
    <Table verticalSpacing="xs" data-testid="measure-status">
      <Table.Caption>Each channel&apos;s last reading</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Channel</Table.Th>
          <Table.Th>Last read</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((s) => (
          <Table.Tr key={s.channelId} data-testid="measure-status-row" data-channel-id={s.channelId}>
            <Table.Th scope="row" fw={500}>
              {s.name}
              <Text span size="xs" c="dimmed">
                {' · '}
                {s.network}
              </Text>
            </Table.Th>
            <Table.Td>{s.measurable ? <TimeValue iso={s.channelReadAt ?? ''} none="Not yet" past /> : <Text size="sm">—</Text>}</Table.Td>
            <Table.Td>
              <Text size="sm" c={s.lastError ? 'red' : undefined}>
                {!s.measurable
                  ? s.reason || 'Herald cannot measure this channel.'
                  : s.lastError
                    ? s.lastError
                    : s.disconnected
                      ? 'Disconnected: sign in again in Channels to read new numbers.'
                      : s.backfilled
                        ? `${s.posts} posts measured`
                        : 'Reading the last 90 days…'}
              </Text>
            </Table.Td>
            <Table.Td ta="right">
              {s.measurable && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  disabled={busy}
                  onClick={() => {
                    onSync([s.channelId]);
                  }}
                  aria-label={`Sync ${s.name} now`}
                >
                  Sync now
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/**
 * #/measure…: the shared header of the Measure views (the tabs, the
 * channels or team, the days, the last reading with Sync now, and what the
 * networks do not give) around the view of the tab.
 */
export function MeasureLayout() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = pathname.split('/')[2] ?? 'overview';
  const [zone] = useState(computerZone);
  const [days, setDays] = useState<DayRange>(() => lastDays(DEFAULT_PRESET, zone));
  const [custom, setCustom] = useState(false);
  const [channelIds, setChannelIds] = useState<number[]>([]);
  const [teamId, setTeamId] = useState(0);
  const [version, setVersion] = useState(0);
  const [syncing, setSyncing] = useState<{ done: number; total: number } | undefined>(undefined);
  const [showStatus, setShowStatus] = useState(false);
  const channels = useChannelList();
  const teams = useLoad(listTeams);
  const status = useLoad(measureStatus);
  const reloadStatus = status.reload;

  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const off = onMetricsChanged(() => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        setVersion((v) => v + 1);
        reloadStatus();
      }, RELOAD_DEBOUNCE_MS);
    });
    return () => {
      off();
      clearTimeout(timer.current);
    };
  }, [reloadStatus]);

  const range = useMemo<MeasureRange>(() => ({ channelIds, teamId, from: days.from, to: days.to, timeZone: zone }), [channelIds, teamId, days, zone]);
  const channelList = useMemo(() => channels.data ?? [], [channels.data]);
  const selected = useMemo(() => selectedStatus(status.data ?? [], channelList, range), [status.data, channelList, range]);
  const measurable = selected.filter((s) => s.measurable);
  const holes = [...new Set(selected.flatMap((s) => s.holes))];
  const preset = custom ? undefined : presetOf(days, zone);
  const today = todayIn(zone);

  const sync = useCallback(
    async (ids: number[]) => {
      setSyncing({ done: 0, total: ids.length });
      for (const [i, id] of ids.entries()) {
        try {
          await syncMetricsNow(id);
        } catch (err) {
          const name = status.data?.find((s) => s.channelId === id)?.name ?? 'a channel';
          notifyError(`Herald could not read the metrics of ${name}`, err);
        }
        setSyncing({ done: i + 1, total: ids.length });
      }
      setSyncing(undefined);
      setVersion((v) => v + 1);
      reloadStatus();
    },
    [status.data, reloadStatus],
  );

  const teamList = useMemo(() => teams.data ?? [], [teams.data]);
  const context: MeasureContext = {
    range,
    version,
    selected,
    status: status.data ?? [],
    channels: channelList,
    teams: teamList,
    subtitle: rangeSubtitle(range, channelList, teamList),
  };
  const ownRange = OWN_RANGE.has(active);

  let body;
  if (channels.error) {
    body = <ErrorPanel title="Herald could not load your channels" error={channels.error} onRetry={channels.reload} />;
  } else if (status.error) {
    body = <ErrorPanel title="Herald could not read the metrics state" error={status.error} onRetry={status.reload} />;
  } else if (!channels.data || !status.data) {
    body = (
      <Stack gap="xs" aria-hidden data-testid="measure-loading">
        <Skeleton h={80} />
        <Skeleton h={200} />
      </Stack>
    );
  } else if (channels.data.length === 0) {
    body = (
      <Card py={48} data-testid="measure-no-channels">
        <EmptyState
          icon={<IconBroadcast size={28} stroke={1.6} aria-hidden />}
          title="No channels yet"
          description="Herald measures the channels it publishes to: followers, posts and the engagement they get. Connect a channel first."
          maw={480}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button component={Link} to="/channels" variant="light">
              Go to Channels
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  } else if (selected.length > 0 && measurable.length === 0) {
    body = (
      <Alert role="note" color="gray" variant="light" title="Herald cannot measure these channels" icon={<IconInfoCircle size={20} aria-hidden />} data-testid="measure-not-measurable">
        <List size="sm">
          {selected.map((s) => (
            <List.Item key={s.channelId}>
              {s.name} ({s.network}): {s.reason || 'Herald cannot read this network’s metrics yet.'}
            </List.Item>
          ))}
        </List>
      </Alert>
    );
  } else if (measurable.length > 0 && measurable.every((s) => !s.channelReadAt && !s.postsReadAt)) {
    body = (
      <Card py={40} data-testid="measure-nothing-yet">
        <EmptyState
          icon={<IconChartBar size={28} stroke={1.6} aria-hidden />}
          title="Nothing measured yet"
          description="Herald reads each channel's last 90 days after it is connected; the first numbers appear within a few minutes."
          maw={520}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button
              variant="light"
              leftSection={<IconRefresh size={16} aria-hidden />}
              loading={syncing !== undefined}
              onClick={() => void sync(measurable.map((s) => s.channelId))}
            >
              Sync now
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  } else {
    body = <Outlet context={context} />;
  }

  const teamData = teamList.map((t) => ({ value: String(t.id), label: t.name }));

  return (
    <>
      <PageHeader title="Measure" description="How your channels grow, which posts work, and when to post." />
      <Tabs
        value={active}
        onChange={(value) => {
          const tab = TABS.find((t) => t.value === value);
          if (tab) {
            void navigate(tab.path);
          }
        }}
      >
        <Tabs.List mb="md">
          {TABS.map(({ value, label, icon: Icon }) => (
            <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} stroke={1.7} aria-hidden />}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(({ value }) => (
          <Tabs.Panel key={value} value={value}>
            {value === active && (
              <Stack gap="md">
                {!ownRange && (
                  <Group gap="sm" align="flex-end" wrap="wrap" role="group" aria-label="What to measure" data-testid="measure-filters">
                    <ChannelFilter
                      label="Channels"
                      channels={channelList}
                      value={channelIds}
                      onChange={(ids) => {
                        setChannelIds(ids);
                        if (ids.length > 0) {
                          setTeamId(0);
                        }
                      }}
                      width={280}
                      testId="measure-channels"
                    />
                    {teamData.length > 0 && (
                      <Select
                        label="Team"
                        placeholder="Any team"
                        data={teamData}
                        value={teamId ? String(teamId) : null}
                        onChange={(value) => {
                          setTeamId(value ? Number(value) : 0);
                          if (value) {
                            setChannelIds([]);
                          }
                        }}
                        clearable
                        w={180}
                        comboboxProps={{ withinPortal: false }}
                        data-testid="measure-team"
                      />
                    )}
                    <Stack gap={4}>
                      <Text size="sm" fw={500} id="measure-days-label">
                        Days
                      </Text>
                      <SegmentedControl
                        aria-labelledby="measure-days-label"
                        value={preset ? String(preset) : 'custom'}
                        onChange={(value) => {
                          if (value === 'custom') {
                            setCustom(true);
                          } else {
                            setCustom(false);
                            setDays(lastDays(Number(value), zone));
                          }
                        }}
                        data={[...PRESETS.map((d) => ({ value: String(d), label: `Last ${d} days` })), { value: 'custom', label: 'Custom' }]}
                        data-testid="measure-presets"
                      />
                    </Stack>
                    {(custom || !preset) && (
                      <DatePickerInput
                        type="range"
                        label="From – to"
                        value={[days.from, days.to]}
                        onChange={([from, to]) => {
                          if (from && to) {
                            setDays({ from, to });
                          }
                        }}
                        maxDate={today}
                        valueFormat="D MMM YYYY"
                        leftSection={<IconCalendar size={15} aria-hidden />}
                        allowSingleDateInRange
                        w={260}
                        popoverProps={{ withinPortal: false }}
                        data-testid="measure-range"
                      />
                    )}
                  </Group>
                )}
                {!ownRange && status.data && measurable.length > 0 && (
                  <Group gap="sm" align="center" wrap="wrap" data-testid="measure-sync">
                    <Text size="sm" c="dimmed">
                      Last synced
                    </Text>
                    <TimeValue iso={oldestRead(measurable)} none="Not yet" past />
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconRefresh size={14} aria-hidden />}
                      loading={syncing !== undefined}
                      onClick={() => void sync(measurable.map((s) => s.channelId))}
                      data-testid="measure-sync-all"
                    >
                      {measurable.length === 1 ? 'Sync now' : `Sync ${measurable.length} channels now`}
                    </Button>
                    {syncing && (
                      <Text size="sm" role="status" data-testid="measure-sync-progress">
                        Reading {syncing.done + 1 > syncing.total ? syncing.total : syncing.done + 1} of {syncing.total}…
                      </Text>
                    )}
                    <Button
                      size="xs"
                      variant="subtle"
                      rightSection={<IconChevronDown size={14} aria-hidden style={{ transform: showStatus ? 'rotate(180deg)' : undefined }} />}
                      aria-expanded={showStatus}
                      aria-controls="measure-status-panel"
                      onClick={() => {
                        setShowStatus((s) => !s);
                      }}
                    >
                      Each channel
                    </Button>
                    {selected.some((s) => s.lastError) && (
                      <Badge color="red" variant="light">
                        A reading failed
                      </Badge>
                    )}
                  </Group>
                )}
                <Collapse expanded={showStatus} id="measure-status-panel">
                  {status.data && (
                    <Card padding="xs">
                      <ChannelStatusTable rows={selected} busy={syncing !== undefined} onSync={(ids) => void sync(ids)} />
                    </Card>
                  )}
                </Collapse>
                {!ownRange && holes.length > 0 && (
                  <Alert role="note" color="gray" variant="light" icon={<IconInfoCircle size={18} aria-hidden />} data-testid="measure-holes">
                    <Text size="sm" fw={500}>
                      What the networks do not give:
                    </Text>
                    <List size="sm" mt={4}>
                      {holes.map((h) => (
                        <List.Item key={h}>{h}</List.Item>
                      ))}
                    </List>
                  </Alert>
                )}
                {body}
              </Stack>
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
