import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type AuditEntry, type AuditPage, type AuditQuery, listAudit, onAuditAppended } from '../../api/audit';
import { type AppError, toAppError } from '../../api/errors';
import { useLoad } from '../../hooks/useLoad';
import { type AuditFilters, toAuditQuery } from './auditQuery';

export interface AuditLog {
  /** The query the list shows (the search text once typing pauses); page 1. */
  query: AuditQuery;
  /** Every entry loaded so far, newest first; undefined until the first page arrives. */
  entries: AuditEntry[] | undefined;
  /** How many entries match the filters in all. */
  total: number;
  /** True when older entries are left to load. */
  more: boolean;
  /** The first page failed. */
  error: AppError | undefined;
  /** True while the first page (re)loads; the entries shown are the previous ones. */
  loading: boolean;
  loadingMore: boolean;
  /** Loading older entries failed; loadMore tries again. */
  moreError: AppError | undefined;
  /** Entries matching the filters were added since the list loaded; count is 0 when not known. */
  fresh: { count: number } | undefined;
  /** Loads the first page again: the newest entries. */
  reload: () => void;
  /** Loads the page of entries older than the last one shown. */
  loadMore: () => void;
}

/** Older pages loaded after one first page. */
interface Older {
  base: AuditPage;
  entries: AuditEntry[];
  more: boolean;
  loading: boolean;
  error: AppError | undefined;
}

const SEARCH_DELAY_MS = 300;
const APPENDED_DELAY_MS = 250;

/**
 * The audit log under the filters: the newest page, older pages on demand,
 * and a note (not a jump) when new entries are appended.
 */
export function useAuditLog(filters: AuditFilters): AuditLog {
  const [text] = useDebouncedValue(filters.text.trim(), SEARCH_DELAY_MS);
  const { from, to, actor, event, channelId, team } = filters;
  const query = useMemo(
    () => toAuditQuery({ from, to, actor, event, channelId, team, text }),
    [from, to, actor, event, channelId, team, text],
  );
  const load = useCallback(() => listAudit(query), [query]);
  const first = useLoad(load);
  const base = first.data;
  const { reload } = first;

  const [older, setOlder] = useState<Older | undefined>(undefined);
  const [fresh, setFresh] = useState<{ base: AuditPage; count: number } | undefined>(undefined);

  // Pages and notes that belong to an earlier first page no longer count.
  const olderNow = base && older?.base === base ? older : undefined;
  const freshNow = base && fresh?.base === base && !first.loading ? { count: fresh.count } : undefined;
  const entries = base ? [...base.entries, ...(olderNow?.entries ?? [])] : undefined;
  const last = entries?.at(-1);

  const loadMore = () => {
    if (!base || !last || first.loading || olderNow?.loading) {
      return;
    }
    const kept = olderNow ?? { base, entries: [], more: base.more, loading: false, error: undefined };
    setOlder({ ...kept, loading: true, error: undefined });
    listAudit({ ...query, beforeId: last.id }).then(
      (page) => {
        setOlder((prev) =>
          prev?.base === base ? { ...prev, entries: [...prev.entries, ...page.entries], more: page.more, loading: false } : prev,
        );
      },
      (err: unknown) => {
        setOlder((prev) => (prev?.base === base ? { ...prev, loading: false, error: toAppError(err) } : prev));
      },
    );
  };

  useEffect(() => {
    if (!base) {
      return undefined;
    }
    let current = true;
    let timer: number | undefined;
    const newest = base.entries[0];
    const check = () => {
      if (!newest) {
        // Nothing on screen to keep in place: show what arrived.
        reload();
        return;
      }
      listAudit({ ...query, beforeId: 0, limit: 1 }).then(
        (page) => {
          const top = page.entries[0];
          if (current && top && top.id > newest.id) {
            setFresh({ base, count: Math.max(page.total - base.total, 0) });
          }
        },
        () => {
          // The check failed; say there may be something new rather than nothing.
          if (current) {
            setFresh({ base, count: 0 });
          }
        },
      );
    };
    // A burst of entries (a queue going out) makes one check.
    const off = onAuditAppended(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, APPENDED_DELAY_MS);
    });
    return () => {
      current = false;
      window.clearTimeout(timer);
      off();
    };
  }, [base, query, reload]);

  return {
    query,
    entries,
    total: base?.total ?? 0,
    more: olderNow ? olderNow.more : (base?.more ?? false),
    error: first.error,
    loading: first.loading,
    loadingMore: olderNow?.loading ?? false,
    moreError: olderNow?.error,
    fresh: freshNow,
    reload,
    loadMore,
  };
}
