import { Alert, Button, Group, Kbd, Menu, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconMessages, IconSend } from '@tabler/icons-react';
import { type RefObject, useEffect, useState } from 'react';
import { toAppError, type AppError } from '../../api/errors';
import { checkReply, fillSavedReply, type InboxItem, type ItemAction, listSavedReplies, type ReplyCheck, sendReply } from '../../api/inbox';
import { MentionTextarea } from '../../components/MentionAutocomplete';
import { useLoad } from '../../hooks/useLoad';
import { searchChannelFor, useSearchableChannels } from '../../hooks/useSearchableChannels';
import { notifyError, notifySuccess } from '../../lib/notify';
import { IssueList } from '../compose/IssueList';
import { TextCounter } from '../compose/TextCounter';
import { VALIDATE_DELAY_MS } from '../compose/useValidation';

/** A key for one reply being written: sending it twice sends one reply. */
export function newReplyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What a reply starts with: on Mastodon the author's handle, because a
 * reply reaches (and a direct message is seen by) only the accounts it
 * mentions; nothing on Bluesky, where the reply itself notifies.
 */
export function replyPrefill(item: Pick<InboxItem, 'network' | 'authorHandle'>): string {
  return item.network === 'mastodon' && item.authorHandle ? `${item.authorHandle} ` : '';
}

const VISIBILITY = [
  { value: 'public', label: 'Public' },
  { value: 'unlisted', label: 'Quiet public (not in public timelines)' },
  { value: 'private', label: 'Followers only' },
];

interface ReplyBoxProps {
  item: InboxItem;
  action: ItemAction | undefined;
  /** Answering privately, by a direct message to the author. */
  messageAction: ItemAction | undefined;
  input: RefObject<HTMLTextAreaElement | null>;
  /** Called once a reply is saved (it is then being published). */
  onSent: () => void;
}

