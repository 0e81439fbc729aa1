import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconRefresh, IconTrash } from '@tabler/icons-react';
import type { ReplyView } from '../../api/inbox';
import { deletePost, retryTarget } from '../../api/posts';
import { ExternalLink } from '../../components/ExternalLink';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { formatDateTime } from '../../time/format';
import { useAction } from '../posts/useAction';
import classes from './Inbox.module.css';

/** Where a reply stands, in words and a colour. */
export function replyState(r: Pick<ReplyView, 'status' | 'held'>): { label: string; color: string } {
  switch (r.status) {
    case 'published':
      return { label: 'Sent', color: 'green' };
    case 'failed':
      return { label: 'Not sent', color: 'red' };
    case 'blocked':
      return { label: 'Waiting for the channel', color: 'orange' };
    case 'skipped':
    case 'cancelled':
      return { label: 'Not sent', color: 'gray' };
    case 'claimed':
      return { label: 'Sending…', color: 'blue' };
    default:
      return r.held ? { label: 'Waiting: publishing is paused', color: 'orange' } : { label: 'Sending…', color: 'blue' };
  }
}

/** The replies written in Herald to this item, with their state and what can be done about a failed one. */
export function ReplyList({ replies, onChanged }: { replies: ReplyView[]; onChanged: () => void }) {
  const now = useNow();
  const { busy, run } = useAction();
  if (replies.length === 0) {
    return null;
  }
  return (
    <Stack gap="xs" data-testid="reply-list">
      <Title order={3} size="h6">
        Your {replies.length === 1 ? 'reply' : 'replies'}
      </Title>
      {replies.map((r) => {
        const state = replyState(r);
        const at = parseTime(r.publishedAt) ?? parseTime(r.createdAt);
        return (
          <Stack key={r.targetId} gap={4} className={classes.threadItem} data-testid="reply" data-status={r.status}>
            <Group gap="xs" wrap="nowrap">
              <Badge size="sm" variant="light" color={state.color}>
                {state.label}
              </Badge>
              <Text size="xs" c="dimmed" ml="auto">
                {at ? formatDateTime(at, { now }) : ''}
              </Text>
            </Group>
            <Text size="sm" dir="auto" className={classes.text}>
              {r.text}
            </Text>
            {r.message && r.status !== 'published' && (
              <Text size="xs" c={r.status === 'failed' ? 'red' : 'dimmed'}>
                {r.message}
              </Text>
            )}
            <Group gap="xs">
              {r.remoteUrl && (
                <Text size="xs">
                  <ExternalLink href={r.remoteUrl}>Open on the network</ExternalLink>
                </Text>
              )}
              {r.status === 'failed' && (
                <>
                  <Button
                    size="compact-xs"
                    variant="light"
                    leftSection={<IconRefresh size={13} />}
                    loading={busy === `retry-${r.targetId}`}
                    onClick={() =>
                      void run(`retry-${r.targetId}`, () => retryTarget(r.targetId), { failed: 'Could not retry the reply' }).then((v) => v && onChanged())
                    }
                  >
                    Try again
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    leftSection={<IconTrash size={13} />}
                    loading={busy === `delete-${r.targetId}`}
                    onClick={() =>
                      void run(`delete-${r.targetId}`, () => deletePost(r.postId).then(() => true), { failed: 'Could not discard the reply' }).then(
                        (v) => v && onChanged(),
                      )
                    }
                  >
                    Discard
                  </Button>
                </>
              )}
            </Group>
          </Stack>
        );
      })}
    </Stack>
  );
}
