import { MultiSelect } from '@mantine/core';
import type { ChannelView } from '../api/types';
import { channelLabel } from '../views/channels/channelText';

interface ChannelFilterProps {
  channels: ChannelView[];
  value: number[];
  onChange: (channelIds: number[]) => void;
  /** The visible label; without one the field is named for screen readers only. */
  label?: string;
  width: number;
  testId: string;
}

/** Which channels a list shows: none chosen means all. */
export function ChannelFilter({ channels, value, onChange, label, width, testId }: ChannelFilterProps) {
  return (
    <MultiSelect
      label={label}
      aria-label={label ? undefined : 'Channels'}
      placeholder={value.length === 0 ? 'All channels' : undefined}
      data={channels.map((c) => ({ value: String(c.id), label: `${channelLabel(c)} · ${c.networkName}` }))}
      value={value.map(String)}
      onChange={(ids) => {
        onChange(ids.map(Number));
      }}
      clearable
      searchable
      w={width}
      comboboxProps={{ withinPortal: false }}
      data-testid={testId}
    />
  );
}
