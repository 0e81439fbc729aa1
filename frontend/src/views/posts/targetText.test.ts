import { describe, expect, it } from 'vitest';
import { needsAttention, problemOf, targetLook } from './targetText';

const target = (status: string, errorClass = '', handedOff = false) => ({ status, errorClass, errorMessage: 'msg', handedOff });

describe('targetLook', () => {
  it.each([
    [target('scheduled'), 'Scheduled'],
    [target('scheduled', '', true), 'Handed off'],
    [target('scheduled', 'missed_late'), 'Publishing late'],
    [target('blocked', 'auth_dead'), 'Waiting'],
    [target('blocked', 'missed'), 'Needs your decision'],
    [target('skipped', 'missed_window'), 'Not published'],
    [target('skipped', 'skipped_by_user'), 'Skipped'],
    [target('published'), 'Published'],
    [target('failed', 'content_rejected'), 'Failed'],
  ])('%j reads %s', (t, label) => {
    expect(targetLook(t).label).toBe(label);
  });
});

describe('problemOf', () => {
  it('needs nothing for a scheduled, published or user-skipped variant', () => {
    expect(problemOf(target('scheduled'), 'Shop')).toBeUndefined();
    expect(problemOf(target('published'), 'Shop')).toBeUndefined();
    expect(problemOf(target('skipped', 'skipped_by_user'), 'Shop')).toBeUndefined();
    expect(needsAttention(target('skipped', 'skipped_by_user'))).toBe(false);
  });

  it('sends a dead sign-in to Reconnect', () => {
    const p = problemOf(target('blocked', 'auth_dead'), 'Shop');
    expect(p?.title).toBe('Waiting for Shop to be reconnected');
    expect(p?.remedies).toEqual(['reconnect', 'skip']);
  });

  it('asks about a missed time', () => {
    expect(problemOf(target('blocked', 'missed'), 'Shop')?.remedies).toEqual(['publish_now', 'reschedule', 'skip']);
  });

  it('says a missed window was never attempted', () => {
    const p = problemOf(target('skipped', 'missed_window'), 'Shop');
    expect(p?.explanation).toMatch(/never attempted/);
    expect(p?.remedies).toEqual(['publish_now', 'reschedule']);
  });

  it('offers an edit for refused content', () => {
    expect(problemOf(target('failed', 'content_rejected'), 'Shop')?.remedies).toEqual(['edit', 'retry']);
    expect(problemOf(target('failed', 'something_new'), 'Shop')?.remedies).toEqual(['retry', 'edit', 'reschedule']);
  });
});
