import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { PostSummary } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { ChannelName, sortByChannel } from '../posts/ChannelName';
import { PostActions } from '../posts/PostActions';
import { TargetStatusBadge } from '../posts/TargetStatusBadge';
import { formatDateTime, formatTime } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { computerZone } from '../../time/zones';

/** When a post goes (or went) out, in the computer's zone, and in the post's own zone when that differs. */
function PostTime({ post }: { post: PostSummary }) {
  const now = useNow();
  useClockSetting();
  const at = parseTime(post.scheduledAt);
  if (!at) {
    return (
      <Text size="sm" c="dimmed">
        Not scheduled
      </Text>
    );
  }
  const own = computerZone();
  return (
    <Stack gap={0}>
      <Text size="sm" fw={500} data-testid="row-time" data-at={post.scheduledAt}>
        {formatDateTime(at, { now })}
      </Text>
      {post.timeZone && post.timeZone !== own && (
        <Text size="xs" c="dimmed" data-testid="row-time-zone">
          {formatTime(at, { zone: post.timeZone })}
        </Text>
      )}
    </Stack>
  );
}

interface PostRowProps {
  post: PostSummary;
  channels: ChannelView[];
  onChanged: () => void;
}

/** One post in the queue: time, title, each channel with its status, and actions. */
export function PostRow({ post, channels, onChanged }: PostRowProps) {
  const title = post.title || post.snippet || 'Untitled post';
  return (
    <Card padding="xs" px="sm" data-testid={`queue-row-${post.id}`} data-status={post.status}>
      <Group wrap="nowrap" align="flex-start" gap="md">
        <div style={{ width: 150, flexShrink: 0 }}>
          <PostTime post={post} />
        </div>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" lineClamp={1}>
            <Anchor component={Link} to={`/posts/${post.id}`} fw={600} inherit>
              {title}
            </Anchor>
            {post.title && post.snippet && (
              <Text span c="dimmed" inherit>
                {' — '}
                {post.snippet}
              </Text>
            )}
          </Text>
          <Group gap="md" wrap="wrap">
            {sortByChannel(post.targets, channels).map((t) => (
              <Group key={t.id} gap={6} wrap="nowrap" data-testid={`row-target-${t.channelId}`}>
                <ChannelName channel={channels.find((c) => c.id === t.channelId)} size={20} />
                <TargetStatusBadge target={t} size="xs" />
              </Group>
            ))}
          </Group>
        </Stack>
        <PostActions
          post={{ ...post, localTime: '' }}
          snippet={post.snippet}
          layout="menu"
          onChanged={onChanged}
          onDeleted={onChanged}
        />
      </Group>
    </Card>
  );
}
