import { Alert, Badge, Button, Card, Group, Skeleton, Stack, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useEffect } from 'react';
import { onInboxChanged } from '../../api/events';
import { type InboxSyncStatus, inboxSyncStatus, setChannelNotifications, syncInboxNow } from '../../api/inbox';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { formatDateTime, formatRelative } from '../../time/format';
import { useAction } from '../posts/useAction';

/** "every 2 minutes", "every 30 minutes", "every hour". */
export function intervalText(seconds: number): string {
  if (seconds <= 0) {
    return '—';
  }
  if (seconds < 60) {
    return `every ${seconds} seconds`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return minutes === 1 ? 'every minute' : `every ${minutes} minutes`;
  }
  const hours = Math.round(minutes / 60);
  return hours === 1 ? 'every hour' : `every ${hours} hours`;
}

function When({ at, now }: { at: string; now: Date }) {
  const date = parseTime(at);
  if (!date) {
    return <Text size="sm" c="dimmed">Not yet</Text>;
  }
  return (
    <Text size="sm" title={formatDateTime(date, { now })}>
      {formatRelative(date, now)}
    </Text>
  );
}

/** Why a channel's inbox is not read, or what failed, in the user's words. */
function StateCell({ s }: { s: InboxSyncStatus }) {
  if (!s.readable) {
    return <Text size="sm" c="dimmed">Herald cannot read this network's inbox yet.</Text>;
  }
  return (
    <Stack gap={4}>
      {s.skippedReason ? (
        <Badge color="orange" variant="light" size="sm">
          Skipped
        </Badge>
      ) : s.lastError ? (
        <Badge color="red" variant="light" size="sm">
          Failed
        </Badge>
      ) : (
        <Badge color="green" variant="light" size="sm">
          {s.backlogDone ? 'Up to date' : 'First check pending'}
        </Badge>
      )}
      {s.skippedReason && <Text size="xs">{s.skippedReason}</Text>}
      {s.lastError && <Text size="xs">{s.lastError}</Text>}
      {s.unavailable.map((u) => (
        <Text key={u.capability} size="xs" c="dimmed">
          {u.text}
        </Text>
      ))}
    </Stack>
  );
}

/** Settings → Inbox: when each channel was last checked, when next, and why one is skipped; check now. */
export function InboxSyncPanel() {
  const status = useLoad(inboxSyncStatus);
  const now = useNow(15_000);
  const { busy, run } = useAction();
  const { reload } = status;
  useEffect(() => onInboxChanged(reload), [reload]);

  if (status.error) {
    return <ErrorPanel title="Herald could not read the inbox sync status" error={status.error} onRetry={status.reload} />;
  }
  if (!status.data) {
    return <Skeleton h={160} aria-hidden data-testid="inbox-sync-loading" />;
  }
  const notifications = (s: InboxSyncStatus, on: boolean) =>
    void run(`notify-${s.channelId}`, () => setChannelNotifications(s.channelId, on), {
      failed: `Could not turn ${on ? 'on' : 'off'} the notifications of ${s.channelName}`,
    }).then(() => {
      status.reload();
    });
  const check = (channelId: number) =>
    void run(`sync-${channelId}`, () => syncInboxNow(channelId), { failed: 'Could not check the channel' }).then(() => {
      status.reload();
    });
  return (
    <Stack gap="md" maw={960}>
      <Text size="sm" c="dimmed" maw={720}>
        Herald checks each channel for new mentions, replies, quotes and messages: every two minutes while a channel is
        busy, less often (up to every 30 minutes) while it is quiet. What a channel already had when it was first checked
        is kept as read and raises no notification. Disconnected, paused or rate-limited channels are skipped until they
        can be read again. Each new item raises a desktop notification unless you turn a channel's notifications off
        below; a rule that notifies still does.
      </Text>
      {status.data.length === 0 ? (
        <Alert color="gray" variant="light" title="No channels">
          Connect a channel in Channels; its inbox is then checked here.
        </Alert>
      ) : (
        <Card withBorder padding={0}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="inbox-sync-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Last checked</Table.Th>
                <Table.Th>Next check</Table.Th>
                <Table.Th>How often</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Notifications</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {status.data.map((s) => (
                <Table.Tr key={s.channelId} data-testid={`inbox-sync-${s.channelId}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {s.channelName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <When at={s.lastRunAt} now={now} />
                  </Table.Td>
                  <Table.Td>{s.readable ? <When at={s.nextRunAt} now={now} /> : null}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.readable ? intervalText(s.intervalSeconds) : ''}</Text>
                  </Table.Td>
                  <Table.Td>
                    <StateCell s={s} />
                  </Table.Td>
                  <Table.Td>
                    {s.readable && (
                      <Switch
                        aria-label={`Notifications for ${s.channelName}`}
                        checked={s.notify}
                        disabled={busy === `notify-${s.channelId}`}
                        onChange={(e) => {
                          notifications(s, e.currentTarget.checked);
                        }}
                        data-testid={`inbox-notify-${s.channelId}`}
                      />
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s.readable && (
                      <Group justify="flex-end">
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconRefresh size={14} />}
                          loading={busy === `sync-${s.channelId}`}
                          onClick={() => check(s.channelId)}
                        >
                          Check now
                          <VisuallyHidden>: {s.channelName}</VisuallyHidden>
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
