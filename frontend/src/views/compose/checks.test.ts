import { describe, expect, it } from 'vitest';
import { checkFixture, countFixture, validationFixture } from '../../test/postFixtures';
import { blockersOf, groupProblems, ordinal, splitPoint } from './checks';

const names: Record<number, string> = { 1: 'Shop', 2: 'Café', 3: 'Seed 12' };
const nameOf = (ids: number[]) => ids.map((id) => names[id] ?? '?').join(', ');

const tooLong = (id: number, chars: number, max = 300) =>
  checkFixture(id, 'Bluesky', {
    text: countFixture({ chars, max, remaining: max - chars, fits: max }),
    issues: [{ field: 'text', severity: 'error', code: 'too_long', message: `This post is ${chars} characters; Bluesky allows ${max}.` }],
    ok: false,
  });

describe('groupProblems', () => {
  it('shows an issue shared by channels once, naming them', () => {
    const problems = groupProblems([tooLong(1, 312), tooLong(2, 312)], nameOf);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.text).toBe('Too long for Bluesky (Shop, Café): 312 of 300 characters');
    expect(problems[0]?.channelIds).toEqual([1, 2]);
  });

  it('keeps different problems apart: a customised variant of another length is its own line', () => {
    const problems = groupProblems([tooLong(1, 312), tooLong(3, 400)], nameOf);
    expect(problems.map((p) => p.text)).toEqual([
      'Too long for Bluesky (Shop): 312 of 300 characters',
      'Too long for Bluesky (Seed 12): 400 of 300 characters',
    ]);
  });

  it('gives the blockers each problem once, and only errors', () => {
    const warning = checkFixture(2, 'Bluesky', {
      issues: [{ field: 'media[0].alt', severity: 'warning', code: 'alt_missing', message: 'cat.png has no description.' }],
    });
    expect(blockersOf(validationFixture([tooLong(1, 312), tooLong(2, 312), warning]), nameOf)).toEqual([
      'Too long for Bluesky (Shop, Café): 312 of 300 characters',
    ]);
  });
});

describe('splitPoint', () => {
  it('splits at the last space before the strictest limit', () => {
    const text = 'hello world again';
    expect(splitPoint(text, [countFixture({ fits: 14 }), countFixture({ fits: 10 })])).toBe(5);
    expect(splitPoint(text, [countFixture({ fits: 11 })])).toBe(11);
  });

  it('cuts a single long word at the limit, and does nothing when it all fits', () => {
    expect(splitPoint('abcdefghij', [countFixture({ fits: 4 })])).toBe(4);
    expect(splitPoint('short', [countFixture({ fits: 5 })])).toBeUndefined();
  });
});

it('writes ordinals', () => {
  expect([1, 2, 3, 4, 5, 11, 12, 13, 21, 22].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '5th', '11th', '12th', '13th', '21st', '22nd']);
});
