import { Button, Card, EmptyState, Skeleton, Stack, Text } from '@mantine/core';
import { IconBroadcast } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useChannelList } from '../../hooks/useChannelList';
import { QueueTimesCard } from './QueueTimesCard';
import { suggestionOf } from './queueSuggestion';

/** Settings → Queue: each channel's weekly posting times, used by "Add to queue". */
export function QueueTimesPanel() {
  const channels = useChannelList();
  const suggestion = suggestionOf(useLocation().state);
  if (channels.error) {
    return <ErrorPanel title="Herald could not load your channels" error={channels.error} onRetry={channels.reload} />;
  }
  if (!channels.data) {
    return <Skeleton h={120} aria-hidden />;
  }
  if (channels.data.length === 0) {
    return (
      <Card py={48}>
        <EmptyState
          icon={<IconBroadcast size={28} stroke={1.6} aria-hidden />}
          title="No channels yet"
          description="Posting times belong to a channel. Connect one first."
          maw={460}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button component={Link} to="/channels" variant="light">
              Go to Channels
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        “Add to queue” in the composer puts a post into each channel&apos;s next free posting time. Set the weekly times here, in
        the time zone you think in.
      </Text>
      {channels.data.map((channel) => (
        <QueueTimesCard key={channel.id} channel={channel} suggestion={suggestion?.channelId === channel.id ? suggestion : undefined} />
      ))}
    </Stack>
  );
}
