import { useCallback, useEffect } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { onPostsChanged, onPublishResult } from '../../api/events';
import { getPost, listPosts, type PostSummary, type PostView } from '../../api/posts';
import { type Load, useLoad } from '../../hooks/useLoad';
import { needsAttention } from '../posts/targetText';
import type { Filters } from './PostFilters';
import { LIST_LIMIT, QUEUE_TABS, type QueueTab } from './queueTabs';

export interface PostList {
  posts: PostSummary[];
  /** For Needs attention: the full posts, whose variants carry their error class. */
  details: PostView[];
}

/** Every post with a variant that needs the user, in full (the list rows lack the error class). */
async function attentionPosts(posts: PostSummary[]): Promise<PostList> {
  const flagged = posts.filter((p) => p.targets.some((t) => needsAttention({ status: t.status })));
  const details = await Promise.all(flagged.map((p) => getPost(p.id)));
  const real = details.filter((d) => d.targets.some((t) => needsAttention(t)));
  return { posts: flagged.filter((p) => real.some((d) => d.id === p.id)), details: real };
}

/** The posts of one Queue tab with the filters applied; reloads when posts change. */
export function usePostList(tab: QueueTab, filters: Filters): Load<PostList> {
  const [text] = useDebouncedValue(filters.text.trim(), 250);
  const channelKey = filters.channelIds.join(',');
  const { teamId } = filters;
  const load = useCallback(async (): Promise<PostList> => {
    const statuses = [...(QUEUE_TABS.find((t) => t.value === tab)?.statuses ?? [])];
    const channelIds = channelKey ? channelKey.split(',').map(Number) : [];
    const posts = await listPosts({ statuses, channelIds, teamId, text, limit: LIST_LIMIT });
    return tab === 'attention' ? attentionPosts(posts) : { posts, details: [] };
  }, [tab, channelKey, teamId, text]);
  const list = useLoad(load);
  const { reload } = list;
  useEffect(() => {
    const offChanged = onPostsChanged(reload);
    const offResult = onPublishResult(reload);
    return () => {
      offChanged();
      offResult();
    };
  }, [reload]);
  return list;
}
