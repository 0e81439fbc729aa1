import { Button, Group } from '@mantine/core';
import { IconCalendarTime, IconPencil, IconPlayerSkipForward, IconPlugConnected, IconRefresh, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { retryTarget, skipTarget } from '../../api/posts';
import { type PublishChoice, PublishNowModal, usePublishNow } from './PublishNowModal';
import type { Problem } from './targetText';
import { useAction } from './useAction';

interface ProblemActionsProps {
  problem: Problem;
  postId: number;
  targetId: number;
  channelId: number;
  /** Opens "Pick a new time" for the post. */
  onReschedule: () => void;
  /** After Retry or Skip changed the variant. */
  onChanged?: () => void;
}

/** The ways forward from a variant's problem, as buttons. */
export function ProblemActions({ problem, postId, targetId, channelId, onReschedule, onChanged }: ProblemActionsProps) {
  const { busy, run } = useAction();
  const publishing = usePublishNow();
  // While publishing is paused, Retry and Publish now ask how to go ahead.
  const [asking, setAsking] = useState(false);
  const choose = async (choice: PublishChoice) => {
    const done = await publishing.publish(choice, () => retryTarget(targetId), 'this variant', 'Could not publish it');
    setAsking(false);
    if (done) {
      onChanged?.();
    }
  };
  const retry = async (now: boolean) => {
    if (publishing.paused) {
      setAsking(true);
      return;
    }
    const done = await run('retry', () => retryTarget(targetId), {
      done: [now ? 'Publishing now' : 'Trying again', 'Herald is publishing this variant now.'],
      failed: now ? 'Could not publish it now' : 'Could not try again',
    });
    if (done) {
      onChanged?.();
    }
  };
  const skip = async () => {
    const done = await run('skip', () => skipTarget(targetId), {
      done: ['Skipped', 'This variant will not be published. Nothing was posted.'],
      failed: 'Could not skip it',
    });
    if (done) {
      onChanged?.();
    }
  };
  return (
    <Group gap="xs" data-testid="problem-actions">
      <PublishNowModal
        opened={asking}
        paused
        what="this variant"
        busy={publishing.busy}
        onChoose={(choice) => void choose(choice)}
        onClose={() => {
          setAsking(false);
        }}
      />
      {problem.remedies.map((remedy) => {
        switch (remedy) {
          case 'reconnect':
            return (
              <Button key={remedy} size="xs" component={Link} to={`/channels?reconnect=${channelId}`} leftSection={<IconPlugConnected size={14} />}>
                Reconnect channel
              </Button>
            );
          case 'retry':
            return (
              <Button key={remedy} size="xs" variant="light" leftSection={<IconRefresh size={14} />} loading={busy === 'retry'} onClick={() => void retry(false)}>
                Retry
              </Button>
            );
          case 'publish_now':
            return (
              <Button key={remedy} size="xs" leftSection={<IconSend size={14} />} loading={busy === 'retry'} onClick={() => void retry(true)}>
                Publish now
              </Button>
            );
          case 'reschedule':
            return (
              <Button key={remedy} size="xs" variant="light" leftSection={<IconCalendarTime size={14} />} onClick={onReschedule}>
                Pick a new time
              </Button>
            );
          case 'skip':
            return (
              <Button
                key={remedy}
                size="xs"
                variant="default"
                leftSection={<IconPlayerSkipForward size={14} />}
                loading={busy === 'skip'}
                onClick={() => void skip()}
              >
                Skip
              </Button>
            );
          case 'edit':
            return (
              <Button key={remedy} size="xs" variant="default" component={Link} to={`/compose/${postId}`} leftSection={<IconPencil size={14} />}>
                Edit post
              </Button>
            );
          default:
            return null;
        }
      })}
    </Group>
  );
}
