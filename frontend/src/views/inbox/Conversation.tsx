import { Alert, Avatar, Badge, Button, Card, Group, Kbd, Select, Skeleton, Stack, TagsInput, Text, Textarea, Title } from '@mantine/core';
import { IconArchive, IconCheck, IconMailOpened, IconArrowBackUp } from '@tabler/icons-react';
import { type RefObject, useCallback, useEffect, useState } from 'react';
import { onPublishResult } from '../../api/events';
import { addLabel, assignTeam, getConversation, type InboxItem, markUnread, removeLabel, setNote } from '../../api/inbox';
import { listTeams } from '../../api/teams';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ExternalLink } from '../../components/ExternalLink';
import { useLoad } from '../../hooks/useLoad';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { formatDateTime } from '../../time/format';
import { useAction } from '../posts/useAction';
import { authorName, kindLabel, shownText } from './inboxText';
import { ReplyBox } from './ReplyBox';
import { ModerationBar } from './ModerationBar';
import { ReplyList } from './ReplyList';
import classes from './Inbox.module.css';

/** One message of a thread: who, when, the text as the network gave it (plain text, its own direction). */
function ThreadMessage({ item, current }: { item: InboxItem; current: boolean }) {
  const now = useNow();
  const at = parseTime(item.createdAt);
  const edited = parseTime(item.editedAt);
  const { text, hidden } = shownText(item.text);
  const name = authorName(item);
  return (
    <Stack gap={4} className={classes.threadItem} data-current={current || undefined} data-testid={current ? 'conversation-current' : 'conversation-message'}>
      <Group gap="xs" wrap="nowrap">
        <Avatar name={name} color="initials" size={24} aria-hidden />
        <Text size="sm" fw={600} truncate="end" dir="auto">
          {name}
        </Text>
        {item.authorHandle && item.authorName && (
          <Text size="xs" c="dimmed" truncate="end">
            {item.authorHandle}
          </Text>
        )}
        <Text size="xs" c="dimmed" ml="auto" style={{ flexShrink: 0 }}>
          {at ? formatDateTime(at, { now }) : ''}
          {edited ? ' · edited' : ''}
        </Text>
      </Group>
      {item.deletedAt ? (
        <Text size="sm" c="dimmed" fs="italic">
          Deleted on the network. Herald keeps what it had read.
        </Text>
      ) : null}
      <Text size="sm" dir="auto" className={classes.text}>
        {text}
      </Text>
      {hidden > 0 && (
        <Text size="xs" c="dimmed">
          {hidden.toLocaleString()} more characters are not shown.
        </Text>
      )}
      {item.links.length > 0 && (
        <Group gap="xs" wrap="wrap">
          {item.links.slice(0, 10).map((link) => (
            <Text key={link} size="xs">
              <ExternalLink href={link} />
            </Text>
          ))}
        </Group>
      )}
    </Stack>
  );
}

interface ConversationProps {
  itemId: number;
  /** Tells the list what changed, so it shows it at once. */
  onChanged: (id: number, change: Partial<InboxItem>) => void;
  /** Marks done or archives (again: reopens); true when it changed. */
  onStatus: (item: InboxItem, wanted: 'done' | 'archived') => Promise<boolean>;
  statusBusy: 'done' | 'archived' | undefined;
  labelInput: RefObject<HTMLInputElement | null>;
  noteInput: RefObject<HTMLTextAreaElement | null>;
  replyInput: RefObject<HTMLTextAreaElement | null>;
}

