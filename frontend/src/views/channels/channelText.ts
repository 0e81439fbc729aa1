import type { AccountView, ChannelStatus, ChannelView, ConnectStage, NetworkInfo } from '../../api/types';

/** "alice@example.social" → "@alice@example.social"; Bluesky handles get the @ too. */
export function formatHandle(handle: string): string {
  if (!handle) {
    return '';
  }
  return handle.startsWith('@') ? handle : `@${handle}`;
}

/** What the channel is called: its display name, else its handle. */
export function channelName(channel: Pick<ChannelView | AccountView, 'displayName' | 'handle'>): string {
  return channel.displayName.trim() || formatHandle(channel.handle);
}

/**
 * Up to three letters standing for a channel: the first letter of its first
 * word and of its last, or the last word's number, so that "Seed 1" and
 * "Seed 12" differ ("S1", "S12").
 */
export function channelInitials(name: string): string {
  const words = name
    .replace(/^@/, '')
    .split(/[\s._@-]+/)
    .filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  const head = Array.from(first)[0]?.toUpperCase() ?? '';
  const digits = /\d+$/.exec(last || first.slice(1))?.[0];
  if (digits) {
    return head + digits.slice(-2);
  }
  const tail = last ? (Array.from(last)[0]?.toUpperCase() ?? '') : (Array.from(first)[1] ?? '');
  return head + tail;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares names the way people count: "Seed 2" before "Seed 12". */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Channels in the order people count: by name ("Seed 2" before "Seed 12"), then by handle. */
export function sortChannels<T extends Pick<ChannelView, 'displayName' | 'handle'>>(channels: T[]): T[] {
  return [...channels].sort((a, b) => naturalCompare(channelName(a), channelName(b)) || naturalCompare(a.handle, b.handle));
}

/** "Shop (@shop@mastodon.social)", or just the handle when there is no display name. */
export function channelLabel(channel: Pick<ChannelView | AccountView, 'displayName' | 'handle'>): string {
  const name = channel.displayName.trim();
  const handle = formatHandle(channel.handle);
  return name && handle ? `${name} (${handle})` : name || handle;
}

export const STATUS_TEXT: Record<ChannelStatus, { label: string; color: string }> = {
  connected: { label: 'Connected', color: 'teal' },
  attention: { label: 'Needs attention', color: 'yellow' },
  disconnected: { label: 'Disconnected', color: 'red' },
};

export function statusText(status: string): { label: string; color: string } {
  return STATUS_TEXT[status as ChannelStatus] ?? { label: status || 'Unknown', color: 'gray' };
}

export function signInMethod(network: Pick<NetworkInfo, 'auth'>): string {
  return network.auth === 'app_password' ? 'Sign in with an app password' : 'Sign in through your browser';
}

const CAPABILITIES: Record<string, string> = {
  publish: 'Publish posts',
  media: 'Images and video',
  alt_text: 'Alt text on media',
  threads: 'Threads',
  first_comment: 'First comment',
  comments: 'Read and answer comments',
  post_metrics: 'Post metrics',
  channel_metrics: 'Channel metrics',
  native_schedule: 'Scheduling on the network',
  refresh: 'Renews its sign-in automatically',
  revoke: 'Revokes its access when removed',
  tag_people: 'Tag people',
  account_search: 'Find accounts',
  content_warning: 'Content warnings',
  visibility: 'Post visibility',
};

/** A capability id as people read it: "post_metrics" → "Post metrics". */
export function capabilityText(capability: string): string {
  const known = CAPABILITIES[capability];
  if (known) {
    return known;
  }
  const words = capability.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** True when Herald renews this network's sign-in by itself. */
export function renewsItself(network: Pick<NetworkInfo, 'capabilities'> | undefined): boolean {
  return network?.capabilities.includes('refresh') ?? false;
}

const PLACEHOLDERS: Record<string, { instance?: string; identifier?: string; secret?: string }> = {
  mastodon: { instance: 'mastodon.social' },
  bluesky: { identifier: 'yourname.bsky.social', secret: 'xxxx-xxxx-xxxx-xxxx' },
};

export function placeholders(network: Pick<NetworkInfo, 'id' | 'defaultInstance'>): {
  instance: string;
  identifier: string;
  secret: string;
} {
  const known = PLACEHOLDERS[network.id] ?? {};
  return {
    instance: known.instance ?? (network.defaultInstance || 'example.social'),
    identifier: known.identifier ?? '',
    secret: known.secret ?? '',
  };
}

/** Where a sign-in stands, as one sentence. */
export function stageText(stage: string, networkName: string): string {
  switch (stage as ConnectStage) {
    case 'starting':
      return `Opening ${networkName} in your browser…`;
    case 'waiting_for_browser':
      return `Finish signing in to ${networkName} in your browser. Herald is waiting…`;
    case 'exchanging':
      return `Signed in. Getting access from ${networkName}…`;
    case 'listing':
      return `Asking ${networkName} which channels you can connect…`;
    case 'ready':
      return `Signed in to ${networkName}.`;
    case 'failed':
      return 'The sign-in failed.';
    case 'cancelled':
      return 'The sign-in was cancelled. Nothing was connected.';
    case 'finished':
      return 'Done.';
    default:
      return 'Working…';
  }
}

/** Stages after which nothing more happens to a sign-in. */
export function isSettled(stage: string): boolean {
  return stage === 'ready' || stage === 'failed' || stage === 'cancelled' || stage === 'finished';
}

/** Error classes (network.Class) as people read them. */
const CHECK_CLASSES: Record<string, string> = {
  auth_dead: 'Sign-in no longer accepted',
  scope_missing: 'Permission missing',
  api_version_retired: 'API version retired',
  rate_limited: 'Rate limited',
  content_rejected: 'Content rejected',
  media_rejected: 'Media rejected',
  transient: 'Network unreachable',
  invalid_input: 'Invalid input',
  token_expired: 'Access token expired',
};

export function checkClassText(cls: string): string {
  return CHECK_CLASSES[cls] ?? capabilityText(cls);
}
