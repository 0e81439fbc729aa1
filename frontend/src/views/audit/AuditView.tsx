import { Alert, Button, Group, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { listTeams } from '../../api/teams';
import { ErrorPanel } from '../../components/ErrorPanel';
import { PageHeader } from '../../components/PageHeader';
import { useChannelList } from '../../hooks/useChannelList';
import { useLoad } from '../../hooks/useLoad';
import { AuditEmpty } from './AuditEmpty';
import { AuditFilterBar } from './AuditFilterBar';
import { type AuditFilters, isFiltered, NO_FILTERS } from './auditQuery';
import { AuditTable } from './AuditTable';
import { entriesText } from './auditText';
import { ExportButton } from './ExportButton';
import { NewEntriesNotice } from './NewEntriesNotice';
import { useAuditLog } from './useAuditLog';

function ListSkeleton() {
  return (
    <Stack gap="xs" aria-hidden data-testid="audit-loading">
      {[0, 1, 2, 3, 4].map((i) => (
        <Skeleton key={i} h={44} />
      ))}
    </Stack>
  );
}

/** #/audit: everything Herald did, who or what asked for it, filtered, paged and exported. */
export function AuditView() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const channels = useChannelList();
  const teams = useLoad(listTeams);
  const log = useAuditLog(filters);
  const results = useRef<HTMLDivElement>(null);
  const clear = () => {
    setFilters(NO_FILTERS);
  };
  const showNew = () => {
    log.reload();
    results.current?.focus();
  };
  const { entries } = log;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Everything Herald did, and who or what asked for it."
        actions={<ExportButton query={log.query} />}
      />
      <Stack gap="md">
        <AuditFilterBar value={filters} onChange={setFilters} channels={channels.data ?? []} teams={teams.data ?? []} />

        <Stack gap="sm" ref={results} tabIndex={-1} role="region" aria-label="Audit log results" style={{ outlineOffset: 4 }}>
          <Group justify="space-between" mih={28}>
            <Group gap="xs">
              {entries && (
                <Text size="sm" fw={600} data-testid="audit-total">
                  {entriesText(log.total)}
                </Text>
              )}
              {entries && entries.length > 0 && entries.length < log.total && (
                <Text size="sm" c="dimmed">
                  · showing the newest {entries.length.toLocaleString('en')}
                </Text>
              )}
              {log.loading && entries && <Loader size="xs" aria-label="Loading the audit log" />}
            </Group>
          </Group>

          <div aria-live="polite">{log.fresh && <NewEntriesNotice count={log.fresh.count} onShow={showNew} />}</div>

          {log.error && <ErrorPanel title="Herald could not read the audit log" error={log.error} onRetry={log.reload} />}
          {!entries && !log.error && <ListSkeleton />}
          {entries && entries.length === 0 && <AuditEmpty filtered={isFiltered(filters)} onClear={clear} />}
          {entries && entries.length > 0 && <AuditTable entries={entries} busy={log.loading} />}

          {log.moreError && (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title="Herald could not load older entries"
              data-testid="audit-more-error"
            >
              {log.moreError.message}
              {log.moreError.hint ? ` ${log.moreError.hint}` : ''}
            </Alert>
          )}
          {entries && entries.length > 0 && (log.more || log.moreError) && (
            <Group justify="center">
              <Button
                variant="default"
                onClick={log.loadMore}
                loading={log.loadingMore}
                disabled={log.loading}
                data-testid="audit-load-more"
              >
                {log.moreError ? 'Try again' : 'Load more'}
              </Button>
            </Group>
          )}
        </Stack>
      </Stack>
    </>
  );
}
