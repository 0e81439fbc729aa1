import dayjs from 'dayjs';
import type { AuditQuery } from '../../api/audit';

/** What the toolbar filters by; "" or 0 means any. */
export interface AuditFilters {
  /** First day shown, "2026-03-01" on this computer's calendar; null for no start. */
  from: string | null;
  /** Last day shown (the whole day), "2026-03-31"; null for no end. */
  to: string | null;
  actor: string;
  /** An event prefix such as "post.". */
  event: string;
  channelId: number;
  /** A team's exact name. */
  team: string;
  text: string;
}

export const NO_FILTERS: AuditFilters = { from: null, to: null, actor: '', event: '', channelId: 0, team: '', text: '' };

/** How many entries one page holds. */
export const PAGE_SIZE = 100;

export function isFiltered(filters: AuditFilters): boolean {
  return (
    filters.from !== null ||
    filters.to !== null ||
    filters.actor !== '' ||
    filters.event !== '' ||
    filters.channelId !== 0 ||
    filters.team !== '' ||
    filters.text.trim() !== ''
  );
}

/**
 * A day typed into a date field, as "YYYY-MM-DD": "2026-03-01" or a date
 * with its year last ("1 Mar 2026"). Null until the year is typed in full,
 * so the list does not jump to odd days on every key press.
 */
export function parseDay(text: string): string | null {
  const typed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(typed)) {
    const day = dayjs(typed);
    return day.isValid() && day.format('YYYY-MM-DD') === typed ? typed : null;
  }
  if (!/\D\d{4}$/.test(typed)) {
    return null;
  }
  const date = new Date(typed);
  return Number.isNaN(date.getTime()) ? null : dayjs(date).format('YYYY-MM-DD');
}

/** Local midnight starting a "YYYY-MM-DD" day, `plusDays` later, as RFC 3339 with this computer's offset; "" for no day. */
export function localDayStart(day: string | null, plusDays = 0): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return '';
  }
  const start = dayjs(day);
  return start.isValid() ? start.add(plusDays, 'day').startOf('day').format('YYYY-MM-DDTHH:mm:ssZ') : '';
}

/**
 * The backend query for the filters: days are read on this computer's
 * calendar, and the end is exclusive, so `to` becomes the next midnight.
 */
export function toAuditQuery(filters: AuditFilters, beforeId = 0, limit = PAGE_SIZE): AuditQuery {
  return {
    from: localDayStart(filters.from),
    to: localDayStart(filters.to, 1),
    actor: filters.actor,
    event: filters.event,
    channelId: filters.channelId,
    team: filters.team,
    text: filters.text.trim(),
    beforeId,
    limit,
  };
}
