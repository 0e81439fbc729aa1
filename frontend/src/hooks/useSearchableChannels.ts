import { useEffect } from 'react';
import { onChannelHealth, onChannelsChanged } from '../api/events';
import { listSearchableChannels, type SearchChannel } from '../api/search';
import { type Load, useLoad } from './useLoad';

/** The channels that can search accounts, reloaded when a channel changes or its health does. */
export function useSearchableChannels(): Load<SearchChannel[]> {
  const channels = useLoad(listSearchableChannels);
  const { reload } = channels;
  useEffect(() => {
    const offChanged = onChannelsChanged(reload);
    const offHealth = onChannelHealth(reload);
    return () => {
      offChanged();
      offHealth();
    };
  }, [reload]);
  return channels;
}

/**
 * The channel a text for these channels searches through: the first one that
 * can search now, else the first that could (its reason is then shown).
 */
export function searchChannelFor(ids: readonly number[], searchable: readonly SearchChannel[] | undefined): SearchChannel | undefined {
  const candidates = ids.flatMap((id) => searchable?.find((c) => c.channelId === id) ?? []);
  return candidates.find((c) => c.available) ?? candidates[0];
}
