import { Group, Text } from '@mantine/core';
import type { ChannelView } from '../../api/types';
import { ChannelAvatar, NetworkIcon } from '../channels/ChannelAvatar';
import { channelName, formatHandle, naturalCompare } from '../channels/channelText';

/** The channel of a variant, or what stands for it once the channel was removed. */
export function channelTitle(channel: ChannelView | undefined): string {
  return channel ? channelName(channel) : 'A removed channel';
}

/**
 * A post's targets in the order people count their channels ("Seed 2"
 * before "Seed 12", then by handle); removed channels last.
 */
export function sortByChannel<T extends { channelId: number }>(items: T[], channels: ChannelView[] | undefined): T[] {
  const byId = new Map((channels ?? []).map((c) => [c.id, c]));
  return [...items].sort((a, b) => {
    const x = byId.get(a.channelId);
    const y = byId.get(b.channelId);
    if (!x || !y) {
      return (x ? 0 : 1) - (y ? 0 : 1);
    }
    return naturalCompare(channelName(x), channelName(y)) || naturalCompare(x.handle, y.handle);
  });
}

interface ChannelNameProps {
  channel: ChannelView | undefined;
  size?: number;
  /** Shows the network and handle under the name. */
  withHandle?: boolean;
}

/**
 * Avatar and name of a channel, with its network's icon and its handle, so
 * that two channels with the same name are told apart wherever they appear.
 */
export function ChannelName({ channel, size = 24, withHandle = false }: ChannelNameProps) {
  const name = channelTitle(channel);
  return (
    <Group gap={8} wrap="nowrap" miw={0}>
      <ChannelAvatar src={channel?.avatarUrl ?? ''} name={name} size={size} />
      <div style={{ minWidth: 0 }}>
        <Group gap={6} wrap="nowrap" miw={0}>
          {channel && <NetworkIcon network={channel.network} size={14} />}
          <Text size="sm" fw={500} truncate>
            {name}
          </Text>
          {!withHandle && channel && (
            <Text size="xs" c="dimmed" truncate data-testid="channel-handle">
              {formatHandle(channel.handle)}
            </Text>
          )}
        </Group>
        {withHandle && channel && (
          <Text size="xs" c="dimmed" truncate>
            {channel.networkName} · {formatHandle(channel.handle)}
          </Text>
        )}
      </div>
    </Group>
  );
}
