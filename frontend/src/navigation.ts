import {
  IconBroadcast,
  IconCalendarEvent,
  IconChartLine,
  IconInbox,
  IconListDetails,
  IconPencil,
  IconSearch,
  IconSettings,
  IconStack2,
  type TablerIcon,
} from '@tabler/icons-react';

export interface View {
  /** URL path; also the target of the nav link. */
  path: string;
  label: string;
  icon: TablerIcon;
  /** One line under the page title. */
  description: string;
}

/**
 * Every view, in nav order; Ctrl/Cmd+1…9 follow this order.
 */
export const VIEWS: readonly View[] = [
  {
    path: '/channels',
    label: 'Channels',
    icon: IconBroadcast,
    description: 'The social accounts Herald publishes to.',
  },
  {
    path: '/compose',
    label: 'Compose',
    icon: IconPencil,
    description: 'Write a post once and tailor it to each channel.',
  },
  {
    path: '/queue',
    label: 'Queue',
    icon: IconStack2,
    description: 'Every post: what goes out next, drafts, and what needs you.',
  },
  {
    path: '/calendar',
    label: 'Calendar',
    icon: IconCalendarEvent,
    description: 'See what goes out, where and when.',
  },
  {
    path: '/inbox',
    label: 'Inbox',
    icon: IconInbox,
    description: 'Mentions, replies, quotes and messages from every channel.',
  },
  {
    path: '/measure',
    label: 'Measure',
    icon: IconChartLine,
    description: 'How your channels grow, which posts work, and when to post.',
  },
  {
    path: '/audit',
    label: 'Audit log',
    icon: IconListDetails,
    description: 'Everything Herald did, and who or what asked for it.',
  },
  {
    path: '/search',
    label: 'Search',
    icon: IconSearch,
    description: 'Find public accounts on Mastodon and Bluesky, through your channels.',
  },
  {
    path: '/settings',
    label: 'Settings',
    icon: IconSettings,
    description: 'How Herald is set up on this computer.',
  },
];

export const SEARCH_PATH = '/search';

export const VIEW_PATHS: readonly string[] = VIEWS.map((view) => view.path);

export const CHANNELS_PATH = '/channels';

/** Where the Settings link goes: its first tab. */
export const SETTINGS_PATH = '/settings/general';

export const DIAGNOSTICS_PATH = '/settings/diagnostics';

export const INBOX_PATH = '/inbox';

export const MEASURE_PATH = '/measure';
