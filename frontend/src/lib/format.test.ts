import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatRelative, parseTime } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1536, '1.5 KB'],
    [4_096_000, '4.1 MB'],
    [52_000_000, '52 MB'],
    [3_200_000_000, '3.2 GB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says unknown for nonsense', () => {
    expect(formatBytes(-1)).toBe('Unknown');
    expect(formatBytes(Number.NaN)).toBe('Unknown');
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 and rejects empty or bad input', () => {
    expect(parseTime('2025-01-02T03:04:05Z')?.toISOString()).toBe('2025-01-02T03:04:05.000Z');
    expect(parseTime('')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
    expect(parseTime('yesterday')).toBeUndefined();
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it.each([
    [10, 'just now'],
    [5 * 60, '5 minutes ago'],
    [2 * 60 * 60, '2 hours ago'],
    [26 * 60 * 60, 'yesterday'],
    [3 * 24 * 60 * 60, '3 days ago'],
    [400 * 24 * 60 * 60, 'last year'],
  ])('%d seconds ago reads %s', (seconds, text) => {
    expect(formatRelative(ago(seconds), now)).toBe(text);
  });
});

describe('formatCount', () => {
  it('groups thousands and names the thing counted, singular for one', () => {
    expect(formatCount(4012)).toBe('4,012');
    expect(formatCount(1, { one: 'follower', other: 'followers' })).toBe('1 follower');
    expect(formatCount(0, { one: 'post', other: 'posts' })).toBe('0 posts');
    expect(formatCount(1234567, { one: 'post', other: 'posts' })).toBe('1,234,567 posts');
  });
});
