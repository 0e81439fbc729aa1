import { useEffect, useState } from 'react';
import { type AppError, toAppError } from '../api/errors';
import { type ProfileView, searchAccounts } from '../api/search';

/** How long typing must pause before the accounts are looked up. */
export const MENTION_DELAY_MS = 250;

export interface MentionSearch {
  /** The query these results answer; the results of an older query never show. */
  query: string | undefined;
  results: ProfileView[];
  loading: boolean;
  error: AppError | undefined;
}

interface Answer {
  key: string;
  results: ProfileView[];
  error: AppError | undefined;
}

/**
 * Looks up the accounts matching query through a channel, as a typeahead,
 * MENTION_DELAY_MS after the query last changed. Only the latest query's
 * answer is kept; no query (undefined) or no channel asks nothing.
 */
export function useMentionSearch(channelId: number | undefined, query: string | undefined): MentionSearch {
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  const key = channelId === undefined || query === undefined ? undefined : `${channelId}\n${query}`;

  useEffect(() => {
    if (channelId === undefined || query === undefined) {
      return undefined;
    }
    let current = true;
    const asked = `${channelId}\n${query}`;
    const timer = window.setTimeout(() => {
      searchAccounts(channelId, query, true).then(
        (results) => current && setAnswer({ key: asked, results, error: undefined }),
        (err: unknown) => current && setAnswer({ key: asked, results: [], error: toAppError(err) }),
      );
    }, MENTION_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [channelId, query]);

  if (key === undefined) {
    return { query: undefined, results: [], loading: false, error: undefined };
  }
  if (answer?.key !== key) {
    return { query, results: [], loading: true, error: undefined };
  }
  return { query, results: answer.results, loading: false, error: answer.error };
}
