import { Button, Group, Text } from '@mantine/core';
import { IconArrowUp } from '@tabler/icons-react';
import { newEntriesText } from './auditText';

/**
 * Says that entries were added since the list loaded, without moving the
 * list under the reader; Show loads the newest page.
 */
export function NewEntriesNotice({ count, onShow }: { count: number; onShow: () => void }) {
  return (
    <Group
      gap="sm"
      justify="center"
      py={6}
      px="sm"
      bg="var(--mantine-primary-color-light)"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      data-testid="audit-new-entries"
    >
      <Text size="sm" fw={500}>
        {newEntriesText(count)}
      </Text>
      <Button
        size="compact-sm"
        leftSection={<IconArrowUp size={14} aria-hidden />}
        onClick={onShow}
        data-testid="audit-show-new"
      >
        Show
      </Button>
    </Group>
  );
}
