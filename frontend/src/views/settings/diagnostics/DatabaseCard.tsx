import { Badge, Group, Text } from '@mantine/core';
import { IconDatabase } from '@tabler/icons-react';
import type { Diagnostics } from '../../../api/types';
import { InfoCard, InfoList, InfoRow } from '../../../components/InfoCard';
import { formatBytes } from '../../../lib/format';

function SchemaBadge({ version, latest }: { version: number; latest: number }) {
  if (version === latest) {
    return (
      <Badge variant="light" color="teal">
        Up to date
      </Badge>
    );
  }
  return version < latest ? (
    <Badge variant="light" color="yellow">
      Older
    </Badge>
  ) : (
    <Badge variant="light" color="red">
      Newer than this Herald
    </Badge>
  );
}

function SchemaValue({ diagnostics: d }: { diagnostics: Diagnostics }) {
  const latest = <span data-testid="diag-latest-schema-version">{d.latestSchemaVersion}</span>;
  if (!d.databaseOpen) {
    return <Text size="sm">Unknown; this Herald writes version {latest}</Text>;
  }
  return (
    <Group gap="xs">
      <Text size="sm" fw={600}>
        <span data-testid="diag-schema-version">{d.schemaVersion}</span> of {latest}
      </Text>
      <SchemaBadge version={d.schemaVersion} latest={d.latestSchemaVersion} />
    </Group>
  );
}

export function DatabaseCard({ diagnostics: d }: { diagnostics: Diagnostics }) {
  return (
    <InfoCard
      title="Database"
      icon={IconDatabase}
      action={
        <Badge
          variant={d.databaseOpen ? 'light' : 'filled'}
          color={d.databaseOpen ? 'teal' : 'red'}
          data-testid="diag-database-state"
          data-state={d.databaseOpen ? 'open' : 'closed'}
        >
          {d.databaseOpen ? 'Open' : 'Not open'}
        </Badge>
      }
    >
      <InfoList>
        <InfoRow label="Schema version">
          <SchemaValue diagnostics={d} />
        </InfoRow>
        <InfoRow label="Size">
          <Text size="sm" data-testid="diag-db-size">
            {d.databaseSizeBytes > 0 ? formatBytes(d.databaseSizeBytes) : 'No file yet'}
          </Text>
        </InfoRow>
      </InfoList>
      {!d.databaseOpen && (
        <Text size="sm" c="red" mt="md">
          Herald could not open its database, so nothing can be saved or backed up until it is fixed.
        </Text>
      )}
    </InfoCard>
  );
}
