import { Anchor, Code, Group, Stack, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { AuditEntry } from '../../api/audit';
import { CHANNELS_PATH } from '../../navigation';
import { prettyDetails } from './auditText';

/** What one entry recorded beyond its row: the details JSON, and where it points. */
export function AuditDetails({ entry, id }: { entry: AuditEntry; id: string }) {
  const details = prettyDetails(entry.details);
  return (
    <Stack gap="sm" py="xs" id={id} data-testid="audit-details">
      {details ? (
        <Stack gap={4}>
          <Text size="xs" fw={600} c="dimmed">
            Details
          </Text>
          <Code block fz="xs" data-testid="audit-details-json" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {details}
          </Code>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          No further details were recorded.
        </Text>
      )}
      {(entry.channelId !== 0 || entry.postId !== 0) && (
        <Group gap="lg">
          {entry.channelId !== 0 && (
            <Anchor component={Link} to={CHANNELS_PATH} size="sm" data-testid="audit-channel-link">
              Open Channels
              <IconArrowRight size={13} style={{ marginLeft: 4, verticalAlign: 'middle' }} aria-hidden />
            </Anchor>
          )}
          {entry.postId !== 0 && (
            <Anchor component={Link} to={`/posts/${entry.postId}`} size="sm" data-testid="audit-post-link">
              Open post {entry.postId}
              <IconArrowRight size={13} style={{ marginLeft: 4, verticalAlign: 'middle' }} aria-hidden />
            </Anchor>
          )}
        </Group>
      )}
      <Text size="xs" c="dimmed">
        Entry {entry.id} · {entry.event}
      </Text>
    </Stack>
  );
}
