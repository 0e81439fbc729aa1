import { Group, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle } from '@tabler/icons-react';
import type { Issue } from '../../api/posts';

/** The issues of one field: errors (they block publishing) first, then warnings (advice). */
export function IssueList({ issues, id }: { issues: Issue[]; id?: string }) {
  if (issues.length === 0) {
    return null;
  }
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <Stack gap={2} id={id} data-testid="issue-list">
      {sorted.map((issue) => {
        const error = issue.severity === 'error';
        const Icon = error ? IconAlertCircle : IconAlertTriangle;
        return (
          <Group key={`${issue.code}-${issue.message}`} gap={6} wrap="nowrap" align="flex-start" data-testid="issue" data-severity={issue.severity} data-field={issue.field}>
            <Icon size={15} stroke={1.8} aria-hidden color={error ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-orange-6)'} style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="xs" c={error ? 'red' : 'orange'}>
              <Text span size="xs" fw={600}>
                {error ? 'Error: ' : 'Warning: '}
              </Text>
              {issue.message}
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}
