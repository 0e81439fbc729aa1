import { ActionIcon, Button, Card, ColorSwatch, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { onPostsChanged, onPublishResult } from '../../api/events';
import { type CalendarItem, calendarRange, type CalendarRange } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { formatCalendarDay, formatMonthYear, uses12Hour } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { PostDrawer } from '../posts/PostDrawer';
import { type Filters, NO_FILTERS, PostFilters } from '../queue/PostFilters';
import { CalendarGrid } from './CalendarGrid';
import { LEGEND, toRfc3339 } from './calendarEvents';
import { addDays, type CalendarMode, dayKey, groupByDay, rangeOf, startOfDay, visibleDays } from './calendarModel';
import classes from './CalendarView.module.css';
import { DayList } from './DayList';
import { rescheduleOnDrop } from './rescheduleOnDrop';

/** The channels the filters leave; undefined for all, [] for none. */
export function filteredChannels(filters: Filters, channels: ChannelView[]): number[] | undefined {
  const byTeam = filters.teamId ? channels.filter((c) => c.teams?.some((t) => t.id === filters.teamId)).map((c) => c.id) : undefined;
  const picked = filters.channelIds.length > 0 ? filters.channelIds : undefined;
  if (byTeam && picked) {
    return picked.filter((id) => byTeam.includes(id));
  }
  return picked ?? byTeam;
}

const EMPTY: CalendarRange = { items: [], expiry: [] };

/** The heading of what is shown: "December 2026", or "Mon 7 Dec – Sun 13 Dec" for a week. */
function viewTitle(mode: CalendarMode, anchor: Date, days: Date[]): string {
  if (mode === 'month') {
    return formatMonthYear(anchor.getFullYear(), anchor.getMonth() + 1);
  }
  const first = days[0] ?? anchor;
  const last = days.at(-1) ?? anchor;
  const fmt = (d: Date) => formatCalendarDay(d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getFullYear() !== new Date().getFullYear());
  return `${fmt(first)} – ${fmt(last)}`;
}

/** #/calendar: every variant on a month or week grid, a few per day and the rest counted; drag to reschedule. */
export function CalendarView() {
  const navigate = useNavigate();
  // Resolved once here: asking the system for its clock per item would cost more than drawing it.
  const twelve = uses12Hour(useClockSetting());
  const channels = useChannelList();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [mode, setMode] = useState<CalendarMode>('month');
  // `anchor` picks the month or week shown; `focused` is the grid's one tab stop.
  const [anchor, setAnchor] = useState(() => startOfDay(new Date()));
  const [focused, setFocused] = useState(anchor);
  const [openDay, setOpenDay] = useState<Date | undefined>(undefined);
  const [openPost, setOpenPost] = useState<number | undefined>(undefined);
  const list = useMemo(() => channels.data ?? [], [channels.data]);
  const only = filteredChannels(filters, list);
  const onlyKey = only?.join(',');

  const viewKey = mode === 'month' ? `${anchor.getFullYear()}-${anchor.getMonth()}` : dayKey(visibleDays(anchor, 'week')[0] ?? anchor);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the days change only when the month or week does
  const days = useMemo(() => visibleDays(anchor, mode), [viewKey, mode]);
  const { from, to } = useMemo(() => {
    const r = rangeOf(days);
    return { from: toRfc3339(r.from), to: toRfc3339(r.to) };
  }, [days]);

  const load = useCallback(async (): Promise<CalendarRange> => {
    const ids = onlyKey === undefined ? [] : onlyKey === '' ? undefined : onlyKey.split(',').map(Number);
    // A team without channels shows nothing, rather than everything.
    return ids ? calendarRange(from, to, ids) : EMPTY;
  }, [from, to, onlyKey]);
  const data = useLoad(load);
  const { reload } = data;

  useEffect(() => {
    const offs = [onPostsChanged(reload), onPublishResult(reload)];
    return () => {
      offs.forEach((off) => {
        off();
      });
    };
  }, [reload]);

  const groups = useMemo(() => groupByDay(data.data?.items ?? [], data.data?.expiry ?? []), [data.data]);
  const byId = useMemo(() => new Map(list.map((c) => [c.id, c])), [list]);
  const channelOf = useCallback((id: number) => byId.get(id), [byId]);
  const count = data.data ? data.data.items.length + data.data.expiry.length : 0;

  const go = (to: Date) => {
    setAnchor(to);
    setFocused(to);
  };
  const step = (n: number) => {
    go(mode === 'month' ? new Date(anchor.getFullYear(), anchor.getMonth() + n, 1) : addDays(anchor, 7 * n));
  };
  const onFocusDay = useCallback(
    (day: Date, key?: string) => {
      setFocused(day);
      // A key that leaves the days shown (or pages) moves the view; a click on a dimmed day does not.
      if (key && (key.startsWith('Page') || !days.some((d) => d.getTime() === day.getTime()))) {
        setAnchor(day);
      }
    },
    [days],
  );
  const onOpenExpiry = useCallback(
    (channelId: number) => {
      void navigate(`/channels?reconnect=${channelId}`);
    },
    [navigate],
  );
  const onMove = useCallback(
    (item: CalendarItem, start: Date) => {
      void rescheduleOnDrop(item, start).then((moved) => {
        if (moved) {
          reload();
        }
      });
    },
    [reload],
  );
  const onOpenPost = useCallback((postId: number) => {
    setOpenDay(undefined);
    setOpenPost(postId);
  }, []);
  const unit = mode === 'month' ? 'month' : 'week';
  const title = viewTitle(mode, anchor, days);

  return (
    <>
      <PageHeader title="Calendar" description="See what goes out, where and when. Drag a scheduled post to another day to move it." />
      <Stack gap="xs">
        {/* Filters, navigation and the view switch share one row: a whole month fits at 1280×800. */}
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs" className={classes.toolbar}>
          <PostFilters value={filters} onChange={setFilters} channels={list} withSearch={false} />
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={`Previous ${unit}`}
              title={`Previous ${unit}`}
              onClick={() => {
                step(-1);
              }}
            >
              <IconChevronLeft size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={`Next ${unit}`}
              title={`Next ${unit}`}
              onClick={() => {
                step(1);
              }}
            >
              <IconChevronRight size={16} aria-hidden />
            </ActionIcon>
            <Button
              variant="default"
              onClick={() => {
                go(startOfDay(new Date()));
              }}
            >
              Today
            </Button>
            <Title order={2} size="h4" ml="xs" miw={170} data-testid="calendar-title" aria-live="polite">
              {title}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {data.loading && <Loader size="xs" aria-label="Loading the calendar" />}
            {!data.loading && !data.error && count === 0 && (
              <Text size="xs" c="dimmed" data-testid="calendar-empty">
                Nothing scheduled or published in this {unit}.
              </Text>
            )}
            <SegmentedControl
              aria-label="View"
              value={mode}
              onChange={(v) => {
                setMode(v === 'week' ? 'week' : 'month');
                setAnchor(focused);
              }}
              data={[
                { value: 'month', label: 'Month' },
                { value: 'week', label: 'Week' },
              ]}
            />
          </Group>
        </Group>

        {data.error && <ErrorPanel title="Herald could not load the calendar" error={data.error} onRetry={reload} />}

        <Card padding={0} data-testid="calendar" aria-busy={data.loading}>
          <CalendarGrid
            mode={mode}
            label={title}
            days={days}
            month={anchor.getMonth()}
            groups={groups}
            focused={focused}
            twelve={twelve}
            channelOf={channelOf}
            onFocusDay={onFocusDay}
            onOpenDay={setOpenDay}
            onOpenPost={onOpenPost}
            onOpenExpiry={onOpenExpiry}
            onMove={onMove}
          />
        </Card>
        <Group gap="sm" wrap="wrap" aria-label="Colours">
          {LEGEND.map((entry) => (
            <Group key={entry.label} gap={4} wrap="nowrap">
              <ColorSwatch color={`var(--mantine-color-${entry.color}-6)`} size={12} withShadow={false} />
              <Text size="xs" c="dimmed">
                {entry.label}
              </Text>
            </Group>
          ))}
          <Group gap={4} wrap="nowrap">
            <ColorSwatch color="var(--mantine-color-red-8)" size={12} withShadow={false} />
            <Text size="xs" c="dimmed">
              Sign-in ends
            </Text>
          </Group>
        </Group>
      </Stack>
      <DayList
        day={openDay}
        group={openDay ? groups.get(dayKey(openDay)) : undefined}
        twelve={twelve}
        channelOf={channelOf}
        onClose={() => {
          setOpenDay(undefined);
        }}
        onOpenPost={onOpenPost}
        onOpenExpiry={onOpenExpiry}
      />
      <PostDrawer
        postId={openPost}
        onClose={() => {
          setOpenPost(undefined);
        }}
      />
    </>
  );
}
