import { Button, Group, NumberInput, Skeleton, Stack, Text } from '@mantine/core';
import { IconBellRinging } from '@tabler/icons-react';
import { useState } from 'react';
import { toAppError } from '../../api/errors';
import { getPreferences, setReminderDays } from '../../api/settings';
import type { Preferences } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { InfoCard } from '../../components/InfoCard';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ClockCard } from './ClockCard';
import { LaunchAtLoginCard } from './LaunchAtLoginCard';

export const DEFAULT_REMINDER_DAYS = 90;
const MIN_DAYS = 7;
const MAX_DAYS = 365;
const RANGE_MESSAGE = `Choose between ${MIN_DAYS} and ${MAX_DAYS} days, or 0 to turn the reminder off.`;

/** Why a reminder value cannot be saved; undefined when it can. */
export function reminderDaysProblem(value: number | string): string | undefined {
  if (value === '' || typeof value === 'string') {
    return RANGE_MESSAGE;
  }
  if (!Number.isInteger(value)) {
    return 'Use a whole number of days.';
  }
  if (value !== 0 && (value < MIN_DAYS || value > MAX_DAYS)) {
    return RANGE_MESSAGE;
  }
  return undefined;
}

function ReminderForm({ saved, onSaved }: { saved: Preferences; onSaved: (prefs: Preferences) => void }) {
  const [value, setValue] = useState<number | string>(saved.reminderDays);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const changed = value !== saved.reminderDays;

  const save = async () => {
    const problem = reminderDaysProblem(value);
    if (problem || typeof value !== 'number') {
      setError(problem);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const prefs = await setReminderDays(value);
      onSaved(prefs);
      notifySuccess(
        'Reminder saved',
        prefs.reminderDays === 0
          ? 'Herald will not remind you to refresh connections.'
          : `Herald reminds you to refresh a channel's connection ${prefs.reminderDays} days after you last signed in.`,
      );
    } catch (err) {
      const e = toAppError(err);
      if (e.field === 'reminderDays') {
        setError(e.message);
      } else {
        notifyError('The reminder was not saved', e);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      noValidate
    >
      <Stack gap="md">
        <NumberInput
          label="Remind me to refresh a channel's connection every N days (0 turns it off)"
          description={`Signing in again every 3–4 months keeps a connection reliable, so the default is ${DEFAULT_REMINDER_DAYS} days. Herald still renews tokens by itself where the network allows it, and reminds you before a network ends a sign-in.`}
          value={value}
          onChange={(next) => {
            setValue(next);
            setError(undefined);
          }}
          min={0}
          max={MAX_DAYS}
          clampBehavior="none"
          allowDecimal={false}
          allowNegative={false}
          suffix=" days"
          error={error}
          maw={420}
          data-testid="reminder-days"
        />
        <Group gap="sm">
          <Button type="submit" loading={saving} disabled={!changed} data-testid="reminder-save">
            Save
          </Button>
          {saved.reminderDays !== DEFAULT_REMINDER_DAYS && (
            <Button
              variant="subtle"
              onClick={() => {
                setValue(DEFAULT_REMINDER_DAYS);
                setError(undefined);
              }}
            >
              Use the default ({DEFAULT_REMINDER_DAYS} days)
            </Button>
          )}
          <Text size="sm" c="dimmed" data-testid="reminder-current">
            {saved.reminderDays === 0 ? 'Reminders are off.' : `Now: every ${saved.reminderDays} days.`}
          </Text>
        </Group>
      </Stack>
    </form>
  );
}

/** Settings → General: how Herald behaves. */
export function GeneralPanel() {
  const prefs = useLoad(getPreferences);
  const [saved, setSaved] = useState<Preferences | undefined>(undefined);
  const current = saved ?? prefs.data;

  return (
    <Stack gap="lg">
      {prefs.error && <ErrorPanel title="Herald could not read its settings" error={prefs.error} onRetry={prefs.reload} />}
      <InfoCard title="Re-authorization reminder" icon={IconBellRinging}>
        {current ? (
          <ReminderForm key={current.reminderDays} saved={current} onSaved={setSaved} />
        ) : (
          !prefs.error && (
            <Stack gap="sm" aria-hidden>
              <Skeleton h={14} w="60%" />
              <Skeleton h={36} w={420} />
            </Stack>
          )
        )}
      </InfoCard>
      {!prefs.error && <ClockCard prefs={current} onSaved={setSaved} />}
      {!prefs.error && <LaunchAtLoginCard prefs={current} onSaved={setSaved} />}
    </Stack>
  );
}
