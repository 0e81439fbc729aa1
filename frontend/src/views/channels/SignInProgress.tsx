import { Alert, Button, Code, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconExternalLink } from '@tabler/icons-react';
import { openExternal } from '../../api/app';
import type { ConnectError, Snapshot } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';
import { stageText } from './channelText';

interface SignInProgressProps {
  snapshot: Snapshot | undefined;
  /** Shown until the first snapshot arrives. */
  networkName: string;
  onCancel: () => void;
}

/** A browser sign-in under way: what Herald waits for, the link to copy, and Cancel. */
export function SignInProgress({ snapshot, networkName, onCancel }: SignInProgressProps) {
  const stage = snapshot?.stage ?? 'starting';
  const name = snapshot?.networkName || networkName;
  const authUrl = snapshot?.authUrl ?? '';
  const waiting = stage === 'waiting_for_browser';
  return (
    <Stack gap="md" data-testid="signin-progress" data-stage={stage} data-session={snapshot?.id ?? ''}>
      <Group gap="md" wrap="nowrap" align="center" role="status" aria-live="polite">
        <Loader size="md" aria-hidden />
        <div>
          <Text fw={600} data-testid="signin-stage-text">
            {stageText(stage, name)}
          </Text>
          {waiting && (
            <Text size="sm" c="dimmed">
              Sign in on {name}&apos;s page and choose to allow Herald. This window updates by itself.
            </Text>
          )}
        </div>
      </Group>
      {waiting && snapshot && !snapshot.browserOpened && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Herald could not open your browser">
          <Text size="sm">Copy the sign-in link below and open it in your browser.</Text>
        </Alert>
      )}
      {authUrl && (
        <Stack gap={4}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm">The browser didn&apos;t open? Copy the sign-in link</Text>
            <CopyValueButton value={authUrl} label="Copy the sign-in link" />
            <Button
              size="compact-xs"
              variant="subtle"
              leftSection={<IconExternalLink size={13} />}
              onClick={() => {
                openExternal(authUrl);
              }}
            >
              Open it again
            </Button>
          </Group>
          <Code block fz="xs" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', maxHeight: 72 }} data-testid="signin-auth-url">
            {authUrl}
          </Code>
        </Stack>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} data-testid="signin-cancel">
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

interface SignInProblemProps {
  error: ConnectError | null | undefined;
  stage: string;
  onRetry: () => void;
  onClose: () => void;
  retryLabel?: string;
}

/** A sign-in that failed or was cancelled: what happened, what to do, and Try again. */
export function SignInProblem({ error, stage, onRetry, onClose, retryLabel = 'Try again' }: SignInProblemProps) {
  const cancelled = stage === 'cancelled';
  return (
    <Stack gap="md">
      <Alert
        color={cancelled ? 'gray' : 'red'}
        variant="light"
        icon={<IconAlertTriangle size={18} />}
        title={cancelled ? 'Sign-in cancelled' : 'The sign-in did not work'}
        data-testid="signin-problem"
        data-code={error?.code ?? stage}
      >
        <Stack gap={6}>
          <Text size="sm">{error?.message || stageText(stage, '')}</Text>
          {error?.hint && (
            <Text size="sm" fw={500}>
              {error.hint}
            </Text>
          )}
          {!cancelled && (
            <Text size="xs" c="dimmed">
              Nothing was connected or changed.
            </Text>
          )}
        </Stack>
      </Alert>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Close
        </Button>
        <Button onClick={onRetry} data-autofocus>
          {retryLabel}
        </Button>
      </Group>
    </Stack>
  );
}
