import * as Settings from '../wailsjs/go/service/Settings';
import { call } from './call';
import type { BackupInfo, Diagnostics, KeyringStatus } from './types';

export const getDiagnostics = (): Promise<Diagnostics> => call(() => Settings.Diagnostics());

/** A live keyring check; it may take up to ten seconds. */
export const getKeyringStatus = (): Promise<KeyringStatus> => call(() => Settings.KeyringStatus());

export const backupNow = (): Promise<BackupInfo> => call(() => Settings.BackupNow());
