import { screen } from '@testing-library/react';
import { expect, it } from 'vitest';
import { channelFixture } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { ChannelName } from './ChannelName';

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
