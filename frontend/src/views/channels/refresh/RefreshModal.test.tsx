import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelView, ConnectResult, NetworkInfo, Snapshot } from '../../../api/types';
import { MainRoutes } from '../../../MainRoutes';
import { mockedBinding } from '../../../test/bindings';
import { accountFixture, blueskyNetwork, channelFixture, mastodonNetwork, snapshotFixture } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/render';
import { type FakeRuntime, installRuntime } from '../../../test/runtime';
import * as Channels from '../../../wailsjs/go/service/Channels';

vi.mock('../../../wailsjs/go/service/Channels', () => ({
  Networks: vi.fn(),
  List: vi.fn(),
  StartRefresh: vi.fn(),
  LoginWithPassword: vi.fn(),
  ConnectSession: vi.fn(),
  CancelConnect: vi.fn(),
  FinishConnect: vi.fn(),
}));

const list = mockedBinding<ChannelView[]>(Channels.List);
const startRefresh = mockedBinding<Snapshot>(Channels.StartRefresh);
const loginWithPassword = mockedBinding<Snapshot>(Channels.LoginWithPassword);
const connectSession = mockedBinding<Snapshot>(Channels.ConnectSession);
const cancelConnect = mockedBinding<undefined>(Channels.CancelConnect);
const finishConnect = mockedBinding<ConnectResult>(Channels.FinishConnect);

const sky = channelFixture({
  id: 8,
  network: 'bluesky',
  networkName: 'Bluesky',
  auth: 'app_password',
  instance: 'https://bsky.social',
  handle: 'shop.bsky.social',
  displayName: 'Shop on Bluesky',
  remoteId: 'did:plc:shop',
});
const waiting = snapshotFixture({ id: 'r1', stage: 'waiting_for_browser', refreshChannelId: 12, authUrl: 'https://mastodon.social/oauth/authorize?x=1', browserOpened: true });

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  mockedBinding<NetworkInfo[]>(Channels.Networks).mockResolvedValue([mastodonNetwork(), blueskyNetwork()]);
  list.mockResolvedValue([channelFixture({ teams: [{ id: 1, name: 'Shop' }] }), sky]);
  cancelConnect.mockResolvedValue(undefined);
  connectSession.mockResolvedValue(waiting);
});

afterEach(() => {
  runtime.uninstall();
});

async function openRefresh(name: string) {
  const result = renderWithProviders(<MainRoutes />, '/channels');
  await result.user.click(await screen.findByRole('button', { name: `Actions for ${name}` }));
  await result.user.click(await screen.findByRole('menuitem', { name: 'Refresh connection' }));
  const dialog = await screen.findByRole('dialog', { name: `Refresh connection: ${name}` });
  return { ...result, dialog };
}

