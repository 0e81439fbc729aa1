import type { service } from '../wailsjs/go/models';
import * as Publishing from '../wailsjs/go/service/Publishing';
import { call } from './call';

export type PublishingStatus = service.PublishingStatus;
export type QueueSlot = service.SlotView;
export type QueueTimes = Omit<service.QueueTimes, 'convertValues'>;

/** Payload of the publish:result event: one attempt ended. */
export interface PublishResult {
  postId: number;
  targetId: number;
  channelId: number;
  status: string;
  class: string;
  message: string;
  remoteUrl: string;
}

/** Pause state, the next post due and how many variants need the user. */
export const publishingStatus = (): Promise<PublishingStatus> => call(() => Publishing.Status());

/** Pauses or resumes all publishing; instant, and needs no network. */
export const setPublishingPaused = (paused: boolean): Promise<PublishingStatus> =>
  call(() => Publishing.SetPaused(paused));

/** A channel's weekly posting times. */
export const queueTimes = (channelId: number): Promise<QueueTimes> => call(() => Publishing.QueueSlots(channelId));

/** Replaces a channel's weekly posting times. */
export const setQueueTimes = (times: QueueTimes): Promise<QueueTimes> =>
  call(() => Publishing.SetQueueSlots(times as service.QueueTimes));
