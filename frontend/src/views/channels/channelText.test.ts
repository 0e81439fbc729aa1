import { describe, expect, it } from 'vitest';
import { channelInitials, naturalCompare } from './channelText';

describe('channelInitials', () => {
  it('tells apart channels whose names differ only by their number', () => {
    expect(channelInitials('Seed 1')).toBe('S1');
    expect(channelInitials('Seed 12')).toBe('S12');
    expect(channelInitials('Seed 2')).not.toBe(channelInitials('Seed 12'));
  });

  it('uses the first letters of the first and last words', () => {
    expect(channelInitials('Corner Shop Studio')).toBe('CS');
    expect(channelInitials('Shop')).toBe('Sh');
    expect(channelInitials('@shop.bsky.social')).toBe('SS');
  });
});

describe('naturalCompare', () => {
  it('puts Seed 2 before Seed 12', () => {
    expect(['Seed 12', 'Seed 2', 'Seed 1'].sort(naturalCompare)).toEqual(['Seed 1', 'Seed 2', 'Seed 12']);
  });
});
