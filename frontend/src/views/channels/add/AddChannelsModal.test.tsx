import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelView, ConnectResult, NetworkInfo, Snapshot, TeamView } from '../../../api/types';
import { MainRoutes } from '../../../MainRoutes';
import { mockedBinding } from '../../../test/bindings';
import { accountFixture, blueskyNetwork, mastodonNetwork, snapshotFixture, teamFixture } from '../../../test/fixtures';
import { deferred, renderWithProviders } from '../../../test/render';
import { type FakeRuntime, installRuntime } from '../../../test/runtime';
import * as Channels from '../../../wailsjs/go/service/Channels';
import * as Teams from '../../../wailsjs/go/service/Teams';

vi.mock('../../../wailsjs/go/service/Channels', () => ({
  Networks: vi.fn(),
  List: vi.fn(),
  StartConnect: vi.fn(),
  StartRefresh: vi.fn(),
  LoginWithPassword: vi.fn(),
  ConnectSession: vi.fn(),
  CancelConnect: vi.fn(),
  FinishConnect: vi.fn(),
}));
vi.mock('../../../wailsjs/go/service/Teams', () => ({ List: vi.fn(), Create: vi.fn() }));

const list = mockedBinding<ChannelView[]>(Channels.List);
const networks = mockedBinding<NetworkInfo[]>(Channels.Networks);
const startConnect = mockedBinding<Snapshot>(Channels.StartConnect);
const loginWithPassword = mockedBinding<Snapshot>(Channels.LoginWithPassword);
const connectSession = mockedBinding<Snapshot>(Channels.ConnectSession);
const cancelConnect = mockedBinding<undefined>(Channels.CancelConnect);
const finishConnect = mockedBinding<ConnectResult>(Channels.FinishConnect);
const teamsList = mockedBinding<TeamView[]>(Teams.List);
const createTeam = mockedBinding<TeamView>(Teams.Create);

const AUTH_URL = 'https://mastodon.social/oauth/authorize?client_id=abc&state=xyz';
const waiting = snapshotFixture({ stage: 'waiting_for_browser', authUrl: AUTH_URL, browserOpened: true });
const ready = snapshotFixture({
  stage: 'ready',
  authUrl: AUTH_URL,
  browserOpened: true,
  new: [accountFixture()],
  existing: [accountFixture({ remoteId: '555', handle: 'old@mastodon.social', displayName: 'Old shop', channelId: 3, removed: true })],
  unavailable: [accountFixture({ remoteId: '777', handle: 'moved@mastodon.social', displayName: 'Moved', reason: 'This account has moved to another server.' })],
});

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  networks.mockResolvedValue([mastodonNetwork(), blueskyNetwork()]);
  list.mockResolvedValue([]);
  teamsList.mockResolvedValue([teamFixture({ id: 1, name: 'Brand', channels: 2 })]);
  cancelConnect.mockResolvedValue(undefined);
  connectSession.mockResolvedValue(waiting);
});

afterEach(() => {
  runtime.uninstall();
});

/** Waits until the dialog follows the session, so an event sent now reaches it. */
async function tracking(id = 'sess-1') {
  await waitFor(() => {
    expect(screen.getByTestId('signin-progress')).toHaveAttribute('data-session', id);
  });
}

async function openDialog() {
  const result = renderWithProviders(<MainRoutes />, '/channels');
  await result.user.click(await screen.findByTestId('add-channels-button'));
  const dialog = await screen.findByRole('dialog', { name: 'Add channels' });
  return { ...result, dialog };
}

async function pickMastodonAndContinue(instance = 'mastodon.social') {
  const opened = await openDialog();
  const { user, dialog } = opened;
  expect(dialog).toHaveTextContent('What Herald can do');
  expect(dialog).toHaveTextContent('Mastodon reports no impressions or reach');
  await user.click(within(dialog).getByRole('button', { name: 'Choose Mastodon' }));
  const server = await screen.findByRole('textbox', { name: /Server/ });
  expect(server).toHaveAttribute('placeholder', 'mastodon.social');
  // The form takes the focus, and says what to type.
  expect(server).toHaveFocus();
  expect(server).toHaveAccessibleDescription("The server's address, like mastodon.social");
  if (instance) {
    await user.type(server, instance);
  }
  await user.click(screen.getByRole('button', { name: 'Continue to sign in' }));
  return opened;
}

