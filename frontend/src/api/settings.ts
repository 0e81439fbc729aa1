import * as Settings from '../wailsjs/go/service/Settings';
import { call } from './call';
import type { BackupInfo, Diagnostics, KeyringStatus, Preferences } from './types';

export const getDiagnostics = (): Promise<Diagnostics> => call(() => Settings.Diagnostics());

/** A live keyring check; it may take up to ten seconds. */
export const getKeyringStatus = (): Promise<KeyringStatus> => call(() => Settings.KeyringStatus());

export const backupNow = (): Promise<BackupInfo> => call(() => Settings.BackupNow());

export const getPreferences = (): Promise<Preferences> => call(() => Settings.Preferences());

/** 0 turns the re-authorization reminder off; otherwise 7–365 days. */
export const setReminderDays = (days: number): Promise<Preferences> => call(() => Settings.SetReminderDays(days));

/** How times are written: "system" (the system's 12/24-hour preference), "12" or "24". */
export const setClock = (clock: string): Promise<Preferences> => call(() => Settings.SetClock(clock));

/** Starts Herald in the tray when the user logs in (or stops doing so). */
export const setLaunchAtLogin = (on: boolean): Promise<Preferences> => call(() => Settings.SetLaunchAtLogin(on));
