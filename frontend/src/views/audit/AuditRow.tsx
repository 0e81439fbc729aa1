import { ActionIcon, Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronRight } from '@tabler/icons-react';
import type { AuditEntry } from '../../api/audit';
import { TimeValue } from '../../components/TimeValue';
import { AuditDetails } from './AuditDetails';
import { actorText, eventText, teamNames } from './auditText';

/** How many columns a row has, for the details row below it. */
export const AUDIT_COLUMNS = 7;

function None() {
  return (
    <Text size="sm" c="dimmed">
      <span aria-hidden>—</span>
      <VisuallyHidden>None</VisuallyHidden>
    </Text>
  );
}

interface AuditRowProps {
  entry: AuditEntry;
  expanded: boolean;
  onToggle: () => void;
}

/** One audit entry; it opens to show its details and where it points. */
export function AuditRow({ entry, expanded, onToggle }: AuditRowProps) {
  const actor = actorText(entry.actor);
  const ActorIcon = actor.icon;
  const event = eventText(entry.event);
  const teams = teamNames(entry.teams);
  const detailsId = `audit-details-${entry.id}`;

  return (
    <>
      <Table.Tr
        data-testid="audit-row"
        data-event={entry.event}
        data-id={entry.id}
        onClick={() => {
          // Selecting text to copy it does not open the row.
          if (!window.getSelection()?.toString()) {
            onToggle();
          }
        }}
        style={{ cursor: 'pointer', verticalAlign: 'top' }}
      >
        <Table.Td>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={`Details: ${event}`}
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            onClick={(e) => {
              e.stopPropagation();
              onToggle();
            }}
            data-testid="audit-row-toggle"
          >
            <IconChevronRight
              size={16}
              aria-hidden
              style={{ transform: expanded ? 'rotate(90deg)' : undefined, transition: 'transform 120ms ease' }}
            />
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <TimeValue iso={entry.at} />
        </Table.Td>
        <Table.Td>
          <Badge variant="light" color={actor.color} tt="none" leftSection={<ActorIcon size={12} aria-hidden />} data-testid="audit-actor">
            {actor.label}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={500} data-testid="audit-event">
            {event}
          </Text>
        </Table.Td>
        <Table.Td>
          {entry.channelName ? (
            <Text size="sm" data-testid="audit-channel">
              {entry.channelName}
            </Text>
          ) : (
            <None />
          )}
        </Table.Td>
        <Table.Td>
          {teams.length > 0 ? (
            <Group gap={4} data-testid="audit-teams">
              {teams.map((name) => (
                <Badge key={name} size="sm" variant="outline" color="gray" tt="none">
                  {name}
                </Badge>
              ))}
            </Group>
          ) : (
            <None />
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" lineClamp={expanded ? undefined : 2} data-testid="audit-summary">
            {entry.summary}
          </Text>
        </Table.Td>
      </Table.Tr>
      {expanded && (
        <Table.Tr>
          <Table.Td />
          <Table.Td colSpan={AUDIT_COLUMNS - 1}>
            <AuditDetails entry={entry} id={detailsId} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
