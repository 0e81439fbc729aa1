import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { createHashRouter, RouterProvider } from 'react-router-dom';
import { cssVariablesResolver, theme } from './theme';

/**
 * Theme (following the OS colour scheme unless the user picks one),
 * notifications and the router. The router is a data router so a view can
 * block navigation (the composer with unsaved changes); the app's own
 * routes are declared inside it, under one catch-all route.
 */
export function AppProviders({ children }: { children: ReactNode }) {
  const [router] = useState(() => createHashRouter([{ path: '*', element: children }]));
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}
