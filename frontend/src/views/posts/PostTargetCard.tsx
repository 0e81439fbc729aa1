import { Alert, Badge, Card, Collapse, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconCircleCheck, IconClockShare, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { TargetView } from '../../api/posts';
import type { ChannelView } from '../../api/types';
import { ExternalLink } from '../../components/ExternalLink';
import { TimeValue } from '../../components/TimeValue';
import { AttemptLedger } from './AttemptLedger';
import { ChannelName, channelTitle } from './ChannelName';
import { ProblemActions } from './ProblemActions';
import { problemOf } from './targetText';
import { TargetStatusBadge } from './TargetStatusBadge';

interface PostTargetCardProps {
  postId: number;
  target: TargetView;
  channel: ChannelView | undefined;
  onReschedule: () => void;
  onChanged: () => void;
}

function When({ target }: { target: TargetView }) {
  if (target.status === 'published') {
    return (
      <Group gap={6}>
        <Text size="sm" c="dimmed">
          Published
        </Text>
        <TimeValue iso={target.publishedAt} />
      </Group>
    );
  }
  const next = target.status === 'scheduled' && target.nextAttemptAt && target.nextAttemptAt !== target.dueAt;
  return (
    <Stack gap={2}>
      {target.dueAt && (
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            Due
          </Text>
          <TimeValue iso={target.dueAt} />
        </Group>
      )}
      {next && (
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            Next try
          </Text>
          <TimeValue iso={target.nextAttemptAt} />
        </Group>
      )}
    </Stack>
  );
}

/** One variant of a post: where it stands, where it went, and every attempt. */
export function PostTargetCard({ postId, target, channel, onReschedule, onChanged }: PostTargetCardProps) {
  const [ledgerOpen, setLedgerOpen] = useState(target.status !== 'published' && target.attempts.length > 0);
  const name = channelTitle(channel);
  const problem = problemOf(target, name);
  const network = channel?.networkName ?? 'the network';

  return (
    <Card
      padding="md"
      data-testid={`post-target-${target.channelId}`}
      data-target-id={target.id}
      data-status={target.status}
      data-due-at={target.dueAt}
      data-remote-url={target.remoteUrl}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <ChannelName channel={channel} size={32} withHandle />
          <Group gap={6} wrap="nowrap">
            {target.queued && (
              <Badge size="sm" variant="outline" color="gray" tt="none">
                From the queue
              </Badge>
            )}
            <TargetStatusBadge target={target} />
          </Group>
        </Group>

        <When target={target} />

        {target.remoteUrl && (
          <Group gap="md">
            <Text size="sm" data-testid="post-remote-link">
              <ExternalLink href={target.remoteUrl}>View on {network}</ExternalLink>
            </Text>
            {target.verifiedAt ? (
              <Group gap={4} data-testid="post-verified">
                <IconCircleCheck size={15} color="var(--mantine-color-teal-6)" aria-hidden />
                <Text size="sm" c="dimmed">
                  Verified: Herald read the post back from {network}.
                </Text>
              </Group>
            ) : (
              <Text size="sm" c="dimmed" data-testid="post-unverified">
                Not verified yet: Herald has not read the post back.
              </Text>
            )}
          </Group>
        )}

        {target.handedOff && (
          <Group gap={6} wrap="nowrap">
            <IconClockShare size={16} stroke={1.7} aria-hidden />
            <Text size="sm">
              Handed off to {network}&apos;s own scheduler: it goes out on time even if this computer sleeps. Changing the time takes it back first.
            </Text>
          </Group>
        )}

        {target.checking && (
          <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} />} p="xs" data-testid="target-checking">
            <Text size="sm">
              Herald is checking whether the last attempt reached {network} before it tries again, so this post cannot be changed until that is
              known. Publish now checks right away.
            </Text>
          </Alert>
        )}

        {target.status === 'scheduled' && target.errorClass && target.errorMessage && !problem && (
          <Alert variant="light" color="orange" icon={<IconInfoCircle size={18} />} p="xs">
            <Text size="sm">{target.errorMessage}</Text>
          </Alert>
        )}

        {problem && (
          <Alert variant="light" color={target.status === 'failed' ? 'red' : 'orange'} title={problem.title} data-testid="target-problem">
            <Stack gap="xs">
              <Text size="sm">{problem.explanation}</Text>
              {target.errorMessage && (
                <Text size="sm" fw={500} data-testid="target-message">
                  {target.status === 'failed' ? `${network} said: ` : ''}
                  {target.errorMessage}
                </Text>
              )}
              <ProblemActions
                problem={problem}
                postId={postId}
                targetId={target.id}
                channelId={target.channelId}
                onReschedule={onReschedule}
                onChanged={onChanged}
              />
            </Stack>
          </Alert>
        )}

        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={4}>
          {target.variant.text || (target.variant.media.length > 0 ? `(${target.variant.media.length} ${target.variant.media.length === 1 ? 'attachment' : 'attachments'}, no text)` : '')}
        </Text>
        {(target.variant.thread.length > 0 || target.variant.media.length > 0 || target.variant.firstComment) && (
          <Text size="xs" c="dimmed">
            {[
              target.variant.media.length > 0 && `${target.variant.media.length} attachment${target.variant.media.length === 1 ? '' : 's'}`,
              target.variant.thread.length > 0 && `${target.variant.thread.length} follow-up${target.variant.thread.length === 1 ? '' : 's'}`,
              target.variant.firstComment && 'a first comment',
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        )}

        <UnstyledButton
          onClick={() => {
            setLedgerOpen((open) => !open);
          }}
          aria-expanded={ledgerOpen}
          data-testid="ledger-toggle"
        >
          <Group gap={4}>
            {ledgerOpen ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            <Text size="sm" fw={500}>
              Attempts ({target.attempts.length})
            </Text>
          </Group>
        </UnstyledButton>
        <Collapse expanded={ledgerOpen}>
          <AttemptLedger attempts={target.attempts} />
        </Collapse>
      </Stack>
    </Card>
  );
}
