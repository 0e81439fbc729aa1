import { describe, expect, it } from 'vitest';
import type { PostView } from '../../api/posts';
import {
  type CapsOf,
  contentFor,
  droppedFeatures,
  edit,
  emptyComposer,
  fingerprint,
  fromPost,
  resetToBase,
  toDraftInput,
  toggleChannel,
  toggleChannels,
} from './composerState';

const MASTODON = ['publish', 'media', 'alt_text', 'threads', 'first_comment', 'content_warning', 'visibility', 'native_schedule'];
const BLUESKY = ['publish', 'media', 'alt_text', 'threads', 'first_comment'];
const TEXT_ONLY = ['publish'];
const capsOf: CapsOf = (id) => ({ 1: MASTODON, 2: BLUESKY, 3: TEXT_ONLY })[id] ?? [];

const image = { path: 'ab/cd.png', name: 'cat.png', mime: 'image/png', size: 10, width: 1, height: 1, altText: 'A cat' };

function twoChannels() {
  let s = emptyComposer('Europe/Berlin');
  s = toggleChannel(s, 1);
  s = toggleChannel(s, 2);
  return s;
}

describe('the composer state', () => {
  it('gives every channel the base until it is customised', () => {
    let s = twoChannels();
    s = edit(s, 'base', { text: 'Hello', options: { content_warning: 'spoilers', visibility: 'unlisted' } }, capsOf);
    expect(contentFor(s, 1, capsOf).text).toBe('Hello');
    expect(contentFor(s, 1, capsOf).options).toEqual({ content_warning: 'spoilers', visibility: 'unlisted' });
    // Bluesky has no content warnings or visibility: they are left out of its variant.
    expect(contentFor(s, 2, capsOf).options).toEqual({});

    s = edit(s, 2, { text: 'Hello Bluesky' }, capsOf);
    s = edit(s, 'base', { text: 'Hello again' }, capsOf);
    expect(contentFor(s, 1, capsOf).text).toBe('Hello again');
    expect(contentFor(s, 2, capsOf).text).toBe('Hello Bluesky');

    s = resetToBase(s, 2);
    expect(contentFor(s, 2, capsOf).text).toBe('Hello again');
  });

  it('leaves out what a network cannot publish, and says so', () => {
    let s = toggleChannel(twoChannels(), 3);
    s = edit(s, 'base', { text: 'x', thread: ['y'], media: [image] }, capsOf);
    const input = toDraftInput(s, capsOf);
    expect(input.variants.map((v) => v.thread)).toEqual([['y'], ['y'], []]);
    expect(input.variants.map((v) => v.media.length)).toEqual([1, 1, 0]);
    expect(droppedFeatures(s, capsOf)).toEqual([
      { capability: 'threads', channelIds: [3] },
      { capability: 'media', channelIds: [3] },
    ]);
  });

  it('toggles a team of channels together', () => {
    let s = toggleChannels(emptyComposer(), [1, 2]);
    expect(s.channelIds).toEqual([1, 2]);
    s = toggleChannels(s, [2, 3]);
    expect(s.channelIds).toEqual([1, 2, 3]);
    s = toggleChannels(s, [2, 3]);
    expect(s.channelIds).toEqual([1]);
  });

  it('rebuilds a saved post, customising only the variants that differ', () => {
    const variant = (channelId: number, text: string, options: Record<string, string> = {}) => ({
      channelId,
      text,
      thread: [],
      firstComment: '',
      media: [],
      options,
    });
    const post = {
      id: 7,
      title: 'Launch',
      status: 'draft',
      scheduledAt: '',
      localTime: '',
      timeZone: 'Europe/Berlin',
      missedPolicy: 'ask',
      graceMinutes: 30,
      handoff: false,
      createdAt: '',
      updatedAt: '',
      targets: [
        { id: 1, channelId: 1, variant: variant(1, 'Hi', { visibility: 'unlisted' }) },
        { id: 2, channelId: 2, variant: variant(2, 'Hi') },
        { id: 3, channelId: 3, variant: variant(3, 'Hi there') },
      ],
    } as unknown as PostView;
    const s = fromPost(post, capsOf);
    expect(s.channelIds).toEqual([1, 2, 3]);
    expect(Object.keys(s.custom)).toEqual(['3']);
    expect(s.missedPolicy).toBe('ask');
    expect(fingerprint(s, capsOf)).toBe(fingerprint(fromPost(post, capsOf), capsOf));
    expect(fingerprint(edit(s, 'base', { text: 'Changed' }, capsOf), capsOf)).not.toBe(fingerprint(s, capsOf));
  });
});
