import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { BackupInfo } from '../../api/types';
import { TimeValue } from '../../components/TimeValue';

interface RestoreConfirmModalProps {
  opened: boolean;
  kind: string;
  backup: BackupInfo;
  onCancel: () => void;
  onConfirm: () => void;
}

/** Asks before a backup replaces the database, and says nothing is deleted. */
export function RestoreConfirmModal({ opened, kind, backup, onCancel, onConfirm }: RestoreConfirmModalProps) {
  return (
    <Modal opened={opened} onClose={onCancel} title="Restore the latest backup?" centered size="lg" radius="md">
      <Stack gap="md">
        <Text size="sm">Herald will put this backup in place of its database:</Text>
        <Stack gap={2} pl="md">
          <TimeValue iso={backup.takenAt} />
          <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {backup.path}
          </Text>
        </Stack>
        <List size="sm" spacing={6}>
          <List.Item>
            The current database file is kept beside it, renamed. Nothing is deleted.
          </List.Item>
          {kind === 'newer_schema' && (
            <List.Item>
              Anything saved with the newer Herald after this backup is not in the restored copy; it stays in the
              kept file.
            </List.Item>
          )}
          <List.Item>Herald restarts when the restore is done.</List.Item>
        </List>
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button onClick={onConfirm} data-autofocus>
            Restore backup
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
