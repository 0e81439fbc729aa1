import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BestTimes, ContentPage, MeasureChannel, Overview } from '../../api/measure';
import type { ChannelView, TeamView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { installRuntime } from '../../test/runtime';
import { setClockSetting } from '../../time/format';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Measure from '../../wailsjs/go/service/Measure';
import * as Teams from '../../wailsjs/go/service/Teams';
import MeasureRoutes from './MeasureRoutes';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Measure', () => ({
  Status: vi.fn(),
  SyncNow: vi.fn(),
  Overview: vi.fn(),
  Content: vi.fn(),
  Curve: vi.fn(),
  BestTimes: vi.fn(),
}));
// The charts draw nothing in jsdom; their text alternatives are what is tested.
vi.mock('@mantine/charts', () => ({ LineChart: () => null, BarChart: () => null }));

const status = mockedBinding<MeasureChannel[]>(Measure.Status);
const content = mockedBinding<ContentPage>(Measure.Content);
const overview = mockedBinding<Overview>(Measure.Overview);
const best = mockedBinding<BestTimes>(Measure.BestTimes);

const shop: MeasureChannel = {
  channelId: 12,
  name: 'Shop',
  network: 'mastodon',
  measurable: true,
  disconnected: false,
  channelReadAt: '2026-12-07T09:00:00Z',
  postsReadAt: '2026-12-07T09:00:00Z',
  backfilled: true,
  posts: 40,
  holes: ['Mastodon does not count views.'],
};

const page: ContentPage = {
  total: 2,
  columns: [
    { key: 'favourites', label: 'Favourites / Likes', unit: 'interactions', scope: 'post', lifetime: true, engagement: true, networks: ['mastodon', 'bluesky'] },
    { key: 'views', label: 'Views', unit: 'views', scope: 'post', lifetime: true, engagement: false, networks: ['bluesky'] },
  ],
  rows: [
    {
      id: 1,
      channelId: 12,
      channelName: 'Shop',
      network: 'mastodon',
      url: 'https://mastodon.social/@shop/1',
      excerpt: 'Our winter sale starts today',
      publishedAt: '2026-12-01T09:00:00Z',
      reply: false,
      deleted: false,
      postId: 7,
      metrics: { favourites: 12 },
      engagement: 15,
    },
    {
      id: 2,
      channelId: 12,
      channelName: 'Shop',
      network: 'mastodon',
      url: '',
      excerpt: 'An older post',
      publishedAt: '2026-11-20T09:00:00Z',
      reply: false,
      deleted: true,
      metrics: { favourites: 0 },
      engagement: 0,
    },
  ],
};

const renderAt = (path: string) =>
  renderWithProviders(
    <ChannelListProvider>
      <Routes>
        <Route path="/measure/*" element={<MeasureRoutes />} />
      </Routes>
    </ChannelListProvider>,
    path,
  );

beforeEach(() => {
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([channelFixture({ id: 12, displayName: 'Shop' })]);
  mockedBinding<TeamView[]>(Teams.List).mockResolvedValue([]);
  status.mockResolvedValue([shop]);
  content.mockResolvedValue(page);
});

afterEach(() => {
  vi.clearAllMocks();
});

