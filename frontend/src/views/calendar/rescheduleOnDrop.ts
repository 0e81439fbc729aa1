import type { PostView } from '../../api/posts';
import { reschedulePost } from '../../api/posts';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../time/format';
import { type ItemProps, toRfc3339 } from './calendarEvents';

/** A drop on the calendar: the new start, the item dragged, and how to put it back. */
export interface DropInfo {
  event: { start: Date | null; extendedProps: Record<string, unknown> };
  revert: () => void;
}

/**
 * A variant was dragged to a new time: the whole post moves there (its
 * variants go out together). On failure the event goes back and the error
 * is shown with its hint.
 */
export async function rescheduleOnDrop(
  info: DropInfo,
  reschedule: (postId: number, at: string) => Promise<PostView> = reschedulePost,
): Promise<boolean> {
  const props = info.event.extendedProps as Partial<ItemProps>;
  const start = info.event.start;
  if (props.kind !== 'item' || !props.item || !start) {
    info.revert();
    return false;
  }
  try {
    await reschedule(props.item.postId, toRfc3339(start));
    notifySuccess('Rescheduled', `“${props.item.title || 'The post'}” now goes out ${formatDateTime(start)}.`);
    return true;
  } catch (err) {
    info.revert();
    notifyError('Not rescheduled', err);
    return false;
  }
}
