import { useCallback, useEffect } from 'react';
import { onPostsChanged, onPublishResult } from '../../api/events';
import { getPost, type PostView } from '../../api/posts';
import { type Load, useLoad } from '../../hooks/useLoad';
import { useNow } from '../../hooks/useNow';

/** How often a post about to publish is read again, in case an event was missed. */
export const POLL_MS = 5000;

/** True while a variant is publishing or due within the next minute and a half. */
export function publishingSoon(post: PostView | undefined, now: Date): boolean {
  return (
    post?.targets.some((t) => {
      if (t.status === 'claimed') {
        return true;
      }
      if (t.status !== 'scheduled' || t.handedOff) {
        return false;
      }
      const due = Date.parse(t.nextAttemptAt || t.dueAt);
      return Number.isFinite(due) && due <= now.getTime() + 90_000;
    }) ?? false
  );
}

/** One post, kept current by posts:changed and publish:result, and polled while it publishes. */
export function usePost(postId: number): Load<PostView> {
  const load = useCallback(() => getPost(postId), [postId]);
  const post = useLoad(load);
  const { reload } = post;
  const now = useNow(POLL_MS);

  useEffect(() => {
    const offChanged = onPostsChanged((id) => {
      if (id === null || id === postId) {
        reload();
      }
    });
    const offResult = onPublishResult((result) => {
      if (result?.postId === postId) {
        reload();
      }
    });
    return () => {
      offChanged();
      offResult();
    };
  }, [postId, reload]);

  const soon = publishingSoon(post.data, now);
  useEffect(() => {
    if (!soon) {
      return undefined;
    }
    const id = window.setInterval(reload, POLL_MS);
    return () => {
      window.clearInterval(id);
    };
  }, [soon, reload]);

  return post;
}
