import type { compose, service } from '../wailsjs/go/models';
import * as Posts from '../wailsjs/go/service/Posts';
import { call } from './call';

/*
 * The post DTOs as plain data (the generated classes also carry helper
 * methods the JSON lacks), and the calls of the Posts service.
 */

export type MediaView = service.MediaView;
export type VariantInput = Omit<service.VariantInput, 'convertValues' | 'media'> & { media: MediaView[] };
export type DraftInput = Omit<service.DraftInput, 'convertValues' | 'variants'> & { variants: VariantInput[] };
export type Count = compose.Count;
export type Issue = compose.Issue;
export type CheckResult = Omit<compose.Result, 'convertValues'>;
export type VariantCheck = Omit<service.VariantCheck, 'convertValues' | 'result'> & { result: CheckResult };
export type Validation = Omit<service.Validation, 'convertValues' | 'variants'> & { variants: VariantCheck[] };
export type AttemptView = service.AttemptView;
export type TargetView = Omit<service.TargetView, 'convertValues' | 'variant' | 'attempts'> & {
  variant: VariantInput;
  attempts: AttemptView[];
};
export type PostView = Omit<service.PostView, 'convertValues' | 'targets'> & { targets: TargetView[] };
export type ScheduleResult = Omit<service.ScheduleResult, 'convertValues' | 'post'> & { post: PostView };
export type PostQuery = service.PostQuery;
export type TargetBrief = service.TargetBrief;
export type PostSummary = Omit<service.PostSummary, 'convertValues'>;
export type QueuePageQuery = service.QueuePageQuery;
export type QueuePage = Omit<service.QueuePage, 'convertValues' | 'posts'> & { posts: PostSummary[] };
export type QueueCounts = service.QueueCounts;
export type CalendarItem = service.CalendarItem;
export type ExpiryMarker = service.ExpiryMarker;
export type CalendarRange = Omit<service.CalendarRange, 'convertValues'>;

/** TargetView.status values. */
export type TargetStatus = 'draft' | 'scheduled' | 'claimed' | 'published' | 'failed' | 'skipped' | 'blocked' | 'cancelled';

/** PostView.status values: a summary of its targets. */
export type PostStatus = 'draft' | 'scheduled' | 'publishing' | 'published' | 'partial' | 'failed' | 'cancelled';

/** DraftInput.missedPolicy values. */
export type MissedPolicy = 'publish_late' | 'skip' | 'ask';

/** Issue.severity values: an error blocks publishing, a warning advises. */
export type Severity = 'error' | 'warning';

/** Copies a file the page read itself (base64, without the data: prefix) into Herald's media folder. */
export const importMediaData = (name: string, base64: string): Promise<MediaView> =>
  call(() => Posts.ImportMediaData(name, base64));

/** An image attachment as a data: URL for a thumbnail. */
export const mediaPreview = (path: string): Promise<string> => call(() => Posts.MediaPreview(path));

/** Checks every variant against its network's rules; runs offline. */
export const validateDraft = (input: DraftInput): Promise<Validation> =>
  call(() => Posts.Validate(input as service.DraftInput));

/** Creates (id 0) or updates a post; works offline. */
export const saveDraft = (input: DraftInput): Promise<PostView> =>
  call(() => Posts.SaveDraft(input as service.DraftInput));

/** Schedules a post at a wall-clock time ("2026-12-01T09:30") in a time zone. */
export const schedulePost = (postId: number, local: string, zone: string): Promise<ScheduleResult> =>
  call(() => Posts.Schedule(postId, local, zone));

/** Moves a post to a new instant (RFC 3339), keeping its time zone. */
export const reschedulePost = (postId: number, at: string): Promise<PostView> =>
  call(() => Posts.Reschedule(postId, at));

export const publishNow = (postId: number): Promise<PostView> => call(() => Posts.PublishNow(postId));

/** Puts each variant in its channel's next free queue slot. */
export const addToQueue = (postId: number): Promise<PostView> => call(() => Posts.AddToQueue(postId));

/** Back to a draft. */
export const unschedulePost = (postId: number): Promise<PostView> => call(() => Posts.Unschedule(postId));

/** Deletes the post from Herald only; nothing is deleted on the networks. */
export const deletePost = (postId: number): Promise<void> => call(() => Posts.Delete(postId));

export const getPost = (postId: number): Promise<PostView> => call(() => Posts.Get(postId));

export const listPosts = (query: PostQuery): Promise<PostSummary[]> => call(() => Posts.List(query));

/** One page of a Queue tab in its order; pass the previous page's `next` as `after`. */
export const queuePage = (query: QueuePageQuery): Promise<QueuePage> => call(() => Posts.QueuePage(query));

/** How many posts each Queue tab lists under the filters (statuses and limit are ignored). */
export const queueCounts = (query: PostQuery): Promise<QueueCounts> => call(() => Posts.QueueCounts(query));

/** The variants placed in [from, to) (RFC 3339) and the sign-ins ending in it; no channels = all. */
export const calendarRange = (from: string, to: string, channelIds: number[]): Promise<CalendarRange> =>
  call(() => Posts.Calendar(from, to, channelIds));

/** Publishes a failed, skipped or waiting variant now. */
export const retryTarget = (targetId: number): Promise<PostView> => call(() => Posts.RetryTarget(targetId));

/** Gives up on a waiting variant: it is listed as not published. */
export const skipTarget = (targetId: number): Promise<PostView> => call(() => Posts.SkipTarget(targetId));