describe('Add channels: Mastodon', () => {
  it('signs in through the browser, lists the channels, puts the new one in a team and finishes', async () => {
    startConnect.mockResolvedValue(waiting);
    const { user } = await pickMastodonAndContinue();
    expect(startConnect).toHaveBeenCalledWith('mastodon', 'mastodon.social');

    const progress = await screen.findByTestId('signin-progress');
    await waitFor(() => {
      expect(progress).toHaveAttribute('data-stage', 'waiting_for_browser');
    });
    expect(progress).toHaveTextContent('Finish signing in to Mastodon in your browser. Herald is waiting…');
    expect(screen.getByTestId('signin-auth-url').textContent).toBe(AUTH_URL);
    await user.click(screen.getByRole('button', { name: 'Copy the sign-in link' }));
    expect(runtime.copied).toEqual([AUTH_URL]);

    // Another session's progress is not ours.
    runtime.emit('oauth:progress', { ...ready, id: 'someone-else' });
    expect(screen.getByTestId('signin-progress')).toHaveAttribute('data-stage', 'waiting_for_browser');

    runtime.emit('oauth:progress', snapshotFixture({ stage: 'exchanging' }));
    expect(await screen.findByText('Signed in. Getting access from Mastodon…')).toBeInTheDocument();
    runtime.emit('oauth:progress', snapshotFixture({ stage: 'listing' }));
    expect(await screen.findByText('Asking Mastodon which channels you can connect…')).toBeInTheDocument();
    runtime.emit('oauth:progress', ready);

    expect(await screen.findByRole('tab', { name: 'New (1)' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'Already in Herald (1)' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: "Can't connect (1)" })).toBeInTheDocument();
    expect(screen.getByTestId('not-listed-help')).toHaveTextContent('Why is my channel not listed?');
    expect(screen.getByTestId('not-listed-help')).toHaveTextContent('One sign-in connects one account');
    // The only new channel is selected already, and can be unticked.
    const shop = screen.getByRole('checkbox', { name: 'Shop (@shop@mastodon.social)' });
    expect(shop).toHaveAttribute('aria-checked', 'true');
    expect(screen.getByRole('button', { name: 'Next: teams' })).toBeEnabled();
    await user.click(shop);
    expect(shop).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('button', { name: 'Finish' })).toBeDisabled();
    await user.click(shop);
    expect(shop).toHaveAttribute('aria-checked', 'true');
    await user.click(screen.getByRole('button', { name: 'Next: teams' }));

    createTeam.mockResolvedValue(teamFixture({ id: 2, name: 'Shop' }));
    teamsList.mockResolvedValue([teamFixture({ id: 1, name: 'Brand', channels: 2 }), teamFixture({ id: 2, name: 'Shop' })]);
    await user.click(await screen.findByRole('button', { name: 'New team' }));
    await user.type(screen.getByRole('textbox', { name: 'New team name' }), 'Shop');
    await user.click(screen.getByRole('button', { name: 'Create team' }));
    expect(createTeam).toHaveBeenCalledWith('Shop');
    const picker = await screen.findByTestId('team-picker');
    await waitFor(() => {
      expect(picker.closest('.mantine-MultiSelect-root')).toHaveTextContent('Shop');
    });

    finishConnect.mockResolvedValue({ connected: [{ id: 21, handle: 'shop@mastodon.social', displayName: 'Shop' }], refreshed: [] });
    list.mockResolvedValue([]);
    const listCalls = list.mock.calls.length;
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(finishConnect).toHaveBeenCalledWith('sess-1', ['109876543210'], [2]);
    const done = await screen.findByTestId('connect-done');
    expect(done).toHaveTextContent('Connected Shop (@shop@mastodon.social)');
    expect(list.mock.calls.length).toBeGreaterThan(listCalls);

    await user.click(within(done).getByRole('button', { name: 'Done' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    expect(cancelConnect).not.toHaveBeenCalled();
    await waitFor(() => {
      expect(screen.getByTestId('add-channels-button')).toHaveFocus();
    });
  });

  it('shows the existing and unconnectable channels, and refreshes an existing one without a teams step', async () => {
    // Two new channels: nothing is selected for the user.
    startConnect.mockResolvedValue({
      ...ready,
      new: [accountFixture(), accountFixture({ remoteId: '222', handle: 'blog@mastodon.social', displayName: 'Blog' })],
    });
    const { user } = await pickMastodonAndContinue();
    expect(await screen.findByRole('tab', { name: 'New (2)' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Shop (@shop@mastodon.social)' })).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('button', { name: 'Finish' })).toBeDisabled();
    await user.click(await screen.findByRole('tab', { name: 'Already in Herald (1)' }));
    const old = screen.getByRole('checkbox', { name: 'Old shop (@old@mastodon.social)' });
    expect(old.closest('[data-testid="account-option"]')).toHaveTextContent('it will be restored with its posts and history');

    await user.click(screen.getByRole('tab', { name: "Can't connect (1)" }));
    const moved = screen.getByTestId('account-unavailable');
    expect(moved).toHaveTextContent('This account has moved to another server.');
    expect(within(moved).queryByRole('checkbox')).not.toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Already in Herald (1)' }));
    await user.click(screen.getByRole('checkbox', { name: 'Old shop (@old@mastodon.social)' }));
    finishConnect.mockResolvedValue({ connected: [], refreshed: [{ id: 3, handle: 'old@mastodon.social', displayName: 'Old shop' }] });
    await user.click(screen.getByRole('button', { name: 'Finish' }));
    expect(finishConnect).toHaveBeenCalledWith('sess-1', ['555'], []);
    expect(await screen.findByTestId('connect-done')).toHaveTextContent('Refreshed Old shop (@old@mastodon.social)');
  });

  it('cancels the sign-in with Cancel and keeps what was typed', async () => {
    startConnect.mockResolvedValue(waiting);
    const { user } = await pickMastodonAndContinue();
    await screen.findByText('Finish signing in to Mastodon in your browser. Herald is waiting…');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(cancelConnect).toHaveBeenCalledWith('sess-1');
    expect(await screen.findByRole('textbox', { name: /Server/ })).toHaveValue('mastodon.social');
    expect(runtime.listeners('oauth:progress')).toBe(0);
  });

  it('cancels the sign-in when Escape closes the dialog', async () => {
    startConnect.mockResolvedValue(waiting);
    const { user } = await pickMastodonAndContinue();
    await screen.findByText('Finish signing in to Mastodon in your browser. Herald is waiting…');
    await user.keyboard('{Escape}');
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    expect(cancelConnect).toHaveBeenCalledWith('sess-1');
    await waitFor(() => {
      expect(screen.getByTestId('add-channels-button')).toHaveFocus();
    });
  });

  it('gives the focus back to the button that opened it', async () => {
    const { user } = renderWithProviders(<MainRoutes />, '/channels');
    const emptyAdd = await screen.findByTestId('empty-add-channels');
    await user.click(emptyAdd);
    const dialog = await screen.findByRole('dialog', { name: 'Add channels' });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
    await waitFor(() => {
      expect(emptyAdd).toHaveFocus();
    });
  });

  it('puts an instance error on the server field', async () => {
    startConnect.mockRejectedValue({
      code: 'invalid_input',
      field: 'instance',
      message: 'Type the address of your Mastodon server, like mastodon.social.',
    });
    await pickMastodonAndContinue('');
    const server = await screen.findByRole('textbox', { name: /Server/ });
    await waitFor(() => {
      expect(server).toHaveAttribute('aria-invalid', 'true');
    });
    expect(screen.getByText('Type the address of your Mastodon server, like mastodon.social.')).toBeInTheDocument();
  });

  it('puts an instance error found by the network on the field too', async () => {
    startConnect.mockResolvedValue(snapshotFixture({ stage: 'starting' }));
    connectSession.mockResolvedValue(snapshotFixture({ stage: 'starting' }));
    await pickMastodonAndContinue('not a server');
    await tracking();
    const failed = snapshotFixture({
      stage: 'failed',
      error: { code: 'invalid_input', field: 'instance', message: 'not a server is not a Mastodon server.', hint: '' },
    });
    connectSession.mockResolvedValue(failed);
    runtime.emit('oauth:progress', failed);
    const server = await screen.findByRole('textbox', { name: /Server/ });
    expect(server).toHaveValue('not a server');
    expect(screen.getByText('not a server is not a Mastodon server.')).toBeInTheDocument();
  });

  it('shows a failed sign-in with its hint, and Try again goes back to the details', async () => {
    startConnect.mockResolvedValue(waiting);
    const { user } = await pickMastodonAndContinue();
    await tracking();
    const denied = snapshotFixture({
      stage: 'failed',
      error: { code: 'cancelled', field: '', message: 'You chose not to allow Herald.', hint: 'Start again and choose Allow when Mastodon asks.' },
    });
    connectSession.mockResolvedValue(denied);
    runtime.emit('oauth:progress', denied);
    const problem = await screen.findByTestId('signin-problem');
    expect(problem).toHaveTextContent('You chose not to allow Herald.');
    expect(problem).toHaveTextContent('Start again and choose Allow when Mastodon asks.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const server = await screen.findByRole('textbox', { name: /Server/ });
    expect(server).toHaveValue('mastodon.social');
    expect(server).toHaveFocus();
  });

  it('follows the sign-in by reading the session when no event arrives', async () => {
    runtime.uninstall();
    startConnect.mockResolvedValue(waiting);
    connectSession.mockResolvedValue(ready);
    await pickMastodonAndContinue();
    expect(await screen.findByRole('tab', { name: 'New (1)' }, { timeout: 6000 })).toBeInTheDocument();
    expect(connectSession).toHaveBeenCalledWith('sess-1');
  });

  it('says so when Herald could not open the browser', async () => {
    startConnect.mockResolvedValue({ ...waiting, browserOpened: false });
    connectSession.mockResolvedValue({ ...waiting, browserOpened: false });
    await pickMastodonAndContinue();
    expect(await screen.findByText('Herald could not open your browser')).toBeInTheDocument();
    expect(screen.getByTestId('signin-auth-url').textContent).toBe(AUTH_URL);
  });
});

describe('Add channels: Bluesky', () => {
  async function pickBluesky() {
    const opened = await openDialog();
    await opened.user.click(within(opened.dialog).getByRole('button', { name: 'Choose Bluesky' }));
    expect(await screen.findByRole('textbox', { name: /Handle/ })).toHaveFocus();
    return opened;
  }

  it('explains the app password, links to where to make one, and signs in with the fields', async () => {
    const login = deferred<Snapshot>();
    loginWithPassword.mockReturnValue(login.promise);
    const { user } = await pickBluesky();
    expect(screen.getByText('Why an app password?')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: /https:\/\/bsky\.app\/settings\/app-passwords/ });
    await user.click(link);
    expect(runtime.opened).toEqual(['https://bsky.app/settings/app-passwords']);

    const handle = screen.getByRole('textbox', { name: /Handle/ });
    expect(handle).toHaveAccessibleDescription('Your handle, like alice.bsky.social, or your email');
    await user.type(handle, 'shop.bsky.social');
    const secret = screen.getByLabelText(/App password/, { selector: 'input' });
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toHaveAccessibleDescription(/^An app password, like abcd-efgh-ijkl-mnop — create one in Bluesky under Settings/);
    await user.type(secret, 'abcd-efgh-ijkl-mnop');
    await user.click(screen.getByRole('button', { name: /Advanced: hosting provider/ }));
    expect(screen.getByRole('textbox', { name: /Hosting provider/ })).toHaveValue('https://bsky.social');
    await user.click(screen.getByRole('button', { name: 'Continue to sign in' }));
    expect(loginWithPassword).toHaveBeenCalledWith('bluesky', 'https://bsky.social', 'shop.bsky.social', 'abcd-efgh-ijkl-mnop', 0);
    expect(await screen.findByText('Signing in to Bluesky…')).toBeInTheDocument();

    login.resolve(
      snapshotFixture({
        network: 'bluesky',
        networkName: 'Bluesky',
        instance: 'https://bsky.social',
        stage: 'ready',
        new: [accountFixture({ remoteId: 'did:plc:shop', handle: 'shop.bsky.social', displayName: 'Shop' })],
        notListedHelp: 'One Bluesky sign-in is one account.',
      }),
    );
    expect(await screen.findByRole('tab', { name: 'New (1)' })).toBeInTheDocument();
    expect(screen.getByTestId('not-listed-help')).toHaveTextContent('One Bluesky sign-in is one account.');
  });

  it('puts a wrong password on its field, keeps the handle and clears the password', async () => {
    loginWithPassword.mockResolvedValue(
      snapshotFixture({
        network: 'bluesky',
        networkName: 'Bluesky',
        stage: 'failed',
        error: { code: 'invalid_input', field: 'secret', message: 'Bluesky did not accept this handle and app password.', hint: '' },
      }),
    );
    const { user } = await pickBluesky();
    await user.type(screen.getByRole('textbox', { name: /Handle/ }), 'shop.bsky.social');
    await user.type(screen.getByLabelText(/App password/, { selector: 'input' }), 'wrong-pass');
    await user.click(screen.getByRole('button', { name: 'Continue to sign in' }));

    const secret = await screen.findByLabelText(/App password/, { selector: 'input' });
    await waitFor(() => {
      expect(secret.closest('.mantine-PasswordInput-root')).toHaveTextContent('Bluesky did not accept this handle and app password.');
    });
    expect(screen.getByRole('textbox', { name: /Handle/ })).toHaveValue('shop.bsky.social');
    expect(screen.getByRole('textbox', { name: /Handle/ })).not.toHaveAttribute('aria-invalid', 'true');
    expect(secret).toHaveValue('');
    expect(secret).toHaveFocus();
    expect(document.body).not.toHaveTextContent('wrong-pass');
  });

  it('Try again keeps the handle, the hosting provider and the open advanced section, never the password', async () => {
    loginWithPassword.mockResolvedValue(
      snapshotFixture({
        network: 'bluesky',
        networkName: 'Bluesky',
        stage: 'failed',
        error: {
          code: 'network_error',
          field: '',
          message: 'Herald could not reach “pds.example.org”: the server could not be reached.',
          hint: 'Check your internet connection and the server address, then try again.',
        },
      }),
    );
    const { user } = await pickBluesky();
    await user.type(screen.getByRole('textbox', { name: /Handle/ }), 'shop.example.org');
    await user.type(screen.getByLabelText(/App password/, { selector: 'input' }), 'hrld-pass-word-1234');
    await user.click(screen.getByRole('button', { name: /Advanced: hosting provider/ }));
    const provider = screen.getByRole('textbox', { name: /Hosting provider/ });
    expect(provider).toHaveAccessibleDescription(/^The hosting provider's address, like bsky\.social\. Change this only/);
    await user.clear(provider);
    await user.type(provider, 'pds.example.org');
    await user.click(screen.getByRole('button', { name: 'Continue to sign in' }));
    expect(loginWithPassword).toHaveBeenCalledWith('bluesky', 'pds.example.org', 'shop.example.org', 'hrld-pass-word-1234', 0);

    const problem = await screen.findByTestId('signin-problem');
    expect(problem).toHaveTextContent('Herald could not reach “pds.example.org”');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const handle = await screen.findByRole('textbox', { name: /Handle/ });
    expect(handle).toHaveValue('shop.example.org');
    expect(handle).toHaveFocus();
    expect(screen.getByRole('button', { name: /Advanced: hosting provider/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('textbox', { name: /Hosting provider/ })).toHaveValue('pds.example.org');
    expect(screen.getByLabelText(/App password/, { selector: 'input' })).toHaveValue('');
    expect(document.body).not.toHaveTextContent('hrld-pass-word-1234');
  });

  it('puts a missing password on its field', async () => {
    loginWithPassword.mockRejectedValue({ code: 'invalid_input', field: 'password', message: 'Type your app password.' });
    const { user } = await pickBluesky();
    await user.type(screen.getByRole('textbox', { name: /Handle/ }), 'shop.bsky.social');
    await user.click(screen.getByRole('button', { name: 'Continue to sign in' }));
    const secret = await screen.findByLabelText(/App password/, { selector: 'input' });
    const field = secret.closest('.mantine-PasswordInput-root');
    await waitFor(() => {
      expect(field).toHaveTextContent('Type your app password.');
    });
    expect(screen.getByRole('textbox', { name: /Handle/ })).toHaveValue('shop.bsky.social');
  });
});
