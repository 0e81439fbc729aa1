import type { service } from '../wailsjs/go/models';
import * as Inbox from '../wailsjs/go/service/Inbox';
import { call } from './call';

/*
 * The inbox DTOs as plain data, and the calls of the Inbox service.
 */

export type InboxFilter = service.InboxFilter;
export type InboxItem = Omit<service.InboxItemView, 'convertValues'>;
export type InboxPage = Omit<service.InboxPage, 'convertValues' | 'items'> & { items: InboxItem[] };
export type InboxCounts = Omit<service.InboxCounts, 'convertValues'>;
export type ReplyView = Omit<service.ReplyView, 'convertValues'>;
export type ItemAction = Omit<service.ItemAction, 'convertValues'>;
export type ReplyInput = Omit<service.ReplyInput, 'convertValues'>;
export type ReplyCheck = Omit<service.ReplyCheck, 'convertValues'>;
export type InboxConversation = Omit<service.InboxConversation, 'convertValues' | 'item' | 'thread' | 'replies' | 'actions'> & {
  item: InboxItem;
  thread: InboxItem[];
  replies: ReplyView[];
  actions: ItemAction[];
};
export type InboxSyncStatus = Omit<service.InboxSyncStatus, 'convertValues'>;

/** InboxItem.kind values. */
export type InboxKind = 'mention' | 'reply' | 'quote' | 'message';

/** InboxItem.status values. */
export type InboxStatus = 'open' | 'done' | 'archived';

/** A page of items matching the filter, newest first; `cursor` "" for the first page. */
export const listInbox = (filter: InboxFilter, cursor: string): Promise<InboxPage> => call(() => Inbox.List(filter, cursor));

/** Unread items in all and per channel. */
export const inboxCounts = (): Promise<InboxCounts> => call(() => Inbox.Counts());

/** An item with its thread (from the network when it can be read, else what Herald holds). */
export const getConversation = (id: number): Promise<InboxConversation> => call(() => Inbox.Get(id));

export const markRead = (ids: number[]): Promise<void> => call(() => Inbox.MarkRead(ids));
export const markUnread = (ids: number[]): Promise<void> => call(() => Inbox.MarkUnread(ids));
export const setStatus = (ids: number[], status: InboxStatus): Promise<void> => call(() => Inbox.SetStatus(ids, status));
export const addLabel = (ids: number[], label: string): Promise<void> => call(() => Inbox.AddLabel(ids, label));
export const removeLabel = (ids: number[], label: string): Promise<void> => call(() => Inbox.RemoveLabel(ids, label));
export const setNote = (id: number, note: string): Promise<void> => call(() => Inbox.SetNote(id, note));
export const assignTeam = (ids: number[], teamId: number): Promise<void> => call(() => Inbox.Assign(ids, teamId));

/** Every channel's sync: when it last ran and runs next, and why it is skipped. */
export const inboxSyncStatus = (): Promise<InboxSyncStatus[]> => call(() => Inbox.SyncStatus());

/** Syncs one channel now (0: every channel) and returns the statuses after. */
export const syncInboxNow = (channelId: number): Promise<InboxSyncStatus[]> => call(() => Inbox.SyncNow(channelId));

/** The live check of a reply being written: the composer's counting, for the item's network. */
export const checkReply = (input: ReplyInput): Promise<ReplyCheck> => call(() => Inbox.CheckReply(input));

/**
 * Sends a reply: saved, then published at once by the engine. `key` is made
 * once per reply being written; sending again with it returns the first.
 */
export const sendReply = (input: ReplyInput): Promise<ReplyView> => call(() => Inbox.Reply(input));

/** ItemAction.id values other than reply. */
export type ModerationAction = 'like' | 'hide' | 'mute' | 'block';

/**
 * Likes or hides the item, or mutes or blocks its author, on the network
 * (`undo` takes it back); returns the conversation as it now stands.
 */
export const actOnItem = (id: number, action: ModerationAction, undo: boolean): Promise<InboxConversation> =>
  call(() => Inbox.Act(id, action, undo));

export type InboxRuleForm = service.InboxRuleForm;
export type InboxRule = Omit<service.InboxRuleView, 'convertValues'>;
export type InboxRulePreview = Omit<service.InboxRulePreview, 'convertValues' | 'items'> & { items: InboxItem[] };
export type ResponseTimes = service.ResponseTimes;
export type ResponseTimesReport = Omit<service.ResponseTimesReport, 'convertValues'>;

/** The inbox rules in the order they run. */
export const listRules = (): Promise<InboxRule[]> => call(() => Inbox.Rules());
/** Adds a rule at the end of the list; it acts on items that arrive from now on. */
export const createRule = (form: InboxRuleForm): Promise<InboxRule> => call(() => Inbox.CreateRule(form));
export const updateRule = (id: number, form: InboxRuleForm): Promise<InboxRule> => call(() => Inbox.UpdateRule(id, form));
export const setRuleEnabled = (id: number, enabled: boolean): Promise<InboxRule> => call(() => Inbox.SetRuleEnabled(id, enabled));
/** Moves a rule one place up or down; resolves to the list after. */
export const moveRule = (id: number, up: boolean): Promise<InboxRule[]> => call(() => Inbox.MoveRule(id, up));
export const deleteRule = (id: number): Promise<void> => call(() => Inbox.DeleteRule(id));
/** What a rule (saved or not) would match among the 500 newest items, and a page of the matches; changes nothing. */
export const previewRule = (form: InboxRuleForm, offset: number, limit: number): Promise<InboxRulePreview> =>
  call(() => Inbox.PreviewRule(form, offset, limit));

/** First-reply times of the items created in [from, to) (RFC 3339). */
export const responseTimes = (from: string, to: string): Promise<ResponseTimesReport> => call(() => Inbox.ResponseTimes(from, to));

/** Turns the desktop notifications for a channel's new items on or off. */
export const setChannelNotifications = (channelId: number, on: boolean): Promise<void> =>
  call(() => Inbox.SetChannelNotifications(channelId, on));

export type SavedReply = Omit<service.SavedReplyView, 'convertValues'>;
export type FilledReply = Omit<service.FilledReply, 'convertValues'>;

/** The saved replies, by name. */
export const listSavedReplies = (): Promise<SavedReply[]> => call(() => Inbox.SavedReplies());
/** Creates (id 0) or changes a saved reply; an unknown {variable} is refused. */
export const saveSavedReply = (input: { id: number; name: string; body: string }): Promise<SavedReply> => call(() => Inbox.SaveSavedReply(input));
export const deleteSavedReply = (id: number): Promise<void> => call(() => Inbox.DeleteSavedReply(id));
/** A saved reply with the item's {name}, {handle} and {post_url} put in. */
export const fillSavedReply = (savedId: number, itemId: number): Promise<FilledReply> => call(() => Inbox.FillSavedReply(savedId, itemId));
