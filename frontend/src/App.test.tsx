import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelView, Diagnostics, KeyringStatus, NetworkInfo, Preferences, StartupProblem } from './api/types';
import { App } from './App';
import { mockedBinding } from './test/bindings';
import { diagnosticsFixture, keyringFixture, mastodonNetwork, preferencesFixture, problemFixture } from './test/fixtures';
import { renderWithProviders } from './test/render';
import * as Recovery from './wailsjs/go/service/Recovery';
import * as Channels from './wailsjs/go/service/Channels';
import * as Settings from './wailsjs/go/service/Settings';

vi.mock('./wailsjs/go/service/Recovery', () => ({ Problem: vi.fn(), RestoreLatestBackup: vi.fn() }));
vi.mock('./wailsjs/go/service/Settings', () => ({
  Diagnostics: vi.fn(),
  KeyringStatus: vi.fn(),
  BackupNow: vi.fn(),
  Preferences: vi.fn(),
  SetReminderDays: vi.fn(),
}));
vi.mock('./wailsjs/go/service/Channels', () => ({ List: vi.fn(), Networks: vi.fn() }));
vi.mock('./wailsjs/go/service/Inbox', () => ({ Counts: vi.fn(() => Promise.resolve({ total: 3, channels: [{ channelId: 1, unread: 3 }] })) }));

const problem = mockedBinding<StartupProblem>(Recovery.Problem);

beforeEach(() => {
  problem.mockResolvedValue(problemFixture());
  mockedBinding<Diagnostics>(Settings.Diagnostics).mockResolvedValue(diagnosticsFixture());
  mockedBinding<KeyringStatus>(Settings.KeyringStatus).mockResolvedValue(keyringFixture());
  mockedBinding<Preferences>(Settings.Preferences).mockResolvedValue(preferencesFixture());
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([]);
  mockedBinding<NetworkInfo[]>(Channels.Networks).mockResolvedValue([mastodonNetwork()]);
});

const nav = async () => screen.findByRole('navigation', { name: 'Main' });

describe('Navigation', () => {
  it('lists the eight views as links and marks the current one', async () => {
    renderWithProviders(<App />, '/calendar');
    const links = within(await nav()).getAllByRole('link');
    expect(links.map((link) => link.querySelector('.mantine-NavLink-label')?.textContent)).toEqual([
      'Channels',
      'Compose',
      'Queue',
      'Calendar',
      // The unread count is said after the name.
      'Inbox, 3 unread',
      'Measure',
      'Audit log',
      'Search',
      'Settings',
    ]);
    expect(within(await nav()).getByRole('link', { name: 'Calendar' })).toHaveAttribute('aria-current', 'page');
    expect(within(await nav()).getByRole('link', { name: 'Channels' })).not.toHaveAttribute('aria-current');
    expect(within(await nav()).getByRole('link', { name: 'Settings' })).toHaveAttribute('href', '/settings/general');
  });

  it('shows how many inbox items are unread beside Inbox', async () => {
    renderWithProviders(<App />, '/channels');
    const link = within(await nav()).getByRole('link', { name: /^Inbox/ });
    expect(await within(link).findByTestId('nav-badge-inbox')).toHaveTextContent('3');
    expect(link).toHaveAccessibleName('Inbox, 3 unread');
  });

  it('opens Channels at the start', async () => {
    renderWithProviders(<App />, '/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Channels' })).toBeInTheDocument();
  });

  it('switches views with Ctrl+number and Cmd+number', async () => {
    renderWithProviders(<App />, '/channels');
    await nav();

    fireEvent.keyDown(window, { key: '4', code: 'Digit4', ctrlKey: true });
    expect(await screen.findByRole('heading', { level: 1, name: 'Calendar' })).toBeInTheDocument();
    expect(within(await nav()).getByRole('link', { name: 'Calendar' })).toHaveAttribute('aria-current', 'page');

    fireEvent.keyDown(window, { key: '8', code: 'Digit8', ctrlKey: true });
    expect(await screen.findByRole('heading', { level: 1, name: 'Search' })).toBeInTheDocument();

    fireEvent.keyDown(window, { key: '9', code: 'Digit9', metaKey: true });
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    expect(await screen.findByTestId('reminder-days')).toBeInTheDocument();

    // No modifier, or a digit that names no view: nothing happens.
    fireEvent.keyDown(window, { key: '1', code: 'Digit1' });
    fireEvent.keyDown(window, { key: '0', code: 'Digit0', ctrlKey: true });
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
  });

  it('switches views with the keyboard shortcut typed by a user', async () => {
    const { user } = renderWithProviders(<App />, '/channels');
    await nav();
    await user.keyboard('{Control>}7{/Control}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
  });

  it('shows the shortcut in each link', async () => {
    renderWithProviders(<App />, '/channels');
    const link = within(await nav()).getByRole('link', { name: 'Audit log' });
    expect(link).toHaveAttribute('aria-keyshortcuts', 'Control+7');
    // Shown beside the name, hidden from screen readers, which hear aria-keyshortcuts instead.
    const hint = within(link).getByTestId('nav-shortcut');
    expect(hint).toHaveTextContent('Ctrl+7');
    expect(hint.closest('[aria-hidden="true"]')).not.toBeNull();
  });
});

describe('Start-up check', () => {
  it('shows an error with Retry when the check fails', async () => {
    problem.mockRejectedValueOnce('recovery service not ready');
    const { user } = renderWithProviders(<App />, '/');
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('recovery service not ready');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await nav()).toBeInTheDocument();
  });
});
