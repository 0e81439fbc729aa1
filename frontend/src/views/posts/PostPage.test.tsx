import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PostView } from '../../api/posts';
import type { PublishingStatus } from '../../api/publishing';
import type { ChannelView, NetworkInfo } from '../../api/types';
import { MainRoutes } from '../../MainRoutes';
import { mockedBinding } from '../../test/bindings';
import { channelFixture, mastodonNetwork } from '../../test/fixtures';
import { attemptFixture, postFixture, statusFixture, targetFixture } from '../../test/postFixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Posts from '../../wailsjs/go/service/Posts';
import * as Publishing from '../../wailsjs/go/service/Publishing';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn(), Networks: vi.fn() }));
vi.mock('../../wailsjs/go/service/Publishing', () => ({ Status: vi.fn(), SetPaused: vi.fn() }));
vi.mock('../../wailsjs/go/service/Posts', () => ({
  Get: vi.fn(),
  RetryTarget: vi.fn(),
  SkipTarget: vi.fn(),
  Delete: vi.fn(),
  PublishNow: vi.fn(),
  Unschedule: vi.fn(),
  Schedule: vi.fn(),
}));

const getPost = mockedBinding<PostView>(Posts.Get);
const retry = mockedBinding<PostView>(Posts.RetryTarget);
const skip = mockedBinding<PostView>(Posts.SkipTarget);
const remove = mockedBinding<undefined>(Posts.Delete);
const publishNow = mockedBinding<PostView>(Posts.PublishNow);
const setPaused = mockedBinding<PublishingStatus>(Publishing.SetPaused);

const published = targetFixture({
  id: 101,
  status: 'published',
  remoteUrl: 'https://mastodon.social/@shop/110',
  remoteId: '110',
  publishedAt: '2026-06-01T09:30:02Z',
  verifiedAt: '2026-06-01T09:30:05Z',
  attemptCount: 2,
  attempts: [
    attemptFixture({ number: 1, outcome: 'failed', errorClass: 'transient', message: 'The server answered 503.', remoteId: '' }),
    attemptFixture({ number: 2, outcome: 'succeeded', startedAt: '2026-06-01T09:31:00Z' }),
  ],
});
const waiting = targetFixture({
  id: 102,
  channelId: 13,
  status: 'blocked',
  errorClass: 'missed',
  errorMessage: 'Herald could not publish this at Mon 1 Jun 09:30 UTC (it was not running). Publish it now, pick a new time, or skip it.',
});

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([
    channelFixture(),
    channelFixture({ id: 13, displayName: 'Studio', handle: 'studio@mastodon.social' }),
  ]);
  mockedBinding<NetworkInfo[]>(Channels.Networks).mockResolvedValue([mastodonNetwork()]);
  mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture());
  getPost.mockResolvedValue(postFixture({ status: 'partial', targets: [published, waiting] }));
});

afterEach(() => {
  runtime.uninstall();
});

