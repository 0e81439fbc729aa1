import type { QueueSlot } from '../../api/publishing';

/**
 * Posting times proposed from elsewhere (Measure → Best times) for one
 * channel: Settings → Queue opens with them added to the channel's times,
 * unsaved, for the user to check and save.
 */
export interface QueueSuggestion {
  channelId: number;
  /** The zone the proposed times are in. */
  timeZone: string;
  slots: QueueSlot[];
}

/** The key of the suggestion in the router's location state. */
export const QUEUE_SUGGESTION_STATE = 'queueSuggestion';

/** The suggestion carried by a location's state, if any. */
export function suggestionOf(state: unknown): QueueSuggestion | undefined {
  if (typeof state !== 'object' || state === null) {
    return undefined;
  }
  const s = (state as Record<string, unknown>)[QUEUE_SUGGESTION_STATE] as QueueSuggestion | undefined;
  return s && typeof s.channelId === 'number' && Array.isArray(s.slots) ? s : undefined;
}

/** The saved times with the proposed ones that are not among them already. */
export function withSuggested(saved: QueueSlot[], proposed: QueueSlot[]): QueueSlot[] {
  const out = [...saved];
  for (const p of proposed) {
    if (!out.some((s) => s.weekday === p.weekday && s.time === p.time)) {
      out.push(p);
    }
  }
  return out;
}
