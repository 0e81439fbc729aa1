import { Badge, Button, Card, EmptyState, Group, Loader, Stack, Text } from '@mantine/core';
import { IconBroadcast, IconPlus } from '@tabler/icons-react';
import type { NetworkInfo } from '../../api/types';
import type { Load } from '../../hooks/useLoad';
import { signInMethod } from './channelText';

/** No channel yet: what a channel is, the networks Herald supports, and Add channels. */
export function ChannelsEmpty({ networks, onAdd }: { networks: Load<NetworkInfo[]>; onAdd: (opener: HTMLElement) => void }) {
  return (
    <Card py={48} data-testid="channels-empty">
      <EmptyState
        variant="light"
        size="lg"
        icon={<IconBroadcast size={30} stroke={1.6} aria-hidden />}
        title="No channels yet"
        description="A channel is one social account Herald publishes to, such as your shop's Mastodon account. You connect it by signing in at the network itself; Herald keeps the sign-in in your system keyring and never sees your main password."
        maw={600}
        mx="auto"
      >
        <Stack gap="xs" align="center" mt="xs">
          <Text size="sm" fw={600}>
            Networks you can connect
          </Text>
          {networks.loading && !networks.data && <Loader size="sm" aria-label="Loading the networks" />}
          {networks.error && (
            <Text size="sm" c="red">
              Herald could not list its networks: {networks.error.message}
            </Text>
          )}
          <Stack gap={6} align="center" data-testid="supported-networks">
            {(networks.data ?? []).map((network) => (
              <Group key={network.id} gap="xs" wrap="nowrap">
                <Badge variant="light" tt="none" fw={600}>
                  {network.name}
                </Badge>
                <Text size="sm" c="dimmed">
                  {signInMethod(network)}
                </Text>
              </Group>
            ))}
          </Stack>
        </Stack>
        <EmptyState.Actions>
          <Button leftSection={<IconPlus size={16} />} onClick={(event) => {
              onAdd(event.currentTarget);
            }}
            data-testid="empty-add-channels">
            Add channels
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
