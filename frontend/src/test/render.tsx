import { MantineProvider } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { render, type RenderResult } from '@testing-library/react';
import userEvent, { PointerEventsCheckLevel, type UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { cssVariablesResolver, theme } from '../theme';

type TestRouter = ReturnType<typeof createMemoryRouter>;

/**
 * Renders with the app's providers and a data router (as the app has) at
 * `route`, or at the last of `route`'s entries; no transitions or portals.
 */
export function renderWithProviders(ui: ReactElement, route: string | string[] = '/'): RenderResult & { user: UserEvent; router: TestRouter } {
  notifications.clean();
  // jsdom's getComputedStyle is slow; pointer-events checks add nothing here.
  const user = userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
  const entries = typeof route === 'string' ? [route] : route;
  const router = createMemoryRouter([{ path: '*', element: ui }], { initialEntries: entries, initialIndex: entries.length - 1 });
  const result = render(
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} env="test">
      <Notifications />
      <RouterProvider router={router} />
    </MantineProvider>,
  );
  return { ...result, user, router };
}

/** A promise the test resolves or rejects when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
