import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualList } from './VirtualList';

const ROW = 50;
const items = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, title: `Post ${i + 1}` }));

function renderList(total?: number) {
  return render(
    <VirtualList items={items} keyOf={(item) => item.id} estimateSize={ROW} gap={0} label="Scheduled posts" total={total} testId="list" renderItem={(item) => <a href={`#/posts/${item.id}`}>{item.title}</a>} />,
  );
}

function scrollTo(y: number) {
  act(() => {
    Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
    window.dispatchEvent(new Event('scroll'));
  });
}

describe('VirtualList', () => {
  beforeEach(() => {
    // jsdom lays nothing out: every row is ROW pixels high, the list starts at the top.
    vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      return this.getAttribute('role') === 'listitem' ? ROW : 0;
    });
    // The list starts at the top of the page, wherever the page is scrolled.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(() => {
      const top = -window.scrollY;
      return { x: 0, y: top, top, left: 0, right: 800, bottom: top, width: 800, height: 0, toJSON: () => ({}) };
    });
    Object.defineProperty(window, 'innerHeight', { value: 800, configurable: true });
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('draws the rows near the viewport and stands in for the rest', () => {
    renderList();
    const rows = screen.getAllByRole('listitem');
    expect(rows.length).toBeGreaterThanOrEqual(800 / ROW);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByText('Post 1')).toBeInTheDocument();
    expect(screen.queryByText('Post 1000')).not.toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Scheduled posts' });
    // The page is as tall as if every row were there.
    expect(parseFloat(list.style.paddingBottom)).toBe((items.length - rows.length) * ROW);
  });

  it('draws other rows as the page scrolls, and tells each row its place in the whole list', async () => {
    renderList(1200);
    scrollTo(500 * ROW);
    expect(await screen.findByText('Post 501')).toBeInTheDocument();
    expect(screen.queryByText('Post 1')).not.toBeInTheDocument();
    const row = screen.getByText('Post 501').closest('[role="listitem"]');
    expect(row).toHaveAttribute('aria-posinset', '501');
    expect(row).toHaveAttribute('aria-setsize', '1200');
    const list = screen.getByRole('list', { name: 'Scheduled posts' });
    const first = Number(screen.getAllByRole('listitem')[0]?.getAttribute('aria-posinset'));
    expect(parseFloat(list.style.paddingTop)).toBe((first - 1) * ROW);
  });
});
