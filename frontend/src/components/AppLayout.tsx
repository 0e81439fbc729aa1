import { AppShell, Box, Group, UnstyledButton } from '@mantine/core';
import { Outlet } from 'react-router-dom';
import { ChannelListProvider } from '../hooks/useChannelList';
import { useNavigateEvents } from '../hooks/useNavigateEvents';
import { useViewShortcuts } from '../hooks/useViewShortcuts';
import { VIEW_PATHS } from '../navigation';
import { PausedBanner } from '../views/queue/PausedBanner';
import { PublishingHeader } from '../views/queue/PublishingHeader';
import classes from './AppLayout.module.css';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { Logo } from './Logo';
import { NavBar } from './NavBar';
import { ShortcutsOverlay } from './ShortcutsOverlay';

const MAIN_ID = 'main-content';

/** The window: header, left navigation and the current view. */
export function AppLayout() {
  useViewShortcuts(VIEW_PATHS);
  useNavigateEvents();
  return (
    <ChannelListProvider>
      <AppShell header={{ height: 56 }} navbar={{ width: 248, breakpoint: 0 }} padding="xl">
        <UnstyledButton
          className={classes.skipLink}
          onClick={() => {
            document.getElementById(MAIN_ID)?.focus();
          }}
        >
          Skip to content
        </UnstyledButton>
        <AppShell.Header className={classes.header}>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Logo />
            <Group gap="md" wrap="nowrap" miw={0}>
              <PublishingHeader />
              <ColorSchemeToggle />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar className={classes.navbar} p="sm" aria-label="Main">
          <NavBar />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_ID} tabIndex={-1} className={classes.main}>
          <Box maw={1040}>
            <PausedBanner />
            <Outlet />
          </Box>
        </AppShell.Main>
      </AppShell>
      <ShortcutsOverlay />
    </ChannelListProvider>
  );
}
