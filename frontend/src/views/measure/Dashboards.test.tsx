import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BestTimes, CompareRow, ContentPage, Dashboard, DashboardSpec, MeasureChannel, MetricInfo, Overview, WatchedAccount } from '../../api/measure';
import type { ChannelView, TeamView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
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
  BestTimes: vi.fn(),
  Catalogue: vi.fn(),
  Dashboards: vi.fn(),
  CreateDashboard: vi.fn(),
  UpdateDashboard: vi.fn(),
  DeleteDashboard: vi.fn(),
  MoveDashboard: vi.fn(),
  SetDashboardReport: vi.fn(),
  ChooseFolder: vi.fn(),
  SaveImage: vi.fn(),
  SavePDF: vi.fn(),
  ExportCSV: vi.fn(),
  Compare: vi.fn(),
  Watchlist: vi.fn(),
  Unwatch: vi.fn(),
}));
// The charts draw nothing in jsdom; their text alternatives are what is tested.
vi.mock('@mantine/charts', () => ({ LineChart: () => null, BarChart: () => null }));
vi.mock('html-to-image', () => ({ toPng: vi.fn(() => Promise.resolve('data:image/png;base64,iVBORw0KGgo=')) }));

const dashboards = mockedBinding<Dashboard[]>(Measure.Dashboards);

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
  holes: [],
};

const catalogue: MetricInfo[] = [
  { key: 'favourites', label: 'Favourites / Likes', unit: 'interactions', scope: 'post', lifetime: true, engagement: true, networks: ['mastodon'] },
  { key: 'followers', label: 'Followers', unit: 'accounts', scope: 'channel', lifetime: false, engagement: false, networks: ['mastodon'] },
];

const spec = (widgets: DashboardSpec['widgets']): DashboardSpec => ({ channelIds: [], teamId: 0, range: '28d', widgets });

const board = (id: number, name: string, widgets: DashboardSpec['widgets'] = []): Dashboard => ({
  id,
  name,
  position: id,
  spec: spec(widgets),
  updatedAt: '2026-12-07T09:00:00Z',
  reportEvery: '',
  reportDir: '',
  reportNextAt: '',
});

const series = (key: string, label: string) => ({ key, label, points: [{ date: '2026-12-01', value: 3 }, { date: '2026-12-02', value: 5 }] });
const overview: Overview = {
  from: '2026-11-10',
  to: '2026-12-07',
  prevFrom: '2026-10-13',
  prevTo: '2026-11-09',
  kpis: [{ key: 'followers', label: 'Followers', unit: 'accounts', value: 120, previous: 100, help: 'Followers at the end of the range.' }],
  followers: series('followers', 'Followers'),
  posts: series('posts', 'Posts published'),
  engagement: series('engagement', 'Engagement'),
  lastSync: '2026-12-07T09:00:00Z',
  holes: [],
};

const page: ContentPage = {
  total: 2,
  columns: [catalogue[0]!],
  rows: [
    {
      id: 1,
      channelId: 12,
      channelName: 'Shop',
      network: 'mastodon',
      url: '',
      excerpt: 'Our winter sale starts today',
      publishedAt: '2026-12-01T09:00:00Z',
      reply: false,
      deleted: false,
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
      deleted: false,
      metrics: {},
      engagement: 4,
    },
  ],
};

const best: BestTimes = {
  cells: Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, posts: i === 33 ? 3 : 0, average: i === 33 ? 6 : 0 })),
  posts: 3,
  suggested: [],
  minPosts: 3,
  note: 'Few posts yet: read this as a hint.',
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
  mockedBinding<MeasureChannel[]>(Measure.Status).mockResolvedValue([shop]);
  mockedBinding<MetricInfo[]>(Measure.Catalogue).mockResolvedValue(catalogue);
  mockedBinding<Overview>(Measure.Overview).mockResolvedValue(overview);
  mockedBinding<ContentPage>(Measure.Content).mockResolvedValue(page);
  mockedBinding<BestTimes>(Measure.BestTimes).mockResolvedValue(best);
  dashboards.mockResolvedValue([]);
});

afterEach(() => {
  vi.clearAllMocks();
});

