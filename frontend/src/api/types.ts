import type { connect, service } from '../wailsjs/go/models';

/*
 * The DTOs as plain data. The generated classes also carry helper methods
 * that the JSON the bindings return does not have.
 */

export type BackupInfo = service.BackupInfo;
export type Diagnostics = Omit<service.Diagnostics, 'convertValues'>;
export type KeyringStatus = service.KeyringStatus;
export type StartupProblem = Omit<service.StartupProblem, 'convertValues'>;
export type RestoreResult = service.RestoreResult;

/** StartupProblem.kind values the UI knows. */
export type ProblemKind = 'none' | 'corrupt' | 'newer_schema' | 'other';

export type NetworkInfo = Omit<service.NetworkInfo, 'convertValues'>;
export type Limitation = service.LimitationView;
export type TeamRef = service.TeamRef;
export type ChannelView = Omit<service.ChannelView, 'convertValues'>;
export type CheckResult = Omit<service.CheckResult, 'convertValues' | 'channel'> & { channel: ChannelView };
export type HealthEvent = service.HealthEventView;
export type TeamView = service.TeamView;
export type Preferences = service.Preferences;

export type AccountView = connect.AccountView;
export type ConnectError = connect.ErrorView;
/** A sign-in in progress. `error` is null (not absent) while nothing failed. */
export type Snapshot = Omit<connect.Snapshot, 'convertValues' | 'error'> & { error?: ConnectError | null };
export type ChannelRef = connect.ChannelRef;
export type ConnectResult = Omit<connect.Result, 'convertValues'>;
export type RemoveResult = connect.RemoveResult;

/** ChannelView.status values. */
export type ChannelStatus = 'connected' | 'attention' | 'disconnected';

/** NetworkInfo.auth values: a browser sign-in, or an app password typed into Herald. */
export type AuthKind = 'oauth_loopback' | 'app_password';

/** Snapshot.stage values, in the order a sign-in goes through them. */
export type ConnectStage =
  | 'starting'
  | 'waiting_for_browser'
  | 'exchanging'
  | 'listing'
  | 'ready'
  | 'failed'
  | 'cancelled'
  | 'finished';

/** Payload of the channels:health event. */
export interface HealthChange {
  channelId: number;
  status: ChannelStatus;
}

/** Payload of the app:navigate event. */
export interface NavigateRequest {
  path: string;
}
