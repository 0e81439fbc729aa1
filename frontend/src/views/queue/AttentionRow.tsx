import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { PostView } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ChannelName, channelTitle, sortByChannel } from '../posts/ChannelName';
import { ProblemActions } from '../posts/ProblemActions';
import { RescheduleModal } from '../posts/RescheduleModal';
import { problemOf } from '../posts/targetText';
import { TargetStatusBadge } from '../posts/TargetStatusBadge';

interface AttentionRowProps {
  post: PostView;
  channels: ChannelView[];
  onChanged: () => void;
}

/** A post with variants that need the user: what went wrong with each, and the way forward. */
export function AttentionRow({ post, channels, onChanged }: AttentionRowProps) {
  const [rescheduling, setRescheduling] = useState(false);
  const title = post.title || post.targets[0]?.variant.text.slice(0, 80) || 'Untitled post';
  return (
    <Card padding="sm" data-testid={`attention-row-${post.id}`}>
      <Stack gap="sm">
        <Anchor component={Link} to={`/posts/${post.id}`} fw={600} size="sm" lineClamp={1}>
          {title}
        </Anchor>
        {sortByChannel(post.targets, channels).map((target) => {
          const channel = channels.find((c) => c.id === target.channelId);
          const problem = problemOf(target, channelTitle(channel));
          if (!problem) {
            return null;
          }
          return (
            <Stack key={target.id} gap={6} pl="sm" style={{ borderLeft: '3px solid var(--mantine-color-orange-5)' }} data-testid={`attention-target-${target.id}`} data-class={target.errorClass}>
              <Group gap="sm" wrap="nowrap">
                <ChannelName channel={channel} size={22} />
                <TargetStatusBadge target={target} size="xs" />
              </Group>
              <Text size="sm" fw={600} data-testid="attention-title">
                {problem.title}
              </Text>
              <Text size="sm" data-testid="attention-explanation">
                {problem.explanation}
              </Text>
              {target.errorMessage && (
                <Text size="sm" c="dimmed" data-testid="attention-message">
                  {target.errorMessage}
                </Text>
              )}
              <ProblemActions
                problem={problem}
                postId={post.id}
                targetId={target.id}
                channelId={target.channelId}
                onReschedule={() => {
                  setRescheduling(true);
                }}
                onChanged={onChanged}
              />
            </Stack>
          );
        })}
      </Stack>
      <RescheduleModal
        post={rescheduling ? post : undefined}
        onClose={() => {
          setRescheduling(false);
        }}
        onDone={onChanged}
      />
    </Card>
  );
}
