import '@mantine/dates/styles.css';

import { Group, Stack, Text } from '@mantine/core';
import { DateInput, TimeInput } from '@mantine/dates';
import { IconAlertTriangle, IconClockExclamation, IconWorld } from '@tabler/icons-react';
import type { ScheduleResult } from '../../api/posts';
import { useNow } from '../../hooks/useNow';
import { parseTime } from '../../lib/format';
import { daylightSavingNote, formatDateTime, formatRelative } from '../../time/format';
import { useClockSetting } from '../../time/useClock';
import { ZoneSelect } from './ZoneSelect';
import { computerZone, instantToWall, wallToInstant } from '../../time/zones';

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

/**
 * How a picked time reads (in Herald's one style, naming the zone and the
 * time here when the zone is not the computer's), what daylight saving time
 * does to it (a notice), or why it cannot be used (a problem).
 */
export function describeWhen(when: When, now: Date): { text: string; notice?: string; problem?: string } | undefined {
  const local = whenLocal(when);
  if (!local) {
    return undefined;
  }
  const resolved = wallToInstant(local, when.zone);
  if (!resolved) {
    return { text: '', problem: 'That is not a date and time Herald can read.' };
  }
  const here = when.zone !== computerZone() ? ` = ${formatDateTime(resolved.at, { now })} here` : '';
  const text = `${formatDateTime(resolved.at, { zone: when.zone, now })}${here} · ${formatRelative(resolved.at, now)}`;
  const notice = daylightSavingNote(local, when.zone, resolved.at, { now });
  if (resolved.at.getTime() < now.getTime() - 60_000) {
    return { text, problem: 'That time has passed. Choose a time in the future, or publish now.' };
  }
  return notice ? { text, notice } : { text };
}

interface WhenFieldsProps {
  value: When;
  onChange: (when: When) => void;
  /** An error from the backend about the time (field "when" or "timeZone"). */
  error?: string | undefined;
  /** Prefix of the fields' data-testids: <prefix>-date, -time, -zone, -summary. */
  testId: string;
}

/** Date, time and time zone, with what the time means here and what daylight saving time does to it. */
export function WhenFields({ value, onChange, error, testId }: WhenFieldsProps) {
  const now = useNow(15_000);
  useClockSetting();
  const summary = describeWhen(value, now);
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
      {summary?.notice && !(summary.problem ?? error) && (
        <Group gap={6} wrap="nowrap">
          <IconClockExclamation size={15} stroke={1.7} aria-hidden color="var(--mantine-color-orange-6)" style={{ flexShrink: 0 }} />
          <Text size="sm" c="orange" role="status" data-testid={`${testId}-notice`}>
            {summary.notice}
          </Text>
        </Group>
      )}
      {(summary?.problem ?? error) && (
        <Group gap={6} wrap="nowrap">
          <IconAlertTriangle size={15} stroke={1.7} aria-hidden color="var(--mantine-color-red-6)" />
          <Text size="sm" c="red" role="alert" data-testid={`${testId}-problem`}>
            {error ?? summary?.problem}
          </Text>
        </Group>
      )}
    </Stack>
  );
}

/**
 * What to tell the user once a time is scheduled: the daylight-saving note
 * naming the instant Herald stored (written like every other time; the
 * backend's own note when the screen cannot tell), and the message for the
 * notification.
 */
export function scheduledText(local: string, zone: string, result: ScheduleResult, now = new Date()): { note?: string; message: string } {
  const at = parseTime(result.post.scheduledAt);
  const note = (at && result.note ? daylightSavingNote(local, zone, at, { now }) : undefined) ?? (result.note || undefined);
  if (note) {
    return { note, message: note };
  }
  return { message: at ? `Herald publishes it on ${formatDateTime(at, { zone, now })}.` : 'Herald publishes it at the time you picked.' };
}
