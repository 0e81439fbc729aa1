import { Avatar } from '@mantine/core';
import { IconBrandBluesky, IconBrandMastodon, IconWorld } from '@tabler/icons-react';
import { channelInitials } from './channelText';

interface ChannelAvatarProps {
  src: string;
  /** The channel's name; its initials stand in when there is no picture. */
  name: string;
  size?: number;
}

/**
 * A channel's picture, or its initials ("S1" for "Seed 1", "S12" for
 * "Seed 12"). Decorative: the name is always written beside it.
 */
export function ChannelAvatar({ src, name, size = 40 }: ChannelAvatarProps) {
  return (
    <Avatar src={src || null} name={name} color="initials" size={size} radius="xl" alt="" aria-hidden data-initials={channelInitials(name)}>
      {channelInitials(name)}
    </Avatar>
  );
}

/** The network's logo, decorative (the network is named beside it). */
export function NetworkIcon({ network, size = 14 }: { network: string; size?: number }) {
  const Icon = network === 'bluesky' ? IconBrandBluesky : network === 'mastodon' ? IconBrandMastodon : IconWorld;
  return <Icon size={size} stroke={1.6} aria-hidden data-testid={`network-icon-${network}`} style={{ flexShrink: 0 }} />;
}
