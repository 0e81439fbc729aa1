import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditPage, AuditQuery, ExportResult } from '../../api/audit';
import type { ChannelView, TeamView } from '../../api/types';
import type { PublishingStatus } from '../../api/publishing';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { MainRoutes } from '../../MainRoutes';
import { mockedBinding } from '../../test/bindings';
import { channelFixture, teamFixture } from '../../test/fixtures';
import { statusFixture } from '../../test/postFixtures';
import { deferred, renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Audit from '../../wailsjs/go/service/Audit';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Publishing from '../../wailsjs/go/service/Publishing';
import * as Teams from '../../wailsjs/go/service/Teams';
import { AuditView } from './AuditView';

vi.mock('../../wailsjs/go/service/Audit', () => ({ List: vi.fn(), ExportCSV: vi.fn() }));
vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Publishing', () => ({ Status: vi.fn(), SetPaused: vi.fn() }));

const list = mockedBinding<AuditPage>(Audit.List);
const exportCSV = mockedBinding<ExportResult>(Audit.ExportCSV);

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: 40,
  at: '2026-06-01T09:30:02Z',
  actor: 'scheduler',
  event: 'post.published',
  channelId: 12,
  channelName: 'Shop',
  teams: 'Retail,Online',
  postId: 7,
  summary: 'Published "Spring sale" to Shop',
  details: '{"attempt":1,"remoteUrl":"https://mastodon.social/@shop/110"}',
  ...over,
});

const page = (entries: AuditEntry[], over: Partial<AuditPage> = {}): AuditPage => ({
  entries,
  total: entries.length,
  more: false,
  ...over,
});

const firstPage = page(
  [
    entry(),
    entry({ id: 39, actor: 'user', event: 'channel.connected', postId: 0, summary: 'Connected Shop', details: '{}' }),
    entry({ id: 38, actor: 'health', event: 'channel.disconnected', teams: '', postId: 0, summary: 'Shop stopped accepting the sign-in' }),
  ],
  { total: 1234, more: true },
);

const queryOf = (n: number) => list.mock.calls[n]?.[0] as unknown as AuditQuery;
const lastQuery = () => queryOf(list.mock.calls.length - 1);

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([
    channelFixture({ id: 12, displayName: 'Shop' }),
    channelFixture({ id: 13, displayName: 'Studio', handle: 'studio@mastodon.social' }),
  ]);
  mockedBinding<TeamView[]>(Teams.List).mockResolvedValue([teamFixture({ id: 3, name: 'Retail' }), teamFixture({ id: 4, name: 'Online' })]);
  mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture());
  list.mockResolvedValue(firstPage);
});

afterEach(() => {
  runtime.uninstall();
});

function renderAudit() {
  return renderWithProviders(
    <ChannelListProvider>
      <Routes>
        <Route path="/audit" element={<AuditView />} />
        <Route path="/posts/:postId" element={<p>Post page</p>} />
        <Route path="/channels" element={<p>Channels page</p>} />
      </Routes>
    </ChannelListProvider>,
    '/audit',
  );
}

async function choose(user: ReturnType<typeof renderAudit>['user'], testId: string, option: string) {
  await user.click(screen.getByTestId(testId));
  await user.click(await screen.findByRole('option', { name: option }));
}

