import * as Channels from '../wailsjs/go/service/Channels';
import { call } from './call';
import type {
  ChannelView,
  CheckResult,
  ConnectResult,
  HealthEvent,
  NetworkInfo,
  RemoveResult,
  Snapshot,
} from './types';

export const listNetworks = (): Promise<NetworkInfo[]> => call(() => Channels.Networks());

export const listChannels = (): Promise<ChannelView[]> => call(() => Channels.List());

/** Starts a browser sign-in to add channels; progress follows as oauth:progress events. */
export const startConnect = (network: string, instance: string): Promise<Snapshot> =>
  call(() => Channels.StartConnect(network, instance));

/** Starts a browser sign-in that replaces one channel's connection in place. */
export const startRefresh = (channelId: number): Promise<Snapshot> => call(() => Channels.StartRefresh(channelId));

/**
 * Signs in with an app password; resolves once the sign-in is ready or failed.
 * refreshChannelId is the channel being refreshed, or 0 to add channels.
 */
export const loginWithPassword = (
  network: string,
  instance: string,
  identifier: string,
  password: string,
  refreshChannelId: number,
): Promise<Snapshot> =>
  call(() => Channels.LoginWithPassword(network, instance, identifier, password, refreshChannelId));

export const connectSession = (id: string): Promise<Snapshot> => call(() => Channels.ConnectSession(id));

export const cancelConnect = (id: string): Promise<void> => call(() => Channels.CancelConnect(id));

/** Connects the selected new channels and refreshes the selected existing ones. */
export const finishConnect = (id: string, remoteIds: string[], teamIds: number[]): Promise<ConnectResult> =>
  call(() => Channels.FinishConnect(id, remoteIds, teamIds));

export const checkChannel = (channelId: number): Promise<CheckResult> => call(() => Channels.CheckNow(channelId));

export const removeChannel = (channelId: number, deleteHistory: boolean): Promise<RemoveResult> =>
  call(() => Channels.Remove(channelId, deleteHistory));

export const setChannelTeams = (channelId: number, teamIds: number[]): Promise<ChannelView> =>
  call(() => Channels.SetTeams(channelId, teamIds));

/** The channel's health timeline, newest first. */
export const channelTimeline = (channelId: number): Promise<HealthEvent[]> => call(() => Channels.Timeline(channelId));
