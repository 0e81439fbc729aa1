import { Alert, Button, Group, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconKey, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { getKeyringStatus } from '../../../api/settings';
import { InfoCard, InfoList, InfoRow } from '../../../components/InfoCard';
import { TimeValue } from '../../../components/TimeValue';
import { useLoad } from '../../../hooks/useLoad';

export type KeyringState = 'checking' | 'available' | 'unavailable';

function Checking() {
  return (
    <Group gap="md" wrap="nowrap">
      <Loader size="sm" />
      <div>
        <Text size="sm" fw={600}>
          Checking the keyring…
        </Text>
        <Text size="xs" c="dimmed">
          This can take up to 10 seconds.
        </Text>
      </div>
    </Group>
  );
}

function StatusLine({ ok, title, message }: { ok: boolean; title: string; message: string }) {
  const Icon = ok ? IconShieldCheck : IconShieldX;
  return (
    <Group gap="md" wrap="nowrap" align="flex-start">
      <ThemeIcon variant="light" color={ok ? 'teal' : 'red'} radius="xl" size={34} aria-hidden>
        <Icon size={19} stroke={1.7} />
      </ThemeIcon>
      <div>
        <Text size="sm" fw={700} c={ok ? 'teal' : 'red'}>
          {title}
        </Text>
        {message && <Text size="sm">{message}</Text>}
      </div>
    </Group>
  );
}

/** A live check that Herald can store sign-ins in the OS keyring. */
export function KeyringCard() {
  const keyring = useLoad(getKeyringStatus);
  const status = keyring.data;
  const state: KeyringState = keyring.loading ? 'checking' : status?.available ? 'available' : 'unavailable';
  const message = status?.message ?? keyring.error?.message ?? '';
  const hint = status?.hint || keyring.error?.hint;

  return (
    <InfoCard
      title="Keyring"
      icon={IconKey}
      action={
        <Button size="xs" variant="default" onClick={keyring.reload} disabled={state === 'checking'}>
          Check again
        </Button>
      }
    >
      <Stack gap="md" data-testid="keyring-status" data-state={state} aria-live="polite" aria-busy={state === 'checking'}>
        {state === 'checking' && <Checking />}
        {state === 'available' && status && (
          <>
            <StatusLine ok title="Available" message={message} />
            <InfoList>
              <InfoRow label="Backend">
                <Text size="sm" data-testid="keyring-backend">
                  {status.backend || 'Unknown'}
                </Text>
              </InfoRow>
              <InfoRow label="Checked">
                <TimeValue iso={status.checkedAt} />
              </InfoRow>
            </InfoList>
          </>
        )}
        {state === 'unavailable' && (
          <>
            <StatusLine ok={false} title="Unavailable" message={message} />
            {hint && (
              <Alert variant="light" color="yellow" title="What to do" radius="md">
                <Text size="sm">{hint}</Text>
              </Alert>
            )}
          </>
        )}
        <Text size="xs" c="dimmed">
          Herald keeps channel sign-ins in your system&apos;s keyring, never in its own files.
        </Text>
      </Stack>
    </InfoCard>
  );
}
