import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string | number;
  renderItem: (item: T, index: number) => ReactNode;
  /** A row's usual height in pixels, before it is measured. */
  estimateSize: number;
  /** Space between rows in pixels. */
  gap?: number;
  /** The list's accessible name. */
  label: string;
  /** How many items the whole list has when only some are loaded (for screen readers' "3 of 1,200"). */
  total?: number;
  busy?: boolean;
  testId?: string;
}

/**
 * A list that draws only the rows near the viewport: the page scrolls as
 * if every row were there (spacers stand in for the rest), rows are
 * measured as they render, so they may differ in height. Enough rows
 * beyond the edges are drawn that Tab reaches the next row before the
 * list has to draw it. Screen readers hear each row's position in the
 * whole list.
 */
export function VirtualList<T>({ items, keyOf, renderItem, estimateSize, gap = 8, label, total, busy, testId }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  // Where the list starts in the page; what is above it (filters, banners) can change height.
  const [margin, setMargin] = useState(0);
  // Measured after every render (cheap: one rect read, a state change only
  // when it moved), as whatever above the list changed is not known here.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) {
      return;
    }
    const top = node.getBoundingClientRect().top + window.scrollY;
    if (Math.abs(top - margin) >= 1) {
      setMargin(top);
    }
  });
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: () => estimateSize,
    overscan: 6,
    gap,
    scrollMargin: margin,
    getItemKey: (index) => {
      const item = items[index];
      return item === undefined ? index : keyOf(item);
    },
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const before = first ? first.start - margin : 0;
  const after = last ? Math.max(0, virtualizer.getTotalSize() - (last.end - margin)) : 0;
  const size = total !== undefined && total >= items.length ? total : items.length;

  return (
    <div
      ref={ref}
      role="list"
      aria-label={label}
      aria-busy={busy}
      data-testid={testId}
      data-rows={rows.length}
      style={{ display: 'flex', flexDirection: 'column', gap, paddingTop: before, paddingBottom: after }}
    >
      {rows.map((row) => {
        const item = items[row.index];
        return item === undefined ? null : (
          <div key={row.key} role="listitem" aria-posinset={row.index + 1} aria-setsize={size} data-index={row.index} ref={virtualizer.measureElement}>
            {renderItem(item, row.index)}
          </div>
        );
      })}
    </div>
  );
}
