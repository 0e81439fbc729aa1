import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WatchedAccount } from '../../api/measure';
import type { ProfileView, SearchChannel } from '../../api/search';
import { mockedBinding } from '../../test/bindings';
import { deferred, renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Measure from '../../wailsjs/go/service/Measure';
import * as Search from '../../wailsjs/go/service/Search';
import { SearchView } from './SearchView';

vi.mock('../../wailsjs/go/service/Search', () => ({ SearchAccounts: vi.fn(), SearchableChannels: vi.fn() }));
vi.mock('../../wailsjs/go/service/Measure', () => ({ Watch: vi.fn(), Watchlist: vi.fn() }));

const searchable = mockedBinding<SearchChannel[]>(Search.SearchableChannels);
const searchAccounts = mockedBinding<ProfileView[]>(Search.SearchAccounts);
const watchlist = mockedBinding<WatchedAccount[]>(Measure.Watchlist);
const watch = mockedBinding<WatchedAccount>(Measure.Watch);

const shop: SearchChannel = {
  channelId: 4,
  channelName: 'Shop',
  handle: '@shop@m.example',
  avatarUrl: '',
  network: 'mastodon',
  networkName: 'Mastodon',
  available: true,
  reason: '',
};
const sky: SearchChannel = {
  ...shop,
  channelId: 9,
  channelName: 'Shop Sky',
  handle: 'shop.bsky.social',
  network: 'bluesky',
  networkName: 'Bluesky',
};

const alice: ProfileView = {
  remoteId: '109',
  handle: '@alice@example.social',
  mention: '@alice@example.social',
  displayName: 'Alice',
  bio: 'Gardener, baker, and occasional writer of very long biographies.',
  avatarUrl: '',
  profileUrl: 'https://example.social/@alice',
  followers: 1234,
  following: 1,
  posts: 4012,
  channelId: 4,
  channelName: 'Shop',
  network: 'mastodon',
  networkName: 'Mastodon',
};

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  searchable.mockResolvedValue([shop, sky]);
  watchlist.mockResolvedValue([]);
});

afterEach(() => {
  runtime.uninstall();
  vi.clearAllMocks();
});

