import { Group, Text } from '@mantine/core';
import { CopyValueButton } from './CopyValueButton';

interface PathValueProps {
  path: string;
  /** Names the path in the copy button's label: "Copy <what>". */
  what: string;
  testId?: string;
}

/** A file or folder path in monospace, with a copy button. */
export function PathValue({ path, what, testId }: PathValueProps) {
  if (!path) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        Not set
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Text ff="monospace" fz="13px" lh={1.6} style={{ overflowWrap: 'anywhere' }} data-testid={testId}>
        {path}
      </Text>
      <CopyValueButton value={path} label={`Copy ${what}`} />
    </Group>
  );
}
