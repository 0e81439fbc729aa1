import { afterEach, describe, expect, it } from 'vitest';
import { postFixture } from '../../test/postFixtures';
import { formatDateTime, setClockSetting } from '../../time/format';
import { computerZone } from '../../time/zones';
import { defaultWhen, describeWhen, scheduledText, whenLocal } from './WhenFields';

const now = new Date('2030-11-30T12:00:00Z');

describe('describeWhen', () => {
  afterEach(() => {
    setClockSetting('system');
  });

  it('writes the time in the one style, naming the zone and the time here when the zone is not the computer’s', () => {
    setClockSetting('24');
    const d = describeWhen({ date: '2030-12-01', time: '10:00', zone: 'Asia/Tokyo' }, now);
    const here = formatDateTime(new Date('2030-12-01T01:00:00Z'), { now });
    expect(d?.text).toBe(`Sun 1 Dec, 10:00 Asia/Tokyo = ${here} here · in 13 hours`);
    expect(d?.problem).toBeUndefined();
    const own = computerZone();
    expect(describeWhen({ date: '2030-12-01', time: '09:30', zone: own }, now)?.text).toMatch(/^Sun 1 Dec, 09:30 · /);
    setClockSetting('12');
    expect(describeWhen({ date: '2030-12-01', time: '21:30', zone: own }, now)?.text).toMatch(/^Sun 1 Dec, 9:30 PM · /);
  });

  it('tells what daylight saving time does, and refuses a time that passed', () => {
    setClockSetting('24');
    const skipped = describeWhen({ date: '2031-03-30', time: '02:30', zone: 'Europe/Berlin' }, now);
    expect(skipped?.problem).toBeUndefined();
    expect(skipped?.notice).toMatch(/^02:30 does not exist on Sun 30 Mar 2031 in Europe\/Berlin: the clocks jump from 02:00 to 03:00\. Herald will publish at Sun 30 Mar 2031, 03:30/);
    const repeated = describeWhen({ date: '2031-10-26', time: '02:30', zone: 'Europe/Berlin' }, now);
    expect(repeated?.notice).toMatch(/happens twice .* the first, Sun 26 Oct 2031, 02:30.*\(UTC\+02:00\), not the second \(UTC\+01:00\)\.$/);
    expect(describeWhen({ date: '2030-11-29', time: '09:30', zone: 'UTC' }, now)?.problem).toMatch(/That time has passed/);
  });

  it('after scheduling, names the instant the backend stored, and trusts the backend when it cannot tell', () => {
    setClockSetting('24');
    const result = (scheduledAt: string, note: string) => ({ post: postFixture({ id: 7, scheduledAt }), note });
    const told = scheduledText('2031-03-30T02:30', 'Europe/Berlin', result('2031-03-30T01:30:00Z', 'backend words'), now);
    expect(told.note).toMatch(/Herald will publish at Sun 30 Mar 2031, 03:30.*\(UTC\+02:00\)\.$/);
    expect(told.message).toBe(told.note);
    expect(scheduledText('2030-12-01T09:30', 'UTC', result('2030-12-01T09:30:00Z', 'backend words'), now).note).toBe('backend words');
    const plain = scheduledText('2030-12-01T09:30', 'UTC', result('2030-12-01T09:30:00Z', ''), now);
    expect(plain.note).toBeUndefined();
    expect(plain.message).toBe(`Herald publishes it on ${formatDateTime(new Date('2030-12-01T09:30:00Z'), { zone: 'UTC', now })}.`);
  });

  it('waits for a date and a time', () => {
    expect(describeWhen({ date: null, time: '09:30', zone: 'UTC' }, now)).toBeUndefined();
    expect(whenLocal({ date: '2030-12-01', time: '', zone: 'UTC' })).toBeUndefined();
    expect(whenLocal({ date: '2030-12-01', time: '09:30', zone: 'UTC' })).toBe('2030-12-01T09:30');
  });

  it('starts at the next quarter hour at least half an hour ahead', () => {
    expect(defaultWhen(new Date('2030-11-30T12:07:00Z'), 'Europe/Berlin')).toEqual({ date: '2030-11-30', time: '13:45', zone: 'Europe/Berlin' });
  });
});
