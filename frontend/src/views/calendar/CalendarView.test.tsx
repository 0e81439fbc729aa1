import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CalendarRange, PostView } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { calendarItemFixture, postFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import { setClockSetting } from '../../time/format';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Posts from '../../wailsjs/go/service/Posts';
import { MONTH_ITEMS, WEEK_LINES } from './CalendarGrid';
import { toRfc3339 } from './calendarEvents';
import { dayKey } from './calendarModel';
import { CalendarView, filteredChannels } from './CalendarView';
import { DAY_PAGE } from './DayList';
import { rescheduleOnDrop } from './rescheduleOnDrop';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Posts', () => ({ Calendar: vi.fn(), Reschedule: vi.fn(), Get: vi.fn() }));

const calendar = mockedBinding<CalendarRange>(Posts.Calendar);
const reschedule = mockedBinding<PostView>(Posts.Reschedule);

const shop = channelFixture({ id: 12, displayName: 'Shop', teams: [{ id: 3, name: 'Retail' }] });
const studio = channelFixture({ id: 13, displayName: 'Studio' });

/** A time inside the range the calendar asks for, `days` after its start, at noon UTC. */
const inRange = (from: string, days: number) => {
  const d = new Date(from);
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(12, 0, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
};

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop, studio]);
  mockedBinding<PostView>(Posts.Get).mockResolvedValue(postFixture());
  calendar.mockImplementation((from: string) =>
    Promise.resolve({
      items: [
        calendarItemFixture({ targetId: 101, at: inRange(from, 10) }),
        calendarItemFixture({ targetId: 102, postId: 8, channelId: 13, title: 'Launch', status: 'failed', editable: false, at: inRange(from, 11), message: 'Refused' }),
        calendarItemFixture({ targetId: 103, postId: 9, channelId: 12, title: 'Handed', status: 'scheduled', handedOff: true, at: inRange(from, 12) }),
      ],
      expiry: [{ channelId: 12, at: inRange(from, 14), label: 'Sign-in of Shop ends; refresh it before then' }],
    }),
  );
});

afterEach(() => {
  runtime.uninstall();
});

function renderCalendar() {
  return renderWithProviders(
    <ChannelListProvider>
      <Routes>
        <Route path="/calendar" element={<CalendarView />} />
        <Route path="/channels" element={<p>Channels page</p>} />
      </Routes>
    </ChannelListProvider>,
    '/calendar',
  );
}