/** The chosen item with its whole thread, and what the user can do with it. */
export function Conversation({ itemId, onChanged, onStatus, statusBusy, labelInput, noteInput, replyInput }: ConversationProps) {
  const load = useCallback(() => getConversation(itemId), [itemId]);
  const conv = useLoad(load);
  const replyTargets = (conv.data?.replies ?? []).map((r) => r.targetId).join(',');
  const reloadConversation = conv.reload;
  // A reply's attempt ended: show where it stands.
  useEffect(
    () =>
      onPublishResult((result) => {
        if (replyTargets.split(',').includes(String(result.targetId))) {
          reloadConversation();
        }
      }),
    [replyTargets, reloadConversation],
  );
  const teams = useLoad(listTeams);
  const { busy, run } = useAction();
  // What the user typed in the note, until it is saved (the component is keyed by item).
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const item = conv.data?.item;

  if (conv.error) {
    return <ErrorPanel title="Herald could not open this item" error={conv.error} onRetry={conv.reload} />;
  }
  if (!conv.data || !item) {
    return <Skeleton h={240} aria-hidden data-testid="conversation-loading" />;
  }
  const { thread, notice, truncated, replies, actions } = conv.data;
  const note = draft ?? item.note;
  const messages = thread.some((t) => t.remoteId === item.remoteId) ? thread : [...thread, item];

  const changeStatus = async (wanted: 'done' | 'archived') => {
    if (await onStatus(item, wanted)) {
      conv.reload();
    }
  };
  const changeLabels = async (labels: string[]) => {
    const added = labels.filter((l) => !item.labels.includes(l));
    const removed = item.labels.filter((l) => !labels.includes(l));
    const done = await run('labels', async () => {
      for (const l of added) {
        await addLabel([item.id], l);
      }
      for (const l of removed) {
        await removeLabel([item.id], l);
      }
      return true;
    }, { failed: 'Could not change the labels' });
    if (done) {
      onChanged(item.id, { labels });
      conv.reload();
    }
  };

  return (
    <Card withBorder padding="md" data-testid="conversation">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} miw={0}>
            <Title order={2} size="h4" dir="auto">
              {kindLabel(item.kind)} from {authorName(item)}
            </Title>
            <Text size="sm" c="dimmed">
              On {item.channelName}
              {item.status !== 'open' && (
                <Badge ml="xs" size="sm" variant="light" color={item.status === 'done' ? 'green' : 'gray'}>
                  {item.status === 'done' ? 'Done' : 'Archived'}
                </Badge>
              )}
            </Text>
          </Stack>
          {item.url && (
            <Text size="sm" style={{ flexShrink: 0 }}>
              <ExternalLink href={item.url}>Open on the network</ExternalLink>
            </Text>
          )}
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            variant={item.status === 'done' ? 'default' : 'light'}
            leftSection={item.status === 'done' ? <IconArrowBackUp size={15} /> : <IconCheck size={15} />}
            rightSection={<Kbd size="xs">E</Kbd>}
            loading={statusBusy === 'done'}
            onClick={() => void changeStatus('done')}
            data-testid="conversation-done"
          >
            {item.status === 'done' ? 'Reopen' : 'Mark done'}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={item.status === 'archived' ? <IconArrowBackUp size={15} /> : <IconArchive size={15} />}
            rightSection={<Kbd size="xs">A</Kbd>}
            loading={statusBusy === 'archived'}
            onClick={() => void changeStatus('archived')}
          >
            {item.status === 'archived' ? 'Reopen' : 'Archive'}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconMailOpened size={15} />}
            rightSection={<Kbd size="xs">U</Kbd>}
            loading={busy === 'unread'}
            onClick={() =>
              void run('unread', () => markUnread([item.id]).then(() => true), { failed: 'Could not mark it unread' }).then((done) => {
                if (done) {
                  onChanged(item.id, { read: false });
                }
              })
            }
          >
            Mark unread
          </Button>
        </Group>
        {notice && (
          <Alert color="gray" variant="light" title="Showing the thread as Herald has it" data-testid="conversation-notice">
            {notice}
          </Alert>
        )}
        <Stack gap="md" aria-label="Thread" role="group">
          {messages.map((m) => (
            <ThreadMessage key={m.remoteId} item={m} current={m.remoteId === item.remoteId} />
          ))}
          {truncated && (
            <Text size="xs" c="dimmed">
              The thread is longer than Herald shows; open it on the network to read all of it.
            </Text>
          )}
        </Stack>
        <ModerationBar item={item} actions={actions} onChanged={conv.reload} />
        <ReplyList replies={replies} onChanged={conv.reload} />
        <ReplyBox
          key={item.id}
          item={item}
          action={actions.find((a) => a.id === 'reply')}
          messageAction={actions.find((a) => a.id === 'message')}
          input={replyInput}
          onSent={() => {
            onChanged(item.id, { read: true });
            conv.reload();
          }}
        />
        <TagsInput
          ref={labelInput}
          label="Labels"
          description="Press L to add one; Enter to keep it."
          placeholder="Add a label"
          value={item.labels}
          onChange={(labels) => void changeLabels(labels)}
          disabled={busy === 'labels'}
          comboboxProps={{ withinPortal: false }}
          data-testid="conversation-labels"
        />
        <Select
          label="Team"
          placeholder="No team"
          data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
          value={item.teamId ? String(item.teamId) : null}
          onChange={(id) =>
            void run('team', () => assignTeam([item.id], id ? Number(id) : 0).then(() => true), { failed: 'Could not assign the team' }).then((done) => {
              if (done) {
                onChanged(item.id, { teamId: id ? Number(id) : 0 });
                conv.reload();
              }
            })
          }
          clearable
          disabled={(teams.data ?? []).length === 0}
          description={(teams.data ?? []).length === 0 ? 'Create teams in Settings → Teams to assign items.' : undefined}
          comboboxProps={{ withinPortal: false }}
        />
        <Stack gap={6}>
          <Textarea
            ref={noteInput}
            label="Internal note"
            description="Only for you and your team, on this computer; never sent. Press N to write one."
            autosize
            minRows={2}
            maxRows={8}
            value={note}
            onChange={(event) => {
              setDraft(event.currentTarget.value);
            }}
            data-testid="conversation-note"
          />
          <Group justify="flex-end">
            <Button
              size="xs"
              variant="light"
              disabled={note === item.note}
              loading={busy === 'note'}
              onClick={() =>
                void run('note', () => setNote(item.id, note).then(() => true), { failed: 'Could not save the note' }).then((done) => {
                  if (done) {
                    onChanged(item.id, { note });
                    setDraft(undefined);
                    conv.reload();
                  }
                })
              }
            >
              Save note
            </Button>
          </Group>
        </Stack>
      </Stack>
    </Card>
  );
}
