import { IconKeyOff } from '@tabler/icons-react';
import { type DragEvent, type KeyboardEvent, memo, useEffect, useRef } from 'react';
import type { CalendarItem } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { formatWeekday } from '../../time/format';
import { channelName } from '../channels/channelText';
import { targetLook } from '../posts/targetText';
import { itemColor } from './calendarEvents';
import {
  type CalendarMode,
  countByStatus,
  type DayGroup,
  dayKey,
  dayLabel,
  fitChannelGroups,
  groupByChannel,
  moveFocus,
  sameTimeOn,
  timeOf,
  weeksOf,
} from './calendarModel';
import classes from './CalendarView.module.css';

/** Items a month day shows, "N more" in its heading: fewer when the month spans six weeks, so it fits the window. */
export const MONTH_ITEMS = { fiveWeeks: 3, sixWeeks: 2 } as const;
/** Lines a week day shows (channel headings included) before "N more". */
export const WEEK_LINES = 24;

export interface GridProps {
  mode: CalendarMode;
  /** What the grid shows, for screen readers: "December 2026". */
  label: string;
  days: Date[];
  /** The month being shown (0–11); other days are dimmed. */
  month: number;
  groups: Map<string, DayGroup>;
  focused: Date;
  /** A 12-hour clock (the Clock setting, resolved once for the whole calendar). */
  twelve: boolean;
  channelOf: (id: number) => ChannelView | undefined;
  /** A key moved the focus; the view follows it (to another month if need be). */
  onFocusDay: (day: Date, key?: string) => void;
  onOpenDay: (day: Date) => void;
  onOpenPost: (postId: number) => void;
  onOpenExpiry: (channelId: number) => void;
  onMove: (item: CalendarItem, start: Date) => void;
}

/** The item being dragged; one drag at a time, so one module-level slot. */
let dragged: CalendarItem | undefined;

const nameOf = (channel: ChannelView | undefined) => (channel ? channelName(channel) : 'Removed channel');

interface CellProps {
  day: Date;
  group: DayGroup | undefined;
  mode: CalendarMode;
  limit: number;
  outside: boolean;
  today: boolean;
  focused: boolean;
  /** A 12-hour clock (the Clock setting, resolved once for the whole calendar). */
  twelve: boolean;
  channelOf: GridProps['channelOf'];
  onOpenDay: GridProps['onOpenDay'];
  onOpenPost: GridProps['onOpenPost'];
  onOpenExpiry: GridProps['onOpenExpiry'];
  onMove: GridProps['onMove'];
  onFocusDay: GridProps['onFocusDay'];
}

function Item({ item, channel, twelve, showChannel, onOpenPost }: { item: CalendarItem; channel: ChannelView | undefined; twelve: boolean; showChannel: boolean; onOpenPost: (id: number) => void }) {
  const name = nameOf(channel);
  const time = timeOf(item.at, twelve);
  const look = targetLook({ status: item.status, handedOff: item.handedOff });
  const title = item.title || 'Untitled post';
  return (
    <button
      type="button"
      // One tab stop for the whole grid: items are reached through the day (Enter).
      tabIndex={-1}
      className={classes.item}
      // A light tint with the theme's readable text colour for it, edged in the
      // status colour: white on the filled shades is too faint for teal and orange.
      style={{
        background: `var(--mantine-color-${itemColor(item)}-light)`,
        color: `var(--mantine-color-${itemColor(item)}-light-color)`,
        borderLeft: `3px solid var(--mantine-color-${itemColor(item)}-filled)`,
      }}
      title={`${time} ${name}: ${title} (${look.label})${item.message ? ` — ${item.message}` : ''}`}
      draggable={item.editable}
      data-testid="calendar-item"
      data-post-id={item.postId}
      data-target-id={item.targetId}
      data-status={item.status}
      data-editable={item.editable}
      onClick={(e) => {
        e.stopPropagation();
        onOpenPost(item.postId);
      }}
      onDragStart={(e) => {
        dragged = item;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', String(item.targetId));
      }}
      onDragEnd={() => {
        dragged = undefined;
      }}
    >
      <span className={classes.time}>{time}</span>
      <span className={classes.text}>{showChannel ? `${name} · ${title}` : title}</span>
    </button>
  );
}

