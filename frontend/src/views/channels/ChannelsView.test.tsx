import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelView, CheckResult, HealthEvent, NetworkInfo, RemoveResult, Snapshot, TeamView } from '../../api/types';
import { MainRoutes } from '../../MainRoutes';
import { mockedBinding } from '../../test/bindings';
import { blueskyNetwork, channelFixture, mastodonNetwork, snapshotFixture, teamFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Teams from '../../wailsjs/go/service/Teams';

vi.mock('../../wailsjs/go/service/Channels', () => ({
  Networks: vi.fn(),
  List: vi.fn(),
  StartConnect: vi.fn(),
  StartRefresh: vi.fn(),
  LoginWithPassword: vi.fn(),
  ConnectSession: vi.fn(),
  CancelConnect: vi.fn(),
  FinishConnect: vi.fn(),
  CheckNow: vi.fn(),
  Remove: vi.fn(),
  SetTeams: vi.fn(),
  Timeline: vi.fn(),
}));
vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn(), Create: vi.fn(), Rename: vi.fn(), Delete: vi.fn() }));

const list = mockedBinding<ChannelView[]>(Channels.List);
const networks = mockedBinding<NetworkInfo[]>(Channels.Networks);
const checkNow = mockedBinding<CheckResult>(Channels.CheckNow);
const remove = mockedBinding<RemoveResult>(Channels.Remove);
const setTeams = mockedBinding<ChannelView>(Channels.SetTeams);
const timeline = mockedBinding<HealthEvent[]>(Channels.Timeline);
const startRefresh = mockedBinding<Snapshot>(Channels.StartRefresh);
const connectSession = mockedBinding<Snapshot>(Channels.ConnectSession);
const teamsList = mockedBinding<TeamView[]>(Teams.List);

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  networks.mockResolvedValue([mastodonNetwork(), blueskyNetwork()]);
  list.mockResolvedValue([]);
  teamsList.mockResolvedValue([]);
  mockedBinding<undefined>(Channels.CancelConnect).mockResolvedValue(undefined);
});

afterEach(() => {
  runtime.uninstall();
});

const renderChannels = (route = '/channels') => renderWithProviders(<MainRoutes />, route);

const row = async (id: number) => {
  const rows = await screen.findAllByTestId('channel-row');
  const found = rows.find((r) => r.getAttribute('data-channel-id') === String(id));
  if (!found) {
    throw new Error(`no channel row ${id}`);
  }
  return found;
};

const disconnected = channelFixture({
  id: 7,
  displayName: 'Studio',
  handle: 'studio@example.social',
  remoteId: '42',
  status: 'disconnected',
  statusReason: 'The server no longer accepts the sign-in (401).',
  lastCheckClass: 'auth_dead',
  lastCheckMessage: 'The access token is invalid',
});

