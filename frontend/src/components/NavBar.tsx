import { AppShell, Badge, Group, Kbd, NavLink, Stack, Tooltip, VisuallyHidden } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { needsAction, useChannelList } from '../hooks/useChannelList';
import { ariaShortcut, shortcutLabel } from '../lib/platform';
import { CHANNELS_PATH, INBOX_PATH, SETTINGS_PATH, type View, VIEWS } from '../navigation';
import { useInboxCounts } from '../views/inbox/useInbox';

function isActive(pathname: string, view: View): boolean {
  return pathname === view.path || pathname.startsWith(`${view.path}/`);
}

interface NavItemProps {
  view: View;
  shortcut: string;
  active: boolean;
  /** How many things in the view need the user; a badge when more than 0. */
  count?: number;
  /** What the count is, for screen readers: "2 channels need action". */
  countLabel?: string;
  /** Red for what needs action, blue for what is only new. */
  tone?: 'red' | 'blue';
}

function NavItem({ view, shortcut, active, count = 0, countLabel, tone = 'red' }: NavItemProps) {
  const Icon = view.icon;
  const to = view.path === '/settings' ? SETTINGS_PATH : view.path;
  return (
    <Tooltip
      label={`${view.label}  ·  ${shortcutLabel(shortcut)}`}
      position="right"
      offset={12}
      events={{ hover: true, focus: true, touch: false }}
    >
      <NavLink
        component={Link}
        to={to}
        label={
          <>
            {view.label}
            {/* The badge's count, for screen readers; said after the name, which stays the visible label. */}
            {count > 0 && countLabel && <VisuallyHidden>, {countLabel}</VisuallyHidden>}
          </>
        }
        leftSection={<Icon size={19} stroke={1.7} aria-hidden />}
        active={active}
        rightSection={
          <Group gap={6} wrap="nowrap" aria-hidden>
            {count > 0 && (
              <Badge size="sm" circle={count < 100} color={tone} variant="filled" data-testid={`nav-badge-${view.path.slice(1)}`}>
                {count > 999 ? '999+' : count}
              </Badge>
            )}
            {/* aria-keyshortcuts tells screen readers; this is for the eyes. */}
            <Kbd size="xs" data-testid="nav-shortcut">
              {shortcutLabel(shortcut)}
            </Kbd>
          </Group>
        }
        aria-current={active ? 'page' : undefined}
        aria-keyshortcuts={ariaShortcut(shortcut)}
        variant="light"
        fw={active ? 600 : 500}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      />
    </Tooltip>
  );
}

function unreadItems(count: number): string {
  return `${count} unread`;
}

function channelsNeedAction(count: number): string {
  return `${count} ${count === 1 ? 'channel needs' : 'channels need'} action`;
}

/** The views, Settings kept apart at the bottom. */
export function NavBar() {
  const { pathname } = useLocation();
  const channels = useChannelList();
  const attention = channels.data?.filter(needsAction).length ?? 0;
  const unread = useInboxCounts().data?.total ?? 0;
  const items = VIEWS.map((view, index) => (
    <NavItem
      key={view.path}
      view={view}
      shortcut={String(index + 1)}
      active={isActive(pathname, view)}
      {...(view.path === CHANNELS_PATH ? { count: attention, countLabel: channelsNeedAction(attention) } : {})}
      {...(view.path === INBOX_PATH ? { count: unread, countLabel: unreadItems(unread), tone: 'blue' as const } : {})}
    />
  ));
  const settings = items.pop();
  return (
    <>
      <AppShell.Section grow>
        <Stack gap={2}>{items}</Stack>
      </AppShell.Section>
      <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
        {settings}
      </AppShell.Section>
    </>
  );
}
