import '@mantine/dates/styles.css';

import { Group, Stack, Text } from '@mantine/core';
import { DateInput, TimeInput } from '@mantine/dates';
import { IconAlertTriangle, IconWorld } from '@tabler/icons-react';
import { useNow } from '../../hooks/useNow';
import { formatRelative } from '../../lib/format';
import { ZoneSelect } from './ZoneSelect';
import { computerZone, formatDateTimeIn, formatTimeIn, instantToWall, wallToInstant } from './zones';

/** A wall-clock time in a named zone, as the user picks it. */
export interface When {
  /** "2026-12-01", or null before a date is picked. */
  date: string | null;
  /** "09:30", or "" before a time is typed. */
  time: string;
  zone: string;
}

/** "2026-12-01T09:30", or undefined while the date or time is missing. */
export function whenLocal(when: When): string | undefined {
  if (!when.date || !/^\d{2}:\d{2}$/.test(when.time)) {
    return undefined;
  }
  return `${when.date}T${when.time}`;
}

/** The next whole quarter hour at least `leadMinutes` from now, in the zone. */
export function defaultWhen(now: Date, zone = computerZone(), leadMinutes = 30): When {
  const quarter = 15 * 60_000;
  const at = new Date(Math.ceil((now.getTime() + leadMinutes * 60_000) / quarter) * quarter);
  const wall = instantToWall(at, zone);
  return { date: wall.slice(0, 10), time: wall.slice(11, 16), zone };
}

/** How a picked time reads in UTC and on this computer, or why it cannot be used. */
export function describeWhen(when: When, now: Date): { text: string; problem?: string } | undefined {
  const local = whenLocal(when);
  if (!local) {
    return undefined;
  }
  const resolved = wallToInstant(local, when.zone);
  if (!resolved) {
    return { text: '', problem: 'That is not a date and time Herald can read.' };
  }
  const own = computerZone();
  const same: string[] = [];
  if (when.zone !== 'UTC') {
    same.push(`${formatTimeIn(resolved.at, 'UTC')} UTC`);
  }
  if (own !== when.zone && own !== 'UTC') {
    same.push(`${formatDateTimeIn(resolved.at, own)} your time (${own})`);
  }
  const text = `${when.time} ${when.zone}${same.length > 0 ? ` = ${same.join(' / ')}` : ''} · ${formatRelative(resolved.at, now)}`;
  if (!resolved.exists) {
    return {
      text,
      problem: `The clocks skip ${when.time} on that day in ${when.zone}; Herald will publish at the first minute after the change.`,
    };
  }
  if (resolved.at.getTime() < now.getTime() - 60_000) {
    return { text, problem: 'That time has passed. Choose a time in the future, or publish now.' };
  }
  return { text };
}

interface WhenFieldsProps {
  value: When;
  onChange: (when: When) => void;
  /** An error from the backend about the time (field "when" or "timeZone"). */
  error?: string | undefined;
  /** Prefix of the fields' data-testids: <prefix>-date, -time, -zone, -summary. */
  testId: string;
}

/** Date, time and time zone, with what the time means in UTC and on this computer. */
export function WhenFields({ value, onChange, error, testId }: WhenFieldsProps) {
  const now = useNow(15_000);
  const summary = describeWhen(value, now);
  const skipped = summary?.problem?.startsWith('The clocks skip');
  return (
    <Stack gap={6}>
      <Group gap="sm" align="flex-start" wrap="wrap">
        <DateInput
          label="Date"
          value={value.date}
          onChange={(date) => {
            onChange({ ...value, date });
          }}
          valueFormat="ddd D MMM YYYY"
          placeholder="Pick a date"
          minDate={instantToWall(now, value.zone).slice(0, 10)}
          w={170}
          popoverProps={{ withinPortal: false }}
          data-testid={`${testId}-date`}
        />
        <TimeInput
          label="Time"
          value={value.time}
          onChange={(event) => {
            onChange({ ...value, time: event.currentTarget.value });
          }}
          w={120}
          data-testid={`${testId}-time`}
        />
        <div style={{ flex: 1, minWidth: 220 }}>
          <ZoneSelect
            value={value.zone}
            onChange={(zone) => {
              onChange({ ...value, zone });
            }}
            data-testid={`${testId}-zone`}
          />
        </div>
      </Group>
      {summary?.text && (
        <Group gap={6} wrap="nowrap">
          <IconWorld size={15} stroke={1.7} aria-hidden style={{ flexShrink: 0 }} />
          <Text size="sm" c="dimmed" data-testid={`${testId}-summary`}>
            {summary.text}
          </Text>
        </Group>
      )}
      {(summary?.problem ?? error) && (
        <Group gap={6} wrap="nowrap">
          <IconAlertTriangle size={15} stroke={1.7} aria-hidden color={skipped ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-red-6)'} />
          <Text size="sm" c={skipped ? 'orange.7' : 'red.7'} role="alert" data-testid={`${testId}-problem`}>
            {error ?? summary?.problem}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
