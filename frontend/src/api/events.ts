import { EventsOn } from '../wailsjs/runtime/runtime';
import type { PublishResult } from './publishing';
import { hasRuntime } from './runtime';
import type { HealthChange, NavigateRequest, Snapshot } from './types';

/** The backend's event names (backend/events). */
export const EVENTS = {
  oauthProgress: 'oauth:progress',
  channelsChanged: 'channels:changed',
  channelHealth: 'channels:health',
  auditAppended: 'audit:appended',
  navigate: 'app:navigate',
  postsChanged: 'posts:changed',
  publishResult: 'publish:result',
  pauseChanged: 'publish:pause',
  inboxChanged: 'inbox:changed',
  metricsChanged: 'metrics:changed',
} as const;

type Unsubscribe = () => void;

const nothing: Unsubscribe = () => undefined;

/**
 * Listens to one backend event; returns the function that stops listening.
 * Without the Wails runtime (unit tests, a plain browser) nothing arrives.
 */
function on<T>(name: string, handler: (payload: T) => void): Unsubscribe {
  if (!hasRuntime()) {
    return nothing;
  }
  try {
    return EventsOn(name, (payload: T) => {
      handler(payload);
    });
  } catch {
    return nothing;
  }
}

/** A sign-in moved on: a new stage, an error, or the channels it found. */
export const onConnectProgress = (handler: (snapshot: Snapshot) => void): Unsubscribe =>
  on(EVENTS.oauthProgress, handler);

/** Channels or teams were added, changed or removed. */
export const onChannelsChanged = (handler: () => void): Unsubscribe =>
  on(EVENTS.channelsChanged, () => {
    handler();
  });

/** A channel's health status changed (a disconnect, a recovery, a reminder). */
export const onChannelHealth = (handler: (change: HealthChange) => void): Unsubscribe =>
  on(EVENTS.channelHealth, handler);

/** The backend asks the window to show a path, e.g. after a click on a desktop notification. */
export const onNavigate = (handler: (request: NavigateRequest) => void): Unsubscribe => on(EVENTS.navigate, handler);

/** A post was created, changed or deleted; the payload is its id, or null for many. */
export const onPostsChanged = (handler: (postId: number | null) => void): Unsubscribe =>
  on<number | null>(EVENTS.postsChanged, (postId) => {
    handler(typeof postId === 'number' ? postId : null);
  });

/** An attempt to publish a variant ended (published, failed, waiting or retrying). */
export const onPublishResult = (handler: (result: PublishResult) => void): Unsubscribe =>
  on(EVENTS.publishResult, handler);

/** All publishing was paused (true) or resumed (false). */
export const onPauseChanged = (handler: (paused: boolean) => void): Unsubscribe =>
  on<boolean>(EVENTS.pauseChanged, (paused) => {
    handler(paused === true);
  });

/** A channel's metrics were read (the payload is its id). */
export const onMetricsChanged = (handler: (channelId: number | null) => void): Unsubscribe =>
  on<number | null>(EVENTS.metricsChanged, (channelId) => {
    handler(typeof channelId === 'number' ? channelId : null);
  });

/** Inbox items arrived or changed; the payload is the channel synced, or null for a user's change. */
export const onInboxChanged = (handler: (channelId: number | null) => void): Unsubscribe =>
  on<number | null>(EVENTS.inboxChanged, (channelId) => {
    handler(typeof channelId === 'number' ? channelId : null);
  });
