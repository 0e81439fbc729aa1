import { describe, expect, it } from 'vitest';
import { defaultWhen, describeWhen, whenLocal } from './WhenFields';

const now = new Date('2030-11-30T12:00:00Z');

describe('describeWhen', () => {
  it('says what the time is in UTC', () => {
    const d = describeWhen({ date: '2030-12-01', time: '09:30', zone: 'Europe/Berlin' }, now);
    expect(d?.text).toMatch(/^09:30 Europe\/Berlin = 08:30 UTC/);
    expect(d?.problem).toBeUndefined();
  });

  it('warns about a time the clocks skip, and refuses one that passed', () => {
    expect(describeWhen({ date: '2031-03-30', time: '02:30', zone: 'Europe/Berlin' }, now)?.problem).toMatch(/The clocks skip 02:30/);
    expect(describeWhen({ date: '2030-11-29', time: '09:30', zone: 'UTC' }, now)?.problem).toMatch(/That time has passed/);
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
