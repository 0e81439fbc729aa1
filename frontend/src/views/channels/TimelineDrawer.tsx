import { Badge, Drawer, Group, Skeleton, Stack, Text, ThemeIcon, Timeline } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBell,
  IconCircleCheck,
  IconHeartbeat,
  IconKey,
  IconPlugConnected,
  IconPlugConnectedX,
  IconRefresh,
  IconRestore,
  IconTrash,
  type TablerIcon,
} from '@tabler/icons-react';
import { useCallback } from 'react';
import { channelTimeline } from '../../api/channels';
import type { ChannelView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { TimeValue } from '../../components/TimeValue';
import { useLoad } from '../../hooks/useLoad';
import { channelName, checkClassText } from './channelText';

const KINDS: Record<string, { label: string; color: string; icon: TablerIcon }> = {
  connected: { label: 'Connected', color: 'teal', icon: IconPlugConnected },
  refreshed: { label: 'Connection refreshed', color: 'indigo', icon: IconRefresh },
  token_refreshed: { label: 'Token renewed', color: 'indigo', icon: IconKey },
  disconnected: { label: 'Disconnected', color: 'red', icon: IconPlugConnectedX },
  reconnected: { label: 'Reconnected', color: 'teal', icon: IconPlugConnected },
  attention: { label: 'Needs attention', color: 'yellow', icon: IconAlertTriangle },
  check_failed: { label: 'Check failed', color: 'orange', icon: IconHeartbeat },
  recovered: { label: 'Recovered', color: 'teal', icon: IconCircleCheck },
  reminder: { label: 'Reminder to refresh', color: 'orange', icon: IconBell },
  removed: { label: 'Removed', color: 'gray', icon: IconTrash },
  restored: { label: 'Restored', color: 'teal', icon: IconRestore },
};

export function kindText(kind: string): { label: string; color: string; icon: TablerIcon } {
  return KINDS[kind] ?? { label: kind, color: 'gray', icon: IconHeartbeat };
}

/** A channel's health timeline, newest first. */
export function TimelineDrawer({ channel, onClose }: { channel: ChannelView; onClose: () => void }) {
  const load = useCallback(() => channelTimeline(channel.id), [channel.id]);
  const timeline = useLoad(load);
  const events = [...(timeline.data ?? [])].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);

  return (
    <Drawer opened onClose={onClose} position="right" size="md" title={`Health timeline: ${channelName(channel)}`} data-testid="timeline-drawer">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Everything that happened to this channel&apos;s connection: sign-ins, renewals, failed checks and disconnections.
        </Text>
        {timeline.error && <ErrorPanel title="Herald could not read the timeline" error={timeline.error} onRetry={timeline.reload} />}
        {!timeline.data && !timeline.error && (
          <Stack gap="md" aria-hidden>
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={40} />
            ))}
          </Stack>
        )}
        {timeline.data && events.length === 0 && (
          <Text size="sm" c="dimmed">
            Nothing recorded yet.
          </Text>
        )}
        {events.length > 0 && (
          <Timeline bulletSize={28} lineWidth={2} active={-1} data-testid="timeline">
            {events.map((event) => {
              const { label, color, icon: Icon } = kindText(event.kind);
              return (
                <Timeline.Item
                  key={event.id}
                  bullet={
                    <ThemeIcon color={color} variant="light" radius="xl" size={28} aria-hidden>
                      <Icon size={15} />
                    </ThemeIcon>
                  }
                  title={
                    <Group gap="xs">
                      <Text fw={600} size="sm" c={color === 'gray' ? undefined : color}>
                        {label}
                      </Text>
                      {event.class && (
                        <Badge size="xs" variant="light" color={color} tt="none">
                          {checkClassText(event.class)}
                        </Badge>
                      )}
                    </Group>
                  }
                  data-testid="timeline-item"
                  data-kind={event.kind}
                >
                  {event.message && <Text size="sm">{event.message}</Text>}
                  <TimeValue iso={event.at} />
                </Timeline.Item>
              );
            })}
          </Timeline>
        )}
      </Stack>
    </Drawer>
  );
}
