import { useCallback, useEffect, useRef, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { type AppError, toAppError } from '../../api/errors';
import { onPostsChanged, onPublishResult } from '../../api/events';
import { getPost, type PostSummary, type PostView, type QueueCounts, queueCounts, queuePage } from '../../api/posts';
import { type Load, useLoad } from '../../hooks/useLoad';
import { needsAttention } from '../posts/targetText';
import type { Filters } from './PostFilters';
import { PAGE_SIZE, type QueueTab } from './queueTabs';

export interface PostList {
  posts: PostSummary[];
  /** For Needs attention: the full posts, whose variants carry their error class. */
  details: PostView[];
  /** The cursor of the next page; empty when every post is listed. */
  next: string;
}

export interface PagedList extends Load<PostList> {
  /** Loads the next page and appends it (nothing when there is none or one is loading). */
  loadMore: () => void;
  loadingMore: boolean;
}

/** The posts of a page with a variant that needs the user, in full (the list rows lack the error class). */
async function attentionPosts(posts: PostSummary[], next: string): Promise<PostList> {
  const flagged = posts.filter((p) => p.targets.some((t) => needsAttention({ status: t.status })));
  const details = await Promise.all(flagged.map((p) => getPost(p.id)));
  const real = details.filter((d) => d.targets.some((t) => needsAttention(t)));
  return { posts: flagged.filter((p) => real.some((d) => d.id === p.id)), details: real, next };
}

function useQueueFilters(filters: Filters) {
  const [text] = useDebouncedValue(filters.text.trim(), 250);
  const channelKey = filters.channelIds.join(',');
  return { text, channelKey, teamId: filters.teamId };
}

const idsOf = (key: string) => (key ? key.split(',').map(Number) : []);

function useReloadOnChanges(reload: () => void) {
  useEffect(() => {
    const offChanged = onPostsChanged(reload);
    const offResult = onPublishResult(reload);
    return () => {
      offChanged();
      offResult();
    };
  }, [reload]);
}

interface State {
  data: PostList | undefined;
  error: AppError | undefined;
  /** The request whose answer is shown. */
  settled: number;
}

/**
 * The posts of one Queue tab with the filters applied, a page at a time;
 * loadMore() appends the next page. It reloads when posts change, keeping
 * as many posts listed as were shown.
 */
export function usePostList(tab: QueueTab, filters: Filters): PagedList {
  const { text, channelKey, teamId } = useQueueFilters(filters);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<State>({ data: undefined, error: undefined, settled: -1 });
  const [loadingMore, setLoadingMore] = useState(false);
  // Bumped on every first-page request so a late page of an older list is dropped.
  const generation = useRef(0);
  const shown = useRef(PAGE_SIZE);
  const key = `${tab}|${channelKey}|${teamId}|${text}`;
  const lastKey = useRef(key);

  const fetchPage = useCallback(
    async (after: string, limit: number): Promise<PostList> => {
      const page = await queuePage({ tab, channelIds: idsOf(channelKey), teamId, text, after, limit });
      return tab === 'attention' ? attentionPosts(page.posts, page.next) : { posts: page.posts, details: [], next: page.next };
    },
    [tab, channelKey, teamId, text],
  );

  useEffect(() => {
    if (lastKey.current !== key) {
      lastKey.current = key;
      shown.current = PAGE_SIZE;
    }
    const gen = ++generation.current;
    fetchPage('', Math.max(PAGE_SIZE, shown.current)).then(
      (data) => {
        if (gen === generation.current) {
          setState({ data, error: undefined, settled: attempt });
          setLoadingMore(false);
        }
      },
      (err: unknown) => {
        if (gen === generation.current) {
          setState({ data: undefined, error: toAppError(err), settled: attempt });
          setLoadingMore(false);
        }
      },
    );
  }, [fetchPage, attempt, key]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  useReloadOnChanges(reload);

  const { data } = state;
  const loading = state.settled !== attempt;
  const loadMore = useCallback(() => {
    if (!data?.next || loadingMore || loading) {
      return;
    }
    const gen = generation.current;
    setLoadingMore(true);
    fetchPage(data.next, PAGE_SIZE).then(
      (page) => {
        if (gen !== generation.current) {
          return;
        }
        const seen = new Set(data.posts.map((p) => p.id));
        const merged: PostList = {
          posts: [...data.posts, ...page.posts.filter((p) => !seen.has(p.id))],
          details: [...data.details, ...page.details.filter((d) => !seen.has(d.id))],
          next: page.next,
        };
        shown.current = merged.posts.length;
        setState((s) => ({ ...s, data: merged }));
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (gen === generation.current) {
          setState((s) => ({ ...s, error: toAppError(err) }));
          setLoadingMore(false);
        }
      },
    );
  }, [data, loadingMore, loading, fetchPage]);

  return { data, error: state.error, loading, reload, loadMore, loadingMore };
}

/** How many posts each tab lists under the filters; reloads when posts change. */
export function useQueueCounts(filters: Filters): Load<QueueCounts> {
  const { text, channelKey, teamId } = useQueueFilters(filters);
  const load = useCallback(
    () => queueCounts({ statuses: [], channelIds: idsOf(channelKey), teamId, text, limit: 0 }),
    [channelKey, teamId, text],
  );
  const counts = useLoad(load);
  useReloadOnChanges(counts.reload);
  return counts;
}
