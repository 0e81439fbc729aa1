import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { setChannelTeams } from '../../api/channels';
import { type AppError, toAppError } from '../../api/errors';
import type { ChannelView } from '../../api/types';
import { TeamPicker } from '../../components/TeamPicker';
import { notifySuccess } from '../../lib/notify';
import { channelName } from './channelText';

/** Puts one channel in teams. */
export function EditTeamsModal({ channel, onClose, onSaved }: { channel: ChannelView; onClose: () => void; onSaved: () => void }) {
  const [teamIds, setTeamIds] = useState(() => channel.teams.map((team) => team.id));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | undefined>(undefined);
  const name = channelName(channel);

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const updated = await setChannelTeams(channel.id, teamIds);
      const names = updated.teams.map((team) => team.name);
      notifySuccess('Teams saved', names.length > 0 ? `${name} is in ${names.join(', ')}.` : `${name} is in no team.`);
      onSaved();
      onClose();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Teams of ${name}`} size="md" centered data-testid="edit-teams">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Teams group channels, for example per client or brand.
        </Text>
        <TeamPicker value={teamIds} onChange={setTeamIds} error={error?.field === 'teams' ? error.message : undefined} />
        {error && error.field !== 'teams' && (
          <Alert color="red" variant="light" title="The teams were not saved">
            <Text size="sm">{error.message}</Text>
            {error.hint && (
              <Text size="sm" fw={500} mt={4}>
                {error.hint}
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} loading={saving} data-testid="save-teams">
            Save teams
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
