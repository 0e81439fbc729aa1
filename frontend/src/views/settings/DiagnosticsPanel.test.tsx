import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupInfo, Diagnostics, KeyringStatus } from '../../api/types';
import { mockedBinding } from '../../test/bindings';
import { backupFixture, diagnosticsFixture, keyringFixture } from '../../test/fixtures';
import { deferred, renderWithProviders } from '../../test/render';
import * as Settings from '../../wailsjs/go/service/Settings';
import { DiagnosticsPanel } from './DiagnosticsPanel';

vi.mock('../../wailsjs/go/service/Settings', () => ({
  Diagnostics: vi.fn(),
  KeyringStatus: vi.fn(),
  BackupNow: vi.fn(),
}));

const diagnostics = mockedBinding<Diagnostics>(Settings.Diagnostics);
const keyringStatus = mockedBinding<KeyringStatus>(Settings.KeyringStatus);
const backupNow = mockedBinding<BackupInfo>(Settings.BackupNow);

beforeEach(() => {
  diagnostics.mockResolvedValue(diagnosticsFixture());
  keyringStatus.mockResolvedValue(keyringFixture());
});

const renderPanel = () => renderWithProviders(<DiagnosticsPanel />);

describe('Diagnostics', () => {
  it('shows what the backend reports', async () => {
    renderPanel();
    expect((await screen.findByTestId('diag-version')).textContent).toBe('1.2.3');
    expect(screen.getByTestId('diag-commit')).toHaveTextContent('Build 1982e59c1d83');
    expect(screen.getByTestId('diag-schema-version').textContent).toBe('3');
    expect(screen.getByTestId('diag-latest-schema-version').textContent).toBe('3');
    expect(screen.getByText('Up to date')).toBeInTheDocument();
    expect(screen.getByTestId('diag-platform')).toHaveTextContent('Linux (amd64)');
    expect(screen.getByText('go1.24.4')).toBeInTheDocument();
    expect(screen.getByTestId('diag-data-dir').textContent).toBe('/home/ana/.local/share/herald');
    expect(screen.getByTestId('diag-db-path').textContent).toBe('/home/ana/.local/share/herald/herald.db');
    expect(screen.getByTestId('diag-log-dir').textContent).toBe('/home/ana/.local/state/herald/logs');
    expect(screen.getByTestId('diag-db-size')).toHaveTextContent('246 KB');
    expect(screen.getByTestId('diag-portable')).toHaveAttribute('data-state', 'standard');

    const last = screen.getByTestId('diag-last-backup');
    expect(last).toHaveAttribute('data-path', backupFixture().path);
    expect(last).toHaveAttribute('data-taken-at', '2025-06-01T10:15:00Z');
    expect(within(last).getByText('205 KB')).toBeInTheDocument();
    expect(within(last).getByText(backupFixture().path)).toBeInTheDocument();

    expect(screen.getByRole('button', { name: 'Copy data folder path' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy database path' })).toBeInTheDocument();
  });

  it('says when there is no backup and when the folder is portable', async () => {
    diagnostics.mockResolvedValue(diagnosticsFixture({ lastBackup: undefined, portable: true }));
    renderPanel();
    const last = await screen.findByTestId('diag-last-backup');
    expect(last).toHaveTextContent('No backup yet.');
    expect(last).toHaveAttribute('data-path', '');
    expect(screen.getByTestId('diag-portable')).toHaveAttribute('data-state', 'portable');
  });

  it('marks a database that is not open and disables backups', async () => {
    diagnostics.mockResolvedValue(diagnosticsFixture({ databaseOpen: false, schemaVersion: 0 }));
    renderPanel();
    expect(await screen.findByTestId('diag-database-state')).toHaveTextContent('Not open');
    expect(screen.queryByTestId('diag-schema-version')).not.toBeInTheDocument();
    expect(screen.getByTestId('diag-latest-schema-version').textContent).toBe('3');
    expect(screen.getByRole('button', { name: 'Back up now' })).toBeDisabled();
  });

  it('shows an error with its hint and retries', async () => {
    diagnostics.mockRejectedValueOnce({ code: 'internal', message: 'read schema version: locked', hint: 'Close other copies.' });
    const { user } = renderPanel();
    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('Herald could not read its diagnostics');
    expect(panel).toHaveTextContent('read schema version: locked');
    expect(panel).toHaveTextContent('Close other copies.');

    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('diag-version')).toHaveTextContent('1.2.3');
    expect(screen.queryByTestId('error-panel')).not.toBeInTheDocument();
    expect(diagnostics).toHaveBeenCalledTimes(2);
  });
});

describe('Keyring status', () => {
  it('shows checking, then available with the backend', async () => {
    const check = deferred<KeyringStatus>();
    keyringStatus.mockReturnValue(check.promise);
    renderPanel();

    const status = screen.getByTestId('keyring-status');
    expect(status).toHaveAttribute('data-state', 'checking');
    expect(status).toHaveTextContent('Checking the keyring…');
    expect(screen.getByRole('button', { name: 'Check again' })).toBeDisabled();

    check.resolve(keyringFixture());
    await waitFor(() => {
      expect(status).toHaveAttribute('data-state', 'available');
    });
    expect(status).toHaveTextContent('Available');
    expect(screen.getByTestId('keyring-backend')).toHaveTextContent('Secret Service');
  });

  it('shows why it is unavailable and the way forward, and checks again', async () => {
    keyringStatus.mockResolvedValueOnce(
      keyringFixture({
        available: false,
        message: 'save credential: no keyring service is available',
        hint: 'Install GNOME Keyring or KWallet, then check again.',
      }),
    );
    const { user } = renderPanel();
    const status = screen.getByTestId('keyring-status');
    await waitFor(() => {
      expect(status).toHaveAttribute('data-state', 'unavailable');
    });
    expect(status).toHaveTextContent('Unavailable');
    expect(status).toHaveTextContent('save credential: no keyring service is available');
    expect(status).toHaveTextContent('Install GNOME Keyring or KWallet, then check again.');

    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => {
      expect(status).toHaveAttribute('data-state', 'available');
    });
    expect(keyringStatus).toHaveBeenCalledTimes(2);
  });

  it('treats a failed check as unavailable with the error hint', async () => {
    keyringStatus.mockRejectedValue({ code: 'keyring_locked', message: 'The keyring is locked.', hint: 'Unlock it.' });
    renderPanel();
    const status = screen.getByTestId('keyring-status');
    await waitFor(() => {
      expect(status).toHaveAttribute('data-state', 'unavailable');
    });
    expect(status).toHaveTextContent('The keyring is locked.');
    expect(status).toHaveTextContent('Unlock it.');
  });
});

describe('Back up now', () => {
  it('takes a backup, says so and shows it', async () => {
    const fresh = backupFixture({ path: '/backups/herald-20250601T130000.000Z-manual.db', takenAt: '2025-06-01T13:00:00Z' });
    const backup = deferred<typeof fresh>();
    backupNow.mockReturnValue(backup.promise);
    const { user } = renderPanel();

    const button = await screen.findByRole('button', { name: 'Back up now' });
    diagnostics.mockResolvedValue(diagnosticsFixture({ lastBackup: fresh }));
    await user.click(button);
    expect(button).toHaveAttribute('data-loading', 'true');

    backup.resolve(fresh);
    expect(await screen.findByText('Backup saved')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.getByTestId('diag-last-backup')).toHaveAttribute('data-path', fresh.path);
    });
    expect(backupNow).toHaveBeenCalledTimes(1);
    expect(diagnostics).toHaveBeenCalledTimes(2);
    expect(button).not.toHaveAttribute('data-loading');
  });

  it('reports a failure with its hint', async () => {
    backupNow.mockRejectedValue({ code: 'unavailable', message: "Herald's database is not open.", hint: 'Open Diagnostics.' });
    const { user } = renderPanel();
    await user.click(await screen.findByRole('button', { name: 'Back up now' }));

    expect(await screen.findByText('The backup failed')).toBeInTheDocument();
    expect(screen.getByText("Herald's database is not open. Open Diagnostics.")).toBeInTheDocument();
    expect(screen.getByTestId('diag-last-backup')).toHaveAttribute('data-path', backupFixture().path);
    expect(diagnostics).toHaveBeenCalledTimes(1);
  });
});
