import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { ChannelPicker } from './ChannelPicker';

const seeds = [
  channelFixture({ id: 1, displayName: 'Seed 12', handle: 'seed12@mastodon.social' }),
  channelFixture({ id: 2, displayName: 'Seed 2', handle: 'seed2@mastodon.social' }),
  channelFixture({ id: 3, displayName: 'Seed 1', handle: 'seed1@mastodon.social' }),
  channelFixture({ id: 4, displayName: 'Seed 1', handle: 'seed1@other.social' }),
];

describe('ChannelPicker', () => {
  it('sorts channels naturally and tells same-named ones apart by handle, icon and initials', () => {
    renderWithProviders(<ChannelPicker channels={seeds} selected={[]} onToggle={vi.fn()} onToggleMany={vi.fn()} />);
    const cards = screen.getAllByTestId(/^compose-channel-\d+$/);
    expect(cards.map((c) => c.getAttribute('data-testid'))).toEqual(['compose-channel-3', 'compose-channel-4', 'compose-channel-2', 'compose-channel-1']);
    expect(screen.getByTestId('compose-channel-handle-3')).toHaveTextContent('@seed1@mastodon.social');
    expect(screen.getByTestId('compose-channel-handle-4')).toHaveTextContent('@seed1@other.social');
    expect(cards[0]).toHaveAccessibleName('Seed 1 (@seed1@mastodon.social) on Mastodon');
    expect(cards[1]).toHaveAccessibleName('Seed 1 (@seed1@other.social) on Mastodon');
    const card12 = screen.getByTestId('compose-channel-1');
    const card2 = screen.getByTestId('compose-channel-2');
    expect(card12.querySelector('[data-initials]')).toHaveTextContent('S12');
    expect(card2.querySelector('[data-initials]')).toHaveTextContent('S2');
    expect(within(card12).getByTestId('network-icon-mastodon')).toBeInTheDocument();
  });
});
