import { describe, expect, it } from 'vitest';
import { alignLevels } from './DenseChart';

describe('alignLevels', () => {
  it('puts every channel on one time axis, holding each level until its next reading', () => {
    const aligned = alignLevels({
      metric: 'followers',
      channels: [
        { channelId: 1, name: 'A', x: [10, 30], y: [100, 110], read: 2 },
        { channelId: 2, name: 'B', x: [20, 40], y: [5, 6], read: 2 },
      ],
    });
    expect(aligned).toEqual([
      [10, 20, 30, 40],
      [100, 100, 110, 110],
      // Before its first reading a channel has no level: a gap, not 0.
      [null, 5, 5, 6],
    ]);
  });

  it('draws nothing for no channel', () => {
    expect(alignLevels({ metric: 'followers', channels: [] })).toEqual([[]]);
  });
});
