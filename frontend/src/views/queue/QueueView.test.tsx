import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PostSummary, PostView, QueueCounts, QueuePage, QueuePageQuery } from '../../api/posts';
import type { PublishingStatus } from '../../api/publishing';
import type { ChannelView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { postFixture, statusFixture, summaryFixture, targetFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Posts from '../../wailsjs/go/service/Posts';
import * as Publishing from '../../wailsjs/go/service/Publishing';
import { QueueView } from './QueueView';
import { PublishingStatusProvider } from './usePublishingStatus';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Publishing', () => ({ Status: vi.fn(), SetPaused: vi.fn() }));
vi.mock('../../wailsjs/go/service/Posts', () => ({
  QueuePage: vi.fn(),
  QueueCounts: vi.fn(),
  Get: vi.fn(),
  PublishNow: vi.fn(),
  Unschedule: vi.fn(),
  Delete: vi.fn(),
  RetryTarget: vi.fn(),
  SkipTarget: vi.fn(),
  Schedule: vi.fn(),
}));

const list = mockedBinding<QueuePage>(Posts.QueuePage);
const counts = mockedBinding<QueueCounts>(Posts.QueueCounts);
const page = (posts: PostSummary[], next = ''): QueuePage => ({ posts, next });
const getPost = mockedBinding<PostView>(Posts.Get);
const unschedule = mockedBinding<PostView>(Posts.Unschedule);
const remove = mockedBinding<undefined>(Posts.Delete);
const publishNow = mockedBinding<PostView>(Posts.PublishNow);
const retry = mockedBinding<PostView>(Posts.RetryTarget);
const skip = mockedBinding<PostView>(Posts.SkipTarget);

const shop = channelFixture({ id: 12, displayName: 'Shop', teams: [{ id: 3, name: 'Retail' }] });
const studio = channelFixture({ id: 13, displayName: 'Studio' });

const queryOf = (n: number) => list.mock.calls[n]?.[0] as unknown as QueuePageQuery;

beforeEach(() => {
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop, studio]);
  mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture({ needsAction: 3 }));
  list.mockResolvedValue(page([summaryFixture()]));
  counts.mockResolvedValue({ scheduled: 1, drafts: 0, attention: 3, published: 1234 });
});

function renderQueue(route = '/queue') {
  return renderWithProviders(
    <ChannelListProvider>
      <PublishingStatusProvider>
        <Routes>
          <Route path="/queue" element={<QueueView />} />
          <Route path="/compose/:postId" element={<p>Composer</p>} />
          <Route path="/channels" element={<p>Channels page</p>} />
        </Routes>
      </PublishingStatusProvider>
    </ChannelListProvider>,
    route,
  );
}

