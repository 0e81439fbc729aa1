import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconPlugConnectedX } from '@tabler/icons-react';
import { statusText } from './channelText';

const ICONS = { connected: IconCircleCheck, attention: IconAlertTriangle, disconnected: IconPlugConnectedX } as const;

export function ChannelStatusBadge({ status }: { status: string }) {
  const { label, color } = statusText(status);
  const Icon = ICONS[status as keyof typeof ICONS] ?? IconAlertTriangle;
  return (
    <Badge
      color={color}
      variant={status === 'disconnected' ? 'filled' : 'light'}
      leftSection={<Icon size={13} stroke={2} aria-hidden />}
      tt="none"
      data-testid="channel-status"
      data-status={status}
    >
      {label}
    </Badge>
  );
}
