import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type AppError, toAppError } from '../../api/errors';
import { onInboxChanged } from '../../api/events';
import { type InboxCounts, inboxCounts, type InboxFilter, type InboxItem, type InboxKind, type InboxStatus, listInbox } from '../../api/inbox';
import { type Load, useLoad } from '../../hooks/useLoad';

export interface InboxFilters {
  text: string;
  channelIds: number[];
  teamId: number;
  kinds: InboxKind[];
  status: InboxStatus;
  unreadOnly: boolean;
  label: string;
}

export const NO_INBOX_FILTERS: InboxFilters = { text: '', channelIds: [], teamId: 0, kinds: [], status: 'open', unreadOnly: false, label: '' };

/** True when the filters narrow the list beyond "open items". */
export function isNarrowed(f: InboxFilters): boolean {
  return f.text.trim() !== '' || f.channelIds.length > 0 || f.teamId !== 0 || f.kinds.length > 0 || f.unreadOnly || f.label !== '';
}

/** One page of the list holds this many; the next loads near the end. */
export const INBOX_PAGE = 100;

export interface InboxList {
  items: InboxItem[] | undefined;
  next: string;
  error: AppError | undefined;
  loading: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Replaces one item as shown (after the user changed it) until the next load. */
  patch: (id: number, change: Partial<InboxItem>) => void;
}

function toQuery(f: InboxFilters, text: string, limit: number): InboxFilter {
  return {
    channelIds: f.channelIds,
    teamId: f.teamId,
    kinds: f.kinds,
    statuses: [f.status],
    label: f.label,
    unreadOnly: f.unreadOnly,
    hasReply: '',
    text,
    limit,
  };
}

function useReloadOnInbox(reload: () => void) {
  useEffect(() => onInboxChanged(reload), [reload]);
}

/**
 * The inbox under the filters, newest first, a page at a time. It reloads
 * when items arrive or change, keeping as many items listed as were shown.
 */
export function useInboxList(filters: InboxFilters): InboxList {
  const [text] = useDebouncedValue(filters.text.trim(), 250);
  const key = JSON.stringify({ ...filters, text });
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ items: InboxItem[] | undefined; next: string; error: AppError | undefined; settled: number }>({
    items: undefined,
    next: '',
    error: undefined,
    settled: -1,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const shown = useRef(INBOX_PAGE);
  const lastKey = useRef(key);

  useEffect(() => {
    if (lastKey.current !== key) {
      lastKey.current = key;
      shown.current = INBOX_PAGE;
    }
    const gen = ++generation.current;
    const f = JSON.parse(key) as InboxFilters;
    listInbox(toQuery(f, f.text, Math.min(200, Math.max(INBOX_PAGE, shown.current))), '').then(
      (page) => {
        if (gen === generation.current) {
          setState({ items: page.items, next: page.next, error: undefined, settled: attempt });
          setLoadingMore(false);
        }
      },
      (err: unknown) => {
        if (gen === generation.current) {
          setState({ items: undefined, next: '', error: toAppError(err), settled: attempt });
          setLoadingMore(false);
        }
      },
    );
  }, [key, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  useReloadOnInbox(reload);

  const loading = state.settled !== attempt;
  const { items, next } = state;
  const loadMore = useCallback(() => {
    if (!items || next === '' || loadingMore || loading) {
      return;
    }
    const gen = generation.current;
    setLoadingMore(true);
    const f = JSON.parse(key) as InboxFilters;
    listInbox(toQuery(f, f.text, INBOX_PAGE), next).then(
      (page) => {
        if (gen !== generation.current) {
          return;
        }
        const seen = new Set(items.map((i) => i.id));
        const merged = [...items, ...page.items.filter((i) => !seen.has(i.id))];
        shown.current = merged.length;
        setState((s) => ({ ...s, items: merged, next: page.next }));
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (gen === generation.current) {
          setState((s) => ({ ...s, error: toAppError(err) }));
          setLoadingMore(false);
        }
      },
    );
  }, [items, next, loadingMore, loading, key]);

  const patch = useCallback((id: number, change: Partial<InboxItem>) => {
    setState((s) => ({ ...s, items: s.items?.map((i) => (i.id === id ? { ...i, ...change } : i)) }));
  }, []);

  return { items, next, error: state.error, loading, loadingMore, loadMore, reload, patch };
}

/** Unread items in all and per channel; reloads when the inbox changes. */
export function useInboxCounts(): Load<InboxCounts> {
  const counts = useLoad(inboxCounts);
  useReloadOnInbox(counts.reload);
  return counts;
}