describe('Queue', () => {
  it('shows how many posts each tab lists, under the filters', async () => {
    const { user } = renderQueue();
    await screen.findByTestId('queue-row-7');
    await waitFor(() => {
      expect(screen.getByTestId('queue-count-published')).toHaveTextContent('1,234');
    });
    expect(screen.getByTestId('queue-count-scheduled')).toHaveTextContent('1');
    expect(screen.getByTestId('queue-count-drafts')).toHaveTextContent('0');
    expect(screen.getByTestId('queue-count-attention')).toHaveTextContent('3');

    counts.mockResolvedValue({ scheduled: 0, drafts: 2, attention: 0, published: 5 });
    await user.type(screen.getByTestId('filter-text'), 'sale');
    await waitFor(() => {
      expect(screen.getByTestId('queue-count-published')).toHaveTextContent('5');
    });
    expect(counts.mock.calls.at(-1)?.[0]).toMatchObject({ text: 'sale' });
    expect(screen.queryByTestId('queue-count-attention')).not.toBeInTheDocument();
  });

  it('loads the next page with the cursor when the end of the list is reached', async () => {
    list.mockResolvedValueOnce(page([summaryFixture({ id: 7 }), summaryFixture({ id: 8, title: 'Second' })], 'cursor-1'));
    list.mockResolvedValueOnce(page([summaryFixture({ id: 9, title: 'Third' })]));
    const { user } = renderQueue();
    await screen.findByTestId('queue-row-8');
    const more = screen.getByRole('button', { name: 'Load more' });
    more.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('queue-row-9')).toBeInTheDocument();
    expect(queryOf(1)).toMatchObject({ tab: 'scheduled', after: 'cursor-1' });
    expect(screen.getAllByTestId(/^queue-row-/).map((r) => r.dataset.testid)).toEqual(['queue-row-7', 'queue-row-8', 'queue-row-9']);
    expect(screen.queryByTestId('queue-load-more')).not.toBeInTheDocument();
  });

  it('lists Published newest first, as the backend returns it', async () => {
    list.mockResolvedValue(
      page([
        summaryFixture({ id: 30, title: 'Newest', status: 'published' }),
        summaryFixture({ id: 20, title: 'Older', status: 'published' }),
        summaryFixture({ id: 25, title: 'Oldest', status: 'published' }),
      ]),
    );
    renderQueue('/queue?tab=published');
    await screen.findByTestId('queue-row-30');
    expect(queryOf(0).tab).toBe('published');
    const rows = screen.getAllByTestId(/^queue-row-/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['queue-row-30', 'queue-row-20', 'queue-row-25']);
  });


  it('lists scheduled posts with local time, channels and their statuses, and switches tabs', async () => {
    const { user } = renderQueue();
    const row = await screen.findByTestId('queue-row-7');
    expect(row).toHaveTextContent('Spring sale');
    expect(within(row).getByTestId('row-time')).toHaveAttribute('data-at', '2026-12-01T08:30:00Z');
    expect(within(row).getByTestId('row-target-12')).toHaveTextContent('Shop');
    expect(within(row).getByTestId('row-target-12')).toHaveTextContent('Scheduled');
    expect(queryOf(0).tab).toBe('scheduled');
    expect(queryOf(0).after).toBe('');
    expect(screen.getByTestId('queue-tab-attention')).toHaveTextContent('3');

    list.mockResolvedValue(page([]));
    await user.click(screen.getByRole('tab', { name: /^Drafts/ }));
    expect(await screen.findByTestId('queue-empty')).toHaveTextContent('No drafts');
    expect(queryOf(list.mock.calls.length - 1).tab).toBe('drafts');

    await user.click(screen.getByRole('tab', { name: /^Published/ }));
    await waitFor(() => {
      expect(queryOf(list.mock.calls.length - 1).tab).toBe('published');
    });
  });

  it('searches and filters by channel and team', async () => {
    const { user } = renderQueue();
    await screen.findByTestId('queue-row-7');
    await user.type(screen.getByTestId('filter-text'), 'sale');
    await waitFor(() => {
      expect(queryOf(list.mock.calls.length - 1).text).toBe('sale');
    });
    await user.click(screen.getByTestId('filter-team'));
    await user.click(await screen.findByRole('option', { name: 'Retail' }));
    await waitFor(() => {
      expect(queryOf(list.mock.calls.length - 1).teamId).toBe(3);
    });
  });

  it('unschedules, publishes now and deletes with confirmation', async () => {
    unschedule.mockResolvedValue(postFixture({ status: 'draft' }));
    publishNow.mockResolvedValue(postFixture());
    remove.mockResolvedValue(undefined);
    const { user } = renderQueue();
    const row = await screen.findByTestId('queue-row-7');

    await user.click(within(row).getByTestId('row-menu'));
    await user.click(await screen.findByRole('menuitem', { name: 'Unschedule (back to drafts)' }));
    expect(unschedule).toHaveBeenCalledWith(7);
    expect(await screen.findByText('Back to drafts')).toBeInTheDocument();

    await user.click(within(row).getByTestId('row-menu'));
    await user.click(await screen.findByRole('menuitem', { name: 'Publish now' }));
    const confirm = await screen.findByRole('dialog', { name: 'Publish now?' });
    await user.click(within(confirm).getByRole('button', { name: 'Publish now' }));
    expect(publishNow).toHaveBeenCalledWith(7);

    await user.click(within(row).getByTestId('row-menu'));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete from Herald…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this post from Herald?' });
    expect(dialog).toHaveTextContent('Nothing is deleted on the networks');
    await user.click(within(dialog).getByRole('button', { name: 'Delete from Herald' }));
    expect(remove).toHaveBeenCalledWith(7);

    expect(within(row).getByTestId('row-edit')).toHaveAttribute('href', '/compose/7');
  });

  it('explains each problem under Needs attention with its way forward', async () => {
    list.mockResolvedValue(page([
      summaryFixture({
        targets: [
          { id: 101, channelId: 12, status: 'blocked', dueAt: '', errorClass: '', message: '', handedOff: false, remoteUrl: '' },
          { id: 102, channelId: 13, status: 'failed', dueAt: '', errorClass: '', message: '', handedOff: false, remoteUrl: '' },
          { id: 103, channelId: 13, status: 'skipped', dueAt: '', errorClass: '', message: '', handedOff: false, remoteUrl: '' },
        ],
      }),
      summaryFixture({ id: 8, targets: [{ id: 201, channelId: 12, status: 'scheduled', dueAt: '', errorClass: '', message: '', handedOff: false, remoteUrl: '' }] }),
    ]));
    getPost.mockResolvedValue(
      postFixture({
        targets: [
          targetFixture({ id: 101, channelId: 12, status: 'blocked', errorClass: 'auth_dead', errorMessage: 'The token was revoked. Reconnect Shop and Herald will publish it.' }),
          targetFixture({ id: 102, channelId: 13, status: 'failed', errorClass: 'content_rejected', errorMessage: 'Text character limit of 500 exceeded' }),
          targetFixture({ id: 103, channelId: 13, status: 'skipped', errorClass: 'missed_window', errorMessage: 'Not published (never attempted).' }),
        ],
      }),
    );
    retry.mockResolvedValue(postFixture());
    skip.mockResolvedValue(postFixture());
    const { user } = renderQueue('/queue?tab=attention');

    const dead = await screen.findByTestId('attention-target-101');
    expect(within(dead).getByTestId('attention-title')).toHaveTextContent('Waiting for Shop to be reconnected');
    expect(within(dead).getByTestId('attention-message')).toHaveTextContent('The token was revoked.');
    expect(within(dead).getByRole('link', { name: 'Reconnect channel' })).toHaveAttribute('href', '/channels?reconnect=12');
    await user.click(within(dead).getByRole('button', { name: 'Skip' }));
    expect(skip).toHaveBeenCalledWith(101);

    const refused = screen.getByTestId('attention-target-102');
    expect(within(refused).getByTestId('attention-explanation')).toHaveTextContent('The network refused the post itself');
    expect(within(refused).getByTestId('attention-message')).toHaveTextContent('Text character limit of 500 exceeded');
    await user.click(within(refused).getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledWith(102);

    const missed = screen.getByTestId('attention-target-103');
    expect(within(missed).getByTestId('attention-explanation')).toHaveTextContent('never attempted');
    await user.click(within(missed).getByRole('button', { name: 'Pick a new time' }));
    expect(await screen.findByRole('dialog', { name: 'Pick a new time' })).toBeInTheDocument();

    // Only the post with a problem is read in full.
    expect(getPost).toHaveBeenCalledWith(7);
    expect(getPost).not.toHaveBeenCalledWith(8);
    expect(screen.queryByTestId('attention-row-8')).not.toBeInTheDocument();
  });

  it('shows a failed list with its hint and Retry', async () => {
    list.mockRejectedValueOnce({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    const { user } = renderQueue();
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('Open Diagnostics.');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('queue-row-7')).toBeInTheDocument();
  });
});
