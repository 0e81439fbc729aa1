import type { service } from '../wailsjs/go/models';
import * as Search from '../wailsjs/go/service/Search';
import { call } from './call';

/*
 * Searching public accounts through a channel, for the Search view and the
 * @mention autocompletion.
 */

export type ProfileView = Omit<service.ProfileView, 'convertValues'>;
export type SearchChannel = Omit<service.SearchChannel, 'convertValues'>;

/** The longest search the backend accepts, in characters. */
export const MAX_SEARCH_QUERY = 100;

/** The channels whose network can search accounts; a disconnected one is not available, with the reason. */
export const listSearchableChannels = (): Promise<SearchChannel[]> => call(() => Search.SearchableChannels());

/**
 * Public accounts matching query on the channel's network: a few for a
 * typeahead (the @mention list), more for a full search. "" finds nothing.
 */
export const searchAccounts = (channelId: number, query: string, typeahead: boolean): Promise<ProfileView[]> =>
  call(() => Search.SearchAccounts(channelId, query, typeahead));
