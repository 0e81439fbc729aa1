import { Group, Text, VisuallyHidden } from '@mantine/core';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import type { BestTimeCell } from '../../api/measure';
import { formatClock, formatWeekday } from '../../time/format';
import classes from './Heatmap.module.css';
import { cellAt, cellLabel, type GridPos, HOURS, intensity, moveCell, WEEK_ROWS } from './measureModel';

/** How opaque the fill of each intensity is (0: no posts). */
export const OPACITY = [0, 0.18, 0.35, 0.55, 0.75, 1] as const;

interface HeatmapProps {
  cells: BestTimeCell[];
  focused: GridPos;
  onFocus: (pos: GridPos) => void;
  /** A 12-hour clock (the Clock setting). */
  twelve: boolean;
}

/**
 * Average engagement per post by weekday (rows, Monday first) and hour
 * (columns), as a grid with one tab stop: the arrow keys move between
 * hours and days, Home and End to a day's first and last hour.
 */
export function Heatmap({ cells, focused, onFocus, twelve }: HeatmapProps) {
  const ref = useRef<HTMLDivElement>(null);
  const keyed = useRef(false);
  const best = Math.max(0, ...cells.map((c) => (c.posts > 0 ? c.average : 0)));

  useEffect(() => {
    if (keyed.current) {
      keyed.current = false;
      ref.current?.querySelector<HTMLElement>(`[data-row="${focused.row}"][data-col="${focused.col}"]`)?.focus();
    }
  }, [focused]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = moveCell(focused, e.key);
    if (next) {
      e.preventDefault();
      keyed.current = true;
      onFocus(next);
    }
  };

  return (
    <div>
      <div ref={ref} role="grid" aria-label="Average engagement per post by day and hour" className={classes.grid} onKeyDown={onKeyDown} data-testid="measure-heatmap">
        <div role="row" className={classes.row}>
          <div role="columnheader" className={classes.head}>
            <VisuallyHidden>Day</VisuallyHidden>
          </div>
          {HOURS.map((h) => (
            <div key={h} role="columnheader" className={classes.head}>
              <span aria-hidden>{h % 3 === 0 ? formatClock(h, 0, twelve) : ''}</span>
              <VisuallyHidden>{formatClock(h, 0, twelve)}</VisuallyHidden>
            </div>
          ))}
        </div>
        {WEEK_ROWS.map((weekday, row) => (
          <div key={weekday} role="row" className={classes.row}>
            <div role="rowheader" className={classes.dayHead}>
              {formatWeekday(weekday)}
            </div>
            {HOURS.map((hour) => {
              const cell = cellAt(cells, weekday, hour);
              const level = intensity(cell.average, cell.posts, best);
              const isFocused = focused.row === row && focused.col === hour;
              return (
                <div
                  key={hour}
                  role="gridcell"
                  tabIndex={isFocused ? 0 : -1}
                  aria-selected={isFocused}
                  className={classes.cell}
                  data-row={row}
                  data-col={hour}
                  data-level={level}
                  data-focused={isFocused || undefined}
                  data-testid="measure-heat-cell"
                  title={cellLabel(cell, twelve)}
                  onClick={() => {
                    onFocus({ row, col: hour });
                  }}
                >
                  {level > 0 && <span className={classes.fill} style={{ opacity: OPACITY[level] }} aria-hidden />}
                  <VisuallyHidden>{cellLabel(cell, twelve)}</VisuallyHidden>
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <Group gap={6} mt="xs" aria-hidden>
        <Text size="xs" c="dimmed">
          No posts
        </Text>
        <span className={classes.swatch} />
        <Text size="xs" c="dimmed" ml="sm">
          Fewer interactions
        </Text>
        {OPACITY.slice(1).map((o) => (
          <span key={o} className={classes.swatch}>
            <span className={classes.fill} style={{ opacity: o }} />
          </span>
        ))}
        <Text size="xs" c="dimmed">
          More
        </Text>
      </Group>
    </div>
  );
}
