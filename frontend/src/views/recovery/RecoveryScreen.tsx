import { Alert, Anchor, Button, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDatabaseExclamation, IconLifebuoy, IconPower, IconRestore, IconStethoscope } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { quitApp } from '../../api/app';
import { type AppError, toAppError } from '../../api/errors';
import { restoreLatestBackup } from '../../api/recovery';
import type { RestoreResult, StartupProblem } from '../../api/types';
import { ErrorPanel } from '../../components/ErrorPanel';
import { InfoList, InfoRow } from '../../components/InfoCard';
import { PathValue } from '../../components/PathValue';
import { TimeValue } from '../../components/TimeValue';
import { formatBytes } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { DIAGNOSTICS_PATH } from '../../navigation';
import { canRestoreKind, keptFileName, problemTitle } from './recoveryText';
import { RecoveryLayout } from './RecoveryLayout';
import { RestoreConfirmModal } from './RestoreConfirmModal';

function Restarting({ kind, result }: { kind: string; result: RestoreResult | undefined }) {
  return (
    <Alert color="teal" variant="light" title="Backup restored" icon={<IconRestore size={20} />} data-testid="restore-result">
      <Stack gap={6}>
        {result ? (
          <>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              Restored from {result.restoredFrom}.
            </Text>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              The {keptFileName(kind)} was kept as {result.keptDamaged}.
            </Text>
          </>
        ) : (
          <Text size="sm">The latest backup was restored.</Text>
        )}
        <Text size="sm" fw={600}>
          Herald is restarting.
        </Text>
      </Stack>
    </Alert>
  );
}

/** Shown instead of the app when the database could not be opened. */
export function RecoveryScreen({ problem }: { problem: StartupProblem }) {
  const [confirming, setConfirming] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const [result, setResult] = useState<RestoreResult>();
  const [error, setError] = useState<AppError>();

  const backup = problem.latestBackup;
  const restored = problem.restored || result !== undefined;
  // Go sends null for "no backup"; the generated type says undefined.
  const canRestore = canRestoreKind(problem.kind) && Boolean(backup) && !restored;

  const restore = async () => {
    setConfirming(false);
    setRestoring(true);
    setError(undefined);
    try {
      setResult(await restoreLatestBackup());
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setRestoring(false);
    }
  };

  const quit = () => {
    if (!quitApp()) {
      notifySuccess('Close the window to quit', 'Herald is not running as a desktop app here.');
    }
  };

  return (
    <RecoveryLayout>
      <Stack gap="lg" data-testid="recovery-screen" data-kind={problem.kind}>
        <Group gap="md" wrap="nowrap">
          <ThemeIcon color="red" variant="light" size={52} radius="xl" aria-hidden>
            <IconDatabaseExclamation size={28} stroke={1.6} />
          </ThemeIcon>
          <div>
            <Text size="xs" fw={700} tt="uppercase" c="dimmed" lts={0.5}>
              Recovery
            </Text>
            <Title order={1} fz={24}>
              {problemTitle(problem.kind)}
            </Title>
          </div>
        </Group>

        {problem.message && <Text style={{ overflowWrap: 'anywhere' }}>{problem.message}</Text>}

        {problem.hint && !restored && (
          <Alert color="indigo" variant="light" title="What to do" icon={<IconLifebuoy size={20} />}>
            <Text size="sm">{problem.hint}</Text>
          </Alert>
        )}

        <Card>
          <InfoList>
            <InfoRow label="Database file">
              <PathValue path={problem.databasePath} what="database path" testId="recovery-db-path" />
            </InfoRow>
            <InfoRow label="Latest backup">
              {backup ? (
                <Stack gap={4}>
                  <TimeValue iso={backup.takenAt} />
                  <PathValue path={backup.path} what="backup path" testId="recovery-backup-path" />
                  <Text size="xs" c="dimmed">
                    {formatBytes(backup.sizeBytes)}
                  </Text>
                </Stack>
              ) : (
                <Text size="sm" data-testid="recovery-no-backup">
                  No backup was found, so there is nothing to restore.
                </Text>
              )}
            </InfoRow>
          </InfoList>
        </Card>

        {error && <ErrorPanel title="The backup could not be restored" error={error} onRetry={() => void restore()} />}
        {restored && <Restarting kind={problem.kind} result={result} />}

        <Group justify="space-between">
          <Anchor component={Link} to={DIAGNOSTICS_PATH} size="sm">
            <Group gap={6} component="span">
              <IconStethoscope size={16} aria-hidden />
              Open Diagnostics
            </Group>
          </Anchor>
          <Group gap="sm">
            <Button variant="default" leftSection={<IconPower size={16} />} onClick={quit}>
              Quit Herald
            </Button>
            {canRestore && (
              <Button
                leftSection={<IconRestore size={16} />}
                loading={restoring}
                onClick={() => {
                  setConfirming(true);
                }}
              >
                Restore latest backup
              </Button>
            )}
          </Group>
        </Group>
      </Stack>

      {backup && (
        <RestoreConfirmModal
          opened={confirming}
          kind={problem.kind}
          backup={backup}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => void restore()}
        />
      )}
    </RecoveryLayout>
  );
}
