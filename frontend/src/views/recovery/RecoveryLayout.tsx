import { AppShell, Container, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { ColorSchemeToggle } from '../../components/ColorSchemeToggle';
import { Logo } from '../../components/Logo';

/** A full-window page without navigation, for when Herald cannot start normally. */
export function RecoveryLayout({ children, width = 720 }: { children: ReactNode; width?: number }) {
  return (
    <AppShell header={{ height: 56 }} padding="xl">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Logo />
          <ColorSchemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size={width} px={0} py="md">
          {children}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
