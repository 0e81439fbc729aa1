import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useMaybePublishing } from '../queue/usePublishingStatus';
import { useAction } from './useAction';

/**
 * How "Publish now" goes ahead: at once (publishing runs), or — while
 * publishing is paused — resume first, or wait for the resume.
 */
export type PublishChoice = 'now' | 'resume' | 'on_resume';

/** The notification after a choice, saying what actually happens to `what` ("“Launch day” to 2 channels"). */
export function publishToast(choice: PublishChoice, what: string): [string, string] {
  switch (choice) {
    case 'resume':
      return ['Publishing resumed', `Herald resumed publishing and is publishing ${what} now.`];
    case 'on_resume':
      return ['Publishes when you resume', `Publishing is paused, so ${what} waits. Herald publishes it as soon as you resume publishing.`];
    default:
      return ['Publishing now', `Herald is publishing ${what}.`];
  }
}

interface PublishNowModalProps {
  opened: boolean;
  /** Publishing is paused: offer to resume, or to wait for the resume. */
  paused: boolean;
  /** What is published, as in "“Launch day” to 2 channels". */
  what: string;
  /** The choice being carried out, if any. */
  busy: PublishChoice | undefined;
  onChoose: (choice: PublishChoice) => void;
  onClose: () => void;
}

/** Asks before publishing now; while publishing is paused, asks how. */
export function PublishNowModal({ opened, paused, what, busy, onChoose, onClose }: PublishNowModalProps) {
  const working = busy !== undefined;
  return (
    <Modal opened={opened} onClose={onClose} title={paused ? 'Publishing is paused' : 'Publish now?'} centered size={paused ? 'md' : 'sm'}>
      <Stack gap="md">
        {paused ? (
          <Stack gap="xs" data-testid="publish-paused-choice">
            <Text size="sm">
              Nothing goes out while publishing is paused. Resume publishing to publish {what} now, or leave it paused and Herald
              publishes {what} as soon as you resume.
            </Text>
            <Text size="sm" c="dimmed">
              Resuming also lets your other scheduled posts go out when they are due.
            </Text>
          </Stack>
        ) : (
          <Text size="sm">Herald publishes {what} straight away.</Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={working}>
            Cancel
          </Button>
          {paused ? (
            <>
              <Button
                variant="light"
                onClick={() => onChoose('on_resume')}
                loading={busy === 'on_resume'}
                disabled={working && busy !== 'on_resume'}
                data-testid="publish-on-resume"
              >
                Publish when I resume
              </Button>
              <Button
                onClick={() => onChoose('resume')}
                loading={busy === 'resume'}
                disabled={working && busy !== 'resume'}
                data-autofocus
                data-testid="resume-and-publish"
              >
                Resume and publish now
              </Button>
            </>
          ) : (
            <Button onClick={() => onChoose('now')} loading={busy === 'now'} data-autofocus data-testid="confirm-action">
              Publish now
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

export interface PublishNow {
  /** Publishing is paused right now (as far as the window knows). */
  paused: boolean;
  busy: PublishChoice | undefined;
  /**
   * Carries out a choice: resumes publishing first for "resume", then runs
   * call, and notifies what happened to `what`. Resolves to call's result,
   * or undefined when resuming or the call failed.
   */
  publish: <T>(choice: PublishChoice, call: () => Promise<T>, what: string, failed: string) => Promise<T | undefined>;
}

/** "Publish now" that is honest about a pause. */
export function usePublishNow(): PublishNow {
  const publishing = useMaybePublishing();
  const { run } = useAction();
  const [busy, setBusy] = useState<PublishChoice | undefined>(undefined);
  const publish = async <T,>(choice: PublishChoice, call: () => Promise<T>, what: string, failed: string) => {
    setBusy(choice);
    try {
      if (choice === 'resume' && publishing && !(await publishing.changePaused(false))) {
        return undefined;
      }
      return await run(choice, call, { done: publishToast(choice, what), failed });
    } finally {
      setBusy(undefined);
    }
  };
  return { paused: publishing?.paused === true, busy, publish };
}
