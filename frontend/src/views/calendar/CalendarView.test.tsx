import { screen, waitFor, within } from '@testing-library/react';
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
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Posts from '../../wailsjs/go/service/Posts';
import { toEvents } from './calendarEvents';
import { CalendarView, filteredChannels } from './CalendarView';
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

  it('colours and locks events from what the backend says', () => {
    const events = toEvents(
      {
        items: [calendarItemFixture(), calendarItemFixture({ targetId: 2, status: 'published', editable: false })],
        expiry: [{ channelId: 12, at: '2026-12-03T10:00:00Z', label: 'Sign-in of Shop ends' }],
      },
      [shop],
    );
    expect(events[0]).toMatchObject({ editable: true, groupId: 'post-7', backgroundColor: 'var(--mantine-color-blue-light)' });
    expect(events[1]).toMatchObject({ editable: false, backgroundColor: 'var(--mantine-color-teal-light)' });
    expect(events[1]?.groupId).toBeUndefined();
    expect(events[2]).toMatchObject({ title: 'Sign-in of Shop ends', editable: false });
    expect(events[3]).toMatchObject({ display: 'background', allDay: true });
  });

  it('narrows channels by the channel and team filters', () => {
    expect(filteredChannels({ text: '', channelIds: [], teamId: 0 }, [shop, studio])).toBeUndefined();
    expect(filteredChannels({ text: '', channelIds: [], teamId: 3 }, [shop, studio])).toEqual([12]);
    expect(filteredChannels({ text: '', channelIds: [13], teamId: 3 }, [shop, studio])).toEqual([]);
    expect(filteredChannels({ text: '', channelIds: [13], teamId: 0 }, [shop, studio])).toEqual([13]);
  });
});

describe('Dragging an item to a new time', () => {
  const item = calendarItemFixture({ postId: 7, title: 'Spring sale' });
  const drop = (start: Date | null) => {
    const revert = vi.fn();
    return { info: { event: { start, extendedProps: { kind: 'item', item, channel: shop } }, revert }, revert };
  };

  it('reschedules the post to the dropped time', async () => {
    renderWithProviders(<div />);
    reschedule.mockResolvedValue(postFixture());
    const { info, revert } = drop(new Date('2030-12-02T10:15:00.000Z'));
    await expect(rescheduleOnDrop(info)).resolves.toBe(true);
    expect(reschedule).toHaveBeenCalledWith(7, '2030-12-02T10:15:00Z');
    expect(revert).not.toHaveBeenCalled();
    expect(await screen.findByText('Rescheduled')).toBeInTheDocument();
  });

  it('puts the item back and shows the error with its hint when the backend refuses', async () => {
    renderWithProviders(<div />);
    reschedule.mockRejectedValue({
      code: 'conflict',
      message: 'This post was handed to the network\'s scheduler, and Herald could not take it back: offline',
      hint: 'Herald needs to reach the network to change a handed-off post. Try again when you are online.',
    });
    const { info, revert } = drop(new Date('2030-12-02T10:15:00.000Z'));
    await expect(rescheduleOnDrop(info)).resolves.toBe(false);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Not rescheduled')).toBeInTheDocument();
    expect(screen.getByText(/Try again when you are online/)).toBeInTheDocument();
  });

  it('puts back a drop without a time', async () => {
    const { info, revert } = drop(null);
    await expect(rescheduleOnDrop(info)).resolves.toBe(false);
    expect(revert).toHaveBeenCalled();
    expect(reschedule).not.toHaveBeenCalled();
  });
});
