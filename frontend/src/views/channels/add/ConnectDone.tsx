import { Button, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import type { ConnectResult } from '../../../api/types';
import { channelLabel } from '../channelText';

/** What Finish did: the channels connected and those refreshed in place. */
export function ConnectDone({ result, onDone }: { result: ConnectResult; onDone: () => void }) {
  const connected = result.connected ?? [];
  const refreshed = result.refreshed ?? [];
  return (
    <Stack gap="md" data-testid="connect-done">
      <List spacing="xs" center>
        {connected.map((channel) => (
          <List.Item
            key={`c${channel.id}`}
            icon={
              <ThemeIcon color="teal" size={24} radius="xl" aria-hidden>
                <IconCircleCheck size={16} />
              </ThemeIcon>
            }
            data-testid="connect-done-item"
            data-channel-id={channel.id}
          >
            <Text fw={500}>Connected {channelLabel(channel)}</Text>
          </List.Item>
        ))}
        {refreshed.map((channel) => (
          <List.Item
            key={`r${channel.id}`}
            icon={
              <ThemeIcon color="indigo" size={24} radius="xl" aria-hidden>
                <IconRefresh size={16} />
              </ThemeIcon>
            }
            data-testid="connect-done-item"
            data-channel-id={channel.id}
          >
            <Text fw={500}>Refreshed {channelLabel(channel)}</Text>
          </List.Item>
        ))}
      </List>
      <Text size="sm" c="dimmed">
        {refreshed.length > 0
          ? 'A refreshed channel keeps its id, posts, metrics and teams. '
          : ''}
        Herald checks each channel regularly and tells you if a network stops accepting it.
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone} data-autofocus data-testid="connect-done-close">
          Done
        </Button>
      </Group>
    </Stack>
  );
}
