import { ActionIcon, Button, Group, MultiSelect, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { toAppError } from '../api/errors';
import { createTeam, listTeams } from '../api/teams';
import { useLoad } from '../hooks/useLoad';

interface TeamPickerProps {
  /** The ids of the chosen teams. */
  value: number[];
  onChange: (teamIds: number[]) => void;
  label?: string;
  description?: string;
  /** An error from the backend about the teams (field "teams"). */
  error?: string | undefined;
}

/** Chooses teams for a channel, with a new team made on the spot. */
export function TeamPicker({ value, onChange, label = 'Teams', description, error }: TeamPickerProps) {
  const teams = useLoad(listTeams);
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);

  const create = async () => {
    setSaving(true);
    setNameError(undefined);
    try {
      const team = await createTeam(name);
      onChange([...value, team.id]);
      setName('');
      setAdding(false);
      teams.reload();
    } catch (err) {
      const e = toAppError(err);
      setNameError(e.hint ? `${e.message} ${e.hint}` : e.message);
    } finally {
      setSaving(false);
    }
  };

  const data = (teams.data ?? []).map((team) => ({ value: String(team.id), label: team.name }));
  const loadError = teams.error ? `Herald could not load the teams: ${teams.error.message}` : undefined;

  return (
    <Stack gap="xs">
      <MultiSelect
        label={label}
        description={description}
        placeholder={data.length === 0 && !teams.loading ? 'No teams yet: make one below' : 'Choose teams'}
        data={data}
        value={value.map(String)}
        onChange={(ids) => {
          onChange(ids.map(Number));
        }}
        searchable
        clearable
        nothingFoundMessage="No team by that name"
        disabled={teams.loading && !teams.data}
        error={error ?? loadError}
        data-testid="team-picker"
        comboboxProps={{ withinPortal: false }}
      />
      {teams.error && (
        <Group>
          <Button size="compact-xs" variant="subtle" onClick={teams.reload}>
            Load the teams again
          </Button>
        </Group>
      )}
      {adding ? (
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            aria-label="New team name"
            placeholder="New team name, e.g. Shop"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setNameError(undefined);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void create();
              }
            }}
            error={nameError}
            size="sm"
            style={{ flex: 1 }}
            autoFocus
            data-testid="new-team-name"
          />
          <Button size="sm" onClick={() => void create()} loading={saving} data-testid="create-team">
            Create team
          </Button>
          <Tooltip label="Don't create a team">
            <ActionIcon
              size="lg"
              variant="subtle"
              color="gray"
              aria-label="Don't create a team"
              onClick={() => {
                setAdding(false);
                setName('');
                setNameError(undefined);
              }}
            >
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ) : (
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => {
              setAdding(true);
            }}
            data-testid="new-team"
          >
            New team
          </Button>
          {data.length === 0 && !teams.loading && !teams.error && (
            <Text size="xs" c="dimmed">
              Teams are optional.
            </Text>
          )}
        </Group>
      )}
    </Stack>
  );
}