/** Picks an option of a Mantine Select. */
async function pick(user: ReturnType<typeof renderAt>['user'], testId: string, option: string) {
  await user.click(screen.getByTestId(testId));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('Dashboards', () => {
  it('explains what a dashboard is when there is none, and offers a new one', async () => {
    renderAt('/measure/dashboards');
    const empty = await screen.findByTestId('dashboards-empty');
    expect(empty).toHaveTextContent('A dashboard is a page of your own');
    expect(within(empty).getByRole('button', { name: 'New dashboard' })).toBeInTheDocument();
  });

  it('creates a dashboard with two widgets and sends their spec', async () => {
    const created = board(5, 'Weekly', [
      { id: 'w1', type: 'kpi', metric: 'followers', title: '', size: 's' },
      { id: 'w2', type: 'top_posts', metric: 'favourites', title: 'Best loved', size: 'm' },
    ]);
    mockedBinding<Dashboard>(Measure.CreateDashboard).mockResolvedValue(created);
    const { user, router } = renderAt('/measure/dashboards/new');
    await user.type(await screen.findByTestId('dashboard-name'), 'Weekly');

    await user.click(screen.getByTestId('widget-add'));
    await user.click(await screen.findByTestId('widget-add-confirm'));

    await user.click(screen.getByTestId('widget-add'));
    await pick(user, 'widget-type', 'Top posts');
    await pick(user, 'widget-metric', 'Favourites / Likes');
    await user.type(screen.getByTestId('widget-title'), 'Best loved');
    await user.click(screen.getByTestId('widget-add-confirm'));

    expect(screen.getAllByTestId('dashboard-widget')).toHaveLength(2);
    dashboards.mockResolvedValue([created]);
    await user.click(screen.getByTestId('dashboard-save'));
    await waitFor(() => {
      expect(Measure.CreateDashboard).toHaveBeenCalledWith('Weekly', created.spec);
    });
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/measure/dashboards/5');
    });
  });

  it('shows the server’s refusal next to the form', async () => {
    dashboards.mockResolvedValue([board(3, 'Launch')]);
    mockedBinding(Measure.UpdateDashboard).mockRejectedValue({ code: 'invalid', field: 'spec', message: 'The end date 2026-11-01 is before the start date 2026-12-01.' });
    const { user } = renderAt('/measure/dashboards/3');
    await user.click(await screen.findByTestId('dashboard-edit'));
    await user.click(screen.getByTestId('dashboard-save'));
    expect(await screen.findByTestId('dashboard-save-error')).toHaveTextContent('The end date 2026-11-01 is before the start date 2026-12-01.');
    expect(screen.getByTestId('dashboard-form')).toBeInTheDocument();
  });

  it('moves a dashboard with Alt+↑ and says where it went', async () => {
    const list = [board(1, 'Launch'), board(2, 'Weekly'), board(3, 'Monthly')];
    dashboards.mockResolvedValue(list);
    mockedBinding<Dashboard[]>(Measure.MoveDashboard).mockResolvedValue([list[0]!, list[2]!, list[1]!]);
    renderAt('/measure/dashboards');
    const link = await screen.findByRole('link', { name: 'Monthly' });
    link.focus();
    fireEvent.keyDown(link, { key: 'ArrowUp', altKey: true });
    await waitFor(() => {
      expect(Measure.MoveDashboard).toHaveBeenCalledWith(3, 2);
    });
    expect(await screen.findByTestId('dashboards-announce')).toHaveTextContent('“Monthly” moved to position 2 of 3.');
    const names = screen.getAllByTestId('dashboard-item').map((li) => within(li).getByRole('link').textContent);
    expect(names).toEqual(['Launch', 'Monthly', 'Weekly']);
    expect(screen.getByRole('link', { name: 'Monthly' })).toHaveFocus();
  });

  it('moves a dashboard down with its button', async () => {
    const list = [board(1, 'Launch'), board(2, 'Weekly')];
    dashboards.mockResolvedValue(list);
    mockedBinding<Dashboard[]>(Measure.MoveDashboard).mockResolvedValue([list[1]!, list[0]!]);
    const { user } = renderAt('/measure/dashboards');
    await user.click(await screen.findByRole('button', { name: 'Move “Launch” down' }));
    expect(Measure.MoveDashboard).toHaveBeenCalledWith(1, 2);
  });

  it('deletes a dashboard after a confirmation naming it', async () => {
    dashboards.mockResolvedValue([board(1, 'Launch')]);
    mockedBinding(Measure.DeleteDashboard).mockResolvedValue(undefined);
    const { user } = renderAt('/measure/dashboards');
    await user.click(await screen.findByRole('button', { name: 'Delete “Launch”' }));
    expect(await screen.findByRole('dialog', { name: 'Delete the dashboard “Launch”?' })).toBeInTheDocument();
    await user.click(screen.getByTestId('dashboard-delete-confirm'));
    expect(Measure.DeleteDashboard).toHaveBeenCalledWith(1);
    expect(await screen.findByTestId('dashboards-empty')).toBeInTheDocument();
  });

  it('draws every kind of widget from the services, channel and post figures labelled apart', async () => {
    dashboards.mockResolvedValue([
      board(7, 'All of it', [
        { id: 'k', type: 'kpi', metric: 'followers', title: '', size: 's' },
        { id: 't', type: 'timeseries', metric: 'posts', title: '', size: 'm' },
        { id: 'b', type: 'bar', metric: 'engagement', title: '', size: 'm' },
        { id: 'p', type: 'table', metric: 'favourites', title: '', size: 'l' },
        { id: 'x', type: 'top_posts', metric: 'engagement', title: 'Our best', size: 's' },
        { id: 'h', type: 'heatmap', metric: '', title: '', size: 'l' },
      ]),
    ]);
    renderAt('/measure/dashboards/7');
    const widget = async (id: string) => {
      const el = await screen.findByTestId('dashboard-grid');
      return el.querySelector<HTMLElement>(`[data-widget-id="${id}"]`)!;
    };
    const kpi = await widget('k');
    expect(await within(kpi).findByTestId('measure-kpi-value')).toHaveTextContent('120');
    expect(within(kpi).getByRole('heading', { level: 3 })).toHaveTextContent('Followers');
    expect(within(kpi).getByTestId('widget-scope')).toHaveTextContent('Channel activity in the range');

    expect(within(await widget('t')).getByTestId('measure-chart-summary')).toHaveTextContent('Posts published: 8 posts in 2 days');
    expect(within(await widget('b')).getByTestId('measure-chart-summary')).toHaveTextContent('Engagement: 8 interactions in 2 days');

    const table = await widget('p');
    expect(within(table).getByRole('heading', { level: 3 })).toHaveTextContent('Posts by favourites / likes');
    expect(within(table).getByTestId('widget-scope')).toHaveTextContent('Post lifetime counts');
    const rows = within(await within(table).findByTestId('widget-table')).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Our winter sale starts today');
    expect(rows[1]).toHaveTextContent('12');
    expect(rows[2]).toHaveTextContent('—');
    expect(Measure.Content).toHaveBeenCalledWith(expect.objectContaining({ sort: 'favourites', desc: true, limit: 10, offset: 0 }));

    const top = await widget('x');
    expect(within(top).getByRole('heading', { level: 3 })).toHaveTextContent('Our best');
    expect(await within(top).findByTestId('widget-top-posts')).toHaveTextContent('15 engagement');
    expect(Measure.Content).toHaveBeenCalledWith(expect.objectContaining({ sort: 'engagement', limit: 5 }));

    const heat = await widget('h');
    expect(await within(heat).findByRole('grid', { name: 'Average engagement per post by day and hour' })).toBeInTheDocument();
    expect(within(heat).getAllByRole('gridcell').filter((c) => c.tabIndex === 0)).toHaveLength(1);
    expect(Measure.Overview).toHaveBeenCalledTimes(1);
    expect(Measure.BestTimes).toHaveBeenCalledTimes(1);
  });

  it('saves the dashboard as a PNG through the window', async () => {
    dashboards.mockResolvedValue([board(7, 'Launch', [{ id: 'k', type: 'kpi', metric: 'followers', title: '', size: 's' }])]);
    mockedBinding(Measure.SaveImage).mockResolvedValue({ path: '/home/ann/Launch.png', entries: 1 });
    const { user } = renderAt('/measure/dashboards/7');
    await screen.findByTestId('dashboard-grid');
    await user.click(screen.getByTestId('measure-export'));
    await user.click(await screen.findByTestId('measure-export-png'));
    await waitFor(() => {
      expect(Measure.SaveImage).toHaveBeenCalledWith('Launch', 'data:image/png;base64,iVBORw0KGgo=');
    });
    expect(await screen.findByText('/home/ann/Launch.png')).toBeInTheDocument();
  });

  it('schedules a weekly PDF into a chosen folder and says when the next is due', async () => {
    const d = board(7, 'Launch', [{ id: 'k', type: 'kpi', metric: 'followers', title: '', size: 's' }]);
    dashboards.mockResolvedValue([d]);
    mockedBinding(Measure.ChooseFolder).mockResolvedValue('/home/ann/Reports');
    mockedBinding<Dashboard>(Measure.SetDashboardReport).mockResolvedValue({ ...d, reportEvery: 'week', reportDir: '/home/ann/Reports', reportNextAt: '2026-12-14T07:00:00Z' });
    const { user } = renderAt('/measure/dashboards/7');
    await user.click(await screen.findByTestId('dashboard-schedule'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByText('Weekly'));
    await user.click(within(dialog).getByRole('button', { name: 'Choose folder…' }));
    await waitFor(() => {
      expect(within(dialog).getByTestId('report-dir')).toHaveValue('/home/ann/Reports');
    });
    await user.click(within(dialog).getByTestId('report-save'));
    expect(Measure.SetDashboardReport).toHaveBeenCalledWith(7, 'week', '/home/ann/Reports');
    expect(await screen.findByTestId('dashboard-next-report')).toHaveTextContent('Next report:');
  });
});

