import { Badge, Table, Text } from '@mantine/core';
import type { AttemptView } from '../../api/posts';
import { formatDateTime, parseTime } from '../../lib/format';

const OUTCOME: Record<string, { label: string; color: string }> = {
  pending: { label: 'Running', color: 'cyan' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  unknown: { label: 'Unknown: being checked', color: 'orange' },
};

function time(iso: string): string {
  const date = parseTime(iso);
  return date ? formatDateTime(date) : '—';
}

/** Every attempt to publish one variant, oldest first. */
export function AttemptLedger({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="attempt-ledger-empty">
        No attempts yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing={6} fz="sm" data-testid="attempt-ledger">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Class</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attempts.map((a) => {
            const outcome = OUTCOME[a.outcome] ?? { label: a.outcome, color: 'gray' };
            return (
              <Table.Tr key={a.number} data-testid="attempt-row" data-outcome={a.outcome}>
                <Table.Td>{a.number}</Table.Td>
                <Table.Td>{time(a.startedAt)}</Table.Td>
                <Table.Td>{time(a.finishedAt)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={outcome.color} tt="none">
                    {outcome.label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {a.errorClass || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {a.message || (a.remoteId ? `Post ${a.remoteId}` : '—')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
