import { Alert, Button, Checkbox, Group, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { removeChannel } from '../../api/channels';
import { type AppError, toAppError } from '../../api/errors';
import type { ChannelView, RemoveResult } from '../../api/types';
import { channelLabel } from './channelText';

function announce(label: string, result: RemoveResult): void {
  const kept = result.historyDeleted ? 'Its posts and history were deleted.' : 'Its published posts and history were kept.';
  const revoked = result.revoked ? " Herald's access at the network was revoked." : '';
  notifications.show({ color: 'teal', title: `Removed ${label}`, message: `${kept}${revoked}`, autoClose: 8000 });
  if (result.revokeProblem) {
    notifications.show({ color: 'yellow', title: 'Access not revoked at the network', message: result.revokeProblem, autoClose: false });
  }
}

/** Removes a channel: revokes, deletes its sign-in, and keeps its history unless asked not to. */
export function RemoveChannelModal({ channel, onClose, onRemoved }: { channel: ChannelView; onClose: () => void; onRemoved: () => void }) {
  const [deleteHistory, setDeleteHistory] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const label = channelLabel(channel);

  const remove = async () => {
    setRemoving(true);
    setError(undefined);
    try {
      const result = await removeChannel(channel.id, deleteHistory);
      announce(label, result);
      onRemoved();
      onClose();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setRemoving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Remove ${label}?`} size="lg" centered data-testid="remove-channel">
      <Stack gap="md">
        <List size="sm" spacing={6}>
          <List.Item>Herald asks {channel.networkName} to revoke its access, where the network allows it.</List.Item>
          <List.Item>Herald deletes the channel&apos;s sign-in from your system keyring.</List.Item>
          <List.Item>
            The channel&apos;s published posts and history stay in Herald. Connect the account again later and it is restored
            with them.
          </List.Item>
        </List>
        <Checkbox
          color="red"
          checked={deleteHistory}
          onChange={(event) => {
            setDeleteHistory(event.currentTarget.checked);
          }}
          label="Also delete its posts and history"
          description={`Deletes the channel's posts, their publishing history and its health timeline from Herald for good; the audit log keeps its record. Posts already on ${channel.networkName} stay there.`}
          data-testid="remove-delete-history"
        />
        {error && (
          <Alert color="red" variant="light" title="The channel was not removed" data-testid="remove-problem">
            <Text size="sm">{error.message}</Text>
            {error.hint && (
              <Text size="sm" fw={500} mt={4}>
                {error.hint}
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void remove()} loading={removing} data-testid="remove-confirm">
            {deleteHistory ? 'Remove and delete history' : 'Remove channel'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