describe('Refresh connection: browser sign-in', () => {
  it('explains, signs in again, shows who signed in and updates the connection in place', async () => {
    startRefresh.mockResolvedValue(waiting);
    const { user, dialog } = await openRefresh('Shop');
    expect(dialog).toHaveTextContent('the channel keeps its id, posts, metrics and teams');
    expect(startRefresh).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Continue to sign in' }));
    expect(startRefresh).toHaveBeenCalledWith(12);
    expect(await within(dialog).findByText('Finish signing in to Mastodon in your browser. Herald is waiting…')).toBeInTheDocument();

    const ready = snapshotFixture({ id: 'r1', stage: 'ready', refreshChannelId: 12, existing: [accountFixture({ channelId: 12 })] });
    connectSession.mockResolvedValue(ready);
    runtime.emit('oauth:progress', ready);
    const signedIn = await within(dialog).findByTestId('refresh-signed-in-as');
    expect(signedIn).toHaveTextContent('Signed in as @shop@mastodon.social');

    finishConnect.mockResolvedValue({ connected: [], refreshed: [{ id: 12, handle: 'shop@mastodon.social', displayName: 'Shop' }] });
    await user.click(within(dialog).getByRole('button', { name: 'Update connection' }));
    expect(finishConnect).toHaveBeenCalledWith('r1', ['109876543210'], []);
    expect(await screen.findByText('Connection refreshed')).toBeInTheDocument();
    expect(screen.getByText('Shop (@shop@mastodon.social) is connected again; its id, posts, metrics and teams are unchanged.')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.queryByRole('dialog', { name: 'Refresh connection: Shop' })).not.toBeInTheDocument();
    });
    expect(cancelConnect).not.toHaveBeenCalled();
  });

  it('says so when the browser signed in as another account, and tries again', async () => {
    startRefresh.mockResolvedValue(waiting);
    const { user, dialog } = await openRefresh('Shop');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to sign in' }));
    await waitFor(() => {
      expect(within(dialog).getByTestId('signin-progress')).toHaveAttribute('data-session', 'r1');
    });
    const conflict = snapshotFixture({
      id: 'r1',
      stage: 'failed',
      refreshChannelId: 12,
      error: {
        code: 'conflict',
        field: '',
        message: 'You signed in as other@mastodon.social, but this channel is shop@mastodon.social. Nothing was changed.',
        hint: 'Sign out at Mastodon (or use a private window), then refresh again and sign in as shop@mastodon.social.',
      },
    });
    connectSession.mockResolvedValue(conflict);
    runtime.emit('oauth:progress', conflict);
    const problem = await within(dialog).findByTestId('signin-problem');
    expect(problem).toHaveAttribute('data-code', 'conflict');
    expect(problem).toHaveTextContent('You signed in as other@mastodon.social, but this channel is shop@mastodon.social.');
    expect(problem).toHaveTextContent('Sign out at Mastodon (or use a private window)');
    expect(finishConnect).not.toHaveBeenCalled();

    startRefresh.mockResolvedValue({ ...waiting, id: 'r2' });
    connectSession.mockResolvedValue({ ...waiting, id: 'r2' });
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    await waitFor(() => {
      expect(startRefresh).toHaveBeenCalledTimes(2);
    });
    expect(await within(dialog).findByTestId('signin-progress')).toHaveAttribute('data-session', 'r2');
  });

  it('cancels the sign-in when the dialog is closed', async () => {
    startRefresh.mockResolvedValue(waiting);
    const { user, dialog } = await openRefresh('Shop');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to sign in' }));
    await within(dialog).findByText('Finish signing in to Mastodon in your browser. Herald is waiting…');
    await user.keyboard('{Escape}');
    await waitFor(() => {
      expect(cancelConnect).toHaveBeenCalledWith('r1');
    });
  });
});

describe('Refresh connection: app password', () => {
  it('asks for a new app password for the same handle and updates the connection', async () => {
    loginWithPassword.mockResolvedValue(
      snapshotFixture({
        id: 'p1',
        network: 'bluesky',
        networkName: 'Bluesky',
        stage: 'ready',
        refreshChannelId: 8,
        existing: [accountFixture({ remoteId: 'did:plc:shop', handle: 'shop.bsky.social', channelId: 8 })],
      }),
    );
    finishConnect.mockResolvedValue({ connected: [], refreshed: [{ id: 8, handle: 'shop.bsky.social', displayName: 'Shop on Bluesky' }] });
    const { user, dialog } = await openRefresh('Shop on Bluesky');
    const handle = within(dialog).getByRole('textbox', { name: 'Handle' });
    expect(handle).toHaveValue('shop.bsky.social');
    expect(handle).toHaveAttribute('readonly');
    expect(dialog).toHaveTextContent('the channel keeps its id, posts, metrics and teams');

    const secret = within(dialog).getByLabelText(/App password/, { selector: 'input' });
    await user.type(secret, 'new1-new2-new3-new4');
    await user.click(within(dialog).getByRole('button', { name: 'Update connection' }));
    expect(loginWithPassword).toHaveBeenCalledWith('bluesky', 'https://bsky.social', 'shop.bsky.social', 'new1-new2-new3-new4', 8);
    await waitFor(() => {
      expect(finishConnect).toHaveBeenCalledWith('p1', ['did:plc:shop'], []);
    });
    expect(await screen.findByText('Connection refreshed')).toBeInTheDocument();
  });

  it('shows a wrong password with its hint and clears it', async () => {
    loginWithPassword.mockResolvedValue(
      snapshotFixture({
        id: 'p2',
        network: 'bluesky',
        stage: 'failed',
        refreshChannelId: 8,
        error: { code: 'invalid_input', field: '', message: 'Invalid identifier or password.', hint: 'Check what you typed and try again.' },
      }),
    );
    const { user, dialog } = await openRefresh('Shop on Bluesky');
    const secret = within(dialog).getByLabelText(/App password/, { selector: 'input' });
    await user.type(secret, 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Update connection' }));
    const problem = await within(dialog).findByTestId('refresh-problem');
    expect(problem).toHaveTextContent('Invalid identifier or password.');
    expect(problem).toHaveTextContent('Check what you typed and try again.');
    expect(secret).toHaveValue('');
    expect(finishConnect).not.toHaveBeenCalled();
  });
});