describe('Search', () => {
  it('searches through the chosen channel on Enter and shows the accounts as cards', async () => {
    const bare: ProfileView = { ...alice, remoteId: '110', handle: '@al@m.example', mention: '@al', displayName: '', bio: '' };
    delete bare.followers;
    delete bare.following;
    delete bare.posts;
    searchAccounts.mockResolvedValue([alice, bare]);
    const { user } = renderWithProviders(<SearchView />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Search' })).toBeInTheDocument();
    const box = await screen.findByRole('textbox', { name: /Name or handle/ });
    expect(screen.getByRole('search', { name: 'Search accounts' })).toBeInTheDocument();
    await user.type(box, '  alice {Enter}');

    expect(searchAccounts).toHaveBeenCalledWith(4, 'alice', false);
    const summary = await screen.findByTestId('search-summary');
    expect(summary).toHaveTextContent('2 accounts on Mastodon for “alice”');
    await waitFor(() => {
      expect(summary).toHaveFocus();
    });
    const list = screen.getByRole('list', { name: 'Accounts found for “alice”' });
    const cards = within(list).getAllByRole('listitem');
    expect(cards).toHaveLength(2);
    const first = cards[0]!;
    expect(within(first).getByRole('heading', { level: 3, name: 'Alice' })).toBeInTheDocument();
    expect(first).toHaveTextContent('@alice@example.social');
    expect(within(first).getByTestId('profile-bio')).toHaveTextContent('Gardener');
    expect(within(first).getByTestId('profile-counts')).toHaveTextContent('1,234 followers · 1 following · 4,012 posts');
    const link = within(first).getByRole('link', { name: 'Open profile of Alice' });
    expect(link).toHaveAttribute('href', 'https://example.social/@alice');

    await user.click(within(first).getByRole('button', { name: 'Copy mention @alice@example.social' }));
    await waitFor(() => {
      expect(runtime.copied).toEqual(['@alice@example.social']);
    });

    // No name: the handle is the heading; no counts: none shown.
    const second = cards[1]!;
    expect(within(second).getByRole('heading', { level: 3, name: '@al@m.example' })).toBeInTheDocument();
    expect(within(second).queryByTestId('profile-counts')).not.toBeInTheDocument();
  });

  it('searches another channel when picked', async () => {
    searchAccounts.mockResolvedValue([]);
    const { user } = renderWithProviders(<SearchView />);
    await screen.findByTestId('search-channel');
    await user.click(screen.getByTestId('search-channel'));
    await user.click(await screen.findByRole('option', { name: 'Shop Sky (Bluesky)' }));
    await user.type(screen.getByRole('textbox', { name: /Name or handle/ }), 'bob{Enter}');
    expect(searchAccounts).toHaveBeenCalledWith(9, 'bob', false);
    expect(await screen.findByTestId('search-summary')).toHaveTextContent('No accounts match “bob” on Bluesky');
  });

  it('says it is searching, then shows an error with its hint', async () => {
    const answer = deferred<ProfileView[]>();
    searchAccounts.mockReturnValue(answer.promise);
    const { user } = renderWithProviders(<SearchView />);
    await user.type(await screen.findByRole('textbox', { name: /Name or handle/ }), 'alice{Enter}');
    expect(await screen.findByTestId('search-loading')).toHaveTextContent('Searching Mastodon for “alice”…');
    answer.reject({
      code: 'unavailable',
      message: 'Mastodon asks Herald to wait before searching again: Too many requests.',
      hint: 'Search again in 5 minutes (after 12:04 UTC).',
    });
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('Too many requests');
    expect(panel).toHaveTextContent('Search again in 5 minutes');
    expect(screen.queryByTestId('search-loading')).not.toBeInTheDocument();
  });

  it('without a channel that can search, explains and leads to Channels', async () => {
    searchable.mockResolvedValue([]);
    const { user, router } = renderWithProviders(<SearchView />, '/search');
    const empty = await screen.findByTestId('search-empty');
    expect(empty).toHaveTextContent('No channel can search yet');
    expect(empty).toHaveTextContent('Mastodon or Bluesky');
    await user.click(within(empty).getByRole('link', { name: 'Go to Channels' }));
    expect(router.state.location.pathname).toBe('/channels');
  });

  it('with only disconnected channels, asks to reconnect one', async () => {
    searchable.mockResolvedValue([{ ...shop, available: false, reason: 'This channel is disconnected.' }]);
    renderWithProviders(<SearchView />);
    expect(await screen.findByTestId('search-empty')).toHaveTextContent('Reconnect one in Channels');
  });

  it('watches an account with the profile it found, then says Watching', async () => {
    const bob: ProfileView = { ...alice, remoteId: '200', handle: '@bob@example.social', mention: '@bob@example.social', displayName: 'Bob' };
    watchlist.mockResolvedValue([
      { id: 1, channelId: 4, channelName: 'Shop', network: 'mastodon', remoteId: '200', handle: bob.handle, displayName: 'Bob', avatarUrl: '', profileUrl: '', addedAt: '2026-12-01T09:00:00Z' },
    ]);
    watch.mockResolvedValue({ id: 2, channelId: 4, channelName: 'Shop', network: 'mastodon', remoteId: '109', handle: alice.handle, displayName: 'Alice', avatarUrl: '', profileUrl: alice.profileUrl, addedAt: '2026-12-07T09:00:00Z' });
    searchAccounts.mockResolvedValue([alice, bob]);
    const { user } = renderWithProviders(<SearchView />);
    await user.type(await screen.findByRole('textbox', { name: /Name or handle/ }), 'a{Enter}');
    const [first, second] = await screen.findAllByTestId('profile-card');
    expect(within(second!).getByTestId('profile-watching')).toHaveTextContent('Watching');

    await user.click(within(first!).getByRole('button', { name: 'Watch @alice@example.social' }));
    expect(watch).toHaveBeenCalledWith(4, {
      remoteId: '109',
      handle: '@alice@example.social',
      mention: '@alice@example.social',
      displayName: 'Alice',
      bio: alice.bio,
      avatarUrl: '',
      profileUrl: 'https://example.social/@alice',
      followers: 1234,
      following: 1,
      posts: 4012,
    });
    expect(await within(first!).findByTestId('profile-watching')).toHaveTextContent('Watching');
    expect(within(first!).queryByTestId('profile-watch')).not.toBeInTheDocument();
  });
});
