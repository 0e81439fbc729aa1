import { Card, DataList, Group, Skeleton, Stack, ThemeIcon, Title } from '@mantine/core';
import type { TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface InfoCardProps {
  title: string;
  icon: TablerIcon;
  /** A button or two in the card's top right corner. */
  action?: ReactNode;
  children: ReactNode;
}

/** A titled card in the Diagnostics layout. */
export function InfoCard({ title, icon: Icon, action, children }: InfoCardProps) {
  return (
    <Card component="section" aria-label={title} h="100%">
      <Group justify="space-between" mb="md" wrap="nowrap" mih={30}>
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" size={30} radius="md" aria-hidden>
            <Icon size={17} stroke={1.7} />
          </ThemeIcon>
          <Title order={2} fz="md">
            {title}
          </Title>
        </Group>
        {action}
      </Group>
      {children}
    </Card>
  );
}

/** Label–value rows inside an InfoCard. */
export function InfoList({ children }: { children: ReactNode }) {
  return (
    <DataList labelWidth={130} gap="sm" size="sm">
      {children}
    </DataList>
  );
}

export function InfoRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** A card-shaped placeholder while its data loads. */
export function InfoCardSkeleton({ title, icon, rows }: { title: string; icon: TablerIcon; rows: number }) {
  return (
    <InfoCard title={title} icon={icon}>
      <Stack gap="sm" aria-hidden>
        {Array.from({ length: rows }, (_, i) => (
          <Group key={i} gap="md" wrap="nowrap">
            <Skeleton h={12} w={110} />
            <Skeleton h={12} w={`${40 + ((i * 17) % 45)}%`} />
          </Group>
        ))}
      </Stack>
    </InfoCard>
  );
}
