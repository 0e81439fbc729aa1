import { Badge, Button, Checkbox, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import type { ChannelView } from '../../api/types';
import { ChannelAvatar, NetworkIcon } from '../channels/ChannelAvatar';
import { channelName, formatHandle, sortChannels, statusText } from '../channels/channelText';

interface ChannelPickerProps {
  channels: ChannelView[];
  selected: number[];
  onToggle: (channelId: number) => void;
  onToggleMany: (channelIds: number[]) => void;
}


/** Channels grouped by network, with one button per team to pick its channels at once. */
export function ChannelPicker({ channels, selected, onToggle, onToggleMany }: ChannelPickerProps) {
  const networks = [...new Set(channels.map((c) => c.networkName || c.network))].sort();
  const teams = new Map<number, { name: string; ids: number[] }>();
  for (const channel of channels) {
    for (const team of channel.teams ?? []) {
      const entry = teams.get(team.id) ?? { name: team.name, ids: [] };
      entry.ids.push(channel.id);
      teams.set(team.id, entry);
    }
  }
  return (
    <Stack gap="sm" role="group" aria-label="Channels to post to">
      {teams.size > 0 && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Teams:
          </Text>
          {[...teams.entries()]
            .sort((a, b) => a[1].name.localeCompare(b[1].name))
            .map(([id, team]) => {
              const all = team.ids.every((c) => selected.includes(c));
              return (
                <Button
                  key={id}
                  size="compact-sm"
                  variant={all ? 'filled' : 'light'}
                  leftSection={<IconUsersGroup size={14} />}
                  onClick={() => {
                    onToggleMany(team.ids);
                  }}
                  aria-pressed={all}
                  data-testid={`compose-team-${id}`}
                >
                  {team.name} ({team.ids.length})
                </Button>
              );
            })}
        </Group>
      )}
      {networks.map((network) => (
        <Stack key={network} gap={6}>
          <Group gap={6}>
            <NetworkIcon network={channels.find((c) => (c.networkName || c.network) === network)?.network ?? ''} />
            <Text size="xs" fw={600} c="dimmed" tt="uppercase">
              {network}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
            {sortChannels(channels.filter((c) => (c.networkName || c.network) === network))
              .map((channel) => {
                const checked = selected.includes(channel.id);
                const name = channelName(channel);
                return (
                  <Checkbox.Card
                    key={channel.id}
                    checked={checked}
                    onChange={() => {
                      onToggle(channel.id);
                    }}
                    radius="md"
                    p="xs"
                    aria-label={`${name} (${formatHandle(channel.handle)}) on ${channel.networkName}`}
                    data-testid={`compose-channel-${channel.id}`}
                    data-checked={checked}
                  >
                    <Group gap="xs" wrap="nowrap">
                      <Checkbox.Indicator />
                      <ChannelAvatar src={channel.avatarUrl} name={name} size={30} />
                      <div style={{ minWidth: 0, flex: 1 }}>
                        <Text size="sm" fw={500} truncate>
                          {name}
                        </Text>
                        <Group gap={4} wrap="nowrap">
                          <NetworkIcon network={channel.network} size={12} />
                          <Text size="xs" c="dimmed" truncate data-testid={`compose-channel-handle-${channel.id}`}>
                            {formatHandle(channel.handle)}
                          </Text>
                        </Group>
                      </div>
                      {channel.status !== 'connected' && (
                        <Badge size="xs" color={statusText(channel.status).color} variant="light" tt="none">
                          {statusText(channel.status).label}
                        </Badge>
                      )}
                    </Group>
                  </Checkbox.Card>
                );
              })}
          </SimpleGrid>
        </Stack>
      ))}
    </Stack>
  );
}