describe('Calendar', () => {
  it('shows the variants of the range by status and channel, and the sign-in expiry', async () => {
    renderCalendar();
    const items = await screen.findAllByTestId('calendar-item');
    expect(items.map((i) => i.getAttribute('data-target-id'))).toEqual(['101', '102', '103']);
    expect(items[0]).toHaveTextContent('Shop · Spring sale');
    expect(items[0]).toHaveAttribute('data-editable', 'true');
    expect(items[1]).toHaveAttribute('data-status', 'failed');
    expect(items[1]).toHaveAttribute('title', expect.stringContaining('Refused'));
    expect(screen.getByTestId('calendar-expiry')).toHaveTextContent('Sign-in of Shop ends');

    const [from, to, ids] = calendar.mock.calls[0] as unknown as [string, string, number[]];
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(new Date(to).getTime()).toBeGreaterThan(new Date(from).getTime());
    expect(ids).toEqual([]);
  });

  it('filters by team, and reloads on posts:changed', async () => {
    const { user } = renderCalendar();
    await screen.findAllByTestId('calendar-item');
    await user.click(screen.getByTestId('filter-team'));
    await user.click(await screen.findByRole('option', { name: 'Retail' }));
    await waitFor(() => {
      expect(calendar.mock.calls.at(-1)?.[2]).toEqual([12]);
    });
    const calls = calendar.mock.calls.length;
    runtime.emit('posts:changed', 7);
    await waitFor(() => {
      expect(calendar.mock.calls.length).toBe(calls + 1);
    });
  });

  it('opens the post in a drawer on click', async () => {
    const { user } = renderCalendar();
    const items = await screen.findAllByTestId('calendar-item');
    await user.click(items[0] as HTMLElement);
    const drawer = await screen.findByRole('dialog', { name: 'Post' });
    expect(await within(drawer).findByTestId('post-details')).toHaveAttribute('data-post-id', '7');
  });

  it('colours and locks items from what the backend says', async () => {
    renderCalendar();
    const items = await screen.findAllByTestId('calendar-item');
    expect(items[0]).toHaveAttribute('draggable', 'true');
    expect(items[0]?.getAttribute('style')).toContain('--mantine-color-blue-light-color');
    expect(items[1]).toHaveAttribute('draggable', 'false');
    expect(items[1]?.getAttribute('style')).toContain('--mantine-color-red-light-color');
    expect(items[2]?.getAttribute('style')).toContain('--mantine-color-violet-light-color');
    const expiryDay = screen.getByTestId('calendar-expiry').closest('[role="gridcell"]');
    expect(expiryDay).toHaveAttribute('data-expiry');
    expect(expiryDay).toHaveAccessibleName(expect.stringContaining('a sign-in ends'));
  });

  it('keeps the empty message in the toolbar, beside the Month/Week switch', async () => {
    calendar.mockResolvedValue({ items: [], expiry: [] });
    renderCalendar();
    const empty = await screen.findByTestId('calendar-empty');
    expect(empty).toHaveTextContent('Nothing scheduled or published in this month.');
    // Same row as the switch, in the flow: neither sits on the other.
    expect(empty.parentElement).toContainElement(screen.getByRole('radio', { name: 'Week' }));
  });

  it('writes times on the Clock setting, and again when it changes', async () => {
    setClockSetting('24');
    try {
      renderCalendar();
      const time = async () => (await screen.findAllByTestId('calendar-item'))[0]?.querySelector('span')?.textContent;
      expect(await time()).toMatch(/^\d{2}:\d{2}$/);
      act(() => {
        setClockSetting('12');
      });
      expect(await time()).toMatch(/^\d{1,2}:\d{2} (AM|PM)$/);
    } finally {
      setClockSetting('system');
    }
  });

  it('narrows channels by the channel and team filters', () => {
    expect(filteredChannels({ text: '', channelIds: [], teamId: 0 }, [shop, studio])).toBeUndefined();
    expect(filteredChannels({ text: '', channelIds: [], teamId: 3 }, [shop, studio])).toEqual([12]);
    expect(filteredChannels({ text: '', channelIds: [13], teamId: 3 }, [shop, studio])).toEqual([]);
    expect(filteredChannels({ text: '', channelIds: [13], teamId: 0 }, [shop, studio])).toEqual([13]);
  });
});