describe('Content performance', () => {
  it('sorts on the server by the header clicked, turning the order round on a second click', async () => {
    const { user } = renderAt('/measure/content');
    await screen.findByTestId('measure-content-table');
    expect(content).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'published', desc: true, offset: 0, limit: 50, replies: false }));
    const header = screen.getByTestId('measure-sort-favourites');
    expect(header).toHaveAttribute('aria-sort', 'none');
    expect(screen.getByTestId('measure-sort-published')).toHaveAttribute('aria-sort', 'descending');

    await user.click(within(header).getByRole('button', { name: /Favourites \/ Likes/ }));
    await waitFor(() => {
      expect(content).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'favourites', desc: true }));
    });
    expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByTestId('measure-sort-published')).toHaveAttribute('aria-sort', 'none');

    await user.click(within(header).getByRole('button', { name: /Favourites \/ Likes/ }));
    await waitFor(() => {
      expect(content).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'favourites', desc: false }));
    });
    expect(header).toHaveAttribute('aria-sort', 'ascending');
  });

  it('shows "—" for a metric the network does not give, never 0, and 0 where it was read as 0', async () => {
    renderAt('/measure/content');
    const [first, second] = await screen.findAllByTestId('measure-content-row');
    const absent = within(first!).getByTestId('measure-absent');
    expect(absent).toHaveTextContent('—');
    expect(absent).toHaveTextContent('Not provided by this network');
    expect(first).toHaveTextContent('12');
    expect(within(second!).getAllByRole('cell')[1]).toHaveTextContent(/^0$/);
    expect(within(second!).getByTestId('measure-deleted')).toHaveTextContent('Deleted');
    expect(within(first!).getByTestId('measure-open-in-herald')).toHaveAttribute('href', '/posts/7');
    expect(within(second!).queryByTestId('measure-open-in-herald')).not.toBeInTheDocument();
    expect(screen.getByTestId('measure-paging')).toHaveTextContent('Showing 1–2 of 2');
  });

  it('opens a post’s curve from the keyboard', async () => {
    mockedBinding(Measure.Curve).mockResolvedValue({
      item: { ...page.rows[0], readAt: '2026-12-07T09:00:00Z' },
      series: { favourites: [{ at: '2026-12-01T10:00:00Z', value: 1 }, { at: '2026-12-02T10:00:00Z', value: 12 }] },
    });
    renderAt('/measure/content');
    const [first] = await screen.findAllByTestId('measure-content-row');
    first!.focus();
    fireEvent.keyDown(first!, { key: 'Enter' });
    expect(await screen.findByTestId('measure-curve-summary')).toHaveTextContent('Favourites / Likes 12, over 2 readings.');
    expect(Measure.Curve).toHaveBeenCalledWith(1);
  });
});

describe('Best times', () => {
  const cells = Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, posts: 0, average: 0 }));
  cells[2 * 24 + 9] = { weekday: 2, hour: 9, posts: 3, average: 10 };

  beforeEach(() => {
    setClockSetting('24');
  });
  afterEach(() => {
    setClockSetting('system');
  });

  it('is one tab stop that the arrow keys move, each cell named in words', async () => {
    best.mockResolvedValue({ cells, posts: 3, suggested: [cells[2 * 24 + 9]!], minPosts: 3, note: 'Based on 3 posts.' });
    renderAt('/measure/best-times');
    const grid = await screen.findByRole('grid', { name: 'Average engagement per post by day and hour' });
    const focusable = within(grid)
      .getAllByRole('gridcell')
      .filter((c) => c.tabIndex === 0);
    expect(focusable).toHaveLength(1);
    // It starts on the best suggested hour: Tuesday 09:00 (rows start on Monday).
    expect(focusable[0]).toHaveTextContent('Tuesday 09:00: 3 posts, 10 interactions on average');
    focusable[0]!.focus();
    fireEvent.keyDown(focusable[0]!, { key: 'ArrowRight' });
    await waitFor(() => {
      expect(document.activeElement).toHaveTextContent('Tuesday 10:00: no posts');
    });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    await waitFor(() => {
      expect(document.activeElement).toHaveTextContent('Monday 10:00: no posts');
    });
    expect(within(grid).getAllByRole('gridcell').filter((c) => c.tabIndex === 0)).toHaveLength(1);
    expect(screen.getByTestId('best-times-current')).toHaveTextContent('Monday 10:00: no posts');
    expect(screen.getAllByRole('row')).toHaveLength(8);
  });

  it('opens the queue times of a chosen channel with the suggested hours', async () => {
    best.mockResolvedValue({ cells, posts: 3, suggested: [cells[2 * 24 + 9]!], minPosts: 3, note: 'Based on 3 posts.' });
    const { user, router } = renderAt('/measure/best-times');
    expect(await screen.findByTestId('best-times-suggested')).toHaveTextContent('Tuesday 09:00: 10 interactions per post on average, over 3 posts');
    await user.click(screen.getByTestId('best-times-add'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('checkbox', { name: 'Tuesday 09:00' })).toBeChecked();
    await user.click(within(dialog).getByTestId('best-times-open-queue'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/settings/queue');
    });
    expect(router.state.location.state).toEqual({
      queueSuggestion: { channelId: 12, timeZone: expect.any(String) as string, slots: [{ weekday: 2, time: '09:00' }] },
    });
  });
});

