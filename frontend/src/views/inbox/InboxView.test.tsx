import { screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxConversation, InboxFilter, InboxItem, InboxPage, InboxSyncStatus, ReplyCheck, ReplyView } from '../../api/inbox';
import type { ProfileView, SearchChannel } from '../../api/search';
import type { ChannelView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Inbox from '../../wailsjs/go/service/Inbox';
import * as Search from '../../wailsjs/go/service/Search';
import * as Teams from '../../wailsjs/go/service/Teams';
import { InboxView } from './InboxView';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Search', () => ({ SearchableChannels: vi.fn(), SearchAccounts: vi.fn() }));
vi.mock('../../wailsjs/go/service/Inbox', () => ({
  List: vi.fn(),
  Get: vi.fn(),
  MarkRead: vi.fn(),
  MarkUnread: vi.fn(),
  SetStatus: vi.fn(),
  AddLabel: vi.fn(),
  RemoveLabel: vi.fn(),
  SetNote: vi.fn(),
  Assign: vi.fn(),
  SyncStatus: vi.fn(),
  SyncNow: vi.fn(),
  Counts: vi.fn(),
  CheckReply: vi.fn(),
  Reply: vi.fn(),
  Act: vi.fn(),
  SavedReplies: vi.fn(),
  FillSavedReply: vi.fn(),
}));

const list = mockedBinding<InboxPage>(Inbox.List);
const get = mockedBinding<InboxConversation>(Inbox.Get);
const markRead = mockedBinding<undefined>(Inbox.MarkRead);
const setStatus = mockedBinding<undefined>(Inbox.SetStatus);
const addLabel = mockedBinding<undefined>(Inbox.AddLabel);
const syncStatus = mockedBinding<InboxSyncStatus[]>(Inbox.SyncStatus);
const checkReply = mockedBinding<ReplyCheck>(Inbox.CheckReply);
const reply = mockedBinding<ReplyView>(Inbox.Reply);
const act = mockedBinding<InboxConversation>(Inbox.Act);
const savedReplies = mockedBinding<{ id: number; name: string; body: string; updatedAt: string }[]>(Inbox.SavedReplies);
const fillSaved = mockedBinding<{ text: string; missing: string[] }>(Inbox.FillSavedReply);
const replyAction = { id: 'reply', enabled: true, reason: '', active: false };
const mastodonActions = [
  replyAction,
  { id: 'message', enabled: true, reason: '', active: false },
  { id: 'like', enabled: true, reason: '', active: false },
  { id: 'hide', enabled: false, reason: 'Mastodon has no way to hide a reply under your post.', active: false },
  { id: 'mute', enabled: true, reason: '', active: false },
  { id: 'block', enabled: true, reason: '', active: false },
];

const shop = channelFixture({ id: 12, displayName: 'Shop' });

function item(over: Partial<InboxItem> = {}): InboxItem {
  return {
    id: 1,
    channelId: 12,
    channelName: 'Shop',
    network: 'mastodon',
    remoteId: '1001',
    kind: 'reply',
    authorHandle: '@ana@example.social',
    authorName: 'Ana',
    authorAvatarUrl: 'https://example.social/avatar.png',
    authorProfileUrl: 'https://example.social/@ana',
    text: 'Is the shop open on Sunday?',
    links: [],
    url: 'https://example.social/@ana/1001',
    parentRemoteId: '900',
    rootRemoteId: '900',
    conversationId: '',
    language: 'en',
    createdAt: '2026-12-07T10:00:00Z',
    receivedAt: '2026-12-07T10:01:00Z',
    editedAt: '',
    deletedAt: '',
    status: 'open',
    read: false,
    teamId: 0,
    note: '',
    labels: [],
    firstReplyAt: '',
    backlog: false,
    version: 1,
    ...over,
  };
}

const first = item();
const second = item({ id: 2, remoteId: '1002', kind: 'mention', authorName: 'Ben', authorHandle: '@ben@example.social', text: 'ثلاثة أسئلة', read: true });
const original = item({ id: 0, remoteId: '900', kind: 'reply', authorName: 'Shop', authorHandle: '@shop@example.social', text: 'We open a new shop today.' });

const queryOf = (n: number) => list.mock.calls[n]?.[0] as unknown as InboxFilter;

function status(over: Partial<InboxSyncStatus> = {}): InboxSyncStatus {
  return {
    channelId: 12,
    channelName: 'Shop',
    network: 'mastodon',
    readable: true,
    lastRunAt: '2026-12-07T10:00:00Z',
    nextRunAt: '2026-12-07T10:02:00Z',
    intervalSeconds: 120,
    skippedReason: '',
    lastError: '',
    unavailable: [],
    backlogDone: true,
    itemsSeen: 2,
    itemsNew: 2,
    notify: true,
    ...over,
  };
}

beforeEach(() => {
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop]);
  mockedBinding<{ id: number; name: string }[]>(Teams.List).mockResolvedValue([]);
  syncStatus.mockResolvedValue([status()]);
  list.mockResolvedValue({ items: [first, second], next: '' });
  get.mockImplementation((id: number) =>
    Promise.resolve({
      item: id === 1 ? first : second,
      thread: id === 1 ? [original, first] : [second],
      source: 'network',
      truncated: false,
      notice: '',
      replies: [],
      actions: [replyAction],
    }),
  );
  checkReply.mockImplementation((input: { text: string }) =>
    Promise.resolve({
      networkName: 'Mastodon on example.social',
      result: { text: { chars: input.text.length, max: 500, remaining: 500 - input.text.length, bytes: 0, maxBytes: 0, urls: 0, contentWarning: 0 }, thread: [], issues: [], ok: true },
      problems: [],
      ok: true,
    } as unknown as ReplyCheck),
  );
  savedReplies.mockResolvedValue([]);
  markRead.mockResolvedValue(undefined);
  setStatus.mockResolvedValue(undefined);
  addLabel.mockResolvedValue(undefined);
});