describe('The audit log', () => {
  it('lists the newest entries with readable events, who asked, and the total', async () => {
    renderAudit();
    const rows = await screen.findAllByTestId('audit-row');
    expect(screen.getByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    expect(screen.getByText('Everything Herald did, and who or what asked for it.')).toBeInTheDocument();
    expect(rows.map((row) => row.getAttribute('data-event'))).toEqual(['post.published', 'channel.connected', 'channel.disconnected']);
    expect(rows.map((row) => within(row).getByTestId('audit-event').textContent)).toEqual([
      'Post published',
      'Channel connected',
      'Channel disconnected',
    ]);
    expect(rows.map((row) => within(row).getByTestId('audit-actor').textContent)).toEqual(['Scheduler', 'You', 'Health checks']);
    expect(within(rows[0]!).getByTestId('audit-channel')).toHaveTextContent('Shop');
    expect(within(rows[0]!).getByTestId('audit-teams')).toHaveTextContent('RetailOnline');
    expect(within(rows[0]!).getByText(/Published "Spring sale"/)).toBeInTheDocument();
    expect(within(rows[0]!).getByRole('time')).toHaveAttribute('datetime', '2026-06-01T09:30:02Z');
    expect(screen.getByTestId('audit-total')).toHaveTextContent('1,234 entries');
    expect(queryOf(0)).toEqual({ from: '', to: '', actor: '', event: '', channelId: 0, team: '', text: '', beforeId: 0, limit: 100 });
  });

  it('opens a row to show its details and links to the post and channel', async () => {
    const { user } = renderAudit();
    const [published, connected] = await screen.findAllByTestId('audit-row');
    const toggle = within(published!).getByRole('button', { name: 'Details: Post published' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const details = screen.getByTestId('audit-details');
    expect(toggle).toHaveAttribute('aria-controls', details.id);
    expect(within(details).getByTestId('audit-details-json').textContent).toBe(
      '{\n  "attempt": 1,\n  "remoteUrl": "https://mastodon.social/@shop/110"\n}',
    );
    expect(within(details).getByRole('link', { name: /Open post 7/ })).toHaveAttribute('href', '/posts/7');
    expect(within(details).getByRole('link', { name: /Open Channels/ })).toHaveAttribute('href', '/channels');

    await user.click(toggle);
    expect(screen.queryByTestId('audit-details')).not.toBeInTheDocument();

    await user.click(within(connected!).getByTestId('audit-summary'));
    const second = screen.getByTestId('audit-details');
    expect(second).toHaveTextContent('No further details were recorded.');
    expect(within(second).queryByRole('link', { name: /Open post/ })).not.toBeInTheDocument();
    await user.click(within(second).getByRole('link', { name: /Open Channels/ }));
    expect(await screen.findByText('Channels page')).toBeInTheDocument();
  });

  it('turns every filter into the query', async () => {
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');

    await choose(user, 'audit-filter-actor', 'Health checks');
    await waitFor(() => {
      expect(lastQuery().actor).toBe('health');
    });
    await choose(user, 'audit-filter-event', 'Publishing');
    await waitFor(() => {
      expect(lastQuery().event).toBe('publishing.');
    });
    await choose(user, 'audit-filter-channel', 'Studio (@studio@mastodon.social) · Mastodon');
    await waitFor(() => {
      expect(lastQuery().channelId).toBe(13);
    });
    await choose(user, 'audit-filter-team', 'Online');
    await waitFor(() => {
      expect(lastQuery().team).toBe('Online');
    });

    await user.type(screen.getByTestId('audit-filter-from'), '2026-03-01');
    await user.type(screen.getByTestId('audit-filter-to'), '2026-03-31');
    await user.tab();
    await waitFor(() => {
      expect(lastQuery().to).not.toBe('');
    });
    expect(new Date(lastQuery().from).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(lastQuery().to).getTime()).toBe(new Date(2026, 3, 1).getTime());
    // Half-typed dates ("2", "2026-0") are not sent.
    expect(new Set(list.mock.calls.map(([q]) => (q as unknown as AuditQuery).from))).toEqual(new Set(['', lastQuery().from]));

    // The search waits for typing to pause: one query for the whole word.
    const before = list.mock.calls.length;
    await user.type(screen.getByTestId('audit-filter-text'), 'sale');
    await waitFor(() => {
      expect(lastQuery().text).toBe('sale');
    });
    expect(list.mock.calls.slice(before).map(([q]) => (q as unknown as AuditQuery).text)).toEqual(['sale']);
    expect(lastQuery()).toMatchObject({ actor: 'health', event: 'publishing.', channelId: 13, team: 'Online', beforeId: 0 });

    // "All" takes a filter off again.
    await choose(user, 'audit-filter-event', 'All');
    await waitFor(() => {
      expect(lastQuery().event).toBe('');
    });
    await user.click(screen.getByTestId('audit-filter-clear'));
    await waitFor(() => {
      expect(lastQuery()).toEqual({ from: '', to: '', actor: '', event: '', channelId: 0, team: '', text: '', beforeId: 0, limit: 100 });
    });
  });

  it('loads older entries after the last one shown', async () => {
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');
    const older = deferred<AuditPage>();
    list.mockReturnValueOnce(older.promise);

    await user.click(screen.getByTestId('audit-load-more'));
    expect(lastQuery()).toMatchObject({ beforeId: 38, limit: 100 });
    expect(screen.getByTestId('audit-load-more')).toHaveAttribute('data-loading');

    older.resolve(page([entry({ id: 37, event: 'team.created', summary: 'Created team Online' })], { total: 1234, more: false }));
    await waitFor(() => {
      expect(screen.getAllByTestId('audit-row')).toHaveLength(4);
    });
    expect(screen.getAllByTestId('audit-row')[3]).toHaveAttribute('data-event', 'team.created');
    expect(screen.getByTestId('audit-total')).toHaveTextContent('1,234 entries');
    expect(screen.queryByTestId('audit-load-more')).not.toBeInTheDocument();
  });

  it('says when loading older entries failed and tries again', async () => {
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');
    list.mockRejectedValueOnce({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    await user.click(screen.getByTestId('audit-load-more'));
    expect(await screen.findByTestId('audit-more-error')).toHaveTextContent('Open Diagnostics.');

    list.mockResolvedValueOnce(page([entry({ id: 37 })], { total: 1234, more: true }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => {
      expect(screen.getAllByTestId('audit-row')).toHaveLength(4);
    });
    expect(lastQuery().beforeId).toBe(38);
    expect(screen.queryByTestId('audit-more-error')).not.toBeInTheDocument();
  });

  it('exports what the filters select and names the file', async () => {
    exportCSV.mockResolvedValue({ path: '/home/ana/Downloads/herald-audit-20260601-093000.csv', entries: 1234 });
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');
    await choose(user, 'audit-filter-actor', 'You');
    await waitFor(() => {
      expect(lastQuery().actor).toBe('user');
    });

    await user.click(screen.getByTestId('audit-export'));
    expect(exportCSV).toHaveBeenCalledWith({ from: '', to: '', actor: 'user', event: '', channelId: 0, team: '', text: '', beforeId: 0, limit: 0 });
    expect(await screen.findByText('Audit log exported')).toBeInTheDocument();
    expect(screen.getByText('1,234 entries saved to herald-audit-20260601-093000.csv in /home/ana/Downloads.')).toBeInTheDocument();
  });

  it('shows the export running, and says nothing when the save dialog is cancelled', async () => {
    const saving = deferred<ExportResult>();
    exportCSV.mockReturnValueOnce(saving.promise);
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');

    await user.click(screen.getByTestId('audit-export'));
    expect(screen.getByTestId('audit-export')).toHaveAttribute('data-loading');
    saving.resolve({ path: '', entries: 0 });
    await waitFor(() => {
      expect(screen.getByTestId('audit-export')).not.toHaveAttribute('data-loading');
    });
    expect(screen.queryByText('Audit log exported')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('explains a failed export with its hint', async () => {
    exportCSV.mockRejectedValueOnce({
      code: 'unavailable',
      message: 'The audit log could not be written to /mnt/usb/log.csv: permission denied',
      hint: 'Choose another folder.',
    });
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');
    await user.click(screen.getByTestId('audit-export'));
    expect(await screen.findByText('Herald could not export the audit log')).toBeInTheDocument();
    expect(screen.getByText(/permission denied Choose another folder\./)).toBeInTheDocument();
  });

  it('says when there is nothing yet, and when nothing matches the filters', async () => {
    list.mockResolvedValue(page([]));
    const { user } = renderAudit();
    const empty = await screen.findByTestId('audit-empty');
    expect(empty).toHaveTextContent('Nothing yet');
    expect(screen.getByTestId('audit-total')).toHaveTextContent('0 entries');
    expect(screen.queryByTestId('audit-load-more')).not.toBeInTheDocument();

    await choose(user, 'audit-filter-event', 'Teams');
    await waitFor(() => {
      expect(screen.getByTestId('audit-empty')).toHaveTextContent('Nothing matches these filters');
    });
    list.mockResolvedValue(firstPage);
    await user.click(within(screen.getByTestId('audit-empty')).getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(3);
    expect(lastQuery().event).toBe('');
  });

  it('offers new entries without moving the list, and shows them on request', async () => {
    const { user } = renderAudit();
    await screen.findAllByTestId('audit-row');
    const calls = list.mock.calls.length;

    list.mockResolvedValueOnce(page([entry({ id: 42 })], { total: 1236 }));
    runtime.emit('audit:appended', 41);
    runtime.emit('audit:appended', 42);
    const notice = await screen.findByTestId('audit-new-entries');
    expect(notice).toHaveTextContent('2 new entries');
    // The burst made one check, for the newest entry under the same filters.
    expect(list.mock.calls.slice(calls).map(([q]) => q)).toEqual([{ ...queryOf(0), beforeId: 0, limit: 1 }]);
    // The rows stay as they were.
    expect(screen.getAllByTestId('audit-row')[0]).toHaveAttribute('data-id', '40');

    const newer = [entry({ id: 42, event: 'post.deleted' }), entry({ id: 41, event: 'post.created' })];
    list.mockResolvedValueOnce(page([...newer, ...firstPage.entries], { total: 1236, more: true }));
    await user.click(within(notice).getByRole('button', { name: 'Show' }));
    await waitFor(() => {
      expect(screen.getAllByTestId('audit-row')[0]).toHaveAttribute('data-event', 'post.deleted');
    });
    expect(screen.queryByTestId('audit-new-entries')).not.toBeInTheDocument();
    expect(screen.getByTestId('audit-total')).toHaveTextContent('1,236 entries');
    expect(screen.getByRole('region', { name: 'Audit log results' })).toHaveFocus();
  });

  it('shows the first entries as they arrive when there was nothing to read', async () => {
    list.mockResolvedValue(page([]));
    renderAudit();
    expect(await screen.findByTestId('audit-empty')).toHaveTextContent('Nothing yet');
    list.mockResolvedValue(page([entry({ id: 1, actor: 'user', event: 'team.created', summary: 'Created team Retail' })]));
    runtime.emit('audit:appended', 1);
    expect(await screen.findByTestId('audit-row')).toHaveAttribute('data-event', 'team.created');
    expect(screen.queryByTestId('audit-new-entries')).not.toBeInTheDocument();
    expect(screen.getByTestId('audit-total')).toHaveTextContent('1 entry');
  });

  it('offers nothing when what was appended does not match the filters', async () => {
    renderAudit();
    await screen.findAllByTestId('audit-row');
    list.mockResolvedValueOnce(firstPage);
    runtime.emit('audit:appended', null);
    await waitFor(() => {
      expect(lastQuery()).toMatchObject({ limit: 1 });
    });
    // Let the check settle.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('audit-new-entries')).not.toBeInTheDocument();
  });

  it('shows a failed list with its hint and Retry', async () => {
    list.mockRejectedValueOnce({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    const { user } = renderAudit();
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('Herald could not read the audit log');
    expect(panel).toHaveTextContent('Open Diagnostics.');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(3);
  });
});

describe('The Audit log view in the window', () => {
  it('is the real view at #/audit, marked in the navigation', async () => {
    renderWithProviders(<MainRoutes />, '/audit');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(3);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-keyshortcuts', 'Control+7');
  });
});
