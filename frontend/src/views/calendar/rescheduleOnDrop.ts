import type { CalendarItem, PostView } from '../../api/posts';
import { reschedulePost } from '../../api/posts';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../time/format';
import { toRfc3339 } from './calendarEvents';

/**
 * A variant was dropped on another day: the whole post moves there (its
 * variants go out together). Says whether it moved; a refusal is shown with
 * its hint, and the grid keeps showing the item where it was.
 */
export async function rescheduleOnDrop(
  item: CalendarItem,
  start: Date,
  reschedule: (postId: number, at: string) => Promise<PostView> = reschedulePost,
): Promise<boolean> {
  try {
    await reschedule(item.postId, toRfc3339(start));
    notifySuccess('Rescheduled', `“${item.title || 'The post'}” now goes out ${formatDateTime(start)}.`);
    return true;
  } catch (err) {
    notifyError('Not rescheduled', err);
    return false;
  }
}