describe('The post page', () => {
  it('shows each variant with its link, verification and attempt ledger', async () => {
    renderWithProviders(<MainRoutes />, '/posts/7');
    const card = await screen.findByTestId('post-target-12');
    expect(card).toHaveAttribute('data-status', 'published');
    expect(within(card).getByRole('link', { name: /View on Mastodon/ })).toHaveAttribute('href', 'https://mastodon.social/@shop/110');
    expect(within(card).getByTestId('post-verified')).toHaveTextContent('Verified');

    await userOpensLedger(card);
    const rows = within(card).getAllByTestId('attempt-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveAttribute('data-outcome', 'failed');
    expect(rows[0]).toHaveTextContent('transient');
    expect(rows[0]).toHaveTextContent('The server answered 503.');
    expect(rows[1]).toHaveAttribute('data-outcome', 'succeeded');
  });

  it('says Herald is checking a variant whose last attempt may be on the network', async () => {
    const checking = targetFixture({ id: 103, status: 'scheduled', checking: true, errorClass: 'transient', attemptCount: 1 });
    getPost.mockResolvedValue(postFixture({ targets: [checking] }));
    renderWithProviders(<MainRoutes />, '/posts/7');
    const card = await screen.findByTestId('post-target-12');
    expect(within(card).getByTestId('target-status')).toHaveTextContent('Checking');
    expect(within(card).getByTestId('target-checking')).toHaveTextContent('checking whether the last attempt reached Mastodon');
  });

  it('asks about a missed time and acts on the variant', async () => {
    retry.mockResolvedValue(postFixture());
    skip.mockResolvedValue(postFixture());
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    const card = await screen.findByTestId('post-target-13');
    const problem = within(card).getByTestId('target-problem');
    expect(problem).toHaveTextContent('Herald missed the time and asks you');
    expect(problem).toHaveTextContent('(it was not running)');

    await user.click(within(problem).getByRole('button', { name: 'Publish now' }));
    expect(retry).toHaveBeenCalledWith(102);
    await user.click(within(problem).getByRole('button', { name: 'Skip' }));
    expect(skip).toHaveBeenCalledWith(102);

    await user.click(within(problem).getByRole('button', { name: 'Pick a new time' }));
    expect(await screen.findByRole('dialog', { name: 'Pick a new time' })).toBeInTheDocument();
  });

  it('publishes now after asking, and says so', async () => {
    publishNow.mockResolvedValue(postFixture());
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    await user.click(within(await screen.findByTestId('post-actions')).getByRole('button', { name: 'Publish now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publish now?' });
    await user.click(within(dialog).getByRole('button', { name: 'Publish now' }));
    expect(publishNow).toHaveBeenCalledWith(7);
    expect(setPaused).not.toHaveBeenCalled();
    expect(await screen.findByText('Publishing now')).toBeInTheDocument();
  });

  it('while publishing is paused, resumes and publishes now when asked to', async () => {
    mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture({ paused: true }));
    setPaused.mockResolvedValue(statusFixture({ paused: false }));
    publishNow.mockResolvedValue(postFixture());
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    await screen.findByTestId('paused-banner');
    await user.click(within(await screen.findByTestId('post-actions')).getByRole('button', { name: 'Publish now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publishing is paused' });
    expect(dialog).toHaveTextContent('Nothing goes out while publishing is paused');
    expect(within(dialog).getByRole('button', { name: 'Resume and publish now' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Resume and publish now' }));
    await waitFor(() => {
      expect(publishNow).toHaveBeenCalledWith(7);
    });
    expect(setPaused).toHaveBeenCalledWith(false);
    expect(setPaused.mock.invocationCallOrder[0]).toBeLessThan(publishNow.mock.invocationCallOrder[0] ?? 0);
    expect(await screen.findByText('Publishing resumed')).toBeInTheDocument();
    expect(screen.queryByText('Publishing now')).not.toBeInTheDocument();
  });

  it('while publishing is paused, can leave it paused and publish on resume', async () => {
    mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture({ paused: true }));
    publishNow.mockResolvedValue(postFixture());
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    await screen.findByTestId('paused-banner');
    await user.click(within(await screen.findByTestId('post-actions')).getByRole('button', { name: 'Publish now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Publishing is paused' });
    await user.click(within(dialog).getByRole('button', { name: 'Publish when I resume' }));
    await waitFor(() => {
      expect(publishNow).toHaveBeenCalledWith(7);
    });
    expect(setPaused).not.toHaveBeenCalled();
    expect(await screen.findByText('Publishes when you resume')).toBeInTheDocument();
    expect(screen.queryByText('Publishing now')).not.toBeInTheDocument();
  });

  it('while publishing is paused, the dialog closes with Escape and publishes nothing', async () => {
    mockedBinding<PublishingStatus>(Publishing.Status).mockResolvedValue(statusFixture({ paused: true }));
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    await screen.findByTestId('paused-banner');
    const problem = within(await screen.findByTestId('post-target-13')).getByTestId('target-problem');
    await user.click(within(problem).getByRole('button', { name: 'Publish now' }));
    expect(await screen.findByRole('dialog', { name: 'Publishing is paused' })).toBeInTheDocument();
    expect(retry).not.toHaveBeenCalled();
    await user.keyboard('{Escape}');
    await waitFor(() => {
      expect(screen.queryByRole('dialog', { name: 'Publishing is paused' })).not.toBeInTheDocument();
    });
    expect(retry).not.toHaveBeenCalled();
    expect(setPaused).not.toHaveBeenCalled();
  });

  it('deletes from Herald only, after saying nothing is deleted on the networks', async () => {
    remove.mockResolvedValue(undefined);
    const { user } = renderWithProviders(<MainRoutes />, '/posts/7');
    await screen.findByTestId('post-details');
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this post from Herald?' });
    expect(dialog).toHaveTextContent('Nothing is deleted on the networks');
    await user.click(within(dialog).getByRole('button', { name: 'Delete from Herald' }));
    expect(remove).toHaveBeenCalledWith(7);
    expect(await screen.findByRole('heading', { level: 1, name: 'Queue' })).toBeInTheDocument();
  });

  it('reloads when the backend says the post changed', async () => {
    renderWithProviders(<MainRoutes />, '/posts/7');
    await screen.findByTestId('post-details');
    const calls = getPost.mock.calls.length;
    runtime.emit('posts:changed', 7);
    await waitFor(() => {
      expect(getPost.mock.calls.length).toBeGreaterThan(calls);
    });
    const after = getPost.mock.calls.length;
    runtime.emit('posts:changed', 99);
    runtime.emit('publish:result', { postId: 7, targetId: 101, channelId: 12, status: 'published', class: '', message: '', remoteUrl: '' });
    await waitFor(() => {
      expect(getPost.mock.calls.length).toBe(after + 1);
    });
  });

  it('opens the post when a desktop notification asks for /posts/ID', async () => {
    renderWithProviders(<MainRoutes />, '/channels');
    await screen.findByRole('heading', { level: 1, name: 'Channels' });
    runtime.emit('app:navigate', { path: '/posts/7' });
    expect(await screen.findByTestId('post-details')).toHaveAttribute('data-post-id', '7');
    expect(getPost).toHaveBeenCalledWith(7);
  });

  it('shows a post that is gone as an error with Retry', async () => {
    getPost.mockRejectedValue({ code: 'not_found', message: 'That post no longer exists.' });
    renderWithProviders(<MainRoutes />, '/posts/8');
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('That post no longer exists.');
    expect(within(panel).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});

async function userOpensLedger(card: HTMLElement) {
  const toggle = within(card).getByTestId('ledger-toggle');
  if (toggle.getAttribute('aria-expanded') !== 'true') {
    toggle.click();
  }
  await waitFor(() => {
    expect(within(card).getAllByTestId('attempt-row').length).toBeGreaterThan(0);
  });
}
