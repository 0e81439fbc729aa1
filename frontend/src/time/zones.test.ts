import { describe, expect, it } from 'vitest';
import { instantToWall, timeZones, wallToInstant, zoneOffsetMinutes } from './zones';

describe('wallToInstant', () => {
  it.each([
    ['2026-12-01T09:30', 'Europe/Berlin', '2026-12-01T08:30:00.000Z'],
    ['2026-07-01T09:30', 'Europe/Berlin', '2026-07-01T07:30:00.000Z'],
    ['2026-12-01T09:30', 'America/New_York', '2026-12-01T14:30:00.000Z'],
    ['2026-12-01T09:30', 'UTC', '2026-12-01T09:30:00.000Z'],
    ['2026-12-01T09:30', 'Asia/Kolkata', '2026-12-01T04:00:00.000Z'],
  ])('%s in %s is %s', (local, zone, iso) => {
    const result = wallToInstant(local, zone);
    expect(result?.at.toISOString()).toBe(iso);
    expect(result?.exists).toBe(true);
  });

  it('says when the clocks skip the time', () => {
    // Europe/Berlin springs forward from 02:00 to 03:00 on 29 March 2026.
    expect(wallToInstant('2026-03-29T02:30', 'Europe/Berlin')?.exists).toBe(false);
    expect(wallToInstant('2026-03-29T03:30', 'Europe/Berlin')?.exists).toBe(true);
  });

  it('rejects nonsense', () => {
    expect(wallToInstant('tomorrow', 'UTC')).toBeUndefined();
    expect(wallToInstant('2026-13-01T09:30', 'UTC')).toBeUndefined();
    expect(wallToInstant('2026-12-01T09:30', 'Mars/Olympus')).toBeUndefined();
  });
});

describe('instantToWall', () => {
  it('reads an instant in a zone', () => {
    expect(instantToWall(new Date('2026-12-01T08:30:00Z'), 'Europe/Berlin')).toBe('2026-12-01T09:30');
    expect(instantToWall(new Date('2026-12-01T08:30:00Z'), 'UTC')).toBe('2026-12-01T08:30');
  });

  it('round-trips with wallToInstant', () => {
    const at = wallToInstant('2026-10-25T01:15', 'Australia/Sydney')?.at;
    expect(at && instantToWall(at, 'Australia/Sydney')).toBe('2026-10-25T01:15');
  });
});

describe('zones', () => {
  it('knows offsets and lists zones with UTC', () => {
    expect(zoneOffsetMinutes(Date.UTC(2026, 11, 1), 'Europe/Berlin')).toBe(60);
    expect(timeZones()).toContain('UTC');
    expect(timeZones('Europe/Berlin')).toContain('Europe/Berlin');
  });
});
