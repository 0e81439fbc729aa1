import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { HashRouter } from 'react-router-dom';
import { theme } from './theme';

/** Theme (following the OS colour scheme unless the user picks one), notifications and the router. */
export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      <HashRouter>{children}</HashRouter>
    </MantineProvider>
  );
}
