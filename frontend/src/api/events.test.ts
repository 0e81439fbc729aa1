import { afterEach, describe, expect, it } from 'vitest';
import { installRuntime } from '../test/runtime';
import { onChannelHealth, onChannelsChanged, onConnectProgress, onNavigate } from './events';
import type { HealthChange, NavigateRequest, Snapshot } from './types';

describe('events', () => {
  afterEach(() => {
    Reflect.deleteProperty(window, 'runtime');
  });

  it('does nothing, and fails nothing, without the Wails runtime', () => {
    const off = onChannelsChanged(() => {
      throw new Error('no event can arrive');
    });
    expect(() => {
      off();
    }).not.toThrow();
  });

  it('passes payloads through and stops on unsubscribe', () => {
    const runtime = installRuntime();
    const seen: unknown[] = [];
    const offs = [
      onConnectProgress((s: Snapshot) => seen.push(s.id)),
      onChannelHealth((c: HealthChange) => seen.push(c.status)),
      onNavigate((n: NavigateRequest) => seen.push(n.path)),
      onChannelsChanged(() => seen.push('changed')),
    ];
    runtime.emit('oauth:progress', { id: 'sess-1' });
    runtime.emit('channels:health', { channelId: 1, status: 'disconnected' });
    runtime.emit('app:navigate', { path: '/channels?reconnect=1' });
    runtime.emit('channels:changed', null);
    expect(seen).toEqual(['sess-1', 'disconnected', '/channels?reconnect=1', 'changed']);

    offs.forEach((off) => {
      off();
    });
    runtime.emit('channels:changed', null);
    expect(seen).toHaveLength(4);
    expect(runtime.listeners('oauth:progress')).toBe(0);
  });
});
