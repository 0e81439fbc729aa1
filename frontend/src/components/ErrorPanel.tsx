import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import type { AppError } from '../api/errors';

interface ErrorPanelProps {
  error: AppError;
  /** What failed, e.g. "Herald could not read its diagnostics". */
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** A failed call: what happened, what to do, and a way to try again. */
export function ErrorPanel({ error, title = 'Something went wrong', onRetry, retrying = false }: ErrorPanelProps) {
  return (
    <Alert
      color="red"
      variant="light"
      radius="md"
      title={title}
      icon={<IconAlertTriangle size={20} />}
      data-testid="error-panel"
      data-code={error.code}
    >
      <Stack gap="xs">
        <Text size="sm">{error.message}</Text>
        {error.hint && (
          <Text size="sm" fw={500}>
            {error.hint}
          </Text>
        )}
        <Group justify="space-between" align="center" mt={4}>
          {onRetry ? (
            <Button
              size="xs"
              color="red"
              variant="white"
              leftSection={<IconRefresh size={14} />}
              onClick={onRetry}
              loading={retrying}
            >
              Retry
            </Button>
          ) : (
            <span />
          )}
          <Text size="xs" c="dimmed">
            Error code: {error.code}
          </Text>
        </Group>
      </Stack>
    </Alert>
  );
}
