import type { BackupInfo, Diagnostics, KeyringStatus, StartupProblem } from '../api/types';

export const backupFixture = (over: Partial<BackupInfo> = {}): BackupInfo => ({
  path: '/home/ana/.local/share/herald/backups/herald-20250601T101500.000Z-auto.db',
  takenAt: '2025-06-01T10:15:00Z',
  sizeBytes: 204_800,
  ...over,
});

export const diagnosticsFixture = (over: Partial<Diagnostics> = {}): Diagnostics => ({
  version: '1.2.3',
  os: 'linux',
  arch: 'amd64',
  goVersion: 'go1.24.4',
  dataDir: '/home/ana/.local/share/herald',
  logDir: '/home/ana/.local/state/herald/logs',
  databasePath: '/home/ana/.local/share/herald/herald.db',
  backupDir: '/home/ana/.local/share/herald/backups',
  portable: false,
  databaseOpen: true,
  databaseSizeBytes: 245_760,
  schemaVersion: 3,
  latestSchemaVersion: 3,
  lastBackup: backupFixture(),
  startedAt: '2025-06-01T12:00:00Z',
  ...over,
});

export const keyringFixture = (over: Partial<KeyringStatus> = {}): KeyringStatus => ({
  available: true,
  backend: 'Secret Service',
  message: 'Credentials are stored in Secret Service.',
  hint: '',
  checkedAt: '2025-06-01T12:01:00Z',
  ...over,
});

export const problemFixture = (over: Partial<StartupProblem> = {}): StartupProblem => ({
  kind: 'none',
  message: '',
  hint: '',
  databasePath: '/home/ana/.local/share/herald/herald.db',
  restored: false,
  ...over,
});