describe('Compare', () => {
  it('puts channels and watched accounts side by side, "—" with the reason for what is absent', async () => {
    mockedBinding<CompareRow[]>(Measure.Compare).mockResolvedValue([
      { kind: 'channel', id: 12, name: 'Shop', network: 'mastodon', followers: 120, growth: 20, posts: 8, engagementPerPost: 2.5, readAt: '2026-12-07T09:00:00Z' },
      { kind: 'watched', id: 3, name: '@rival@example.social', network: 'mastodon', posts: 0 },
    ]);
    mockedBinding<WatchedAccount[]>(Measure.Watchlist).mockResolvedValue([
      {
        id: 3,
        channelId: 12,
        channelName: 'Shop',
        network: 'mastodon',
        remoteId: '77',
        handle: '@rival@example.social',
        displayName: 'Rival',
        avatarUrl: '',
        profileUrl: '',
        followers: 900,
        addedAt: '2026-12-01T09:00:00Z',
        lastError: 'The server answered 503.',
      },
    ]);
    renderAt('/measure/compare');
    const rows = await screen.findAllByTestId('compare-row');
    expect(rows[0]).toHaveTextContent('+20');
    const absent = within(rows[1]!).getAllByTestId('compare-absent');
    expect(absent).toHaveLength(3);
    expect(absent[0]).toHaveTextContent('—');
    expect(absent[0]).toHaveTextContent('No follower count read by the end of the range');
    expect(absent[2]).toHaveTextContent('No posts in the range');
    const watched = await screen.findByTestId('watched-account');
    expect(watched).toHaveTextContent('900 followers');
    expect(within(watched).getByTestId('watched-error')).toHaveTextContent('The server answered 503.');
    expect(within(watched).getByRole('button', { name: 'Stop watching @rival@example.social' })).toBeInTheDocument();
  });

  it('points to Search when nothing is watched', async () => {
    mockedBinding<CompareRow[]>(Measure.Compare).mockResolvedValue([]);
    mockedBinding<WatchedAccount[]>(Measure.Watchlist).mockResolvedValue([]);
    renderAt('/measure/compare');
    const empty = await screen.findByTestId('watchlist-empty');
    expect(within(empty).getByRole('link', { name: 'Go to Search' })).toHaveAttribute('href', '/search');
  });
});
