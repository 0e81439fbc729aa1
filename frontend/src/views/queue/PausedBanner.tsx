import { Alert, Button, Group, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { usePublishing } from './usePublishingStatus';

/** A banner over every view while all publishing is paused, with Resume. */
export function PausedBanner() {
  const { paused, switching, setPaused } = usePublishing();
  if (!paused) {
    return null;
  }
  return (
    <Alert color="orange" variant="light" icon={<IconPlayerPause size={20} />} title="Publishing is paused" mb="lg" data-testid="paused-banner" role="status">
      <Group justify="space-between" wrap="nowrap" align="flex-end">
        <Text size="sm">
          Herald publishes nothing until you resume. Posts that fall due meanwhile follow their “If Herald misses the time” choice
          when you do.
        </Text>
        <Button
          size="xs"
          color="orange"
          leftSection={<IconPlayerPlay size={14} />}
          loading={switching}
          onClick={() => {
            setPaused(false);
          }}
          style={{ flexShrink: 0 }}
          data-testid="resume-publishing"
        >
          Resume
        </Button>
      </Group>
    </Alert>
  );
}