/** "33 more" with the day's counts by status, in the day's heading; opens the day's list. */
function More({ group, hidden, day, onOpenDay }: { group: DayGroup; hidden: number; day: Date; onOpenDay: (day: Date) => void }) {
  const counts = countByStatus(group.items);
  return (
    <button
      type="button"
      tabIndex={-1}
      className={classes.more}
      data-testid="calendar-more"
      title={counts.map((c) => `${c.count} ${c.label}`).join(', ')}
      onClick={(e) => {
        e.stopPropagation();
        onOpenDay(day);
      }}
    >
      <span>{hidden} more</span>
      <span className={classes.counts} aria-hidden>
        {counts.slice(0, 2).map((c) => (
          <span key={c.label}>
            <span className={classes.dot} style={{ background: `var(--mantine-color-${c.color}-filled)` }} />
            {c.count}
          </span>
        ))}
      </span>
    </button>
  );
}

const DayCell = memo(function DayCell(props: CellProps) {
  const { day, group, mode, limit, outside, today, focused, twelve, channelOf, onOpenDay, onOpenPost, onOpenExpiry, onMove, onFocusDay } = props;
  const key = dayKey(day);
  const items = group?.items ?? [];
  const expiry = group?.expiry ?? [];

  const canDrop = () => dragged !== undefined && sameTimeOn(dragged, day).getTime() >= Date.now();
  const dragProps = {
    onDragOver: (e: DragEvent<HTMLDivElement>) => {
      if (canDrop()) {
        e.preventDefault();
        e.currentTarget.dataset.drop = '';
      }
    },
    onDragLeave: (e: DragEvent<HTMLDivElement>) => {
      delete e.currentTarget.dataset.drop;
    },
    onDrop: (e: DragEvent<HTMLDivElement>) => {
      delete e.currentTarget.dataset.drop;
      const item = dragged;
      dragged = undefined;
      if (item && sameTimeOn(item, day).getTime() >= Date.now()) {
        e.preventDefault();
        if (dayKey(new Date(item.at)) !== key) {
          onMove(item, sameTimeOn(item, day));
        }
      }
    },
  };

  let body;
  let hidden: number;
  if (mode === 'month') {
    // "N more" sits in the day's heading, so every line below is an item.
    const shown = items.slice(0, Math.max(0, limit - expiry.length));
    hidden = items.length - shown.length;
    body = shown.map((item) => <Item key={item.targetId} item={item} channel={channelOf(item.channelId)} twelve={twelve} showChannel onOpenPost={onOpenPost} />);
  } else {
    const all = groupByChannel(items);
    const totals = new Map(all.map((g) => [g.channelId, g.items.length]));
    const fit = fitChannelGroups(all, limit - expiry.length);
    hidden = fit.hidden;
    body = fit.shown.map((g) => {
      const channel = channelOf(g.channelId);
      return (
        <div key={g.channelId} data-testid="calendar-channel" data-channel-id={g.channelId}>
          <div className={classes.channel}>
            <span className={classes.text}>{nameOf(channel)}</span>
            <span title={`${totals.get(g.channelId)} posts on this channel`}>{totals.get(g.channelId)}</span>
          </div>
          {g.items.map((item) => (
            <Item key={item.targetId} item={item} channel={channel} twelve={twelve} showChannel={false} onOpenPost={onOpenPost} />
          ))}
        </div>
      );
    });
  }

  return (
    <div
      role="gridcell"
      tabIndex={focused ? 0 : -1}
      aria-selected={focused}
      className={`${classes.cell} ${mode === 'week' ? classes.weekCell : limit === MONTH_ITEMS.sixWeeks ? classes.monthSixWeeks : classes.month}`}
      data-day={key}
      data-testid="calendar-day"
      data-count={items.length}
      data-outside={outside || undefined}
      data-today={today || undefined}
      data-expiry={expiry.length > 0 || undefined}
      onClick={() => {
        onFocusDay(day);
      }}
      onDoubleClick={() => {
        onOpenDay(day);
      }}
      {...dragProps}
    >
      {/* The cell is named by its content, starting with the date and count in
          words (an aria-label would hide the posts it shows, WCAG 2.5.3). */}
      <span className={classes.srOnly}>{dayLabel(day, group)}</span>
      <div className={classes.dayNumber}>
        <span aria-hidden>{day.getDate()}</span>
        {hidden > 0 && group && <More group={group} hidden={hidden} day={day} onOpenDay={onOpenDay} />}
      </div>
      {expiry.map((marker) => (
        <button
          key={`${marker.channelId}-${marker.at}`}
          type="button"
          tabIndex={-1}
          className={`${classes.item} ${classes.expiry}`}
          title={marker.label}
          data-testid="calendar-expiry"
          data-channel-id={marker.channelId}
          onClick={(e) => {
            e.stopPropagation();
            onOpenExpiry(marker.channelId);
          }}
        >
          <IconKeyOff size={12} aria-hidden style={{ flexShrink: 0 }} />
          <span className={classes.time}>{timeOf(marker.at, twelve)}</span>
          <span className={classes.text}>{marker.label}</span>
        </button>
      ))}
      {body}
    </div>
  );
});

