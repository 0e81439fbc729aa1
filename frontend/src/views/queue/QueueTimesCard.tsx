import { ActionIcon, Alert, Button, Card, Group, Select, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError } from '../../api/errors';
import { type QueueSlot, type QueueTimes, queueTimes, setQueueTimes } from '../../api/publishing';
import type { ChannelView } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useLoad } from '../../hooks/useLoad';
import { notifySuccess } from '../../lib/notify';
import { ChannelName } from '../posts/ChannelName';
import { ZoneSelect } from '../posts/ZoneSelect';
import { computerZone } from '../../time/zones';
import { type QueueSuggestion, withSuggested } from './queueSuggestion';

/** Weekdays as SlotView.weekday counts them: 0 is Sunday. */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Monday first, as most calendars show the week. */
const WEEKDAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

function sortSlots(slots: QueueSlot[]): QueueSlot[] {
  return [...slots].sort((a, b) => WEEKDAY_ORDER.indexOf(a.weekday) - WEEKDAY_ORDER.indexOf(b.weekday) || a.time.localeCompare(b.time));
}

function TimesForm({ channel, saved, onSaved, suggestion }: { channel: ChannelView; saved: QueueTimes; onSaved: (t: QueueTimes) => void; suggestion?: QueueSuggestion | undefined }) {
  const [zone, setZone] = useState(saved.slots.length > 0 ? saved.timeZone : (suggestion?.timeZone ?? computerZone()));
  const [slots, setSlots] = useState<QueueSlot[]>(() => sortSlots(suggestion ? withSuggested(saved.slots, suggestion.slots) : saved.slots));
  const added = suggestion ? withSuggested(saved.slots, suggestion.slots).length - saved.slots.length : 0;
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const changed = JSON.stringify({ zone, slots }) !== JSON.stringify({ zone: saved.slots.length > 0 ? saved.timeZone : computerZone(), slots: sortSlots(saved.slots) });
  const name = channel.displayName || channel.handle;

  const save = async () => {
    const bad = slots.find((s) => !/^\d{2}:\d{2}$/.test(s.time));
    if (bad) {
      setError(`Give every posting time an hour and minute, like 09:30 (${WEEKDAYS[bad.weekday]} has none).`);
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const next = await setQueueTimes({ channelId: channel.id, timeZone: zone, slots });
      onSaved(next);
      notifySuccess('Posting times saved', `${name}: ${next.slots.length} time${next.slots.length === 1 ? '' : 's'} a week (${next.timeZone}).`);
    } catch (err) {
      const e = toAppError(err);
      setError(e.hint ? `${e.message} ${e.hint}` : e.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="sm">
      {suggestion && (
        <Alert color="indigo" variant="light" data-testid={`suggested-slots-${channel.id}`}>
          {added === 0
            ? 'The suggested times are among this channel’s posting times already.'
            : `${added} suggested time${added === 1 ? '' : 's'} from Best times added below. Check them and press Save to keep them.`}
          {added > 0 && suggestion.timeZone !== zone && ` They are hours in ${suggestion.timeZone}; these posting times are in ${zone}.`}
        </Alert>
      )}
      {slots.length === 0 && (
        <Text size="sm" c="dimmed">
          No posting times yet: “Add to queue” cannot place posts for this channel.
        </Text>
      )}
      {slots.map((slot, i) => (
        <Group key={i} gap="xs" wrap="nowrap" data-testid={`slot-${channel.id}-${i}`}>
          <Select
            aria-label="Day"
            data={WEEKDAY_ORDER.map((d) => ({ value: String(d), label: WEEKDAYS[d] ?? '' }))}
            value={String(slot.weekday)}
            onChange={(value) => {
              setSlots(slots.map((s, j) => (j === i ? { ...s, weekday: Number(value) } : s)));
            }}
            allowDeselect={false}
            w={150}
            comboboxProps={{ withinPortal: false }}
          />
          <TimeInput
            aria-label={`Time on ${WEEKDAYS[slot.weekday] ?? ''}`}
            value={slot.time}
            onChange={(event) => {
              const time = event.currentTarget.value;
              setSlots(slots.map((s, j) => (j === i ? { ...s, time } : s)));
            }}
            w={120}
          />
          <Tooltip label="Remove this time">
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Remove ${WEEKDAYS[slot.weekday] ?? ''} ${slot.time}`}
              onClick={() => {
                setSlots(slots.filter((_, j) => j !== i));
              }}
            >
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={() => {
            const last = slots[slots.length - 1];
            setSlots([...slots, { weekday: last ? WEEKDAY_ORDER[(WEEKDAY_ORDER.indexOf(last.weekday) + 1) % 7] ?? 1 : 1, time: last?.time ?? '09:00' }]);
          }}
          data-testid={`add-slot-${channel.id}`}
        >
          Add a posting time
        </Button>
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <div style={{ width: 320 }}>
          <ZoneSelect value={zone} onChange={setZone} description="The posting times are in this time zone." />
        </div>
        <Button onClick={() => void save()} loading={saving} disabled={!changed} data-testid={`save-slots-${channel.id}`}>
          Save
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** One channel's weekly posting times. */
export function QueueTimesCard({ channel, suggestion }: { channel: ChannelView; suggestion?: QueueSuggestion | undefined }) {
  const load = useCallback(() => queueTimes(channel.id), [channel.id]);
  const times = useLoad(load);
  const [saved, setSaved] = useState<QueueTimes | undefined>(undefined);
  const current = saved ?? times.data;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (suggestion) {
      ref.current?.scrollIntoView({ block: 'start' });
    }
  }, [suggestion]);
  return (
    <Card ref={ref} component="section" aria-label={`Posting times of ${channel.displayName || channel.handle}`} data-testid={`queue-times-${channel.id}`}>
      <Stack gap="sm">
        <ChannelName channel={channel} size={30} withHandle />
        {times.error && <ErrorPanel title="Herald could not read the posting times" error={times.error} onRetry={times.reload} />}
        {current ? (
          <TimesForm
            key={JSON.stringify(current)}
            channel={channel}
            saved={current}
            onSaved={setSaved}
            // Once saved, the suggestion is spent.
            suggestion={saved ? undefined : suggestion}
          />
        ) : (
          !times.error && <Skeleton h={60} aria-hidden />
        )}
      </Stack>
    </Card>
  );
}
