import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconSpeakerphone } from '@tabler/icons-react';

export function Logo() {
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={32} radius="md" variant="filled" aria-hidden>
        <IconSpeakerphone size={19} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} fz="lg" lh={1}>
        Herald
      </Text>
    </Group>
  );
}
