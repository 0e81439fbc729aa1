import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem, InboxRule, InboxRuleForm, InboxRulePreview, InboxSyncStatus } from '../../api/inbox';
import type { ChannelView, TeamView } from '../../api/types';
import { ChannelListProvider } from '../../hooks/useChannelList';
import { mockedBinding } from '../../test/bindings';
import { channelFixture, teamFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { type FakeRuntime, installRuntime } from '../../test/runtime';
import * as Channels from '../../wailsjs/go/service/Channels';
import * as Inbox from '../../wailsjs/go/service/Inbox';
import * as Teams from '../../wailsjs/go/service/Teams';
import { InboxRulesPanel } from './InboxRulesPanel';
import { InboxSyncPanel } from './InboxSyncPanel';

vi.mock('../../wailsjs/go/service/Channels', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Teams', () => ({ List: vi.fn() }));
vi.mock('../../wailsjs/go/service/Inbox', () => ({
  Rules: vi.fn(),
  CreateRule: vi.fn(),
  UpdateRule: vi.fn(),
  SetRuleEnabled: vi.fn(),
  MoveRule: vi.fn(),
  DeleteRule: vi.fn(),
  PreviewRule: vi.fn(),
  SyncStatus: vi.fn(),
  SyncNow: vi.fn(),
  SetChannelNotifications: vi.fn(),
}));

const rulesCall = mockedBinding<InboxRule[]>(Inbox.Rules);
const create = mockedBinding<InboxRule>(Inbox.CreateRule);
const update = mockedBinding<InboxRule>(Inbox.UpdateRule);
const setEnabled = mockedBinding<InboxRule>(Inbox.SetRuleEnabled);
const move = mockedBinding<InboxRule[]>(Inbox.MoveRule);
const remove = mockedBinding<undefined>(Inbox.DeleteRule);
const preview = mockedBinding<InboxRulePreview>(Inbox.PreviewRule);
const syncStatus = mockedBinding<InboxSyncStatus[]>(Inbox.SyncStatus);
const setNotifications = mockedBinding<undefined>(Inbox.SetChannelNotifications);

const shop = channelFixture({ id: 12, displayName: 'Shop' });

function rule(over: Partial<InboxRule> = {}): InboxRule {
  return {
    id: 1,
    position: 1,
    name: 'Refunds',
    enabled: true,
    textContains: 'refund',
    authorIs: '',
    kind: '',
    channelId: 0,
    channelName: '',
    addLabel: 'billing',
    markDone: false,
    teamId: 0,
    teamName: '',
    notify: false,
    conditions: ['the text contains “refund”'],
    actions: ['add the label “billing”'],
    updatedAt: '2026-12-07T10:00:00Z',
    ...over,
  };
}

const bots = rule({
  id: 2,
  position: 2,
  name: 'Bots',
  enabled: false,
  textContains: '',
  authorIs: 'bot@x.example',
  addLabel: '',
  markDone: true,
  conditions: ['the author is @bot@x.example'],
  actions: ['mark it done'],
});

function matchItem(id: number, text: string): InboxItem {
  return {
    id,
    channelId: 12,
    channelName: 'Shop',
    network: 'mastodon',
    remoteId: String(id),
    kind: 'reply',
    authorHandle: '@ana@example.social',
    authorName: 'Ana',
    authorAvatarUrl: '',
    authorProfileUrl: '',
    text,
    links: [],
    url: '',
    parentRemoteId: '',
    rootRemoteId: '',
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
    version: 0,
  };
}

let runtime: FakeRuntime;

beforeEach(() => {
  runtime = installRuntime();
  mockedBinding<ChannelView[]>(Channels.List).mockResolvedValue([shop]);
  mockedBinding<TeamView[]>(Teams.List).mockResolvedValue([teamFixture({ id: 3, name: 'Support' })]);
  rulesCall.mockResolvedValue([rule(), bots]);
});

afterEach(() => {
  runtime.uninstall();
  vi.clearAllMocks();
});

const renderPanel = () =>
  renderWithProviders(
    <ChannelListProvider>
      <InboxRulesPanel />
    </ChannelListProvider>,
  );

describe('Settings → Inbox → Rules', () => {
  it('lists the rules in order with what each does', async () => {
    renderPanel();
    const rows = await screen.findAllByTestId('rule-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByTestId('rule-name-cell')).toHaveTextContent('1. Refunds');
    expect(within(rows[0]!).getByTestId('rule-sentence')).toHaveTextContent('When the text contains “refund”, add the label “billing”.');
    expect(within(rows[1]!).getByText('Off')).toBeInTheDocument();
    expect(within(rows[0]!).getByRole('button', { name: 'Move Refunds up' })).toBeDisabled();
    expect(within(rows[1]!).getByRole('button', { name: 'Move Bots down' })).toBeDisabled();
    expect(within(rows[1]!).getByRole('switch', { name: 'Bots is on' })).not.toBeChecked();
  });

  it('says when there is no rule yet', async () => {
    rulesCall.mockResolvedValue([]);
    renderPanel();
    expect(await screen.findByTestId('inbox-rules-empty')).toHaveTextContent('No rules yet');
  });

  it('adds a rule, showing the backend’s refusal beside the right field first', async () => {
    const { user } = renderPanel();
    await screen.findAllByTestId('rule-row');
    await user.click(screen.getByRole('button', { name: 'Add a rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a rule' });
    expect(within(dialog).getByRole('textbox', { name: /Name/ })).toHaveFocus();
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Everything');
    create.mockRejectedValueOnce({
      code: 'invalid_input',
      field: 'conditions',
      message: 'Give the rule at least one condition.',
      hint: 'Fill in the text, an author, a kind or a channel.',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Add the rule' }));
    expect(await within(dialog).findByTestId('rule-conditions-error')).toHaveTextContent(
      'Give the rule at least one condition. Fill in the text, an author, a kind or a channel.',
    );

    await user.type(within(dialog).getByRole('textbox', { name: /The text contains/ }), 'shipping');
    await user.click(within(dialog).getByRole('checkbox', { name: /Notify me/ }));
    create.mockResolvedValueOnce(rule({ id: 3, name: 'Everything' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add the rule' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog', { name: 'Add a rule' })).not.toBeInTheDocument();
    });
    const sent = create.mock.calls.at(-1)?.[0] as unknown as InboxRuleForm;
    expect(sent).toMatchObject({ name: 'Everything', textContains: 'shipping', notify: true, enabled: true, channelId: 0, teamId: 0 });
    expect(screen.getByText('Everything acts on new items from now on.')).toBeInTheDocument();
  });

  it('shows a field error on the field', async () => {
    const { user } = renderPanel();
    await screen.findAllByTestId('rule-row');
    await user.click(screen.getByRole('button', { name: 'Add a rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a rule' });
    create.mockRejectedValueOnce({ code: 'invalid_input', field: 'authorIs', message: 'An author is one handle, without spaces.' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Ana');
    await user.type(within(dialog).getByRole('textbox', { name: /The author is/ }), 'ana smith');
    await user.click(within(dialog).getByRole('button', { name: 'Add the rule' }));
    const author = within(dialog).getByRole('textbox', { name: /The author is/ });
    await waitFor(() => {
      expect(author).toHaveAttribute('aria-invalid', 'true');
    });
    expect(within(dialog).getByText('An author is one handle, without spaces.')).toBeInTheDocument();
  });

  it('tests a rule on the newest items and pages through the matches', async () => {
    const { user } = renderPanel();
    await screen.findAllByTestId('rule-row');
    await user.click(screen.getByRole('button', { name: 'Edit Refunds' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit the rule Refunds' });
    preview.mockResolvedValueOnce({
      scanned: 500,
      matched: 12,
      offset: 0,
      actions: ['add the label “billing”'],
      items: Array.from({ length: 10 }, (_, i) => matchItem(i + 1, `refund ${i + 1}`)),
    });
    await user.click(within(dialog).getByRole('button', { name: 'Test on the last 500 items' }));
    const result = await within(dialog).findByTestId('rule-preview');
    expect(result).toHaveTextContent('Matches 12 of the 500 newest items.');
    expect(result).toHaveTextContent('For each, it would add the label “billing”.');
    expect(within(result).getAllByRole('listitem')).toHaveLength(10);
    expect(preview).toHaveBeenLastCalledWith(expect.objectContaining({ textContains: 'refund', addLabel: 'billing' }), 0, 10);

    preview.mockResolvedValueOnce({ scanned: 500, matched: 12, offset: 10, actions: [], items: [matchItem(11, 'refund 11'), matchItem(12, 'refund 12')] });
    await user.click(within(result).getByRole('button', { name: 'Show the next 2 of 2 more' }));
    await waitFor(() => {
      expect(within(result).getAllByRole('listitem')).toHaveLength(12);
    });
    expect(preview).toHaveBeenLastCalledWith(expect.anything(), 10, 10);

    // Changing a condition drops a preview that no longer applies.
    await user.type(within(dialog).getByRole('textbox', { name: /The text contains/ }), 's');
    expect(within(dialog).queryByTestId('rule-preview')).not.toBeInTheDocument();

    update.mockResolvedValueOnce(rule({ textContains: 'refunds' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save the rule' }));
    expect(update).toHaveBeenCalledWith(1, expect.objectContaining({ textContains: 'refunds' }));
  });

  it('switches, moves and deletes a rule (after asking)', async () => {
    const { user } = renderPanel();
    const rows = await screen.findAllByTestId('rule-row');
    setEnabled.mockResolvedValueOnce({ ...bots, enabled: true });
    await user.click(within(rows[1]!).getByRole('switch', { name: 'Bots is on' }));
    expect(setEnabled).toHaveBeenCalledWith(2, true);

    move.mockResolvedValueOnce([bots, rule()]);
    rulesCall.mockResolvedValue([
      { ...bots, position: 1 },
      { ...rule(), position: 2 },
    ]);
    await user.click(within(rows[1]!).getByRole('button', { name: 'Move Bots up' }));
    expect(move).toHaveBeenCalledWith(2, true);
    await waitFor(() => {
      expect(within(screen.getAllByTestId('rule-row')[0]!).getByTestId('rule-name-cell')).toHaveTextContent('1. Bots');
    });
    // Focus stays with the moved rule (now first: its other button).
    await waitFor(() => {
      expect(screen.getByRole('button', { name: 'Move Bots down' })).toHaveFocus();
    });

    await user.click(screen.getByRole('button', { name: 'Delete Refunds' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete the rule Refunds?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    remove.mockResolvedValueOnce(undefined);
    rulesCall.mockResolvedValue([{ ...bots, position: 1 }]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete rule' }));
    expect(remove).toHaveBeenCalledWith(1);
    await waitFor(() => {
      expect(screen.getAllByTestId('rule-row')).toHaveLength(1);
    });
  });
});

describe('Settings → Inbox → notifications per channel', () => {
  it('turns a channel’s notifications off', async () => {
    const status: InboxSyncStatus = {
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
    };
    syncStatus.mockResolvedValue([status]);
    setNotifications.mockResolvedValue(undefined);
    const { user } = renderWithProviders(<InboxSyncPanel />);
    const toggle = await screen.findByRole('switch', { name: 'Notifications for Shop' });
    expect(toggle).toBeChecked();
    syncStatus.mockResolvedValue([{ ...status, notify: false }]);
    await user.click(toggle);
    expect(setNotifications).toHaveBeenCalledWith(12, false);
    await waitFor(() => {
      expect(screen.getByRole('switch', { name: 'Notifications for Shop' })).not.toBeChecked();
    });
  });
});
