import { screen } from '@testing-library/react';
import { expect, it } from 'vitest';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { ChannelName, sortByChannel } from './ChannelName';

it('names a channel with its network icon and handle, so same-named channels differ (queue rows, post targets)', () => {
  renderWithProviders(
    <>
      <div data-testid="a">
        <ChannelName channel={channelFixture({ id: 1, displayName: 'Shop', handle: 'shop@example.social' })} />
      </div>
      <div data-testid="b">
        <ChannelName channel={channelFixture({ id: 2, displayName: 'Shop', handle: 'shop.bsky.social', network: 'bluesky', networkName: 'Bluesky' })} />
      </div>
    </>,
  );
  expect(screen.getByTestId('a')).toHaveTextContent('Shop@shop@example.social');
  expect(screen.getByTestId('b')).toHaveTextContent('Shop@shop.bsky.social');
  expect(screen.getByTestId('a').querySelector('[data-testid="network-icon-mastodon"]')).not.toBeNull();
  expect(screen.getByTestId('b').querySelector('[data-testid="network-icon-bluesky"]')).not.toBeNull();
});

it('orders targets by their channels naturally, removed channels last', () => {
  const channels = [
    channelFixture({ id: 1, displayName: 'Seed 12', handle: 'a@x' }),
    channelFixture({ id: 2, displayName: 'Seed 2', handle: 'b@x' }),
    channelFixture({ id: 3, displayName: 'Shop', handle: 'shop.bsky.social' }),
    channelFixture({ id: 4, displayName: 'Shop', handle: 'shop@mastodon.social' }),
  ];
  const targets = [{ channelId: 9 }, { channelId: 4 }, { channelId: 1 }, { channelId: 3 }, { channelId: 2 }];
  expect(sortByChannel(targets, channels).map((t) => t.channelId)).toEqual([2, 1, 3, 4, 9]);
});