/** Writing a reply to an item: the composer's live check, then Send (Ctrl/⌘+Enter). */
export function ReplyBox({ item, action, messageAction, input, onSent }: ReplyBoxProps) {
  const [text, setText] = useState(() => replyPrefill(item));
  const [visibility, setVisibility] = useState('public');
  const [key, setKey] = useState(newReplyKey);
  const [check, setCheck] = useState<{ text: string; private?: boolean; result?: ReplyCheck; error?: AppError }>({ text: '' });
  const [sending, setSending] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const saved = useLoad(listSavedReplies);
  const searchable = useSearchableChannels();
  const [privately, setPrivately] = useState(false);
  const canMessage = item.kind !== 'message' && messageAction?.enabled === true;
  const isPrivate = privately && canMessage;
  const message = item.kind === 'message' || isPrivate;
  const options: Record<string, string> = item.network === 'mastodon' && !message ? { visibility } : {};
  const optionsKey = JSON.stringify(options);

  useEffect(() => {
    let current = true;
    const timer = window.setTimeout(() => {
      checkReply({ itemId: item.id, text, options: JSON.parse(optionsKey) as Record<string, string>, key: '', private: isPrivate }).then(
        (result) => current && setCheck({ text, private: isPrivate, result }),
        (err: unknown) => current && setCheck({ text, private: isPrivate, error: toAppError(err) }),
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [item.id, text, optionsKey, isPrivate]);

  if (action && !action.enabled) {
    return (
      <Alert color="gray" variant="light" title="Replying is not possible here" data-testid="reply-disabled">
        {action.reason}
      </Alert>
    );
  }
  const result = check.result;
  const fresh = check.text === text && result !== undefined && check.private === isPrivate;
  const empty = text.trim() === '' || text.trim() === replyPrefill(item).trim();
  const canSend = fresh && result.ok && !empty && !sending;
  const issuesId = `reply-issues-${item.id}`;

  /** Puts a saved reply in: after the prefilled handle, or on a new line after what is written. */
  const insertSaved = async (id: number) => {
    try {
      const filled = await fillSavedReply(id, item.id);
      const prefill = replyPrefill(item);
      setText((current) => (current.trim() === prefill.trim() ? prefill + filled.text : `${current.trimEnd()}\n${filled.text}`));
      setMissing(filled.missing);
      input.current?.focus();
    } catch (err) {
      notifyError('The saved reply could not be used', err);
    }
  };

  const send = async () => {
    if (!canSend) {
      return;
    }
    setSending(true);
    try {
      const sent = await sendReply({ itemId: item.id, text, options, key, private: isPrivate });
      notifySuccess(
        sent.held ? 'Reply saved' : isPrivate ? 'Message sent' : 'Reply sent',
        sent.held ? 'Publishing is paused: it goes out when you resume publishing.' : `Publishing it to ${item.channelName}.`,
      );
      setText(replyPrefill(item));
      setMissing([]);
      setKey(newReplyKey());
      onSent();
    } catch (err) {
      // The key stays: sending again cannot make a second reply.
      notifyError('The reply was not sent', err);
    } finally {
      setSending(false);
    }
  };

  return (
    <Stack gap={6} data-testid="reply-box">
      {canMessage && (
        <SegmentedControl
          size="xs"
          value={isPrivate ? 'private' : 'public'}
          onChange={(v) => setPrivately(v === 'private')}
          data={[
            { value: 'public', label: 'Reply in the thread' },
            { value: 'private', label: `Message ${item.authorHandle || 'the author'} privately` },
          ]}
          aria-label="How to answer"
          data-testid="reply-mode"
        />
      )}
      <MentionTextarea
        ref={input}
        channel={searchChannelFor([item.channelId], searchable.data)}
        label={
          isPrivate
            ? `Direct message to ${item.authorHandle || item.authorName || 'the author'}`
            : message
              ? 'Reply in this conversation'
              : `Reply to ${item.authorHandle || item.authorName || 'this'}`
        }
        description={
          message
            ? item.network === 'mastodon'
              ? 'A direct message: only the accounts it mentions see it. Press R to write; Ctrl+Enter sends.'
              : 'A direct message in this conversation. Press R to write; Ctrl+Enter sends.'
            : `Published on ${item.channelName} under this ${item.kind === 'message' ? 'message' : 'post'}. Press R to write; Ctrl+Enter sends.`
        }
        autosize
        minRows={2}
        maxRows={10}
        value={text}
        onChange={setText}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          }
        }}
        aria-describedby={issuesId}
        dir="auto"
        data-testid="reply-text"
      />
      {result && <TextCounter counts={[{ label: result.networkName, count: result.result.text }]} />}
      {missing.length > 0 && (
        <Text size="xs" c="orange" data-testid="reply-missing">
          This item has no value for {missing.map((m) => `{${m}}`).join(', ')}; it was left out. Check the text before you send it.
        </Text>
      )}
      <div id={issuesId} aria-live="polite">
        {result && !empty && (
          <IssueList
            issues={[
              ...result.problems.map((p) => ({ severity: 'error', code: 'reply', message: p, field: 'text' }) as const),
              ...result.result.issues,
            ]}
          />
        )}
        {check.error && (
          <Text size="xs" c="red">
            Herald could not check the reply: {check.error.message}
          </Text>
        )}
      </div>
      <Group justify="space-between" align="flex-end">
        {item.network === 'mastodon' && !message ? (
          <Select
            size="xs"
            label="Visibility"
            data={VISIBILITY}
            value={visibility}
            onChange={(v) => setVisibility(v ?? 'public')}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            w={260}
          />
        ) : (
          <span />
        )}
        <Group gap="xs">
          <Menu position="bottom-end" withinPortal={false}>
            <Menu.Target>
              <Button size="xs" variant="default" leftSection={<IconMessages size={15} />} data-testid="reply-saved">
                Saved replies
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(saved.data ?? []).length === 0 ? (
                <Menu.Label>None yet: add them in Settings → Inbox</Menu.Label>
              ) : (
                (saved.data ?? []).map((r) => (
                  <Menu.Item key={r.id} onClick={() => void insertSaved(r.id)}>
                    {r.name}
                  </Menu.Item>
                ))
              )}
            </Menu.Dropdown>
          </Menu>
          <Button
            size="xs"
            leftSection={<IconSend size={15} />}
            rightSection={<Kbd size="xs">Ctrl+Enter</Kbd>}
            disabled={!canSend}
            loading={sending}
            onClick={() => void send()}
            data-testid="reply-send"
          >
            Send reply
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
