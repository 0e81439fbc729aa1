import {
  IconBroadcast,
  IconCalendarEvent,
  IconChartBar,
  IconInbox,
  IconListDetails,
  IconPencil,
  IconSettings,
  type TablerIcon,
} from '@tabler/icons-react';

export interface View {
  /** URL path; also the target of the nav link. */
  path: string;
  label: string;
  icon: TablerIcon;
  /** One line under the page title. */
  description: string;
  /** What the view will do, for views that are not built yet. */
  planned?: string;
}

/** Every view, in nav order; Ctrl/Cmd+1…7 follow this order. */
export const VIEWS: readonly View[] = [
  {
    path: '/channels',
    label: 'Channels',
    icon: IconBroadcast,
    description: 'The social accounts Herald publishes to.',
    planned: 'Connect your social accounts, see at a glance whether each one still works, and reconnect it when a sign-in expires.',
  },
  {
    path: '/compose',
    label: 'Compose',
    icon: IconPencil,
    description: 'Write a post once and tailor it to each channel.',
    planned: 'Write a post, adjust it per channel with previews and character counts, and keep it as a draft or schedule it.',
  },
  {
    path: '/calendar',
    label: 'Calendar',
    icon: IconCalendarEvent,
    description: 'See what goes out, where and when.',
    planned: 'Your drafts, scheduled and published posts per channel on a month or week calendar, with drag-to-reschedule.',
  },
  {
    path: '/inbox',
    label: 'Inbox',
    icon: IconInbox,
    description: 'Replies and mentions from every channel in one place.',
    planned: 'Comments, mentions and replies from all your channels in one list, so you can answer them without switching apps.',
  },
  {
    path: '/measure',
    label: 'Measure',
    icon: IconChartBar,
    description: 'How your posts and channels perform.',
    planned: 'Reach, engagement and follower growth per channel and per post, kept on this computer.',
  },
  {
    path: '/audit',
    label: 'Audit log',
    icon: IconListDetails,
    description: 'Everything Herald did on your behalf, and when.',
    planned: 'A record of every action Herald takes for you, such as posts published and channels connected, with its time and outcome.',
  },
  {
    path: '/settings',
    label: 'Settings',
    icon: IconSettings,
    description: 'How Herald is set up on this computer.',
  },
];

export const VIEW_PATHS: readonly string[] = VIEWS.map((view) => view.path);

export const DIAGNOSTICS_PATH = '/settings/diagnostics';
