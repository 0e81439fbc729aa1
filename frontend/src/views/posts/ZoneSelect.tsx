import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { computerZone, timeZones } from '../../time/zones';

interface ZoneSelectProps {
  value: string;
  onChange: (zone: string) => void;
  label?: string;
  description?: string;
  error?: string | undefined;
  'data-testid'?: string;
}

/** Picks an IANA time zone; the computer's own is marked. */
export function ZoneSelect({ value, onChange, label = 'Time zone', description, error, ...rest }: ZoneSelectProps) {
  const own = computerZone();
  const data = useMemo(
    () => timeZones(value, own).map((zone) => ({ value: zone, label: zone === own ? `${zone} (this computer)` : zone.replaceAll('_', ' ') })),
    [value, own],
  );
  return (
    <Select
      label={label}
      description={description}
      data={data}
      value={value}
      onChange={(next) => {
        if (next) {
          onChange(next);
        }
      }}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No time zone by that name"
      error={error}
      maxDropdownHeight={280}
      comboboxProps={{ withinPortal: false }}
      data-testid={rest['data-testid']}
    />
  );
}
