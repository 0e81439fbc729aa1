import { Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';

/** A centred loader, shown only if loading takes long enough to notice. */
export function FullPageLoader({ label, delayMs = 200 }: { label: string; delayMs?: number }) {
  const [visible, setVisible] = useState(delayMs === 0);
  useEffect(() => {
    const id = window.setTimeout(() => {
      setVisible(true);
    }, delayMs);
    return () => {
      window.clearTimeout(id);
    };
  }, [delayMs]);

  return (
    <Center h="100vh" role="status" aria-live="polite" aria-label={label}>
      {visible && (
        <Stack align="center" gap="sm">
          <Loader size="md" />
          <Text c="dimmed" size="sm">
            {label}
          </Text>
        </Stack>
      )}
    </Center>
  );
}
