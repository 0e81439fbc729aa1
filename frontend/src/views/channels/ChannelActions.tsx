import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, IconRefresh, IconStethoscope, IconTimeline, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import type { ChannelView } from '../../api/types';
import { channelName } from './channelText';

export type ChannelAction = 'refresh' | 'check' | 'timeline' | 'teams' | 'remove';

interface ChannelActionsProps {
  channel: ChannelView;
  checking: boolean;
  onAction: (action: ChannelAction) => void;
}

/** The ⋯ menu of one channel. */
export function ChannelActions({ channel, checking, onAction }: ChannelActionsProps) {
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={220}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Actions for ${channelName(channel)}`} data-testid="channel-actions">
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconRefresh size={16} />} onClick={() => onAction('refresh')}>
          {channel.status === 'disconnected' ? 'Sign in again' : 'Refresh connection'}
        </Menu.Item>
        <Menu.Item leftSection={<IconStethoscope size={16} />} onClick={() => onAction('check')} disabled={checking}>
          Check now
        </Menu.Item>
        <Menu.Item leftSection={<IconTimeline size={16} />} onClick={() => onAction('timeline')}>
          Health timeline
        </Menu.Item>
        <Menu.Item leftSection={<IconUsersGroup size={16} />} onClick={() => onAction('teams')}>
          Edit teams
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" c="red" leftSection={<IconTrash size={16} />} onClick={() => onAction('remove')}>
          Remove…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

