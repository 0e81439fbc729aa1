import { Button, Card, EmptyState, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconInbox, IconPlugConnected, IconRefresh } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { type InboxItem, inboxSyncStatus, markRead, setStatus, markUnread, syncInboxNow } from '../../api/inbox';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { VirtualList } from '../../components/VirtualList';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { useAction } from '../posts/useAction';
import { Conversation } from './Conversation';
import { InboxFilterBar } from './InboxFilterBar';
import { inboxCommand, stepSelection, toggledStatus } from './inboxKeys';
import { InboxRow } from './InboxRow';
import classes from './Inbox.module.css';
import { isNarrowed, NO_INBOX_FILTERS, type InboxFilters, useInboxList } from './useInbox';

function ListSkeleton() {
  return (
    <Stack gap="xs" aria-hidden data-testid="inbox-loading">
      {[0, 1, 2, 3].map((i) => (
        <Skeleton key={i} h={72} />
      ))}
    </Stack>
  );
}

/** Focuses a row by item id, scrolling it into view (the list draws only what is near). */
function focusRow(id: number) {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>(`[data-inbox-id="${id}"]`);
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  });
}

/** #/inbox: every mention, reply, quote and message across channels, newest first. */
export function InboxView() {
  const [filters, setFilters] = useState<InboxFilters>(NO_INBOX_FILTERS);
  // #/inbox?item=ID (a notification's Open button) chooses that item until the user chooses another.
  const [params] = useSearchParams();
  const requested = Number(params.get('item') ?? '') || undefined;
  const [pick, setPick] = useState<{ id: number | undefined; under: number | undefined }>({ id: undefined, under: undefined });
  // A pick made before the address named another item gives way to it.
  const selected = pick.under === requested ? (pick.id ?? requested) : requested;
  const setSelected = useCallback(
    (id: number | undefined) => {
      setPick({ id, under: requested });
    },
    [requested],
  );
  useEffect(() => {
    if (requested !== undefined) {
      // Opened from its notification: it has been seen.
      void markRead([requested]).catch(() => undefined);
    }
  }, [requested]);
  const list = useInboxList(filters);
  const channels = useChannelList();
  const sync = useLoad(inboxSyncStatus);
  const { busy, run } = useAction();
  const searchInput = useRef<HTMLInputElement>(null);
  const labelInput = useRef<HTMLInputElement>(null);
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const replyInput = useRef<HTMLTextAreaElement>(null);
  const readable = (sync.data ?? []).filter((s) => s.readable);

  const { items, patch } = list;
  const select = useCallback(
    (id: number | undefined) => {
      setSelected(id);
      const item = items?.find((i) => i.id === id);
      if (item && !item.read) {
        patch(item.id, { read: true });
        void markRead([item.id]).catch(() => {
          patch(item.id, { read: false });
        });
      }
    },
    [items, patch, setSelected],
  );

  const current = items?.find((i) => i.id === selected);
  /** Done or archived; the same again reopens. Shared by the keys and the conversation's buttons. */
  const changeStatus = useCallback(
    async (item: Pick<InboxItem, 'id' | 'status'>, wanted: 'done' | 'archived'): Promise<boolean> => {
      const next = toggledStatus(item.status, wanted);
      const done = await run(wanted, () => setStatus([item.id], next).then(() => true), { failed: 'Could not change the status' });
      if (done) {
        patch(item.id, { status: next });
      }
      return done === true;
    },
    [patch, run],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = inboxCommand(event);
      if (!command || !items) {
        return;
      }
      event.preventDefault();
      const ids = items.map((i) => i.id);
      switch (command) {
        case 'next':
        case 'previous': {
          const id = stepSelection(ids, selected, command === 'next' ? 1 : -1);
          select(id);
          if (id !== undefined) {
            focusRow(id);
          }
          break;
        }
        case 'search':
          searchInput.current?.focus();
          break;
        case 'done':
        case 'archive':
          if (current) {
            void changeStatus(current, command === 'done' ? 'done' : 'archived');
          }
          break;
        case 'unread':
          if (current) {
            patch(current.id, { read: false });
            void markUnread([current.id]);
          }
          break;
        case 'label':
          labelInput.current?.focus();
          break;
        case 'reply': {
          // The caret after the prefilled handle, ready to type.
          const box = replyInput.current;
          box?.focus();
          box?.setSelectionRange(box.value.length, box.value.length);
          break;
        }
        case 'note':
          noteInput.current?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [items, selected, select, current, changeStatus, patch]);

  const checkNow = () =>
    void run('sync', () => syncInboxNow(0), { failed: 'Could not check the channels' }).then((statuses) => {
      if (statuses) {
        sync.reload();
        list.reload();
      }
    });

  const header = (
    <PageHeader
      title="Inbox"
      description="Mentions, replies, quotes and messages from every channel, newest first."
      actions={
        <Group gap="xs">
          <Button component={Link} to="/inbox/response-times" variant="default" data-testid="inbox-response-times">
            Response times
          </Button>
          <Button component={Link} to="/settings/inbox" variant="default">
            Inbox settings
          </Button>
          <Button leftSection={<IconRefresh size={16} />} loading={busy === 'sync'} onClick={checkNow} disabled={readable.length === 0} data-testid="inbox-check-now">
            Check now
          </Button>
        </Group>
      }
    />
  );

  if (sync.data && readable.length === 0) {
    return (
      <>
        {header}
        <Card py={48} data-testid="inbox-no-channels">
          <EmptyState
            icon={<IconPlugConnected size={28} stroke={1.6} aria-hidden />}
            title="No channel to read yet"
            description="Connect a Mastodon or Bluesky channel: Herald then checks it every few minutes and brings its mentions, replies, quotes and messages here."
            maw={520}
            mx="auto"
          >
            <EmptyState.Actions>
              <Button component={Link} to="/channels" variant="light">
                Go to Channels
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      </>
    );
  }

  let body;
  if (list.error) {
    body = <ErrorPanel title="Herald could not list the inbox" error={list.error} onRetry={list.reload} />;
  } else if (!items) {
    body = <ListSkeleton />;
  } else if (items.length === 0) {
    const narrowed = isNarrowed(filters);
    body = (
      <Card py={48} data-testid="inbox-empty">
        <EmptyState
          icon={<IconInbox size={28} stroke={1.6} aria-hidden />}
          title={narrowed ? 'Nothing matches the filters' : filters.status === 'open' ? 'Nothing open' : `Nothing ${filters.status}`}
          description={
            narrowed
              ? 'Clear the search or choose other channels and kinds.'
              : filters.status === 'open'
                ? 'New mentions, replies, quotes and messages appear here. What was already there when a channel was first checked is kept as read.'
                : 'Items you mark done or archive are kept here.'
          }
          maw={480}
          mx="auto"
        />
      </Card>
    );
  } else {
    body = (
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="xs">
            <VirtualList
              items={items}
              keyOf={(item) => item.id}
              estimateSize={96}
              gap={6}
              label="Inbox items"
              busy={list.loading || list.loadingMore}
              testId="inbox-list"
              renderItem={(item) => <InboxRow item={item} selected={item.id === selected} onSelect={select} />}
            />
            {list.next !== '' && (
              <Button variant="subtle" mx="auto" loading={list.loadingMore} onClick={list.loadMore} data-testid="inbox-load-more">
                Load more
              </Button>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <div className={classes.pane}>
            {selected !== undefined ? (
              <Conversation
                key={selected}
                itemId={selected}
                onChanged={patch}
                onStatus={changeStatus}
                statusBusy={busy === 'done' || busy === 'archived' ? busy : undefined}
                labelInput={labelInput}
                noteInput={noteInput}
                replyInput={replyInput}
              />
            ) : (
              <Card withBorder py={40}>
                <Text c="dimmed" ta="center" size="sm">
                  Choose an item to read its thread. J and K move through the list; press ? for every key.
                </Text>
              </Card>
            )}
          </div>
        </Grid.Col>
      </Grid>
    );
  }

  return (
    <>
      {header}
      <Stack gap="md">
        <InboxFilterBar value={filters} onChange={setFilters} channels={channels.data ?? []} searchInput={searchInput} />
        {body}
      </Stack>
    </>
  );
}
