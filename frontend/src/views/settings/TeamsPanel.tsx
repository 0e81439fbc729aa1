import { ActionIcon, Button, Card, EmptyState, Group, Modal, Skeleton, Stack, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconPencil, IconPlus, IconTrash, IconUsersGroup, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { toAppError } from '../../api/errors';
import { onChannelsChanged } from '../../api/events';
import { createTeam, deleteTeam, listTeams, renameTeam } from '../../api/teams';
import type { TeamView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';

function errorText(err: unknown): string {
  const e = toAppError(err);
  return e.hint ? `${e.message} ${e.hint}` : e.message;
}

function channelCount(n: number): string {
  return `${n} ${n === 1 ? 'channel' : 'channels'}`;
}

function CreateTeam({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const create = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const team = await createTeam(name);
      setName('');
      notifySuccess('Team created', `${team.name} is ready; put channels in it from the Channels view.`);
      onCreated();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
      noValidate
    >
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <TextInput
          label="New team"
          placeholder="e.g. Shop, Client A, Brand"
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setError(undefined);
          }}
          error={error}
          maxLength={60}
          style={{ flex: 1, maxWidth: 420 }}
          data-testid="team-create-name"
        />
        <Button type="submit" mt={25} leftSection={<IconPlus size={16} />} loading={saving} data-testid="team-create">
          Create team
        </Button>
      </Group>
    </form>
  );
}

function TeamRow({ team, onChanged, onDelete }: { team: TeamView; onChanged: () => void; onDelete: () => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(team.name);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  const stop = () => {
    setEditing(false);
    setName(team.name);
    setError(undefined);
  };
  const save = async () => {
    if (name.trim() === team.name) {
      stop();
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await renameTeam(team.id, name);
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Table.Tr data-testid="team-row" data-team-id={team.id}>
      <Table.Td>
        {editing ? (
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <TextInput
              aria-label={`New name for ${team.name}`}
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                setError(undefined);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void save();
                } else if (event.key === 'Escape') {
                  event.preventDefault();
                  stop();
                }
              }}
              error={error}
              maxLength={60}
              size="xs"
              autoFocus
              style={{ flex: 1 }}
              data-testid="team-rename-input"
            />
            <Tooltip label="Save the name">
              <ActionIcon variant="filled" size="md" aria-label="Save the name" onClick={() => void save()} loading={saving}>
                <IconCheck size={15} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Keep the old name">
              <ActionIcon variant="subtle" color="gray" size="md" aria-label="Keep the old name" onClick={stop}>
                <IconX size={15} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ) : (
          <Text fw={500} size="sm" data-testid="team-name">
            {team.name}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" data-testid="team-channels">
          {channelCount(team.channels)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Tooltip label={`Rename ${team.name}`}>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Rename ${team.name}`}
              onClick={() => {
                setName(team.name);
                setEditing(true);
              }}
              disabled={editing}
            >
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={`Delete ${team.name}`}>
            <ActionIcon variant="subtle" color="red" aria-label={`Delete ${team.name}`} onClick={onDelete}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function DeleteTeamModal({ team, onClose, onDeleted }: { team: TeamView; onClose: () => void; onDeleted: () => void }) {
  const [deleting, setDeleting] = useState(false);
  const remove = async () => {
    setDeleting(true);
    try {
      await deleteTeam(team.id);
      notifySuccess('Team deleted', `${team.name} is gone; its channels were kept.`);
      onDeleted();
      onClose();
    } catch (err) {
      notifyError('The team was not deleted', err);
    } finally {
      setDeleting(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Delete the team ${team.name}?`} centered data-testid="team-delete-modal">
      <Stack gap="md">
        <Text size="sm">
          {team.channels > 0
            ? `Its ${channelCount(team.channels)} stay in Herald, connected as before; they only leave this team.`
            : 'No channel is in this team.'}{' '}
          Posts and history are not touched.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void remove()} loading={deleting} data-testid="team-delete-confirm">
            Delete team
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Settings → Teams: groups of channels, e.g. per client or brand. */
export function TeamsPanel() {
  const teams = useLoad(listTeams);
  const [deleting, setDeleting] = useState<TeamView | undefined>(undefined);
  const { reload } = teams;
  useEffect(() => onChannelsChanged(reload), [reload]);

  const list = teams.data;
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed" maw={620}>
        Teams group channels, for example per client, brand or person. A channel can be in several teams; deleting a team
        keeps its channels.
      </Text>
      <Card>
        <CreateTeam onCreated={reload} />
      </Card>
      {teams.error && <ErrorPanel title="Herald could not load the teams" error={teams.error} onRetry={reload} />}
      {!list && !teams.error && (
        <Stack gap="xs" aria-hidden>
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      )}
      {list && list.length === 0 && (
        <Card py="xl" data-testid="teams-empty">
          <EmptyState
            icon={<IconUsersGroup size={26} stroke={1.6} aria-hidden />}
            title="No teams yet"
            description="Create one above, then put channels in it from the Channels view or while adding channels."
          />
        </Card>
      )}
      {list && list.length > 0 && (
        <Card p={0}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="teams-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Team</Table.Th>
                <Table.Th w={160}>Channels</Table.Th>
                <Table.Th w={110}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((team) => (
                <TeamRow
                  key={`${team.id}:${team.name}`}
                  team={team}
                  onChanged={reload}
                  onDelete={() => {
                    setDeleting(team);
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {deleting && (
        <DeleteTeamModal
          team={deleting}
          onClose={() => {
            setDeleting(undefined);
          }}
          onDeleted={reload}
        />
      )}
    </Stack>
  );
}
