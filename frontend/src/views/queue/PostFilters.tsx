import { Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { ChannelView } from '../../api/types';
import { ChannelFilter } from '../../components/ChannelFilter';

export interface Filters {
  text: string;
  channelIds: number[];
  teamId: number;
}

export const NO_FILTERS: Filters = { text: '', channelIds: [], teamId: 0 };

/** The teams the channels belong to, by name. */
export function teamsOf(channels: ChannelView[]): { id: number; name: string }[] {
  const teams = new Map<number, string>();
  for (const c of channels) {
    for (const t of c.teams ?? []) {
      teams.set(t.id, t.name);
    }
  }
  return [...teams.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

interface PostFiltersProps {
  value: Filters;
  onChange: (filters: Filters) => void;
  channels: ChannelView[];
  /** Shows the text search (the calendar has none). */
  withSearch?: boolean;
}

/** Search, channels and team filters over a list of posts. */
export function PostFilters({ value, onChange, channels, withSearch = true }: PostFiltersProps) {
  const teams = teamsOf(channels);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      {withSearch && (
        <TextInput
          label="Search"
          placeholder="Words in the title or text"
          leftSection={<IconSearch size={15} />}
          value={value.text}
          onChange={(event) => {
            onChange({ ...value, text: event.currentTarget.value });
          }}
          w={260}
          data-testid="filter-text"
        />
      )}
      <ChannelFilter
        label="Channels"
        channels={channels}
        value={value.channelIds}
        onChange={(channelIds) => {
          onChange({ ...value, channelIds });
        }}
        width={300}
        testId="filter-channels"
      />
      {teams.length > 0 && (
        <Select
          label="Team"
          placeholder="All teams"
          data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
          value={value.teamId ? String(value.teamId) : null}
          onChange={(id) => {
            onChange({ ...value, teamId: id ? Number(id) : 0 });
          }}
          clearable
          w={200}
          comboboxProps={{ withinPortal: false }}
          data-testid="filter-team"
        />
      )}
    </Group>
  );
}