describe('Channel overview', () => {
  it('shows each KPI with its change in words, and "—" with the reason when there is none', async () => {
    const series = (key: string, label: string) => ({ key, label, points: [{ date: '2026-12-01', value: 3 }, { date: '2026-12-02', value: 5 }] });
    overview.mockResolvedValue({
      from: '2026-12-01',
      to: '2026-12-28',
      prevFrom: '2026-11-03',
      prevTo: '2026-11-30',
      kpis: [
        { key: 'followers', label: 'Followers', unit: 'accounts', value: 120, previous: 100, help: 'Followers at the end of the range.' },
        { key: 'engagement_rate', label: 'Engagement rate', unit: 'percent', help: 'Engagement per post as a share of followers.' },
      ],
      followers: series('followers', 'Followers'),
      posts: series('posts', 'Posts published'),
      engagement: series('engagement', 'Engagement'),
      holes: [],
    });
    const { user } = renderAt('/measure');
    const tiles = await screen.findAllByTestId('measure-kpi');
    expect(tiles[0]).toHaveTextContent('120');
    expect(within(tiles[0]!).getByTestId('measure-kpi-change')).toHaveTextContent('+20 (+20%)');
    expect(within(tiles[0]!).getByTestId('measure-kpi-change')).toHaveTextContent('up 20 (20%) on 3–30 Nov');
    expect(within(tiles[1]!).getByTestId('measure-kpi-value')).toHaveTextContent('—');
    expect(tiles[1]).toHaveTextContent('Engagement per post as a share of followers.');
    expect(screen.getByTestId('measure-holes')).toHaveTextContent('Mastodon does not count views.');

    const posts = screen.getByTestId('measure-chart-posts');
    expect(within(posts).getByTestId('measure-chart-summary')).toHaveTextContent('Posts published: 8 posts in 2 days; the most on 2 Dec (5).');
    await user.click(within(posts).getByRole('button', { name: 'Show as table' }));
    expect(within(posts).getByTestId('measure-chart-table')).toHaveTextContent('Wed 2 Dec5');
  });

  it('explains that nothing is measured yet and offers Sync now', async () => {
    status.mockResolvedValue([{ ...shop, channelReadAt: '', postsReadAt: '', backfilled: false }]);
    mockedBinding<MeasureChannel[]>(Measure.SyncNow).mockResolvedValue([shop]);
    const { user } = renderAt('/measure');
    const empty = await screen.findByTestId('measure-nothing-yet');
    expect(empty).toHaveTextContent("Herald reads each channel's last 90 days after it is connected; the first numbers appear within a few minutes.");
    await user.click(within(empty).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => {
      expect(Measure.SyncNow).toHaveBeenCalledWith(12);
    });
  });
});

describe('Reading again', () => {
  it('loads the view once, a second after a burst of metrics:changed', async () => {
    const runtime = installRuntime();
    try {
      renderAt('/measure/content');
      await screen.findByTestId('measure-content-table');
      expect(content).toHaveBeenCalledTimes(1);
      vi.useFakeTimers({ shouldAdvanceTime: true });
      act(() => {
        runtime.emit('metrics:changed', 12);
        runtime.emit('metrics:changed', 13);
      });
      await act(async () => {
        await vi.advanceTimersByTimeAsync(900);
      });
      expect(content).toHaveBeenCalledTimes(1);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(200);
      });
      await waitFor(() => {
        expect(content).toHaveBeenCalledTimes(2);
      });
      expect(status).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
      runtime.uninstall();
    }
  });
});
