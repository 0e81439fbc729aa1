import { describe, expect, it } from 'vitest';
import { isFiltered, localDayStart, NO_FILTERS, PAGE_SIZE, parseDay, toAuditQuery } from './auditQuery';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

describe('localDayStart', () => {
  it('is local midnight of the day, in RFC 3339', () => {
    const start = localDayStart('2026-03-01');
    expect(start).toMatch(RFC3339);
    expect(new Date(start).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(localDayStart('2026-12-31', 1)).getTime()).toBe(new Date(2027, 0, 1).getTime());
    expect(localDayStart(null)).toBe('');
    expect(localDayStart('soon')).toBe('');
  });
});

describe('toAuditQuery', () => {
  it('sends no filter as the empty query for the newest page', () => {
    expect(toAuditQuery(NO_FILTERS)).toEqual({
      from: '',
      to: '',
      actor: '',
      event: '',
      channelId: 0,
      team: '',
      text: '',
      beforeId: 0,
      limit: PAGE_SIZE,
    });
  });

  it('covers the whole last day and passes the other filters through', () => {
    const query = toAuditQuery(
      { from: '2026-03-01', to: '2026-03-31', actor: 'scheduler', event: 'post.', channelId: 12, team: 'Retail', text: '  sale ' },
      42,
      50,
    );
    expect(new Date(query.from).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(query.to).getTime()).toBe(new Date(2026, 3, 1).getTime());
    expect(query).toMatchObject({ actor: 'scheduler', event: 'post.', channelId: 12, team: 'Retail', text: 'sale', beforeId: 42, limit: 50 });
  });
});

describe('parseDay', () => {
  it('reads whole dates only', () => {
    expect(parseDay('2026-03-01')).toBe('2026-03-01');
    expect(parseDay('1 Mar 2026')).toBe('2026-03-01');
    expect(parseDay('2026-02-30')).toBeNull();
    expect(parseDay('2026')).toBeNull();
    expect(parseDay('1 Mar 20')).toBeNull();
    expect(parseDay('')).toBeNull();
  });
});

describe('isFiltered', () => {
  it('ignores a search of only spaces', () => {
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, text: '   ' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, from: '2026-03-01' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, channelId: 3 })).toBe(true);
  });
});
