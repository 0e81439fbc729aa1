import { AppShell, NavLink, Stack, Tooltip } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { ariaShortcut, shortcutLabel } from '../lib/platform';
import { DIAGNOSTICS_PATH, type View, VIEWS } from '../navigation';

function isActive(pathname: string, view: View): boolean {
  return pathname === view.path || pathname.startsWith(`${view.path}/`);
}

function NavItem({ view, shortcut, active }: { view: View; shortcut: string; active: boolean }) {
  const Icon = view.icon;
  const to = view.path === '/settings' ? DIAGNOSTICS_PATH : view.path;
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
        label={view.label}
        leftSection={<Icon size={19} stroke={1.7} aria-hidden />}
        active={active}
        aria-current={active ? 'page' : undefined}
        aria-keyshortcuts={ariaShortcut(shortcut)}
        variant="light"
        fw={active ? 600 : 500}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
      />
    </Tooltip>
  );
}

/** The seven views, Settings kept apart at the bottom. */
export function NavBar() {
  const { pathname } = useLocation();
  const items = VIEWS.map((view, index) => (
    <NavItem key={view.path} view={view} shortcut={String(index + 1)} active={isActive(pathname, view)} />
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