/**
 * The month or week as a grid of days with one tab stop: the arrow keys
 * move between days (the roving tabindex), Enter opens the day's list.
 * Each day draws a few items and counts the rest.
 */
export function CalendarGrid(props: GridProps) {
  const { mode, label, days, month, groups, focused, twelve, channelOf, onFocusDay, onOpenDay, onOpenPost, onOpenExpiry, onMove } = props;
  const ref = useRef<HTMLDivElement>(null);
  const keyed = useRef(false);
  const focusedKey = dayKey(focused);
  const todayKey = dayKey(new Date());
  const weeks = weeksOf(days);
  const limit = mode === 'week' ? WEEK_LINES : weeks.length > 5 ? MONTH_ITEMS.sixWeeks : MONTH_ITEMS.fiveWeeks;

  useEffect(() => {
    // Follow a key press with the focus, also into a month just drawn.
    if (keyed.current) {
      keyed.current = false;
      ref.current?.querySelector<HTMLElement>(`[data-day="${focusedKey}"]`)?.focus();
    }
  }, [focusedKey, days]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-day]');
    if (!cell || cell !== e.target) {
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpenDay(focused);
      return;
    }
    const next = moveFocus(focused, e.key, mode);
    if (next) {
      e.preventDefault();
      keyed.current = true;
      onFocusDay(next, e.key);
    }
  };

  return (
    <div ref={ref} role="grid" aria-label={label} className={classes.grid} onKeyDown={onKeyDown} data-testid="calendar-grid">
      <div role="row" className={classes.row}>
        {days.slice(0, 7).map((d) => (
          <div key={d.getDay()} role="columnheader" className={classes.head}>
            {formatWeekday(d.getDay())}
          </div>
        ))}
      </div>
      {weeks.map((week) => (
        <div key={dayKey(week[0] ?? focused)} role="row" className={classes.row}>
          {week.map((day) => {
            const key = dayKey(day);
            return (
              <DayCell
                key={key}
                day={day}
                group={groups.get(key)}
                mode={mode}
                limit={limit}
                outside={mode === 'month' && day.getMonth() !== month}
                today={key === todayKey}
                focused={key === focusedKey}
                twelve={twelve}
                channelOf={channelOf}
                onFocusDay={onFocusDay}
                onOpenDay={onOpenDay}
                onOpenPost={onOpenPost}
                onOpenExpiry={onOpenExpiry}
                onMove={onMove}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}
