import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { listChannels } from '../api/channels';
import { onChannelHealth, onChannelsChanged } from '../api/events';
import type { ChannelView } from '../api/types';
import { type Load, useLoad } from './useLoad';

const ChannelListContext = createContext<Load<ChannelView[]> | undefined>(undefined);

/**
 * Loads the channel list once for the whole window (the nav badge and the
 * Channels view share it) and reloads it whenever the backend says a
 * channel changed.
 */
export function ChannelListProvider({ children }: { children: ReactNode }) {
  const channels = useLoad(listChannels);
  const { reload } = channels;
  useEffect(() => {
    const offChanged = onChannelsChanged(reload);
    const offHealth = onChannelHealth(reload);
    return () => {
      offChanged();
      offHealth();
    };
  }, [reload]);
  return <ChannelListContext.Provider value={channels}>{children}</ChannelListContext.Provider>;
}

export function useChannelList(): Load<ChannelView[]> {
  const channels = useContext(ChannelListContext);
  if (!channels) {
    throw new Error('useChannelList needs a ChannelListProvider');
  }
  return channels;
}

/** A channel needs the user: disconnected, needing attention, or due for a fresh sign-in. */
export function needsAction(channel: ChannelView): boolean {
  return channel.status !== 'connected' || channel.reminderDue;
}
