import { Badge, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { PostView } from '../../api/posts';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useChannelList } from '../../hooks/useChannelList';
import type { Load } from '../../hooks/useLoad';
import { PostActions, postName } from './PostActions';
import { PostTargetCard } from './PostTargetCard';
import { sortByChannel } from './ChannelName';
import { RescheduleModal } from './RescheduleModal';
import { postLook } from './targetText';
import { useNow } from '../../hooks/useNow';
import { formatDateTime } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { computerZone } from '../../time/zones';

const POLICY: Record<string, string> = {
  publish_late: 'publish late',
  skip: 'skip it',
  ask: 'ask you',
};

/** "Scheduled for Tue 1 Dec, 09:30", naming the post's zone (and the time here) when it is not the computer's. */
function ScheduleLine({ post }: { post: PostView }) {
  const now = useNow();
  useClockSetting();
  if (!post.scheduledAt) {
    return (
      <Text size="sm" c="dimmed">
        Not scheduled.
      </Text>
    );
  }
  const at = new Date(post.scheduledAt);
  const zone = post.timeZone || 'UTC';
  const own = computerZone();
  const policy = POLICY[post.missedPolicy] ?? post.missedPolicy;
  const grace = post.missedPolicy === 'publish_late' ? ` within ${post.graceMinutes} minutes` : '';
  return (
    <Stack gap={2}>
      <Text size="sm" data-testid="post-scheduled-at" data-at={post.scheduledAt}>
        Scheduled for <strong>{formatDateTime(at, { zone, now })}</strong>
        {own !== zone && ` (${formatDateTime(at, { now })} here)`}
      </Text>
      <Text size="xs" c="dimmed">
        If Herald misses the time, it will {policy}
        {grace}.
      </Text>
    </Stack>
  );
}

interface PostDetailsProps {
  post: Load<PostView>;
  onDeleted: () => void;
}

/** A post with every variant, its status, links and attempt ledger. */
export function PostDetails({ post, onDeleted }: PostDetailsProps) {
  const channels = useChannelList();
  const [rescheduling, setRescheduling] = useState(false);
  const data = post.data;

  if (post.error) {
    return <ErrorPanel title="Herald could not open this post" error={post.error} onRetry={post.reload} />;
  }
  if (!data) {
    return (
      <Stack gap="md" aria-hidden data-testid="post-loading">
        <Skeleton h={24} w="40%" />
        <Skeleton h={120} />
        <Skeleton h={120} />
      </Stack>
    );
  }
  const look = postLook(data.status);
  const snippet = data.targets[0]?.variant.text ?? '';
  return (
    <Stack gap="md" data-testid="post-details" data-post-id={data.id} data-status={data.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} miw={0}>
          <Group gap="sm" wrap="nowrap">
            <Title order={2} fz="lg" lineClamp={2}>
              {data.title || postName(data, snippet).replace(/^“|”$/g, '')}
            </Title>
            <Badge color={look.color} variant="light" tt="none" data-testid="post-status">
              {look.label}
            </Badge>
          </Group>
          <ScheduleLine post={data} />
        </Stack>
      </Group>
      <PostActions
        post={{ ...data, localTime: data.localTime }}
        snippet={snippet}
        layout="buttons"
        onChanged={post.reload}
        onDeleted={onDeleted}
      />
      <Stack gap="sm">
        {sortByChannel(data.targets, channels.data).map((target) => (
          <PostTargetCard
            key={target.id}
            postId={data.id}
            target={target}
            channel={channels.data?.find((c) => c.id === target.channelId)}
            onReschedule={() => {
              setRescheduling(true);
            }}
            onChanged={post.reload}
          />
        ))}
      </Stack>
      <RescheduleModal
        post={rescheduling ? data : undefined}
        onClose={() => {
          setRescheduling(false);
        }}
        onDone={post.reload}
      />
    </Stack>
  );
}
