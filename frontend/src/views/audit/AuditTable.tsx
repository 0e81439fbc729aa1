import { Table, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { AuditEntry } from '../../api/audit';
import { AuditRow } from './AuditRow';

interface AuditTableProps {
  entries: AuditEntry[];
  /** True while a new first page loads over these entries. */
  busy: boolean;
}

/** The entries, newest first; each row opens to show its details. */
export function AuditTable({ entries, busy }: AuditTableProps) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) => {
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  };

  return (
    <Table.ScrollContainer minWidth={860}>
      <Table
        verticalSpacing="xs"
        highlightOnHover
        aria-label="Audit log entries, newest first"
        aria-busy={busy}
        style={{ opacity: busy ? 0.6 : 1, transition: 'opacity 120ms ease' }}
        data-testid="audit-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th w={165}>Time</Table.Th>
            <Table.Th w={150}>Who</Table.Th>
            <Table.Th>Event</Table.Th>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Teams</Table.Th>
            <Table.Th>Summary</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <AuditRow
              key={entry.id}
              entry={entry}
              expanded={open.has(entry.id)}
              onToggle={() => {
                toggle(entry.id);
              }}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
