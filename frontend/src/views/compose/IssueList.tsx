import { Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle } from '@tabler/icons-react';
import type { Issue } from '../../api/posts';
import type { Problem } from './checks';

const isProblem = (issue: Issue | Problem): issue is Problem => 'text' in issue;

/** The issues of one field: errors (they block publishing) first, then warnings (advice), each with its fixes. */
export function IssueList({ issues, id }: { issues: (Issue | Problem)[]; id?: string }) {
  if (issues.length === 0) {
    return null;
  }
  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <Stack gap={2} id={id} data-testid="issue-list">
      {sorted.map((issue) => {
        const error = issue.severity === 'error';
        const Icon = error ? IconAlertCircle : IconAlertTriangle;
        const fixes = isProblem(issue) ? issue.fixes : [];
        return (
          <Group key={`${issue.code}-${issue.message}`} gap={6} wrap="nowrap" align="flex-start" data-testid="issue" data-severity={issue.severity} data-field={issue.field}>
            <Icon size={15} stroke={1.8} aria-hidden color={error ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-orange-6)'} style={{ flexShrink: 0, marginTop: 2 }} />
            <Stack gap={2}>
              <Text size="xs" c={error ? 'red' : 'orange'}>
                <Text span size="xs" fw={600}>
                  {error ? 'Error: ' : 'Warning: '}
                </Text>
                {isProblem(issue) ? issue.text : issue.message}
              </Text>
              {fixes.length > 0 && (
                <Group gap={4}>
                  {fixes.map((fix) => (
                    <Button key={fix.label} size="compact-xs" variant="light" onClick={fix.run} data-testid={`fix-${fix.kind}`}>
                      {fix.label}
                    </Button>
                  ))}
                </Group>
              )}
            </Stack>
          </Group>
        );
      })}
    </Stack>
  );
}
