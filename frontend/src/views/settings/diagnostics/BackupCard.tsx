import { Button, Stack, Text } from '@mantine/core';
import { IconArchive, IconDeviceFloppy } from '@tabler/icons-react';
import type { Diagnostics } from '../../../api/types';
import { InfoCard, InfoList, InfoRow } from '../../../components/InfoCard';
import { PathValue } from '../../../components/PathValue';
import { TimeValue } from '../../../components/TimeValue';
import { formatBytes } from '../../../lib/format';

interface BackupCardProps {
  diagnostics: Diagnostics;
  backingUp: boolean;
  onBackup: () => void;
}

export function BackupCard({ diagnostics: d, backingUp, onBackup }: BackupCardProps) {
  const backup = d.lastBackup;
  return (
    <InfoCard
      title="Backups"
      icon={IconArchive}
      action={
        <Button
          size="xs"
          leftSection={<IconDeviceFloppy size={15} />}
          onClick={onBackup}
          loading={backingUp}
          disabled={!d.databaseOpen}
        >
          Back up now
        </Button>
      }
    >
      <Stack gap="sm" data-testid="diag-last-backup" data-path={backup?.path ?? ''} data-taken-at={backup?.takenAt ?? ''}>
        {backup ? (
          <InfoList>
            <InfoRow label="Last backup">
              <TimeValue iso={backup.takenAt} />
            </InfoRow>
            <InfoRow label="File">
              <PathValue path={backup.path} what="backup path" />
            </InfoRow>
            <InfoRow label="Size">
              <Text size="sm">{formatBytes(backup.sizeBytes)}</Text>
            </InfoRow>
          </InfoList>
        ) : (
          <Text size="sm" c="dimmed">
            No backup yet.
          </Text>
        )}
      </Stack>
      {!d.databaseOpen && (
        <Text size="xs" c="dimmed" mt="sm">
          Backing up needs an open database.
        </Text>
      )}
    </InfoCard>
  );
}
