import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { toAppError } from '../../api/errors';
import { schedulePost, type ScheduleResult } from '../../api/posts';
import { notifySuccess } from '../../lib/notify';
import { defaultWhen, describeWhen, scheduledText, type When, WhenFields, whenLocal } from './WhenFields';
import { computerZone } from '../../time/zones';

interface RescheduleModalProps {
  post: { id: number; title: string; localTime: string; timeZone: string } | undefined;
  onClose: () => void;
  onDone?: (result: ScheduleResult) => void;
}

function initialWhen(post: NonNullable<RescheduleModalProps['post']>): When {
  const zone = post.timeZone || computerZone();
  const now = new Date();
  const kept = { date: post.localTime.slice(0, 10), time: post.localTime.slice(11, 16), zone };
  // A time still ahead is where the user starts from; a missed one is not.
  return post.localTime && describeWhen(kept, now)?.problem === undefined ? kept : defaultWhen(now, zone);
}

function RescheduleForm({ post, onClose, onDone }: RescheduleModalProps & { post: NonNullable<RescheduleModalProps['post']> }) {
  const [when, setWhen] = useState<When>(() => initialWhen(post));
  const [error, setError] = useState<{ message: string; hint?: string | undefined } | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const local = whenLocal(when);
  const summary = describeWhen(when, new Date());
  const blocked = !local || summary?.problem !== undefined;

  const save = async () => {
    if (!local) {
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const result = await schedulePost(post.id, local, when.zone);
      notifySuccess('Rescheduled', scheduledText(local, when.zone, result).message);
      onDone?.(result);
      onClose();
    } catch (err) {
      const e = toAppError(err);
      setError({ message: e.message, hint: e.hint });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm">Every variant of this post that is not published yet moves to the new time.</Text>
      <WhenFields value={when} onChange={setWhen} testId="reschedule" />
      {error && (
        <Alert color="red" variant="light" title="Not rescheduled">
          {error.message} {error.hint}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button onClick={() => void save()} loading={saving} disabled={blocked} data-testid="reschedule-save">
          Schedule
        </Button>
      </Group>
    </Stack>
  );
}

/** "Pick a new time" for a post. */
export function RescheduleModal({ post, onClose, onDone }: RescheduleModalProps) {
  return (
    <Modal opened={post !== undefined} onClose={onClose} title="Pick a new time" centered size="lg">
      {post && <RescheduleForm post={post} onClose={onClose} {...(onDone ? { onDone } : {})} />}
    </Modal>
  );
}
