import { Avatar } from '@mantine/core';

interface ChannelAvatarProps {
  src: string;
  /** The channel's name; its initials stand in when there is no picture. */
  name: string;
  size?: number;
}

/** A channel's picture, or its initials. Decorative: the name is always written beside it. */
export function ChannelAvatar({ src, name, size = 40 }: ChannelAvatarProps) {
  return <Avatar src={src || null} name={name} color="initials" size={size} radius="xl" alt="" aria-hidden />;
}
