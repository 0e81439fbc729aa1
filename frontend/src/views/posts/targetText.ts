import type { PostStatus, TargetStatus } from '../../api/posts';

/** What a variant's status and error class mean, as people read them. */

export interface StatusLook {
  label: string;
  color: string;
}

/** The fields of a variant these texts read. */
export interface TargetLike {
  status: string;
  errorClass?: string;
  handedOff: boolean;
  /** The last attempt may be on the network; Herald checks before anything else. */
  checking?: boolean;
}

/** The label and colour of a variant, from its status and error class. */
export function targetLook(target: TargetLike): StatusLook {
  const status = target.status as TargetStatus;
  const cls = target.errorClass ?? '';
  switch (status) {
    case 'draft':
      return { label: 'Draft', color: 'gray' };
    case 'scheduled':
      if (target.checking) {
        return { label: 'Checking', color: 'orange' };
      }
      if (target.handedOff) {
        return { label: 'Handed off', color: 'violet' };
      }
      if (cls === 'missed_late') {
        return { label: 'Publishing late', color: 'orange' };
      }
      if (cls === 'rate_limited' || cls === 'transient' || cls) {
        return { label: 'Retrying', color: 'orange' };
      }
      return { label: 'Scheduled', color: 'blue' };
    case 'claimed':
      return { label: 'Publishing…', color: 'cyan' };
    case 'published':
      return { label: 'Published', color: 'teal' };
    case 'failed':
      return { label: 'Failed', color: 'red' };
    case 'skipped':
      return { label: cls === 'skipped_by_user' ? 'Skipped' : 'Not published', color: 'gray' };
    case 'blocked':
      return { label: cls === 'missed' ? 'Needs your decision' : 'Waiting', color: 'orange' };
    case 'cancelled':
      return { label: 'Cancelled', color: 'gray' };
    default:
      return { label: target.status || 'Unknown', color: 'gray' };
  }
}

const POST_LOOK: Record<PostStatus, StatusLook> = {
  draft: { label: 'Draft', color: 'gray' },
  scheduled: { label: 'Scheduled', color: 'blue' },
  publishing: { label: 'Publishing…', color: 'cyan' },
  published: { label: 'Published', color: 'teal' },
  partial: { label: 'Partly published', color: 'yellow' },
  failed: { label: 'Not published', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export function postLook(status: string): StatusLook {
  return POST_LOOK[status as PostStatus] ?? { label: status || 'Unknown', color: 'gray' };
}

/** A variant that needs the user: failed, waiting, or skipped without being asked to. */
export function needsAttention(target: { status: string; errorClass?: string }): boolean {
  if (target.status === 'failed' || target.status === 'blocked') {
    return true;
  }
  return target.status === 'skipped' && target.errorClass !== 'skipped_by_user';
}

/** The ways forward a problem offers. */
export type Remedy = 'reconnect' | 'retry' | 'publish_now' | 'reschedule' | 'skip' | 'edit';

export interface Problem {
  /** One line: what is wrong. */
  title: string;
  /** What it means and what to do. */
  explanation: string;
  remedies: Remedy[];
}

const CLASS_ADVICE: Record<string, { explanation: string; remedies: Remedy[] }> = {
  content_rejected: {
    explanation: 'The network refused the post itself. Change the text as its message says, then try again.',
    remedies: ['edit', 'retry'],
  },
  media_rejected: {
    explanation: 'The network refused an attachment. Replace or remove it, then try again.',
    remedies: ['edit', 'retry'],
  },
  invalid_input: {
    explanation: 'The network said something in the post is not valid. Correct it, then try again.',
    remedies: ['edit', 'retry'],
  },
  rate_limited: {
    explanation: 'The network is limiting requests. Herald waits for the limit to reset; you can also try again later.',
    remedies: ['retry', 'reschedule'],
  },
  transient: {
    explanation: 'Herald could not reach the network after several tries. Check the connection and try again.',
    remedies: ['retry', 'reschedule'],
  },
};

/** Why a variant needs the user, and the ways forward; undefined when it does not. */
export function problemOf(target: { status: string; errorClass: string; errorMessage: string }, channelName: string): Problem | undefined {
  if (!needsAttention(target)) {
    return undefined;
  }
  const cls = target.errorClass;
  if (target.status === 'blocked') {
    switch (cls) {
      case 'auth_dead':
      case 'token_expired':
        return {
          title: `Waiting for ${channelName} to be reconnected`,
          explanation: `The network ended Herald's sign-in to ${channelName}. Reconnect the channel and Herald publishes this post straight away.`,
          remedies: ['reconnect', 'skip'],
        };
      case 'scope_missing':
        return {
          title: `${channelName} needs another permission`,
          explanation: `Herald is signed in to ${channelName} but may not publish. Reconnect the channel and allow publishing when the network asks.`,
          remedies: ['reconnect', 'skip'],
        };
      case 'api_version_retired':
        return {
          title: `The network changed its API`,
          explanation: `${channelName}'s network no longer accepts the way Herald talks to it. Reconnect the channel; if that does not help, update Herald.`,
          remedies: ['reconnect', 'skip'],
        };
      case 'missed':
        return {
          title: 'Herald missed the time and asks you',
          explanation: 'Herald was not running when this was due, and this post asks before publishing late. Publish it now, pick a new time, or skip it.',
          remedies: ['publish_now', 'reschedule', 'skip'],
        };
      default:
        return {
          title: `Waiting on ${channelName}`,
          explanation: 'Herald is holding this variant until the problem is fixed. Try again now, or skip it.',
          remedies: ['retry', 'skip'],
        };
    }
  }
  if (target.status === 'skipped') {
    return {
      title: 'Not published: the time was missed',
      explanation:
        'Herald was not running when this was due and the post does not publish that late, so it was never attempted. Publish it now or pick a new time.',
      remedies: ['publish_now', 'reschedule'],
    };
  }
  const advice = CLASS_ADVICE[cls] ?? {
    explanation: 'Publishing failed. Read the network\'s message below, then try again or change the post.',
    remedies: ['retry', 'edit', 'reschedule'] as Remedy[],
  };
  return { title: `Could not publish to ${channelName}`, ...advice };
}
