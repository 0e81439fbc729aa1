import { IconClock, IconHeartbeat, IconServer, IconUser, type TablerIcon } from '@tabler/icons-react';
import type { Actor } from '../../api/audit';

/** Who or what asked for an action, as people read it. */
export const ACTORS: readonly { value: Actor; label: string; color: string; icon: TablerIcon }[] = [
  { value: 'user', label: 'You', color: 'indigo', icon: IconUser },
  { value: 'scheduler', label: 'Scheduler', color: 'grape', icon: IconClock },
  { value: 'health', label: 'Health checks', color: 'teal', icon: IconHeartbeat },
  { value: 'system', label: 'System', color: 'gray', icon: IconServer },
];

export function actorText(actor: string): { label: string; color: string; icon: TablerIcon } {
  return ACTORS.find((a) => a.value === actor) ?? { label: capitalise(actor) || 'Unknown', color: 'gray', icon: IconServer };
}

/** The event categories the filter offers; each value is an event prefix. */
export const EVENT_CATEGORIES: readonly { value: string; label: string }[] = [
  { value: 'channel.', label: 'Channels' },
  { value: 'post.', label: 'Posts' },
  { value: 'publishing.', label: 'Publishing' },
  { value: 'team.', label: 'Teams' },
  { value: 'inbox.', label: 'Inbox' },
  { value: 'settings.', label: 'Settings' },
];

/** Events whose id alone reads badly. */
const EVENTS: Record<string, string> = {
  'channel.reminder': 'Channel sign-in reminder',
  'post.publish_now': 'Post set to publish now',
  'post.retry': 'Post retry planned',
  'post.late': 'Post to publish late',
  'post.needs_decision': 'Post needs a decision',
  'post.handed_off': 'Post handed off',
  'post.handoff_cancelled': 'Post hand-off cancelled',
  'post.handoff_failed': 'Post hand-off failed',
  'post.handoff_unknown': 'Post hand-off unclear',
  'settings.queue_changed': 'Queue times changed',
  'inbox.notifications': 'Inbox notifications switched',
  'inbox.reply': 'Reply sent from the inbox',
  'inbox.like': 'Liked',
  'inbox.unlike': 'Like taken back',
  'inbox.hide': 'Reply hidden',
  'inbox.unhide': 'Reply shown again',
  'inbox.mute': 'Author muted',
  'inbox.unmute': 'Author unmuted',
  'inbox.block': 'Author blocked',
  'inbox.unblock': 'Author unblocked',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An event id as people read it: "post.published" → "Post published". */
export function eventText(event: string): string {
  const known = EVENTS[event];
  if (known) {
    return known;
  }
  const words = event
    .split(/[._]+/)
    .filter((word) => word !== '')
    .join(' ');
  return capitalise(words) || 'Unknown event';
}

/** The details JSON indented for reading; the text as it is when it is not JSON; "" when there is nothing. */
export function prettyDetails(details: string): string {
  const text = details.trim();
  if (text === '') {
    return '';
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || (typeof value === 'object' && Object.keys(value).length === 0)) {
      return '';
    }
    return JSON.stringify(value, null, 2);
  } catch {
    return text;
  }
}

/** "Shop, Retail" → ["Shop", "Retail"]. */
export function teamNames(teams: string): string[] {
  return teams
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

const countFormat = new Intl.NumberFormat('en');

/** "1 entry", "1,234 entries". */
export function entriesText(count: number): string {
  return `${countFormat.format(count)} ${count === 1 ? 'entry' : 'entries'}`;
}

/** "3 new entries", or "New entries" when how many is not known. */
export function newEntriesText(count: number): string {
  if (count <= 0) {
    return 'New entries';
  }
  return `${countFormat.format(count)} new ${count === 1 ? 'entry' : 'entries'}`;
}

/** "/home/ana/Downloads/log.csv" → { name: "log.csv", folder: "/home/ana/Downloads" }; Windows paths too. */
export function splitPath(path: string): { name: string; folder: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? { name: path, folder: '' } : { name: path.slice(cut + 1), folder: path.slice(0, cut) || path.slice(0, 1) };
}