describe('Channels view', () => {
  it('lists channels in natural order and tells same-named ones apart by network icon and handle', async () => {
    mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([
      channelFixture({ id: 1, displayName: 'Seed 12', handle: 'seed12@example.social' }),
      channelFixture({ id: 2, displayName: 'Seed 2', handle: 'seed2@example.social' }),
      channelFixture({ id: 3, displayName: 'Shop', handle: 'shop.bsky.social', network: 'bluesky', networkName: 'Bluesky' }),
      channelFixture({ id: 4, displayName: 'Shop', handle: 'shop@example.social' }),
    ]);
    renderChannels();
    await waitFor(async () => {
      expect((await screen.findAllByTestId('channel-row')).map((r) => r.getAttribute('data-channel-id'))).toEqual(['2', '1', '3', '4']);
    });
    const bluesky = await row(3);
    expect(within(bluesky).getByTestId('network-icon-bluesky')).toBeInTheDocument();
    expect(bluesky).toHaveTextContent('@shop.bsky.social');
    expect(within(await row(4)).getByTestId('network-icon-mastodon')).toBeInTheDocument();
  });

  it('explains channels and lists the supported networks when there are none', async () => {
    const { user } = renderChannels();
    const empty = await screen.findByTestId('channels-empty');
    expect(empty).toHaveTextContent('No channels yet');
    expect(empty).toHaveTextContent('A channel is one social account Herald publishes to');
    const supported = await within(empty).findByTestId('supported-networks');
    expect(supported).toHaveTextContent('Mastodon');
    expect(supported).toHaveTextContent('Bluesky');
    expect(supported).toHaveTextContent('BlueskySign in with an app password');
    expect(supported).toHaveTextContent('MastodonSign in through your browser');

    await user.click(within(empty).getByRole('button', { name: 'Add channels' }));
    expect(await screen.findByRole('dialog', { name: 'Add channels' })).toBeInTheDocument();
  });

  it('shows a failed load with its hint and retries', async () => {
    list.mockRejectedValueOnce({ code: 'internal', message: 'database is locked', hint: 'Close other copies of Herald.' });
    const { user } = renderChannels();
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('Herald could not load your channels');
    expect(panel).toHaveTextContent('Close other copies of Herald.');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('channels-empty')).toBeInTheDocument();
  });

  it('shows each channel with its status, Channel ID, teams, expiry and last check', async () => {
    list.mockResolvedValue([
      channelFixture({ teams: [{ id: 1, name: 'Shop' }, { id: 2, name: 'Brand' }] }),
      channelFixture({
        id: 8,
        network: 'bluesky',
        networkName: 'Bluesky',
        auth: 'app_password',
        instance: 'https://bsky.social',
        handle: 'shop.bsky.social',
        displayName: '',
        remoteId: 'did:plc:abc123',
        status: 'attention',
        statusReason: 'Herald lacks the permission to post.',
        tokenExpiresAt: '2025-08-30T10:00:00Z',
        reminderDue: true,
        reminderReason: 'It has been 90 days since you last signed in; refreshing the connection keeps it reliable.',
        lastCheckClass: 'scope_missing',
        lastCheckMessage: 'Missing scope write:statuses',
      }),
      disconnected,
    ]);
    renderChannels();

    const shop = await row(12);
    expect(shop).toHaveAttribute('data-status', 'connected');
    expect(within(shop).getByTestId('channel-name')).toHaveTextContent('Shop');
    expect(shop).toHaveTextContent('@shop@mastodon.social · Mastodon (https://mastodon.social)');
    expect(within(shop).getByTestId('channel-status')).toHaveTextContent('Connected');
    expect(within(shop).getByTestId('channel-remote-id').textContent).toBe('109876543210');
    expect(within(shop).getByRole('button', { name: 'Copy the channel ID of Shop' })).toBeInTheDocument();
    expect(within(shop).getByTestId('channel-teams')).toHaveTextContent('ShopBrand');
    expect(within(shop).getByTestId('channel-expiry')).toHaveTextContent('Does not expire');
    expect(within(shop).getByTestId('channel-checked')).toHaveAttribute('data-problem', '');
    expect(within(shop).queryByTestId('channel-disconnected')).not.toBeInTheDocument();
    expect(within(shop).queryByTestId('channel-reminder')).not.toBeInTheDocument();

    const sky = await row(8);
    expect(within(sky).getByTestId('channel-name')).toHaveTextContent('@shop.bsky.social');
    expect(within(sky).getByTestId('channel-status')).toHaveTextContent('Needs attention');
    expect(within(sky).getByTestId('channel-attention')).toHaveTextContent('Herald lacks the permission to post.');
    expect(within(sky).getByTestId('channel-reminder')).toHaveTextContent('Refresh recommended');
    expect(within(sky).getByTestId('channel-expiry')).toHaveTextContent(/^Renews automatically until /);
    expect(within(sky).getByTestId('channel-teams')).toHaveTextContent('No team');
    expect(within(sky).getByTestId('channel-checked')).toHaveTextContent('Permission missing: Missing scope write:statuses');

    const studio = await row(7);
    expect(within(studio).getByTestId('channel-status')).toHaveTextContent('Disconnected');
    const alert = within(studio).getByTestId('channel-disconnected');
    expect(alert).toHaveTextContent('The server no longer accepts the sign-in (401).');
    expect(alert).toHaveTextContent('Nothing was deleted');
    expect(within(alert).getByRole('button', { name: 'Sign in again' })).toBeInTheDocument();

    expect(screen.getByTestId('channels-summary')).toHaveTextContent('3 channels · 2 need action');
  });

  it('says Herald disconnected a channel, and why', async () => {
    list.mockResolvedValue([disconnected]);
    renderChannels();
    const alert = within(await row(7)).getByTestId('channel-disconnected');
    expect(alert).toHaveTextContent('Herald disconnected this channel because Mastodon no longer accepts its access');
    expect(alert).not.toHaveTextContent('Mastodon disconnected this channel');
  });

  it('asks to sign in again when this computer has no saved sign-in for a channel', async () => {
    const reason =
      'Herald has no saved sign-in for this channel on this computer (the data folder may have been restored or copied). Sign in again to reconnect it.';
    list.mockResolvedValue([
      channelFixture({
        id: 7,
        displayName: 'Studio',
        status: 'disconnected',
        statusReason: reason,
        lastCheckClass: 'auth_dead',
        lastCheckMessage: reason,
        signInMissing: true,
      }),
    ]);
    renderChannels();
    const studio = await row(7);
    expect(within(studio).getByTestId('channel-status')).toHaveTextContent('Disconnected');
    expect(within(studio).getByTestId('channel-status')).not.toHaveTextContent('Connected');
    const alert = within(studio).getByTestId('channel-disconnected');
    expect(alert).toHaveTextContent('Herald disconnected this channel because it has no saved sign-in for it on this computer');
    expect(alert).toHaveTextContent(reason);
    expect(alert).not.toHaveTextContent('no longer accepts');
    expect(within(alert).getByRole('button', { name: 'Sign in again' })).toBeInTheDocument();
    expect(within(studio).getByTestId('channel-checked')).not.toHaveTextContent('Network unreachable');
  });

  it('shows a reminder due on a working channel with its reason', async () => {
    list.mockResolvedValue([channelFixture({ reminderDue: true, reminderReason: 'It has been 90 days since you last signed in.' })]);
    renderChannels();
    const shop = await row(12);
    expect(within(shop).getByTestId('channel-reminder')).toHaveTextContent('Refresh recommended');
    expect(within(shop).getByTestId('channel-reminder-reason')).toHaveTextContent('It has been 90 days since you last signed in.');
  });

  it('counts the channels needing action in the navigation badge', async () => {
    list.mockResolvedValue([
      channelFixture({ id: 1 }),
      channelFixture({ id: 2, status: 'attention' }),
      channelFixture({ id: 3, reminderDue: true }),
      channelFixture({ id: 4, status: 'disconnected' }),
    ]);
    renderChannels();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const badge = await within(nav).findByTestId('nav-badge-channels');
    expect(badge).toHaveTextContent('3');
    expect(within(nav).getByRole('link', { name: 'Channels, 3 channels need action' })).toBeInTheDocument();
  });

  it('has no badge when every channel works, and updates on channels:health', async () => {
    list.mockResolvedValue([channelFixture()]);
    renderChannels();
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await row(12);
    expect(within(nav).queryByTestId('nav-badge-channels')).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Channels' })).toBeInTheDocument();

    list.mockResolvedValue([channelFixture({ status: 'disconnected', statusReason: 'Revoked.' })]);
    runtime.emit('channels:health', { channelId: 12, status: 'disconnected' });
    expect(await within(nav).findByTestId('nav-badge-channels')).toHaveTextContent('1');
    expect(within(nav).getByRole('link', { name: 'Channels, 1 channel needs action' })).toBeInTheDocument();
    expect(await row(12)).toHaveAttribute('data-status', 'disconnected');
  });

  it('reloads on channels:changed and lets go of its listeners when it goes', async () => {
    const { unmount } = renderChannels();
    await screen.findByTestId('channels-empty');
    expect(runtime.listeners('channels:changed')).toBeGreaterThan(0);
    list.mockResolvedValue([channelFixture()]);
    runtime.emit('channels:changed');
    expect(await row(12)).toBeInTheDocument();
    unmount();
    expect(runtime.listeners('channels:changed')).toBe(0);
    expect(runtime.listeners('channels:health')).toBe(0);
    expect(runtime.listeners('app:navigate')).toBe(0);
  });

  it('checks a channel now and shows the result', async () => {
    list.mockResolvedValue([channelFixture()]);
    checkNow.mockResolvedValueOnce({ ok: true, class: '', message: '', channel: channelFixture() });
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Check now' }));
    expect(await screen.findByText('Shop (@shop@mastodon.social) works')).toBeInTheDocument();
    expect(checkNow).toHaveBeenCalledWith(12);

    checkNow.mockResolvedValueOnce({ ok: false, class: 'rate_limited', message: 'Try again in 5 minutes.', channel: channelFixture() });
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Check now' }));
    expect(await screen.findByText('Shop (@shop@mastodon.social): Rate limited')).toBeInTheDocument();
    expect(screen.getByText('Try again in 5 minutes.')).toBeInTheDocument();
  });

  it('shows the health timeline newest first', async () => {
    list.mockResolvedValue([channelFixture()]);
    timeline.mockResolvedValue([
      { id: 1, at: '2025-05-01T09:00:00Z', kind: 'connected', class: '', message: 'Connected by signing in at Mastodon.' },
      { id: 3, at: '2025-05-20T09:00:00Z', kind: 'reconnected', class: '', message: 'Signed in again.' },
      { id: 2, at: '2025-05-10T09:00:00Z', kind: 'disconnected', class: 'auth_dead', message: 'Token revoked.' },
    ]);
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Health timeline' }));
    const drawer = await screen.findByRole('dialog', { name: 'Health timeline: Shop' });
    const items = await within(drawer).findAllByTestId('timeline-item');
    expect(items.map((item) => item.getAttribute('data-kind'))).toEqual(['reconnected', 'disconnected', 'connected']);
    expect(items[1]).toHaveTextContent('Disconnected');
    expect(items[1]).toHaveTextContent('Sign-in no longer accepted');
    expect(items[1]).toHaveTextContent('Token revoked.');
    expect(timeline).toHaveBeenCalledWith(12);
  });

  it('edits the teams of a channel', async () => {
    list.mockResolvedValue([channelFixture({ teams: [{ id: 1, name: 'Shop' }] })]);
    teamsList.mockResolvedValue([teamFixture({ id: 1, name: 'Shop' }), teamFixture({ id: 2, name: 'Brand' })]);
    setTeams.mockResolvedValue(channelFixture({ teams: [{ id: 1, name: 'Shop' }, { id: 2, name: 'Brand' }] }));
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit teams' }));
    const dialog = await screen.findByRole('dialog', { name: 'Teams of Shop' });
    await user.click(within(dialog).getByRole('combobox', { name: 'Teams' }));
    await user.click(await within(dialog).findByRole('option', { name: 'Brand' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save teams' }));
    expect(setTeams).toHaveBeenCalledWith(12, [1, 2]);
    expect(await screen.findByText('Shop is in Shop, Brand.')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.queryByRole('dialog', { name: 'Teams of Shop' })).not.toBeInTheDocument();
    });
  });

  it('removes a channel and keeps its history', async () => {
    list.mockResolvedValue([channelFixture()]);
    remove.mockResolvedValue({ revoked: true, revokeProblem: '', historyDeleted: false });
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Remove…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Shop (@shop@mastodon.social)?' });
    expect(dialog).toHaveTextContent('revoke its access');
    expect(dialog).toHaveTextContent('deletes the channel\u2019s sign-in from your system keyring'.replace('\u2019', "'"));
    expect(dialog).toHaveTextContent("published posts and history stay in Herald");
    expect(within(dialog).getByRole('checkbox', { name: /Also delete its posts and history/ })).not.toBeChecked();

    list.mockResolvedValue([]);
    await user.click(within(dialog).getByRole('button', { name: 'Remove channel' }));
    expect(remove).toHaveBeenCalledWith(12, false);
    expect(await screen.findByText('Removed Shop (@shop@mastodon.social)')).toBeInTheDocument();
    expect(screen.getByText("Its published posts and history were kept. Herald's access at the network was revoked.")).toBeInTheDocument();
    expect(await screen.findByTestId('channels-empty')).toBeInTheDocument();
  });

  it('removes a channel with its history and shows a revoke problem', async () => {
    list.mockResolvedValue([channelFixture()]);
    remove.mockResolvedValue({
      revoked: false,
      revokeProblem: 'Herald could not revoke its access at mastodon (timeout). You can revoke it in your account settings there.',
      historyDeleted: true,
    });
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Remove…' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('checkbox', { name: /Also delete its posts and history/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove and delete history' }));
    expect(remove).toHaveBeenCalledWith(12, true);
    expect(await screen.findByText('Its posts and history were deleted.')).toBeInTheDocument();
    expect(screen.getByText('Access not revoked at the network')).toBeInTheDocument();
    expect(screen.getByText(/You can revoke it in your account settings there\./)).toBeInTheDocument();
  });

  it('keeps the dialog open with the error when removing fails', async () => {
    list.mockResolvedValue([channelFixture()]);
    remove.mockRejectedValue({ code: 'keyring_locked', message: 'The keyring is locked.', hint: 'Unlock it and try again.' });
    const { user } = renderChannels();
    await user.click(within(await row(12)).getByRole('button', { name: 'Actions for Shop' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Remove…' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove channel' }));
    const problem = await within(dialog).findByTestId('remove-problem');
    expect(problem).toHaveTextContent('The keyring is locked.');
    expect(problem).toHaveTextContent('Unlock it and try again.');
  });

  it('reconnects a disconnected channel in one click', async () => {
    list.mockResolvedValue([disconnected]);
    startRefresh.mockResolvedValue(snapshotFixture({ id: 'r1', stage: 'waiting_for_browser', refreshChannelId: 7, authUrl: 'https://example.social/oauth' }));
    connectSession.mockResolvedValue(snapshotFixture({ id: 'r1', stage: 'waiting_for_browser', refreshChannelId: 7 }));
    const { user } = renderChannels();
    await user.click(within(await row(7)).getByRole('button', { name: 'Sign in again' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect: Studio' });
    expect(await within(dialog).findByText('Finish signing in to Mastodon in your browser. Herald is waiting…')).toBeInTheDocument();
    expect(startRefresh).toHaveBeenCalledTimes(1);
    expect(startRefresh).toHaveBeenCalledWith(7);
  });

  it('opens the reconnect of a channel when the backend asks for /channels?reconnect=ID', async () => {
    list.mockResolvedValue([channelFixture(), disconnected]);
    startRefresh.mockResolvedValue(snapshotFixture({ id: 'r2', stage: 'waiting_for_browser', refreshChannelId: 7 }));
    connectSession.mockResolvedValue(snapshotFixture({ id: 'r2', stage: 'waiting_for_browser', refreshChannelId: 7 }));
    // Start elsewhere: a notification's Reconnect works from any view.
    renderChannels('/no-such-page');
    await screen.findByRole('heading', { level: 1, name: 'Page not found' });

    runtime.emit('app:navigate', { path: '/channels?reconnect=7' });
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect: Studio' });
    expect(await within(dialog).findByTestId('signin-progress')).toHaveAttribute('data-stage', 'waiting_for_browser');
    expect(startRefresh).toHaveBeenCalledWith(7);
    expect(startRefresh).toHaveBeenCalledTimes(1);
  });

  it('says so when the channel to reconnect is gone', async () => {
    list.mockResolvedValue([channelFixture()]);
    renderChannels('/channels?reconnect=99');
    expect(await screen.findByText('That channel is no longer in Herald')).toBeInTheDocument();
    expect(startRefresh).not.toHaveBeenCalled();
  });
});