describe('A dense month', () => {
  /** 50 channels, 3 posts each on every day of the range. */
  const dense = (from: string, to: string) => {
    const items = [];
    let id = 1;
    for (let day = new Date(from).getTime(); day < new Date(to).getTime(); day += 86_400_000) {
      for (let ch = 1; ch <= 50; ch++) {
        for (let k = 0; k < 3; k++) {
          const at = new Date(day + (8 + 4 * k) * 3_600_000 + ch * 60_000).toISOString().replace('.000Z', 'Z');
          items.push(calendarItemFixture({ targetId: id, postId: id, channelId: ch, title: `Post ${id} of seed ${ch}`, at, status: k === 0 ? 'published' : 'scheduled' }));
          id++;
        }
      }
    }
    return { items, expiry: [] };
  };
  const channels = Array.from({ length: 50 }, (_, i) => channelFixture({ id: i + 1, displayName: `Seed ${i + 1}` }));

  beforeEach(() => {
    mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue(channels);
    calendar.mockImplementation((from: string, to: string) => Promise.resolve(dense(from, to)));
  });

  it('draws a few items a day and counts the rest, by status', async () => {
    renderCalendar();
    const days = await screen.findAllByRole('gridcell');
    await waitFor(() => {
      expect(days[0]).toHaveAttribute('data-count', '150');
    });
    const perDay = days.length === 42 ? MONTH_ITEMS.sixWeeks : MONTH_ITEMS.fiveWeeks;
    // "N more" is in the day's heading: perDay drawn, the rest counted.
    expect(within(days[0] as HTMLElement).getAllByTestId('calendar-item')).toHaveLength(perDay);
    const more = within(days[0] as HTMLElement).getByTestId('calendar-more');
    expect(more).toHaveTextContent(`${150 - perDay} more`);
    expect(more).toHaveAttribute('title', '100 Scheduled, 50 Published');
    expect(screen.getAllByTestId('calendar-item')).toHaveLength(days.length * perDay);
    expect(days[0]).toHaveAccessibleName(expect.stringMatching(/^Monday \d+ \w+( \d{4})?, 150 posts/));
  });

  it('has one tab stop: arrows move between days, Enter opens the day, and its list pages', async () => {
    const { user } = renderCalendar();
    await waitFor(() => {
      expect(screen.getAllByRole('gridcell')[0]).toHaveAttribute('data-count', '150');
    });
    expect(screen.getByRole('grid')).toHaveAccessibleName(screen.getByTestId('calendar-title').textContent ?? '');
    const stops = screen.getAllByRole('gridcell').filter((c) => c.tabIndex === 0);
    expect(stops).toHaveLength(1);
    // Buttons inside days are not tab stops either.
    expect(screen.getAllByTestId('calendar-item').every((b) => b.tabIndex === -1)).toBe(true);
    const start = stops[0] as HTMLElement;
    start.focus();
    const startDay = start.getAttribute('data-day') ?? '';
    await user.keyboard('{ArrowRight}');
    const next = document.activeElement as HTMLElement;
    expect(next).toHaveAttribute('role', 'gridcell');
    expect(next).not.toHaveAttribute('data-day', startDay);
    expect(next.tabIndex).toBe(0);
    expect(start.tabIndex).toBe(-1);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toHaveAttribute('data-day', startDay);
    await user.keyboard('{ArrowDown}');
    const below = new Date(`${startDay}T12:00:00`);
    below.setDate(below.getDate() + 7);
    expect(document.activeElement).toHaveAttribute('data-day', dayKey(below));

    const title = screen.getByTestId('calendar-title').textContent;
    await user.keyboard('{PageDown}');
    await waitFor(() => {
      expect(screen.getByTestId('calendar-title').textContent).not.toBe(title);
    });
    expect(document.activeElement).toHaveAttribute('role', 'gridcell');

    await user.keyboard('{Enter}');
    const list = await screen.findByRole('dialog');
    await waitFor(() => {
      expect(within(list).getAllByTestId('calendar-day-item')).toHaveLength(DAY_PAGE);
    });
    expect(within(list).getByTestId('calendar-day-summary')).toHaveTextContent('150 posts on 50 channels: 100 scheduled, 50 published');
    await user.click(within(list).getByRole('button', { name: `Show ${DAY_PAGE} more of ${150 - DAY_PAGE}` }));
    expect(within(list).getAllByTestId('calendar-day-item')).toHaveLength(2 * DAY_PAGE);
    await user.click(within(list).getAllByTestId('calendar-day-item')[0] as HTMLElement);
    const drawer = await screen.findByRole('dialog', { name: 'Post' });
    expect(await within(drawer).findByTestId('post-details')).toBeInTheDocument();
  });

  it('shows the week by channel with post titles, within its lines', async () => {
    const { user } = renderCalendar();
    await screen.findAllByTestId('calendar-item');
    await user.click(screen.getByRole('radio', { name: 'Week' }));
    await waitFor(() => {
      expect(screen.getAllByRole('gridcell')).toHaveLength(7);
    });
    const day = screen.getAllByRole('gridcell')[0] as HTMLElement;
    await waitFor(() => {
      expect(day).toHaveAttribute('data-count', '150');
    });
    const groups = within(day).getAllByTestId('calendar-channel');
    // 24 lines of a heading and 3 posts each: 6 channels.
    expect(groups).toHaveLength(WEEK_LINES / 4);
    // The first channel of the day, its name and its count of posts that day.
    expect(groups[0]).toHaveAttribute('data-channel-id', '1');
    expect(groups[0]?.firstElementChild).toHaveTextContent(/^Seed 13$/);
    expect(within(groups[0] as HTMLElement).getAllByTestId('calendar-item')[0]).toHaveTextContent(/Post \d+ of seed 1$/);
    expect(within(day).getByTestId('calendar-more')).toHaveTextContent(`${150 - 18} more`);
  });
});

