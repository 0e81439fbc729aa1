import type { PostStatus } from '../../api/posts';

/** The Queue view's tabs and the post statuses each lists. */
export const QUEUE_TABS = [
  { value: 'scheduled', label: 'Scheduled', statuses: ['scheduled', 'publishing'] },
  { value: 'drafts', label: 'Drafts', statuses: ['draft'] },
  // A post with a waiting variant is still "scheduled"; the variants decide.
  { value: 'attention', label: 'Needs attention', statuses: ['scheduled', 'publishing', 'partial', 'failed'] },
  { value: 'published', label: 'Published', statuses: ['published', 'partial'] },
] as const satisfies readonly { value: string; label: string; statuses: readonly PostStatus[] }[];

export type QueueTab = (typeof QUEUE_TABS)[number]['value'];

export function isQueueTab(value: string | null): value is QueueTab {
  return QUEUE_TABS.some((t) => t.value === value);
}

/** How many posts one page of a list holds; the next page loads on scrolling near the end. */
export const PAGE_SIZE = 50;
