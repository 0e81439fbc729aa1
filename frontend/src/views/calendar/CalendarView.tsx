import type { DatesSetArg, EventClickArg, EventContentArg } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { Box, Card, ColorSwatch, Group, Loader, Stack, Text } from '@mantine/core';
import { IconKeyOff } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { onPostsChanged, onPublishResult } from '../../api/events';
import { calendarRange, type CalendarRange } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { ChannelAvatar } from '../channels/ChannelAvatar';
import { channelName } from '../channels/channelText';
import { PostDrawer } from '../posts/PostDrawer';
import { formatCalendarDay, formatClock, uses12Hour } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { targetLook } from '../posts/targetText';
import { type Filters, NO_FILTERS, PostFilters } from '../queue/PostFilters';
import classes from './CalendarView.module.css';
import { calendarA11yHooks } from './calendarA11y';
import { type ExpiryProps, type ItemProps, LEGEND, toEvents, toRfc3339 } from './calendarEvents';
import { rescheduleOnDrop } from './rescheduleOnDrop';

/** The part of FullCalendar's formatting argument Herald reads (month is 0–11). */
interface CalendarDateArg {
  date: { year: number; month: number; day: number; hour: number; minute: number };
}

/** FullCalendar's times (events, the week's hour labels) on Herald's clock; the calendar is in the computer's zone. */
export function calendarClock(twelve: boolean): (arg: CalendarDateArg) => string {
  return (arg) => formatClock(arg.date.hour, arg.date.minute, twelve);
}

/** The week view's day headers in Herald's style: "Mon 4 May". */
export function calendarDayHeader(arg: CalendarDateArg): string {
  return formatCalendarDay(arg.date.year, arg.date.month + 1, arg.date.day);
}

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

function EventContent({ arg }: { arg: EventContentArg }) {
  const props = arg.event.extendedProps as Partial<ItemProps> | Partial<ExpiryProps>;
  if (props.kind === 'expiry' && props.marker) {
    return (
      <Group gap={4} wrap="nowrap" px={4} className={classes.event} data-testid="calendar-expiry" data-channel-id={props.marker.channelId}>
        <IconKeyOff size={12} aria-hidden style={{ flexShrink: 0 }} />
        <Text span size="xs" fw={600} truncate>
          {arg.timeText} {props.marker.label}
        </Text>
      </Group>
    );
  }
  if (props.kind !== 'item' || !props.item) {
    // The red day behind a sign-in expiry: its marker says it all.
    return null;
  }
  const { item, channel } = props;
  const name = channel ? channelName(channel) : 'Removed channel';
  const look = targetLook({ status: item.status, handedOff: item.handedOff });
  return (
    <Group
      gap={4}
      wrap="nowrap"
      px={4}
      className={classes.event}
      title={`${arg.timeText} ${name}: ${arg.event.title} (${look.label})${item.message ? ` — ${item.message}` : ''}`}
      data-testid="calendar-item"
      data-post-id={item.postId}
      data-target-id={item.targetId}
      data-status={item.status}
      data-editable={item.editable}
    >
      <ChannelAvatar src={channel?.avatarUrl ?? ''} name={name} size={16} />
      <Text span size="xs" fw={600} style={{ flexShrink: 0 }}>
        {arg.timeText}
      </Text>
      <Text span size="xs" truncate>
        {name} · {arg.event.title}
      </Text>
    </Group>
  );
}

