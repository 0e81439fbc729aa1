import { Badge, Text, Tooltip } from '@mantine/core';
import { IconFolders } from '@tabler/icons-react';
import type { Diagnostics } from '../../../api/types';
import { InfoCard, InfoList, InfoRow } from '../../../components/InfoCard';
import { PathValue } from '../../../components/PathValue';

function PortableBadge({ portable }: { portable: boolean }) {
  return portable ? (
    <Tooltip label="The HERALD_DATA_DIR environment variable chose this folder.">
      <Badge variant="light" color="grape" data-testid="diag-portable" data-state="portable">
        Portable
      </Badge>
    </Tooltip>
  ) : (
    <Badge variant="light" color="gray" data-testid="diag-portable" data-state="standard">
      Standard location
    </Badge>
  );
}

export function FilesCard({ diagnostics: d }: { diagnostics: Diagnostics }) {
  return (
    <InfoCard title="Files" icon={IconFolders} action={<PortableBadge portable={d.portable} />}>
      <InfoList>
        <InfoRow label="Data folder">
          <PathValue path={d.dataDir} what="data folder path" testId="diag-data-dir" />
        </InfoRow>
        <InfoRow label="Database">
          <PathValue path={d.databasePath} what="database path" testId="diag-db-path" />
        </InfoRow>
        <InfoRow label="Backups">
          <PathValue path={d.backupDir} what="backup folder path" testId="diag-backup-dir" />
        </InfoRow>
        <InfoRow label="Logs">
          <PathValue path={d.logDir} what="log folder path" testId="diag-log-dir" />
        </InfoRow>
        <InfoRow label="Portable">
          <Text size="sm">
            {d.portable
              ? 'Yes. HERALD_DATA_DIR points Herald at this data folder.'
              : 'No. Herald uses the usual data folder for this system; set HERALD_DATA_DIR to move it.'}
          </Text>
        </InfoRow>
      </InfoList>
    </InfoCard>
  );
}
