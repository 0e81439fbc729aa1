import { Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArchive, IconDatabase, IconFolders, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { backupNow, getDiagnostics } from '../../api/settings';
import { ErrorPanel } from '../../components/ErrorPanel';
import { InfoCardSkeleton } from '../../components/InfoCard';
import { useLoad } from '../../hooks/useLoad';
import { notifyError, notifySuccess } from '../../lib/notify';
import { BackupCard } from './diagnostics/BackupCard';
import { DatabaseCard } from './diagnostics/DatabaseCard';
import { FilesCard } from './diagnostics/FilesCard';
import { HeraldCard } from './diagnostics/HeraldCard';
import { KeyringCard } from './diagnostics/KeyringCard';

/** Settings → Diagnostics: what Herald knows about itself and its files. */
export function DiagnosticsPanel() {
  const diag = useLoad(getDiagnostics);
  const [backingUp, setBackingUp] = useState(false);

  const takeBackup = async () => {
    setBackingUp(true);
    try {
      const backup = await backupNow();
      notifySuccess('Backup saved', backup.path);
      diag.reload();
    } catch (err) {
      notifyError('The backup failed', err);
    } finally {
      setBackingUp(false);
    }
  };

  const d = diag.data;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm" c="dimmed" maw={620}>
          What Herald knows about itself, its files and this computer. Include it when you ask for help; it holds
          no passwords or posts.
        </Text>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconRefresh size={14} />}
          onClick={diag.reload}
          loading={diag.loading}
          style={{ flexShrink: 0 }}
        >
          Refresh
        </Button>
      </Group>

      {diag.error && (
        <ErrorPanel title="Herald could not read its diagnostics" error={diag.error} onRetry={diag.reload} />
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        {d && <HeraldCard diagnostics={d} />}
        {!d && !diag.error && <InfoCardSkeleton title="Herald" icon={IconInfoCircle} rows={4} />}
        <KeyringCard />
      </SimpleGrid>

      {d ? (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <DatabaseCard diagnostics={d} />
            <BackupCard diagnostics={d} backingUp={backingUp} onBackup={() => void takeBackup()} />
          </SimpleGrid>
          <FilesCard diagnostics={d} />
        </>
      ) : (
        !diag.error && (
          <>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <InfoCardSkeleton title="Database" icon={IconDatabase} rows={2} />
              <InfoCardSkeleton title="Backups" icon={IconArchive} rows={3} />
            </SimpleGrid>
            <InfoCardSkeleton title="Files" icon={IconFolders} rows={4} />
          </>
        )
      )}
    </Stack>
  );
}
