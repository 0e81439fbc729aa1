import { Group, Kbd, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useCallback, useEffect, useState } from 'react';
import { isTyping, shortcutGroups } from '../shortcuts';

/** Opens on ? pressed anywhere but in a text field. */
export function useShortcutsKey(open: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) {
        return;
      }
      event.preventDefault();
      open();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);
}

function Keys({ keys }: { keys: string[] }) {
  return (
    <Group gap={4} wrap="nowrap">
      {keys.map((key, index) => (
        <Fragment key={key}>
          {index > 0 && (
            <Text span size="xs" c="dimmed" aria-hidden>
              +
            </Text>
          )}
          <Kbd size="sm">{key}</Kbd>
        </Fragment>
      ))}
    </Group>
  );
}

/** The ? overlay: every keyboard shortcut Herald has, grouped by where it works. */
export function ShortcutsOverlay() {
  const [opened, setOpened] = useState(false);
  useShortcutsKey(
    useCallback(() => {
      setOpened(true);
    }, []),
  );
  return (
    <Modal
      opened={opened}
      onClose={() => {
        setOpened(false);
      }}
      title="Keyboard shortcuts"
      size="lg"
      data-testid="shortcuts-overlay"
    >
      <Stack gap="lg">
        {shortcutGroups().map((group) => (
          <Stack key={group.title} gap="xs" component="section" aria-label={group.title}>
            <Title order={3} fz="sm">
              {group.title}
            </Title>
            <Table withRowBorders={false} verticalSpacing={4}>
              <Table.Tbody>
                {group.shortcuts.map((shortcut) => (
                  <Table.Tr key={shortcut.keys.join('+')} data-testid="shortcut">
                    <Table.Td w={140}>
                      <Keys keys={shortcut.keys} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{shortcut.description}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </Stack>
    </Modal>
  );
}
