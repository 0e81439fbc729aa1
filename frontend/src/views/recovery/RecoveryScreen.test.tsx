import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Diagnostics, KeyringStatus, RestoreResult, StartupProblem } from '../../api/types';
import { mockedBinding } from '../../test/bindings';
import { backupFixture, diagnosticsFixture, keyringFixture, problemFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import * as Recovery from '../../wailsjs/go/service/Recovery';
import * as Settings from '../../wailsjs/go/service/Settings';

vi.mock('../../wailsjs/go/service/Recovery', () => ({ Problem: vi.fn(), RestoreLatestBackup: vi.fn() }));
vi.mock('../../wailsjs/go/service/Settings', () => ({ Diagnostics: vi.fn(), KeyringStatus: vi.fn(), BackupNow: vi.fn() }));

const problem = mockedBinding<StartupProblem>(Recovery.Problem);
const restore = mockedBinding<RestoreResult>(Recovery.RestoreLatestBackup);

const DB = '/home/ana/.local/share/herald/herald.db';
const corrupt = (withBackup: boolean) =>
  problemFixture({
    kind: 'corrupt',
    message: 'database disk image is malformed',
    hint: withBackup
      ? 'Restore the latest backup. The damaged file is kept beside it, renamed, so nothing is deleted.'
      : 'No backup was found. Keep the damaged file for recovery tools, and move it away to start with an empty database.',
    databasePath: DB,
    // The Go side sends null, not a missing field, when there is no backup.
    latestBackup: withBackup ? backupFixture() : (null as unknown as undefined),
  });

beforeEach(() => {
  mockedBinding<Diagnostics>(Settings.Diagnostics).mockResolvedValue(diagnosticsFixture({ databaseOpen: false, schemaVersion: 0 }));
  mockedBinding<KeyringStatus>(Settings.KeyringStatus).mockResolvedValue(keyringFixture());
});

describe('Recovery screen', () => {
  it('replaces the app for a damaged database with a backup', async () => {
    problem.mockResolvedValue(corrupt(true));
    renderWithProviders(<App />, '/channels');

    expect(await screen.findByRole('heading', { name: "Herald's database is damaged" })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    expect(screen.getByText('database disk image is malformed')).toBeInTheDocument();
    expect(screen.getByText(/Restore the latest backup\. The damaged file/)).toBeInTheDocument();
    expect(screen.getByTestId('recovery-db-path').textContent).toBe(DB);
    expect(screen.getByRole('button', { name: 'Copy database path' })).toBeInTheDocument();
    expect(screen.getByTestId('recovery-backup-path').textContent).toBe(backupFixture().path);
    expect(screen.getByRole('button', { name: 'Restore latest backup' })).toBeEnabled();
  });

  it('says there is no backup and offers no restore', async () => {
    problem.mockResolvedValue(corrupt(false));
    renderWithProviders(<App />, '/');

    expect(await screen.findByRole('heading', { name: "Herald's database is damaged" })).toBeInTheDocument();
    expect(screen.getByTestId('recovery-no-backup')).toHaveTextContent('No backup was found');
    expect(screen.getByText(/move it away to start with an empty database/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Restore latest backup' })).not.toBeInTheDocument();
  });

  it('asks first, restores, and says where the damaged file went', async () => {
    problem.mockResolvedValue(corrupt(true));
    restore.mockResolvedValue({
      restoredFrom: backupFixture().path,
      keptDamaged: `${DB}.damaged-20250601T120000Z`,
    });
    const { user } = renderWithProviders(<App />, '/');

    await user.click(await screen.findByRole('button', { name: 'Restore latest backup' }));
    let dialog = await screen.findByRole('dialog', { name: 'Restore the latest backup?' });
    expect(dialog).toHaveTextContent('The current database file is kept beside it, renamed. Nothing is deleted.');

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(restore).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Restore latest backup' }));
    dialog = await screen.findByRole('dialog', { name: 'Restore the latest backup?' });
    await user.click(within(dialog).getByRole('button', { name: 'Restore backup' }));

    const result = await screen.findByTestId('restore-result');
    expect(restore).toHaveBeenCalledTimes(1);
    expect(result).toHaveTextContent(`Restored from ${backupFixture().path}.`);
    expect(result).toHaveTextContent(`The damaged file was kept as ${DB}.damaged-20250601T120000Z.`);
    expect(result).toHaveTextContent('Herald is restarting.');
    expect(screen.queryByRole('button', { name: 'Restore latest backup' })).not.toBeInTheDocument();
  });

  it('shows a failed restore with its hint and lets the user retry', async () => {
    problem.mockResolvedValue(corrupt(true));
    restore.mockRejectedValueOnce({ code: 'internal', message: 'restore: permission denied', hint: 'Check the folder permissions.' });
    restore.mockResolvedValueOnce({ restoredFrom: backupFixture().path, keptDamaged: `${DB}.damaged-1` });
    const { user } = renderWithProviders(<App />, '/');

    await user.click(await screen.findByRole('button', { name: 'Restore latest backup' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Restore backup' }));

    const panel = await screen.findByTestId('error-panel');
    expect(panel).toHaveTextContent('restore: permission denied');
    expect(panel).toHaveTextContent('Check the folder permissions.');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('restore-result')).toHaveTextContent('Herald is restarting.');
  });

  it('titles a too-new database and warns about newer changes', async () => {
    problem.mockResolvedValue(
      problemFixture({ kind: 'newer_schema', message: 'schema 5 is newer than 3', hint: 'Install the newer Herald.', latestBackup: backupFixture() }),
    );
    const { user } = renderWithProviders(<App />, '/');
    expect(await screen.findByRole('heading', { name: 'This database was written by a newer Herald' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore latest backup' }));
    expect(await screen.findByRole('dialog')).toHaveTextContent('Anything saved with the newer Herald after this backup');
  });

  it('offers no restore for other problems', async () => {
    problem.mockResolvedValue(
      problemFixture({ kind: 'other', message: 'open herald.db: permission denied', hint: 'See the log file.', latestBackup: backupFixture() }),
    );
    renderWithProviders(<App />, '/');
    expect(await screen.findByRole('heading', { name: 'Herald could not open its database' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Restore latest backup' })).not.toBeInTheDocument();
  });

  it('says Herald is restarting when a restore already happened', async () => {
    problem.mockResolvedValue({ ...corrupt(true), restored: true });
    renderWithProviders(<App />, '/');
    expect(await screen.findByTestId('restore-result')).toHaveTextContent('Herald is restarting.');
    expect(screen.queryByRole('button', { name: 'Restore latest backup' })).not.toBeInTheDocument();
  });

  it('keeps Diagnostics reachable in recovery mode', async () => {
    problem.mockResolvedValue(corrupt(true));
    const { user } = renderWithProviders(<App />, '/');
    await user.click(await screen.findByRole('link', { name: 'Open Diagnostics' }));

    expect(await screen.findByTestId('diag-database-state')).toHaveTextContent('Not open');
    expect(screen.getByTestId('diag-data-dir')).toHaveTextContent('/home/ana/.local/share/herald');
    await user.click(screen.getByRole('link', { name: 'Back to recovery' }));
    expect(await screen.findByRole('heading', { name: "Herald's database is damaged" })).toBeInTheDocument();
  });
});