function renderInbox(route = '/inbox') {
  return renderWithProviders(
    <ChannelListProvider>
      <Routes>
        <Route path="/inbox" element={<InboxView />} />
        <Route path="/channels" element={<p>Channels page</p>} />
      </Routes>
    </ChannelListProvider>,
    route,
  );
}

describe('InboxView', () => {
  it('lists open items newest first with who wrote them, and loads no remote avatar', async () => {
    renderInbox();
    const row = await screen.findByTestId('inbox-row-1');
    expect(row).toHaveAttribute('data-kind', 'reply');
    expect(row).toHaveAccessibleName(/^Unread: Ana @ana@example\.social .*Is the shop open on Sunday\? *Reply *Shop$/);
    expect(screen.getByTestId('inbox-row-2')).toHaveAccessibleName(/^Ben @ben@example\.social .*Mention *Shop$/);
    expect(queryOf(0)).toMatchObject({ statuses: ['open'], text: '' });
    expect(document.querySelector('img[src*="example.social"]')).toBeNull();
  });

  it('moves with j and k, marks the chosen item read and shows its thread', async () => {
    const { user } = renderInbox();
    await screen.findByTestId('inbox-row-1');
    await user.keyboard('j');
    const conversation = await screen.findByTestId('conversation');
    expect(within(conversation).getByText('We open a new shop today.')).toBeInTheDocument();
    expect(within(conversation).getByTestId('conversation-current')).toHaveTextContent('Is the shop open on Sunday?');
    expect(markRead).toHaveBeenCalledWith([1]);
    expect(screen.getByTestId('inbox-row-1')).not.toHaveTextContent('Unread');
    expect(screen.getByTestId('inbox-row-1')).toHaveAttribute('aria-current', 'true');

    await user.keyboard('j');
    await waitFor(() => {
      expect(screen.getByTestId('inbox-row-2')).toHaveAttribute('aria-current', 'true');
    });
    // Already read: not marked again.
    expect(markRead).toHaveBeenCalledTimes(1);
    await user.keyboard('k');
    await waitFor(() => {
      expect(screen.getByTestId('inbox-row-1')).toHaveAttribute('aria-current', 'true');
    });
  });

  it('marks done with e and reopens with e again', async () => {
    const { user } = renderInbox();
    await screen.findByTestId('inbox-row-1');
    await user.keyboard('j');
    await screen.findByTestId('conversation');
    await user.keyboard('e');
    await waitFor(() => {
      expect(setStatus).toHaveBeenLastCalledWith([1], 'done');
    });
    await user.keyboard('e');
    await waitFor(() => {
      expect(setStatus).toHaveBeenLastCalledWith([1], 'open');
    });
  });

  it('marks done from the conversation and shows it in the list at once', async () => {
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await user.click(within(await screen.findByTestId('conversation')).getByTestId('conversation-done'));
    await waitFor(() => {
      expect(setStatus).toHaveBeenLastCalledWith([1], 'done');
    });
    // The conversation reads the item again; the list row is patched.
    await waitFor(() => {
      expect(get.mock.calls.filter(([id]) => id === 1).length).toBeGreaterThan(1);
    });
  });

  it('focuses the search with / and lists what matches', async () => {
    const { user } = renderInbox();
    await screen.findByTestId('inbox-row-1');
    await user.keyboard('/');
    expect(screen.getByTestId('inbox-search')).toHaveFocus();
    list.mockResolvedValue({ items: [second], next: '' });
    await user.keyboard('Ben');
    await waitFor(() => {
      expect(queryOf(list.mock.calls.length - 1).text).toBe('Ben');
    });
    await waitFor(() => {
      expect(screen.queryByTestId('inbox-row-1')).not.toBeInTheDocument();
    });
    // Typing in the search is text, not commands.
    expect(setStatus).not.toHaveBeenCalled();
  });

  it('adds a label from the conversation', async () => {
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await screen.findByTestId('conversation');
    await user.keyboard('l');
    const labels = screen.getByTestId('conversation-labels');
    expect(labels).toHaveFocus();
    await user.keyboard('question{Enter}');
    await waitFor(() => {
      expect(addLabel).toHaveBeenCalledWith([1], 'question');
    });
  });

  it('writes a reply with R and sends it once with Ctrl+Enter', async () => {
    let resolve: (v: ReplyView) => void = () => undefined;
    reply.mockImplementation(() => new Promise<ReplyView>((r) => (resolve = r)));
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await screen.findByTestId('conversation');
    await user.keyboard('r');
    const box = screen.getByTestId('reply-text');
    expect(box).toHaveFocus();
    // Mastodon: the reply starts with the author's handle, so it reaches them.
    expect(box).toHaveValue('@ana@example.social ');
    await user.keyboard('Yes, 10 to 4.');
    await waitFor(() => {
      expect(screen.getByTestId('reply-send')).toBeEnabled();
    });
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.keyboard('{Control>}{Enter}{/Control}'); // a second press while sending sends nothing
    resolve({ postId: 5, targetId: 6, itemId: 1, channelId: 12, text: 'x', status: 'scheduled', class: '', message: '', remoteUrl: '', createdAt: '', publishedAt: '', nextAttemptAt: '', held: false });
    await waitFor(() => {
      expect(box).toHaveValue('@ana@example.social ');
    });
    expect(reply).toHaveBeenCalledTimes(1);
    const sent = reply.mock.calls[0]?.[0] as unknown as { itemId: number; text: string; key: string; options: Record<string, string> };
    expect(sent).toMatchObject({ itemId: 1, text: '@ana@example.social Yes, 10 to 4.', options: { visibility: 'public' } });
    expect(sent.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('completes an @mention in the reply through the item’s channel', async () => {
    mockedBinding<SearchChannel[]>(Search.SearchableChannels).mockResolvedValue([
      { channelId: 12, channelName: 'Shop', handle: '@shop@example.social', avatarUrl: '', network: 'mastodon', networkName: 'Mastodon', available: true, reason: '' },
    ]);
    const searchAccounts = mockedBinding<ProfileView[]>(Search.SearchAccounts).mockResolvedValue([
      {
        remoteId: '77',
        handle: '@jo@example.social',
        mention: '@jo@example.social',
        displayName: 'Jo',
        bio: '',
        avatarUrl: '',
        profileUrl: '',
        channelId: 12,
        channelName: 'Shop',
        network: 'mastodon',
        networkName: 'Mastodon',
      },
    ]);
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await screen.findByTestId('conversation');
    await user.keyboard('r');
    const box = screen.getByTestId('reply-text');
    await waitFor(() => {
      expect(box).toHaveAttribute('role', 'combobox');
    });
    await user.keyboard('Ask @jo');
    await screen.findByRole('option', { name: /Jo/ });
    expect(searchAccounts).toHaveBeenCalledWith(12, 'jo', true);
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('@ana@example.social Ask @jo@example.social ');
  });

  it('puts a saved reply in after the handle and says what the item had no value for', async () => {
    savedReplies.mockResolvedValue([{ id: 3, name: 'Shipping', body: 'Hi {name}, see {post_url}', updatedAt: '' }]);
    fillSaved.mockResolvedValue({ text: 'Hi Ana, see ', missing: ['post_url'] });
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await user.click(await screen.findByTestId('reply-saved'));
    await user.click(await screen.findByRole('menuitem', { name: 'Shipping' }));
    await waitFor(() => {
      expect(screen.getByTestId('reply-text')).toHaveValue('@ana@example.social Hi Ana, see ');
    });
    expect(fillSaved).toHaveBeenCalledWith(3, 1);
    expect(screen.getByTestId('reply-missing')).toHaveTextContent('{post_url}');
  });

  it('answers privately when asked: a direct message to the author, checked as one', async () => {
    get.mockResolvedValue({ item: first, thread: [first], source: 'network', truncated: false, notice: '', replies: [], actions: mastodonActions });
    reply.mockResolvedValue({ postId: 5, targetId: 6, itemId: 1, channelId: 12, text: 'x', status: 'scheduled', class: '', message: '', remoteUrl: '', createdAt: '', publishedAt: '', nextAttemptAt: '', held: false });
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    await user.click(await screen.findByRole('radio', { name: /Message @ana@example.social privately/ }));
    expect(screen.getByTestId('reply-text')).toHaveAccessibleName('Direct message to @ana@example.social');
    await user.click(screen.getByTestId('reply-text'));
    await user.keyboard('A code for you');
    await waitFor(() => {
      expect(checkReply).toHaveBeenLastCalledWith(expect.objectContaining({ private: true }));
    });
    await waitFor(() => {
      expect(screen.getByTestId('reply-send')).toBeEnabled();
    });
    await user.click(screen.getByTestId('reply-send'));
    await waitFor(() => {
      expect(reply).toHaveBeenCalledWith(expect.objectContaining({ itemId: 1, private: true, options: {} }));
    });
  });

  it('shows why an item cannot be answered', async () => {
    get.mockResolvedValue({ item: first, thread: [first], source: 'stored', truncated: false, notice: '', replies: [],
      actions: [{ id: 'reply', enabled: false, reason: 'This was deleted on Mastodon; there is nothing to reply to.' }] });
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    expect(await screen.findByTestId('reply-disabled')).toHaveTextContent('deleted on Mastodon');
    expect(screen.queryByTestId('reply-text')).toBeNull();
  });

  it('shows a failed reply with its reason and a way to try again', async () => {
    get.mockResolvedValue({ item: first, thread: [first], source: 'network', truncated: false, notice: '', actions: [replyAction],
      replies: [{ postId: 5, targetId: 6, itemId: 1, channelId: 12, text: 'Yes!', status: 'failed', class: 'content_rejected',
        message: 'Mastodon refused the post: Validation failed', remoteUrl: '', createdAt: '2026-12-07T10:05:00Z', publishedAt: '', nextAttemptAt: '', held: false }] });
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    const r = await screen.findByTestId('reply');
    expect(r).toHaveAttribute('data-status', 'failed');
    expect(r).toHaveTextContent('Not sent');
    expect(r).toHaveTextContent('Validation failed');
    expect(within(r).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('likes, blocks only after asking, and shows why hiding is not possible', async () => {
    get.mockResolvedValue({ item: first, thread: [first], source: 'network', truncated: false, notice: '', replies: [], actions: mastodonActions });
    act.mockResolvedValue({ item: first, thread: [first], source: 'network', truncated: false, notice: '', replies: [], actions: mastodonActions });
    const { user } = renderInbox();
    await user.click(await screen.findByTestId('inbox-row-1'));
    const hide = await screen.findByTestId('moderation-hide');
    expect(hide).toHaveAttribute('aria-disabled', 'true');
    expect(hide).toHaveAccessibleDescription('Mastodon has no way to hide a reply under your post.');
    await user.click(hide);
    expect(act).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('moderation-like'));
    await waitFor(() => {
      expect(act).toHaveBeenCalledWith(1, 'like', false);
    });
    await user.click(screen.getByTestId('moderation-block'));
    expect(act).toHaveBeenCalledTimes(1); // not yet: it asks first
    await user.click(await screen.findByTestId('moderation-block-confirm'));
    await waitFor(() => {
      expect(act).toHaveBeenLastCalledWith(1, 'block', false);
    });
  });

  it('shows done items under Done', async () => {
    const { user } = renderInbox();
    await screen.findByTestId('inbox-row-1');
    list.mockResolvedValue({ items: [], next: '' });
    await user.click(screen.getByRole('radio', { name: 'Done' }));
    await waitFor(() => {
      expect(queryOf(list.mock.calls.length - 1).statuses).toEqual(['done']);
    });
    expect(await screen.findByText('Nothing done')).toBeInTheDocument();
  });

  it('opens the item a notification names, and marks it read', async () => {
    renderInbox('/inbox?item=2');
    const conversation = await screen.findByTestId('conversation');
    expect(within(conversation).getByTestId('conversation-current')).toHaveTextContent('ثلاثة أسئلة');
    expect(markRead).toHaveBeenCalledWith([2]);
    expect(await screen.findByTestId('inbox-row-2')).toHaveAttribute('aria-current', 'true');
  });

  it('says how to get an inbox when no channel can be read', async () => {
    syncStatus.mockResolvedValue([status({ readable: false })]);
    renderInbox();
    expect(await screen.findByTestId('inbox-no-channels')).toHaveTextContent('Connect a Mastodon or Bluesky channel');
    expect(screen.getByRole('link', { name: 'Go to Channels' })).toBeInTheDocument();
  });
});
