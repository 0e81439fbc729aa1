import '@mantine/dates/styles.css';

import { Button, Group, Select, TextInput } from '@mantine/core';
import { DateInput, type DateInputProps } from '@mantine/dates';
import { IconCalendar, IconFilterOff, IconSearch } from '@tabler/icons-react';
import type { ChannelView, TeamView } from '../../api/types';
import { channelLabel } from '../channels/channelText';
import { type AuditFilters, isFiltered, NO_FILTERS, parseDay } from './auditQuery';
import { ACTORS, EVENT_CATEGORIES } from './auditText';

/** The option that stands for "no filter" in each select. */
const ALL = 'all';

const fromOption = (value: string | null): string => (value === null || value === ALL ? '' : value);

interface AuditFilterBarProps {
  value: AuditFilters;
  onChange: (filters: AuditFilters) => void;
  channels: ChannelView[];
  teams: TeamView[];
}

type DayInputProps = Pick<DateInputProps, 'label' | 'value' | 'onChange' | 'minDate' | 'maxDate'> & { testId: string };

/** One end of the day range: typed ("3 Mar 2026") or picked, clearable. */
function DayInput({ testId, ...props }: DayInputProps) {
  return (
    <DateInput
      {...props}
      placeholder="Any day"
      valueFormat="D MMM YYYY"
      dateParser={parseDay}
      leftSection={<IconCalendar size={15} aria-hidden />}
      clearable
      w={165}
      popoverProps={{ withinPortal: false }}
      data-testid={testId}
    />
  );
}

/** Search, days, actor, event kind, channel and team over the audit log. */
export function AuditFilterBar({ value, onChange, channels, teams }: AuditFilterBarProps) {
  const set = (change: Partial<AuditFilters>) => {
    onChange({ ...value, ...change });
  };
  const channelOptions = channels.map((c) => ({ value: String(c.id), label: `${channelLabel(c)} · ${c.networkName}` }));
  // A channel removed since it was chosen stays choosable until the filter changes.
  if (value.channelId !== 0 && !channels.some((c) => c.id === value.channelId)) {
    channelOptions.push({ value: String(value.channelId), label: `Channel ${value.channelId}` });
  }
  const teamNames = teams.map((t) => t.name);
  if (value.team !== '' && !teamNames.includes(value.team)) {
    teamNames.push(value.team);
  }
  const combobox = { withinPortal: false } as const;

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label="Filter the audit log" data-testid="audit-filters">
      <TextInput
        label="Search"
        placeholder="Summary or channel"
        leftSection={<IconSearch size={15} aria-hidden />}
        value={value.text}
        onChange={(e) => {
          set({ text: e.currentTarget.value });
        }}
        w={200}
        data-testid="audit-filter-text"
      />
      <DayInput
        label="From"
        value={value.from}
        onChange={(from) => {
          set({ from });
        }}
        maxDate={value.to ?? undefined}
        testId="audit-filter-from"
      />
      <DayInput
        label="To"
        value={value.to}
        onChange={(to) => {
          set({ to });
        }}
        minDate={value.from ?? undefined}
        testId="audit-filter-to"
      />
      <Select
        label="Who"
        data={[{ value: ALL, label: 'Anyone' }, ...ACTORS.map((a) => ({ value: a.value, label: a.label }))]}
        value={value.actor || ALL}
        onChange={(actor) => {
          set({ actor: fromOption(actor) });
        }}
        allowDeselect={false}
        w={150}
        comboboxProps={combobox}
        data-testid="audit-filter-actor"
      />
      <Select
        label="Event"
        data={[{ value: ALL, label: 'All' }, ...EVENT_CATEGORIES]}
        value={value.event || ALL}
        onChange={(event) => {
          set({ event: fromOption(event) });
        }}
        allowDeselect={false}
        w={140}
        comboboxProps={combobox}
        data-testid="audit-filter-event"
      />
      <Select
        label="Channel"
        data={[{ value: ALL, label: 'All channels' }, ...channelOptions]}
        value={value.channelId ? String(value.channelId) : ALL}
        onChange={(id) => {
          set({ channelId: Number(fromOption(id)) || 0 });
        }}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No channel by that name"
        w={220}
        comboboxProps={combobox}
        data-testid="audit-filter-channel"
      />
      <Select
        label="Team"
        data={[{ value: ALL, label: 'All teams' }, ...teamNames.map((name) => ({ value: `team:${name}`, label: name }))]}
        value={value.team ? `team:${value.team}` : ALL}
        onChange={(option) => {
          set({ team: fromOption(option).replace(/^team:/, '') });
        }}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No team by that name"
        w={170}
        comboboxProps={combobox}
        data-testid="audit-filter-team"
      />
      {isFiltered(value) && (
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconFilterOff size={15} aria-hidden />}
          onClick={() => {
            onChange(NO_FILTERS);
          }}
          data-testid="audit-filter-clear"
        >
          Clear filters
        </Button>
      )}
    </Group>
  );
}