describe('Dragging an item to another day', () => {
  beforeEach(() => {
    // Only the date is fixed (timers run): the grid shows December 2026 on Monday 7th.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(2026, 11, 7, 10, 0) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const dataTransfer = () => ({ setData: vi.fn(), effectAllowed: '', dropEffect: '' });
  const cell = (day: string) => document.querySelector(`[data-day="${day}"]`) as HTMLElement;

  it('moves the post to the same time on the day it is dropped on, and refuses a day in the past', async () => {
    reschedule.mockResolvedValue(postFixture());
    calendar.mockResolvedValue({ items: [calendarItemFixture({ targetId: 101, postId: 7, at: new Date(2026, 11, 10, 14, 30).toISOString() })], expiry: [] });
    renderCalendar();
    const item = await screen.findByTestId('calendar-item');
    expect(item.closest('[data-day]')).toHaveAttribute('data-day', '2026-12-10');

    fireEvent.dragStart(item, { dataTransfer: dataTransfer() });
    // 14:30 on the 6th is past: no drop there.
    expect(fireEvent.dragOver(cell('2026-12-06'), { dataTransfer: dataTransfer() })).toBe(true);
    fireEvent.drop(cell('2026-12-06'), { dataTransfer: dataTransfer() });
    expect(reschedule).not.toHaveBeenCalled();

    fireEvent.dragStart(item, { dataTransfer: dataTransfer() });
    // preventDefault on dragover is how a drop target says yes.
    expect(fireEvent.dragOver(cell('2026-12-15'), { dataTransfer: dataTransfer() })).toBe(false);
    fireEvent.drop(cell('2026-12-15'), { dataTransfer: dataTransfer() });
    await waitFor(() => {
      expect(reschedule).toHaveBeenCalledWith(7, toRfc3339(new Date(2026, 11, 15, 14, 30)));
    });
    const calls = calendar.mock.calls.length;
    await waitFor(() => {
      expect(calendar.mock.calls.length).toBeGreaterThan(calls);
    });
  });

  it('does not drag a post the backend locks', async () => {
    calendar.mockResolvedValue({ items: [calendarItemFixture({ status: 'published', editable: false, at: new Date(2026, 11, 10, 14, 30).toISOString() })], expiry: [] });
    renderCalendar();
    const item = await screen.findByTestId('calendar-item');
    expect(item).toHaveAttribute('draggable', 'false');
  });
});

describe('Dragging an item to a new time', () => {
  const item = calendarItemFixture({ postId: 7, title: 'Spring sale' });

  it('reschedules the post to the dropped time', async () => {
    renderWithProviders(<div />);
    reschedule.mockResolvedValue(postFixture());
    await expect(rescheduleOnDrop(item, new Date('2030-12-02T10:15:00.000Z'))).resolves.toBe(true);
    expect(reschedule).toHaveBeenCalledWith(7, '2030-12-02T10:15:00Z');
    expect(await screen.findByText('Rescheduled')).toBeInTheDocument();
  });

  it('shows the error with its hint when the backend refuses', async () => {
    renderWithProviders(<div />);
    reschedule.mockRejectedValue({
      code: 'conflict',
      message: 'This post was handed to the network\'s scheduler, and Herald could not take it back: offline',
      hint: 'Herald needs to reach the network to change a handed-off post. Try again when you are online.',
    });
    await expect(rescheduleOnDrop(item, new Date('2030-12-02T10:15:00.000Z'))).resolves.toBe(false);
    expect(await screen.findByText('Not rescheduled')).toBeInTheDocument();
    expect(screen.getByText(/Try again when you are online/)).toBeInTheDocument();
  });
});
