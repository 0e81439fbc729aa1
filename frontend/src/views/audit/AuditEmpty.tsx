import { Button, Card, EmptyState } from '@mantine/core';
import { IconFilterOff, IconListDetails, IconSearch } from '@tabler/icons-react';

/** No entry to show: none match the filters, or Herald has recorded nothing yet. */
export function AuditEmpty({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <Card py={48} data-testid="audit-empty">
      {filtered ? (
        <EmptyState
          icon={<IconSearch size={28} stroke={1.6} aria-hidden />}
          title="Nothing matches these filters"
          description="Try other days, another channel or fewer words, or clear the filters to see everything."
          maw={480}
          mx="auto"
        >
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={onClear}>
              Clear filters
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      ) : (
        <EmptyState
          icon={<IconListDetails size={28} stroke={1.6} aria-hidden />}
          title="Nothing yet"
          description="Whenever Herald connects a channel, publishes a post or changes a setting, it is written here with the time and who or what asked for it."
          maw={480}
          mx="auto"
        />
      )}
    </Card>
  );
}