/** #/calendar: every variant on a month or week calendar, with sign-in expiries; drag to reschedule. */
export function CalendarView() {
  const navigate = useNavigate();
  const twelve = uses12Hour(useClockSetting());
  const clock = useMemo(() => calendarClock(twelve), [twelve]);
  const channels = useChannelList();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [range, setRange] = useState<{ from: string; to: string } | undefined>(undefined);
  const [openPost, setOpenPost] = useState<number | undefined>(undefined);
  const list = useMemo(() => channels.data ?? [], [channels.data]);
  const only = filteredChannels(filters, list);
  const onlyKey = only?.join(',');

  const load = useCallback(async (): Promise<CalendarRange> => {
    if (!range) {
      return EMPTY;
    }
    const ids = onlyKey === undefined ? [] : onlyKey === '' ? undefined : onlyKey.split(',').map(Number);
    // A team without channels shows nothing, rather than everything.
    return ids ? calendarRange(range.from, range.to, ids) : EMPTY;
  }, [range, onlyKey]);
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

  const events = useMemo(() => toEvents(data.data ?? EMPTY, list), [data.data, list]);
  const count = data.data ? data.data.items.length + data.data.expiry.length : 0;

  return (
    <>
      <PageHeader title="Calendar" description="See what goes out, where and when. Drag a scheduled post to move it." />
      <Stack gap="md">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <PostFilters value={filters} onChange={setFilters} channels={list} withSearch={false} />
          <Group gap="sm" wrap="wrap" aria-label="Colours">
            {LEGEND.map((entry) => (
              <Group key={entry.label} gap={4} wrap="nowrap">
                <ColorSwatch color={`var(--mantine-color-${entry.color}-light-color)`} size={12} withShadow={false} />
                <Text size="xs" c="dimmed">
                  {entry.label}
                </Text>
              </Group>
            ))}
            <Group gap={4} wrap="nowrap">
              <ColorSwatch color="var(--mantine-color-red-9)" size={12} withShadow={false} />
              <Text size="xs" c="dimmed">
                Sign-in ends
              </Text>
            </Group>
          </Group>
        </Group>

        {data.error && <ErrorPanel title="Herald could not load the calendar" error={data.error} onRetry={reload} />}

        <Card padding="sm" pos="relative" data-testid="calendar" aria-busy={data.loading}>
          <Group justify="flex-end" h={18} mb={-18} pos="relative" style={{ zIndex: 2, pointerEvents: 'none' }}>
            {data.loading && <Loader size="xs" aria-label="Loading the calendar" />}
            {!data.loading && !data.error && count === 0 && (
              <Text size="xs" c="dimmed" data-testid="calendar-empty">
                Nothing scheduled or published in this range.
              </Text>
            )}
          </Group>
          <Box className={classes.calendar}>
            <FullCalendar
              plugins={[dayGridPlugin, timeGridPlugin, interactionPlugin]}
              initialView="dayGridMonth"
              headerToolbar={{ left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek' }}
              buttonText={{ today: 'Today', month: 'Month', week: 'Week', prev: 'Previous', next: 'Next' }}
              {...calendarA11yHooks}
              height="auto"
              nowIndicator
              dayMaxEvents={4}
              eventDisplay="block"
              eventTimeFormat={clock}
              slotLabelFormat={clock}
              views={{ timeGridWeek: { dayHeaderFormat: calendarDayHeader } }}
              events={events}
              eventContent={(arg) => <EventContent arg={arg} />}
              eventDurationEditable={false}
              eventAllow={(span) => span.start.getTime() >= Date.now()}
              eventDrop={(info) => {
                void rescheduleOnDrop(info).then((moved) => {
                  if (moved) {
                    reload();
                  }
                });
              }}
              eventClick={(info: EventClickArg) => {
                info.jsEvent.preventDefault();
                const props = info.event.extendedProps as ItemProps | ExpiryProps;
                if (props.kind === 'item') {
                  setOpenPost(props.item.postId);
                } else if (props.kind === 'expiry') {
                  void navigate(`/channels?reconnect=${props.marker.channelId}`);
                }
              }}
              datesSet={(arg: DatesSetArg) => {
                const next = { from: toRfc3339(arg.start), to: toRfc3339(arg.end) };
                setRange((prev) => (prev?.from === next.from && prev.to === next.to ? prev : next));
              }}
            />
          </Box>
        </Card>
      </Stack>
      <PostDrawer
        postId={openPost}
        onClose={() => {
          setOpenPost(undefined);
        }}
      />
    </>
  );
}
